"""rag/shape_model.py and train/shape_train.py: the trained second opinion on question shapes."""
from __future__ import annotations

import json

import numpy as np
import pytest

from depeche.errors import DepecheError
from rag import shape_model
from rag.shape_model import BUCKETS, ShapeModel, features, grams
from rag.shapes import SHAPES


def _model_sure_of(shape: str, threshold: float = 0.9) -> ShapeModel:
    """A model that gives ``shape`` about 0.99 whatever the question."""
    w = np.zeros((384 + BUCKETS, len(SHAPES)), np.float32)
    b = np.full(len(SHAPES), -5.0, np.float32)
    b[SHAPES.index(shape)] = 5.0
    return ShapeModel(w, b, list(SHAPES), threshold)


def test_word_grams_are_binary_stable_and_see_the_question_without_its_opener():
    a = grams("Je voudrais savoir quels pays ont signé l'accord ?")
    assert a.shape == (BUCKETS,) and set(np.unique(a)) <= {0.0, 1.0}
    assert np.array_equal(a, grams("Je voudrais savoir quels pays ont signé l'accord ?"))
    assert np.array_equal(a, grams("quels pays ont signe l'accord"))  # folded, opener and "?" gone
    assert not np.array_equal(a, grams("Quel pays a signé l'accord ?"))
    assert features("Quels pays ?", np.ones(384)).shape == (384 + BUCKETS,)


def test_the_model_never_overrides_a_shape_the_rules_found():
    model = _model_sure_of("list")
    assert model.second_opinion("cause", "Pourquoi ?", np.zeros(384)) == "cause"
    assert model.second_opinion("fact", "qui sont-ils", np.zeros(384)) == "list"


def test_an_unsure_model_leaves_the_fact():
    model = _model_sure_of("summary", threshold=0.9999)
    assert model.second_opinion("fact", "Qui a gagné ?", np.zeros(384)) == "fact"
    assert _model_sure_of("fact").second_opinion("fact", "Qui a gagné ?", np.zeros(384)) == "fact"


def test_a_damaged_model_stops_with_one_line_saying_how_to_mend_it(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"shapes": list(SHAPES), "threshold": 0.9}))
    (tmp_path / "shape-head.npz").write_bytes(b"not a numpy file")
    with pytest.raises(DepecheError) as err:
        shape_model.load(str(tmp_path))
    assert "\n" not in str(err.value) and "git checkout -- models/shapes" in str(err.value)


def test_without_its_files_the_rules_decide_alone(tmp_path):
    assert shape_model.load(str(tmp_path)) is None


def test_the_training_fit_learns_a_separable_problem():
    from train.shape_train import fit, predict

    rng = np.random.default_rng(1)
    y = np.arange(240) % len(SHAPES)
    x = rng.normal(0, 0.1, (240, 16)).astype(np.float32)
    x[np.arange(240), y] += 1.0  # each shape has its own feature
    w, b = fit(x, y, steps=300)
    assert (predict(w, b, x).argmax(1) == y).mean() > 0.95


def test_the_training_data_reads_no_held_out_file():
    from train import shape_data

    names = shape_data.SHAPED_FIT + shape_data.FACT_FIT + ("shape-probes-fit.tsv",)
    assert not any(h in n for n in names for h in shape_data.HELD_OUT)


def test_the_shipped_model_is_small_and_loads():
    model = shape_model.load()
    assert model is not None and 0.5 <= model.threshold < 1.0
    assert sum(f.stat().st_size for f in shape_model.MODEL_DIR.iterdir()) < 1_000_000
    assert (shape_model.MODEL_DIR / "README.md").exists()


@pytest.mark.model
def test_the_engine_asks_the_model_only_where_the_rules_read_a_fact(corpus_engine, monkeypatch):
    asked = []
    real = ShapeModel.second_opinion

    def spy(self, rule, question, vector):
        asked.append(question)
        return real(self, rule, question, vector)

    monkeypatch.setattr(ShapeModel, "second_opinion", spy)
    retriever = corpus_engine._current()
    assert corpus_engine.shape_of("Pourquoi Kim Jong Un est-il venu à Pékin ?", retriever) == "cause"
    assert asked == []
    assert corpus_engine.shape_of("Qui a rencontré Kim Jong Un jeudi à Pékin ?", retriever) == "fact"
    assert asked == ["Qui a rencontré Kim Jong Un jeudi à Pékin ?"]


@pytest.mark.model
def test_the_shape_benchmark_prints_and_saves_its_figures(tmp_path, capsys):
    from eval.bench_shapes import main

    assert main(["--limit", "5", "--out", str(tmp_path)]) == 0
    got = json.loads((tmp_path / "shapes.json").read_text())
    assert got["questions"] == 5 and got["model_head"]["n"] == 5
    assert got["why_how_questions"] == 5 and got["reason_rules_and_ranker"]["n"] == 5
    assert "question_embedding" in capsys.readouterr().out
