"""A race's first three read off its report (rag/shaped/podium.py): the result sentences of the
race asked for, in the report's words ("suivi de", "la seconde place revient à"), not the records."""
from __future__ import annotations

import pytest

from rag.shaped.corpus import Sent
from rag.shaped.podium import asked_race, asks_podium, parts, podium
from tests.test_shaped_units import article_sents


def report(*texts: str) -> list[Sent]:
    return article_sents(list(texts))


def test_podium_questions_in_both_languages_and_the_race_they_name():
    assert asks_podium("c'était qui le podium de la 3e étape ?")
    assert asks_podium("who finished top 3 on stage 4?") and asks_podium("Which athletes won medals in Rio?")
    assert asks_podium("Quels coureurs ont pris les trois premières places ?")
    assert not asks_podium("Quels coureurs ont abandonné ?")
    assert not asks_podium("Quelles médailles Teddy Riner a-t-il remportées ?")  # medals, not who won them
    assert asked_race("podium femmes wts leeds") == "F" and asked_race("WTS Abu Dhabi men's podium?") == "M"
    assert asked_race("le podium de l'étape ?") is None


def test_a_report_switches_race_where_its_words_name_the_other():
    sents = report("La course homme a été disputée.", "Il s'impose.", "Chez les féminines, la favorite a couru.",
                   "L'Australienne prend la seconde place.", "Le Mexicain finit sixième.")
    assert parts(sents) == ["M", "M", "F", "F", "M"]


@pytest.mark.model
def test_the_podium_of_the_race_asked_for_comes_from_its_result_sentences():
    sents = report(
        "Le Néerlandais Tom Visser, vainqueur de l'édition 2014, était le favori.",
        "Chez les hommes, Tom Visser remporte l'épreuve en 1 heure 50.",
        "Il est suivi de Carlos Ruiz et Jan Novak.",
        "Chez les femmes, la Suédoise Anna Lind remporte sa première victoire.",
        "La seconde place revient à Maria Costa et la troisième à Eva Horvat.",
    )
    women = [name for *_, name in podium("Qui compose le podium féminin ?", sents, "2016", {"PER"})]
    assert women == ["Anna Lind", "Maria Costa", "Eva Horvat"]
    men = [name for *_, name in podium("men's podium?", sents, "2016", {"PER"})]
    assert men == ["Tom Visser", "Carlos Ruiz", "Jan Novak"]
    s, a, b, name = podium("men's podium?", sents, "2016", {"PER"})[0]
    assert s.text[a:b] == name and s.index == 1  # cited by the result sentence, not the record of 2014


def test_the_fastest_and_the_one_arriving_second_are_on_the_podium_not_the_one_beaten_for_third():
    sents = report(
        "Usain Bolt demeure le plus rapide sur 200m, malgré un geste de dépit.",
        "Le Canadien Andre De Grasse arrive second.",
        "Le Français Christophe Lemaitre complète ce podium, en devançant le Britannique Adam Gemili.",
    )
    got = [name for *_, name in podium("Who was on the podium of the men's 200m?", sents, "2016", {"PER"})]
    assert got == ["Usain Bolt", "Andre De Grasse", "Christophe Lemaitre"]


@pytest.mark.model
def test_the_standings_asked_for_come_before_the_stages_result():
    sents = report("Le vainqueur de l'étape est Paul Durand il est suivi de Marc Petit et Luc Moreau.",
                   "Au classement général, Marc Petit est premier suivi de Hugo Lambert et Paul Durand.")
    got = [name for *_, name in podium("Qui occupe les trois premières places du classement général ?", sents, None, {"PER"})]
    assert got == ["Marc Petit", "Hugo Lambert", "Paul Durand"]
    got = [name for *_, name in podium("c'était qui le podium de l'étape ?", sents, None, {"PER"})]
    assert got == ["Paul Durand", "Marc Petit", "Luc Moreau"]


def test_two_spellings_of_one_name_are_one_place_on_the_podium():
    from rag.shaped.podium import _same

    assert _same("emma bihlam", "emma bilham") and _same("sagan", "peter sagan")
    assert not _same("emma bilham", "anna bilham")


REPORTS = ("wikinews-fr-2016_07_13-002", "wikinews-fr-2016_07_05-001", "wikinews-fr-2016_07_12-001",
           "wikinews-fr-2016_03_05-002", "wikinews-fr-2017_03_05-002", "wikinews-fr-2017_06_12-001")


@pytest.fixture(scope="module")
def race_engine(tmp_path_factory):
    """A real engine over six race reports of the shared Wikinews data (stages of the 2016 Tour de
    France, triathlon series events with a men's and a women's race)."""
    import json

    from depeche.settings import Settings
    from index.builder import build_index
    from rag.engine import Engine
    from tests.conftest import DATA, need_shared

    lines = need_shared(DATA / "wikinews-fr.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines if json.loads(line)["id"] in REPORTS]
    assert len(rows) == len(REPORTS)
    root = tmp_path_factory.mktemp("races")
    (root / "races.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    settings = Settings.from_mapping({"store": str(root / "store"), "corpus": [str(root / "races.jsonl")]})
    build_index(settings, progress=False)
    return Engine(settings)


@pytest.mark.model
@pytest.mark.parametrize("question, names", [
    ("c'était qui le podium de la 11e étape du Tour de France 2016 ?", ["Peter Sagan", "Christopher Froome", "Maciej Bodnar"]),
    ("who finished top 3 on stage 4 of the 2016 tour de france, saumur to limoges?", ["Marcel Kittel", "Bryan Coquard", "Peter Sagan"]),
    ("podium hommes WTS Abu Dhabi 2016 ?", ["Mario Mola", "Richard Murray", "Joao Silva"]),
    ("Abou Dabi 2017, le podium de la course homme ?", ["Javier Gomez", "Tom Bishop", "Vincent Luis"]),
    ("podium femmes wts leeds juin 2017", ["Flora Duffy", "Taylor Spivey", "Alice Betto"]),
])
def test_a_podium_asked_of_race_reports_lists_the_first_three_each_cited(race_engine, question, names):
    from tests.test_shaped_answers import items_of, verbatim

    a = race_engine.ask(question)
    assert a.shape == "list" and not a.abstained, a.text
    got = items_of(a.text)
    assert sorted(got) == sorted(names) and got[0] == names[0], a.text  # the winner first
    verbatim(race_engine, a)
    for c in a.citations:  # each name is cited by a sentence telling a result, not the headline
        assert c.quote.rstrip().endswith((".", "»", "!")), c.quote
