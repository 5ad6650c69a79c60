"""rag/shaped/reason_model.py and train/reason_train.py: the trained ranker of why/how sentences."""
from __future__ import annotations

import json

import numpy as np
import pytest

from depeche.errors import DepecheError
from rag.shaped import reason_model
from rag.shaped.corpus import Sent
from rag.shaped.reason_model import NAMES, PER_SHAPE, ReasonRanker, features
from rag.shaped.reasons import reasons

Q = "Pourquoi le festival a-t-il été annulé ?"
EVENT = Sent("a", 0, 40, "Le festival a été annulé samedi à Nice.", 0.9, margin=-3.0)
CAUSE = Sent("a", 41, 120, "Les organisateurs ont renoncé en raison d'une alerte aux orages violents.", 0.6, margin=4.0)


def _ranker_weighing(name: str, shape: str = "cause") -> ReasonRanker:
    w = np.zeros(2 * PER_SHAPE, np.float32)
    w[NAMES.index(name) + (PER_SHAPE if shape == "manner" else 0)] = 1.0
    return ReasonRanker(w, {})


def test_signals_fill_the_half_of_the_shape_asked():
    x = features(Q, [EVENT.text, CAUSE.text], [0.9, 0.6], [-3.0, 4.0], ["a", "a"], [0.5, 0.8], False, False)
    assert x.shape == (2, 2 * PER_SHAPE) and not x[:, PER_SHAPE:].any()
    cause = NAMES.index("cause")
    assert x[1, cause] == 1.0 and x[0, cause] == 0.0  # "en raison de" is a connective, the event has none
    assert x[0, NAMES.index("score_first")] == 1.0 and x[1, NAMES.index("margin_first")] == 1.0
    m = features(Q, [EVENT.text], [0.9], [None], ["a"], [0.5], True, False)
    assert not m[:, :PER_SHAPE].any() and m[0, PER_SHAPE + NAMES.index("unread")] == 1.0


def test_the_ranker_reorders_the_rules_candidates_and_keeps_their_cause_clause():
    by_rules = reasons(Q, [EVENT, CAUSE])
    by_score = reasons(Q, [EVENT, CAUSE], ranker=_ranker_weighing("score"))
    by_margin = reasons(Q, [EVENT, CAUSE], ranker=_ranker_weighing("margin"))
    assert by_score[0].sent == EVENT and by_margin[0].sent == CAUSE
    assert by_margin[0].surface == next(r.surface for r in by_rules if r.sent == CAUSE)
    assert {r.sent for r in by_score} == {r.sent for r in by_rules}  # the same candidates, in another order


def test_the_shipped_ranker_loads_and_prefers_the_stated_cause_read_by_the_reader():
    ranker = reason_model.load()
    assert ranker is not None and len(ranker.meta["names"]) == 2 * PER_SHAPE
    assert reasons(Q, [EVENT, CAUSE], ranker=ranker)[0].sent == CAUSE


def test_a_damaged_ranker_stops_with_one_line_saying_how_to_mend_it(tmp_path):
    (tmp_path / "reason-ranker.json").write_text(json.dumps({"weights": [1.0, 2.0]}))
    with pytest.raises(DepecheError) as err:
        reason_model.load(str(tmp_path))
    assert "\n" not in str(err.value) and "git checkout -- models/reasons" in str(err.value)


def test_without_its_file_the_rules_rank_alone(tmp_path):
    assert reason_model.load(str(tmp_path)) is None


def test_the_listwise_fit_learns_which_signal_marks_the_gold_sentence():
    from train.reason_train import fit

    rng = np.random.default_rng(0)
    xs, ys = [], []
    for _ in range(60):
        x = rng.random((5, 2 * PER_SHAPE)).astype(np.float32)
        y = np.zeros(5)
        y[int(np.argmax(x[:, 3]))] = 1.0  # the gold sentence is the one highest on signal 3
        xs.append(x)
        ys.append(y)
    w = fit(xs, ys, l2=1e-4, steps=300)
    assert int(np.argmax(np.abs(w))) == 3
    assert sum(int(np.argmax(x @ w)) == int(np.argmax(y)) for x, y in zip(xs, ys)) >= 54


def test_the_training_data_reads_no_held_out_file():
    from train import reason_data
    from train.shape_data import HELD_OUT, SHAPED_FIT

    assert not any(h in name for h in HELD_OUT for name in SHAPED_FIT)
    groups = {q["group"] for q in reason_data.gold_questions()}
    assert groups and not any("heldout" in g for g in groups)
    assert "shapes-cause-fit" in groups and "shapes-cause-dev" not in groups  # the dev file is only reported


def test_the_sentences_just_before_and_after_the_best_scored_are_marked_as_such():
    texts = ["Le festival a été annulé samedi à Nice.", "Les organisateurs invoquent une alerte aux orages.",
             "La mairie a publié un communiqué.", "Un autre article."]
    spans = [(100, 140), (141, 190), (20, 99), (141, 190)]
    x = features(Q, texts, [0.9, 0.2, 0.3, 0.5], [None] * 4, ["a", "a", "a", "b"], [0.5] * 4, False, False, spans)
    after, before = NAMES.index("after_top"), NAMES.index("before_top")
    assert list(x[:, after]) == [0, 1, 0, 0] and list(x[:, before]) == [0, 0, 1, 0]  # another article is not beside
    assert not features(Q, texts, [0.9, 0.2, 0.3, 0.5], [None] * 4, ["a", "a", "a", "b"], [0.5] * 4, False,
                        False)[:, [after, before]].any()  # without offsets, no position is assumed


def test_the_ranker_says_how_sure_it_is_of_its_first_candidate():
    found = reasons(Q, [EVENT, CAUSE])
    ranked, sure = _ranker_weighing("margin").order(Q, found, False, False)
    assert ranked[0].sent == CAUSE and 0.5 < sure < 1.0  # margins 4 vs -3, one weight: sure, not certain
    assert _ranker_weighing("bias").order(Q, found, False, False)[1] == pytest.approx(0.5)  # no preference
    assert _ranker_weighing("margin").order(Q, found[:1], False, False)[1] == 1.0
