"""The trained reader: training on a tiny set, the shipped file, answers and abstention over corpus/."""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import DATA, need_shared
from depeche.errors import DepecheError
from rag.citations import is_verbatim
from rag.reader import DEFAULT_DIR, Reader, ReaderFiles

SEED_PASSAGE = ("Le président chinois Xi Jinping a rencontré jeudi à Pékin le dirigeant nord-coréen Kim Jong Un, "
                "au lendemain d'un défilé militaire grandiose dans la capitale chinoise.")


def test_missing_reader_file_is_one_clear_error(tmp_path):
    with pytest.raises(DepecheError) as exc:
        ReaderFiles.find(tmp_path)
    msg = str(exc.value)
    assert "missing" in msg and "make train-reader" in msg and "\n" not in msg


def test_corrupt_reader_file_is_one_clear_error(tmp_path):
    shutil.copy(DEFAULT_DIR / "config.json", tmp_path / "config.json")
    (tmp_path / "reader.safetensors").write_bytes(b"\x00garbage, not a safetensors file" * 10)
    with pytest.raises(DepecheError) as exc:
        Reader(tmp_path).load()
    assert "corrupt" in str(exc.value) and "\n" not in str(exc.value)


def test_unreadable_reader_config_is_one_clear_error(tmp_path):
    shutil.copy(DEFAULT_DIR / "reader.safetensors", tmp_path / "reader.safetensors")
    (tmp_path / "config.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DepecheError, match="unreadable"):
        ReaderFiles.find(tmp_path)


def test_shipped_reader_is_small():
    size = (DEFAULT_DIR / "reader.safetensors").stat().st_size
    assert size <= 15 * 1024 * 1024
    assert (DEFAULT_DIR / "README.md").exists()  # the model card


@pytest.mark.model
def test_shipped_reader_finds_the_place_in_a_passage():
    guesses = Reader().read("Où Xi Jinping a-t-il rencontré Kim Jong Un ?", [SEED_PASSAGE])
    best = guesses[0]
    assert "Pékin" in SEED_PASSAGE[best.start:best.end]
    assert best.score > 0


@pytest.mark.model
def test_onnx_runtimes_find_the_same_spans_as_torch():
    passages = [SEED_PASSAGE, "Le président américain Donald Trump a réagi depuis Washington sur son réseau social."]
    questions = ["Où Xi Jinping a-t-il rencontré Kim Jong Un ?", "Qui a réagi depuis Washington ?"]
    ref = {q: Reader(None, "torch").read(q, passages)[0] for q in questions}
    for runtime in ("onnx-fp32", "onnx-int8"):
        for q in questions:
            got = Reader(None, runtime).read(q, passages)[0]
            assert (got.passage, got.start, got.end) == (ref[q].passage, ref[q].start, ref[q].end)
            assert got.score == pytest.approx(ref[q].score, abs=0.5 if runtime == "onnx-fp32" else 2.5)  # torch: bf16 here; int8 moves scores


def test_unknown_reader_runtime_is_one_clear_error():
    with pytest.raises(DepecheError, match="onnx-int8"):
        Reader(None, "tensorflow")


@pytest.mark.model
def test_shipped_reader_prefers_no_answer_in_an_unrelated_passage():
    guesses = Reader().read("Combien coûte le billet de train entre Lyon et Marseille ?", [SEED_PASSAGE])
    assert not guesses or guesses[0].score < 0


@pytest.mark.model
def test_answer_comes_from_the_reader_with_a_verbatim_citation(corpus_engine):
    ans = corpus_engine.ask("Qui a rencontré Kim Jong Un jeudi à Pékin ?")
    assert not ans.abstained
    assert "Xi Jinping" in (ans.short_answer or "")
    art = corpus_engine.article(ans.citations[0].article_id)
    assert all(is_verbatim(c, corpus_engine.article(c.article_id).text) for c in ans.citations)
    assert "Xi Jinping" in ans.citations[0].quote and art.text[ans.citations[0].start:ans.citations[0].end]


@pytest.mark.model
def test_parade_place_is_found(corpus_engine):
    ans = corpus_engine.ask("Où s'est déroulé le défilé militaire ?")
    assert not ans.abstained
    assert "Pékin" in ans.text or "capitale chinoise" in ans.text


@pytest.mark.model
def test_question_the_corpus_cannot_answer_is_refused(corpus_engine):
    ans = corpus_engine.ask("Quel est le prix d'une baguette de pain à Lima en 1850 ?")
    assert ans.abstained
    assert ans.text.startswith("Je ne trouve pas")
    assert ans.citations == () and ans.related


@pytest.mark.model
def test_english_question_over_french_articles(corpus_engine):
    ans = corpus_engine.ask("Who met Kim Jong Un in Beijing on Thursday?")
    assert not ans.abstained
    assert "Xi Jinping" in ans.text


@pytest.mark.model
@pytest.mark.slow
def test_training_a_few_steps_lowers_the_loss_and_is_deterministic(tmp_path):
    need_shared(DATA / "piaf-v1.0.json")
    from train.reader_train import main

    def run(out):
        args = ["--out", str(out), "--limit", "6", "--steps", "16", "--epochs", "8", "--batch", "4",
                "--warmup", "1", "--lr", "2e-3", "--head-lr", "5e-3", "--log-every", "4", "--ship", str(out / "ship")]
        assert main(args) == 0
        recs = [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]
        return [r["loss"] for r in recs if r["event"] == "train"]

    losses = run(tmp_path / "a")
    assert len(losses) == 4
    assert losses[-1] < losses[0]
    assert run(tmp_path / "b") == losses  # same seed, same losses
    files = ReaderFiles.find(tmp_path / "a" / "ship")
    assert Reader(files.folder).read("Qui ?", [SEED_PASSAGE]) is not None


def test_the_reader_trains_on_no_article_a_dev_or_heldout_question_asks_about():
    from train.reader_data import GOLD_DIR, GOLD_FIT

    def articles(path):
        return {json.loads(line).get("article") for line in open(path, encoding="utf-8") if line.strip()} - {None}

    judged = set().union(*(articles(f) for f in GOLD_DIR.glob("*.jsonl") if "dev" in f.name or "heldout" in f.name))
    assert judged
    for name in GOLD_FIT:
        assert not articles(GOLD_DIR / name) & judged, name


def test_fit_gold_pairs_point_at_their_answer_and_leave_dev_and_heldout_files_out():
    need_shared(DATA / "wikinews-fr.jsonl")
    from eval.metrics import norm
    from train.reader_data import GOLD_DIR, GOLD_FIT, GOLD_FIT_UNANSWERABLE, gold_pairs

    assert not [f for f in (*GOLD_FIT, *GOLD_FIT_UNANSWERABLE) if "dev" in f or "heldout" in f]
    pairs = gold_pairs(files=("shapes-cause-fit.jsonl",), unanswerable=("shapes-unanswerable-fit2.jsonl",))
    gold = {f"shapes-cause-fit.jsonl:{r['id']}": r for r in map(json.loads, open(
        GOLD_DIR / "shapes-cause-fit.jsonl", encoding="utf-8")) if r.get("cause")}
    positives = [p for p in pairs if p.kind == "gold_positive"]
    assert len({p.qid for p in positives}) >= 20
    for p in positives:  # the span is one of the question's gold causes, read in its own passage
        causes = [norm(v) for c in gold[p.qid]["cause"] for v in c.split("|")]
        assert norm(p.passage[p.start:p.end]) in causes
    for p in pairs:
        if p.kind != "gold_positive":  # a negative holds none of its question's answers
            assert (p.start, p.end) == (-1, -1)
            if p.qid in gold:
                assert not any(norm(v) in norm(p.passage) for c in gold[p.qid]["cause"] for v in c.split("|"))
    assert sum(p.kind == "gold_refused" for p in pairs) >= 20  # the questions the corpus cannot answer
