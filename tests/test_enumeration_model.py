"""rag/shaped/enumeration_model.py, rag/shaped/enumeration_answer.py and train/enumeration_train.py: the
trained chooser of the enumeration that answers a list question the engine would otherwise refuse."""
from __future__ import annotations

import json

import numpy as np
import pytest

from depeche.errors import DepecheError
from rag.shaped import enumeration_model
from rag.shaped.corpus import Sent
from rag.shaped.enumeration_model import NAMES, Candidate, EnumerationChooser, candidates, cleaned, features, name_in

STATIONS = Sent("a", 100, 220, "Les stations, situées à Grand-Anse, Sud et Nippes, ont été réhabilitées avec "
                                "l'appui du Programme alimentaire mondial.", 0.8, 1)
OTHER = Sent("b", 0, 90, "Le port de Jérémie et celui des Cayes ont rouvert aux cargos.", 0.5, 0)


def _texts(c: Candidate) -> list[str]:
    return [c.sent.text[a - c.sent.start:b - c.sent.start] for a, b in c.items]


def _weighing(**weights: float) -> EnumerationChooser:
    w = np.zeros(len(NAMES), np.float32)
    for name, v in weights.items():
        w[NAMES.index(name)] = v
    return EnumerationChooser(w, {"threshold": 0.5})


@pytest.mark.parametrize("item, name", [
    ("39 secondes devant Richard Murray", "Richard Murray"),  # the words before the name are the sentence's
    ("Maxime Nicolle forment un", "Maxime Nicolle"),  # the last item runs on into the verb
    ("le Russe Igor Polyanskiy", "Igor Polyanskiy"),  # a nationality after an article
    ("En Loire-Atlantique", "Loire-Atlantique"),
    ("La Courneuve", "La Courneuve"),  # an article opening a name is part of it
    ("Marine Le Pen", "Marine Le Pen"),  # a first name is no nationality
    ("Les stations", None),
])
def test_an_item_of_a_list_of_names_is_the_name_it_holds(item, name):
    got = name_in(item, 0, len(item))
    assert (item[got[0]:got[1]] if got else None) == name


def test_every_enumeration_of_the_sentences_is_a_candidate_cleaned_for_the_question():
    q = "Dans quels départements se trouvent les stations de radio ?"
    found = candidates([STATIONS, OTHER], q, names_asked=True)
    lists = [_texts(c) for c in found]
    assert ["Grand-Anse", "Sud", "Nippes"] in lists  # "Les stations" holds no name: left out
    assert all(c.items[0][0] >= c.sent.start for c in found)  # article offsets
    text = "Jacline Mouraud, Priscillia Ludosky, Eric Drouet et Maxime Nicolle forment un petit groupe."
    items = cleaned(text, [(0, 15), (17, 35), (37, 48), (52, 66)], "Qui Jacline Mouraud traite-t-elle de dictateurs ?", True)
    assert [text[a:b] for a, b in items] == ["Priscillia Ludosky", "Eric Drouet", "Maxime Nicolle"]  # not the one asking


def test_signals_see_the_reader_the_count_asked_and_the_names():
    q = "Quels sont les trois départements des stations de radio ?"
    found = candidates([STATIONS], q, names_asked=True)
    x = features(q, False, found, [("a", 124, 134, 3.0)], True, "a", {"a": 0})
    row = dict(zip(NAMES, x[0]))
    assert row["reader_in"] == 1.0 and row["reader_rank"] == 1.0 and row["lead"] == 1.0
    assert row["count_match"] == 1.0 and row["named"] == 1.0 and row["names_asked_named"] == 1.0


def test_the_chooser_answers_only_when_its_best_enumeration_is_likely_enough():
    q = "Dans quels départements se trouvent les stations de radio ?"
    found = candidates([STATIONS, OTHER], q, names_asked=True)
    sure = _weighing(bias=-1.0, reader_in=3.0)
    best = sure.best(q, False, found, [("a", 124, 134, 3.0)], True, "a", {"a": 0, "b": 1})
    assert best is not None and _texts(best[0]) == ["Grand-Anse", "Sud", "Nippes"] and best[1] > 0.5
    assert sure.best(q, False, found, [], True, "a", {"a": 0, "b": 1}) is None  # no span read there: below 0.5
    assert sure.best(q, False, [], [], True, None, {}) is None


def test_the_shipped_chooser_loads_with_its_names_threshold_and_figures():
    model = enumeration_model.load()
    assert model is not None and model.meta["names"] == list(NAMES)
    figures = model.meta["figures"]
    assert figures["fit_folds"]["recall"] >= figures["fit_engine_alone"]["recall"]
    assert 0.0 < model.threshold < 1.0 and model.threshold == figures["threshold"]


