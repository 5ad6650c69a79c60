"""The period a timeline question names, and which events fall in it (rag/dates.timeline_window,
rag/shaped/timeline.within): pure."""
from __future__ import annotations

import pytest

from rag.dates import periods_named, timeline_window
from rag.shaped.timeline import within


@pytest.mark.parametrize("question,window", [
    # one day: the day told hour by hour
    ("Chronologie de l'évacuation du stade le samedi 3 juin 2017.", ("2017-06-03", "2017-06-03")),
    ("Retrace la journée du 14 juillet 2016 à Nice, jusqu'à l'intervention du RAID.", ("2016-07-14", "2016-07-14")),
    # two periods: a range, whatever the words between them
    ("How did the talks unfold, from the 2015 agreement to the walk-out of March 2018?", ("2015-01-01", "2018-03-31")),
    ("Quelles ont été les étapes de la crise entre mai 2016 et janvier 2017 ?", ("2016-05-01", "2017-01-31")),
    # one end
    ("Retrace l'affaire jusqu'au procès de novembre 2017.", (None, "2017-11-30")),
    ("Que s'est-il passé au Venezuela depuis 2016 ?", ("2016-01-01", None)),
    # a month or a year alone says when the story ends, not where it starts
    ("Quelles ont été les étapes qui ont conduit à l'accord de janvier 2017 ?", None),
    ("Retrace les travaux récompensés par le prix Nobel de chimie 2016.", None),
    ("Chronologie de la crise des migrants", None),
])
def test_a_timeline_question_names_its_period_by_a_day_a_range_or_an_end(question, window):
    assert timeline_window(question) == window


def test_periods_are_found_once_each_in_order():
    got = periods_named("du 3 mars 2016 à juin 2017, puis en 2018")
    assert [(lo, hi, grain) for _, _, lo, hi, grain in got] == [
        ("2016-03-03", "2016-03-03", "day"), ("2017-06-01", "2017-06-30", "month"), ("2018-01-01", "2018-12-31", "year")]


def test_an_event_is_in_the_window_by_its_written_date_or_shortly_before_its_article():
    day = ("2016-07-26", "2016-07-26")
    assert within("Vers 11 h 30 intervient un camion de démineurs.", "2016-07-26", day)
    assert within("Vers 11 h 30 intervient un camion de démineurs.", "2016-07-27", day)  # told the next day
    assert not within("Il avait fêté son jubilé d'or en 2008.", "2016-07-26", day)
    assert not within("Hollande réunira les cultes le 27 juillet.", "2016-07-26", day)
    assert not within("Le bilan a été publié.", "2016-08-03", day)
    upto = (None, "2017-03-31")
    assert within("Boko Haram a lancé en 2009 une insurrection armée.", "2017-03-17", upto)
    assert within("En mars 2017, l'armée a annoncé la libération des otages.", "2017-04-20", upto)
    assert not within("Le 12 avril 2017, un nouveau raid a eu lieu.", "2017-04-20", upto)


def test_an_article_of_a_timelines_story_holds_most_of_the_asked_words_the_top_one_holds():
    from types import SimpleNamespace

    from rag.shaped.story import Stories

    arts = {
        "chem": SimpleNamespace(id="chem", date="2016-10-05", title="Prix Nobel de chimie 2016",
                                text="Le prix Nobel de chimie est attribué à Sauvage, Stoddart et Feringa."),
        "phys": SimpleNamespace(id="phys", date="2016-10-04", title="Prix Nobel de physique 2016",
                                text="Le prix Nobel de physique est attribué à Thouless, Haldane et Kosterlitz."),
        "chem2": SimpleNamespace(id="chem2", date="2016-10-06", title="Nobel de chimie : réactions",
                                 text="Sauvage, Stoddart et Feringa se disent honorés par le prix Nobel."),
    }
    stories = Stories(SimpleNamespace(article=arts.get, scorer=None))  # no index statistics: plain counts
    asked = stories.asked_of("Retrace les travaux de Sauvage, Stoddart et Feringa, prix Nobel de chimie.", "chem",
                             False)
    assert stories.holds("chem2", asked) and not stories.holds("phys", asked)
    assert stories.holds("phys", {"nobel": 1.0, "prix": 1.0})  # two asked words tell no stories apart


def test_the_period_a_question_names_does_not_make_an_article_of_its_story():
    from types import SimpleNamespace

    from rag.shaped.story import Stories

    arts = {
        "bus": SimpleNamespace(id="bus", date="2016-05-14", title="Accident d'autocar au Texas",
                               text="Un autocar a fait des tonneaux au Texas en mai 2016. Les causes de l'accident "
                                    "sont inconnues."),
        "iss": SimpleNamespace(id="iss", date="2016-03-24", title="Le cargo Cygnus part vers l'ISS",
                               text="Contrôlé depuis Houston au Texas, le bras restera en place jusqu'en mai 2016."),
    }
    stories = Stories(SimpleNamespace(article=arts.get, scorer=None))
    q = "Quelles sont les causes de l'accident d'autocar au Texas en mai 2016 ?"
    assert stories.holds("iss", stories.asked_of(q, "bus", False))  # the month and the year weigh as much
    assert not stories.holds("iss", stories.asked_of(q, "bus", False, dated=False))
