"""rag/shaped/yesno_model.py, rag/shaped/yesno.py and train/yesno_train.py: the trained chooser of the
sentences a yes/no answer shows, and the rule's verdict kept in front."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest

from depeche.errors import DepecheError
from rag.shaped import yesno_model
from rag.shaped.corpus import Sent
from rag.shaped.yesno import SHOWN, by_rule, chosen
from rag.shaped.yesno_model import NAMES, YesNoChooser, features, question_parts

Q = "Le Sénat a-t-il adopté le projet de loi sur le climat ?"
DEBATE = Sent("a", 0, 52, "Le débat au Sénat a duré trois jours au Luxembourg.", 0.9, 0, -2.0)
REJECTED = Sent("a", 53, 130, "Le Sénat n'a pas adopté le projet de loi sur le climat, rejeté par 52 voix.", 0.6, 1, 3.0)
MINISTER = Sent("a", 131, 170, "La ministre a défendu son texte jusqu'au bout.", 0.5, 2, -3.0)


def _weighing(name: str) -> YesNoChooser:
    w = np.zeros(len(NAMES), np.float32)
    w[NAMES.index(name)] = 1.0
    return YesNoChooser(w, {})


def test_signals_see_the_question_words_and_a_negation_bearing_on_them():
    parts = question_parts(Q, False)
    x = features(parts, [DEBATE.text, REJECTED.text], [0.9, 0.6], ["a", "a"], [True, False])
    words, negated = NAMES.index("words"), NAMES.index("negated")
    assert x[1, words] > x[0, words]  # the rejection restates the question, the debate does not
    assert x[1, negated] == 1.0 and x[0, negated] == 0.0  # "n'a pas adopté"
    assert x[0, NAMES.index("score_first")] == 1.0 and x[1, NAMES.index("ranked")] == 0.0


def test_an_english_question_is_matched_through_the_glossary():
    parts = question_parts("Did the Senate adopt the climate bill?", True)
    x = features(parts, [REJECTED.text, MINISTER.text], [0.6, 0.5], ["a", "a"], [True, True])
    assert x[0, NAMES.index("words")] > x[1, NAMES.index("words")]


def test_the_chooser_orders_the_shown_sentences_and_keeps_the_rules_deciding_one_first():
    pool = [DEBATE, MINISTER, REJECTED]
    by_words = chosen(_weighing("words"), Q, pool, [True] * 3, False, [])
    assert by_words[0] == REJECTED and len(by_words) == min(SHOWN, 3)
    assert chosen(_weighing("score"), Q, pool, [True] * 3, False, [MINISTER])[:2] == [MINISTER, DEBATE]


def test_the_verdict_stays_the_rules_no_when_a_sentence_denies_the_predicate():
    verdict, shown = by_rule(Q, [DEBATE, REJECTED], False)
    assert verdict == "no" and shown == [REJECTED]
    assert by_rule(Q, [DEBATE, MINISTER], False)[0] == "unsaid"


def test_the_shipped_chooser_loads_and_shows_the_sentence_restating_the_question():
    model = yesno_model.load()
    assert model is not None and model.meta["names"] == list(NAMES)
    assert chosen(model, Q, [DEBATE, MINISTER, REJECTED], [True] * 3, False, [])[0] == REJECTED


def test_a_damaged_chooser_stops_with_one_line_saying_how_to_mend_it(tmp_path):
    (tmp_path / "yesno-chooser.json").write_text(json.dumps({"weights": [1.0, 2.0]}))
    with pytest.raises(DepecheError) as err:
        yesno_model.load(str(tmp_path))
    assert "\n" not in str(err.value) and "git checkout -- models/yesno" in str(err.value)


def test_without_its_file_the_rule_orders_alone(tmp_path):
    assert yesno_model.load(str(tmp_path)) is None


def test_the_listwise_fit_learns_which_signal_marks_the_deciding_sentence():
    from train.yesno_train import fit

    rng = np.random.default_rng(1)
    xs, ys = [], []
    for _ in range(50):
        x = rng.random((6, len(NAMES))).astype(np.float32)
        y = np.zeros(6)
        y[int(np.argmax(x[:, NAMES.index("words")]))] = 1.0
        xs.append(x)
        ys.append(y)
    w = fit(xs, ys, l2=1e-4)
    assert int(np.argmax(w)) == NAMES.index("words")


def test_the_training_data_reads_no_held_out_file():
    from train import yesno_data

    assert not any("heldout" in name for name in yesno_data.FILES)
    groups = {q["group"] for q in yesno_data.gold_questions()}
    assert "shapes-yesno-fit" in groups and not any("heldout" in g for g in groups)
    assert yesno_data.REPORTED == ("shapes-yesno-dev",)


@pytest.mark.parametrize("question, verdict", [("Xi Jinping a-t-il rencontré Kim Jong Un ?", "Oui"),
                                               ("Did Xi Jinping meet Kim Jong Un?", "Yes")])
def test_a_yes_no_the_corpus_decides_starts_with_its_verdict_and_the_deciding_sentence(corpus_engine, question, verdict):
    a = corpus_engine.ask(question)
    assert a.shape == "yesno" and a.text.startswith(verdict), a.text  # not pushed aside by the reader's span
    assert "Xi Jinping a rencontré jeudi à Pékin" in a.citations[0].quote
    assert len(a.citations) <= SHOWN and len(re.findall(r"\[\d+\]", a.text)) == len(a.citations)