def test_a_damaged_chooser_stops_with_one_line_saying_how_to_mend_it(tmp_path):
    (tmp_path / "enumeration-chooser.json").write_text(json.dumps({"weights": [1.0, 2.0]}))
    with pytest.raises(DepecheError) as err:
        enumeration_model.load(str(tmp_path))
    assert "\n" not in str(err.value) and "git checkout -- models/lists" in str(err.value)


def test_without_its_file_list_questions_are_refused_as_before(tmp_path):
    assert enumeration_model.load(str(tmp_path)) is None


def test_the_training_data_reads_no_held_out_file():
    from train import enumeration_data

    files = (*enumeration_data.FIT, *enumeration_data.DEV)
    assert not any("heldout" in name for name in files)
    assert enumeration_data.DEV == ("shapes-list-dev.jsonl",) and "shapes-list-dev.jsonl" not in enumeration_data.FIT


def test_the_fit_learns_which_signal_marks_the_right_enumeration():
    from train.enumeration_train import fit

    rng = np.random.default_rng(3)
    x = rng.random((400, len(NAMES)))
    x[:, 0] = 1.0
    y = (x[:, NAMES.index("reader")] > 0.6).astype(float)
    w = fit(x, y, l2=0.01)
    assert int(np.argmax(np.abs(w[1:]))) + 1 == NAMES.index("reader") and w[NAMES.index("reader")] > 0


def test_the_replay_keeps_the_engine_answer_and_refuses_where_a_name_is_missing():
    from train.enumeration_train import answer_items

    cand = {"sent": ["a", 0, 10, "x", 0.0, 0], "names": ["Grand-Anse", "Sud"]}
    refused = {"engine_abst": True, "engine_answer": "", "cands": [cand], "absent": {"a": False}}
    assert answer_items(refused, np.array([0.9]), 0.5) == ["Grand-Anse", "Sud"]
    assert answer_items(refused, np.array([0.3]), 0.5) is None
    assert answer_items({**refused, "absent": {"a": True}}, np.array([0.9]), 0.5) is None
    answered = {**refused, "engine_abst": False, "engine_answer": "• Nippes — « … » [1]"}
    assert answer_items(answered, np.array([0.9]), 0.5) == ["Nippes"]
    # a question the engine read as another shape never reaches the chooser
    assert answer_items({**refused, "engine_shape": "fact"}, np.array([0.9]), 0.5) is None


DISPATCHES = {
    "radios.txt": " date 2017-03-24 Quatre radios communautaires émettent de nouveau en Haïti\n"
                  "24 mars 2017. – Quatre stations de radio communautaires émettent de nouveau dans le sud d'Haïti, "
                  "cinq mois après le passage de l'ouragan Matthew, qui avait coupé les antennes.\n\n"
                  "Les stations, situées à Grand-Anse, Sud et Nippes, ont été réhabilitées avec l'appui du "
                  "Programme alimentaire mondial et de l'Union européenne.\n\n"
                  "Elles diffusent des informations sur l'aide disponible, les prix des marchés et la météo.\n",
    "port.txt": " date 2017-03-20 Le port de Jérémie rouvert aux cargos\n"
                "20 mars 2017. – Le port de Jérémie a rouvert lundi aux cargos de ravitaillement après des travaux.\n\n"
                "Les navires de plus de cent mètres pourront de nouveau accoster dès le mois prochain.\n",
    "ecoles.txt": " date 2017-03-22 Rentrée retardée dans les écoles du sud d'Haïti\n"
                  "22 mars 2017. – La rentrée des classes a été retardée d'une semaine dans plusieurs communes du sud "
                  "d'Haïti, où des écoles servent encore d'abris.\n",
}


@pytest.mark.model
def test_a_list_the_reader_cannot_point_at_is_answered_by_the_sentence_that_enumerates_it(tmp_path):
    from depeche.settings import Settings
    from index.builder import build_index
    from rag.engine import Engine

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in DISPATCHES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = Settings.from_mapping({"store": str(tmp_path / "store"), "corpus": [str(corpus)]})
    build_index(settings, progress=False)
    engine = Engine(settings)
    a = engine.ask("Dans quels départements se trouvent les stations de radio remises en service en Haïti ?")
    assert a.shape == "list" and not a.abstained, a.text
    items = [line.split(" — ")[0].split(" [")[0].lstrip("• ") for line in a.text.splitlines()]
    assert items == ["Grand-Anse", "Sud", "Nippes"], a.text
    quote = a.citations[0].quote
    assert quote.startswith("Les stations, situées à Grand-Anse") and a.citations[0].article_id == "radios"
    # the question the corpus does not answer is still refused
    b = engine.ask("Quelles villes de Lagos ont accueilli les stations de radio ?")
    assert b.abstained and b.shape == "list", b.text
