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
