"""A timeline of one day is told hour by hour when the reports give the hours (rag/shaped/hours.py)."""
from __future__ import annotations

import datetime as dt

from rag.shaped.corpus import Sent
from rag.shaped.hours import by_hours
from rag.shaped.text import event_when


def _sents(texts_scores):
    out, at = [], 0
    for i, (t, score) in enumerate(texts_scores):
        out.append(Sent("a", at, at + len(t), t, score, i))
        at += len(t) + 1
    return out


DAY = [("Cette journée des gilets jaunes est la quinzième.", 1.0),
       ("Vers 13h00, les gendarmes quittent l'Arc de Triomphe.", 0.6),
       ("Dès 7h00, l'avenue des Champs-Élysées est fermée à la circulation.", 0.5),
       ("Vers 18h30, des boutiques sont pillées rue Cambon.", 0.4),
       ("Dès 8h45, des manifestants tentent de passer sans être fouillés.", 0.7),
       ("Vers 10h00, un premier cortège se forme place de l'Étoile.", 0.3),
       ("Vers 15h20, des barricades sont dressées avenue Foch.", 0.35),
       ("Vers 22h00, le calme revient à Paris.", 0.45),
       ("Vers 8h45, la police confirme les premiers heurts.", 0.2)]


def test_a_day_asked_hour_by_hour_lists_its_times_in_order_from_the_first_to_the_last():
    events = by_hours(_sents(DAY), "2018-12-01", 5)
    hours = [e.hour for e in events]
    assert hours == sorted(hours) and len(hours) == 5
    assert hours[0] == "07:00" and hours[-1] == "22:00"  # the whole day, spread over it
    assert all(e.date == dt.date(2018, 12, 1) for e in events)
    # one sentence per time: the better-scored of the two saying 8h45
    at_845 = [e.sent.text for e in by_hours(_sents(DAY), "2018-12-01", 9) if e.hour == "08:45"]
    assert at_845 == ["Dès 8h45, des manifestants tentent de passer sans être fouillés."]


def test_a_day_whose_reports_give_few_times_keeps_the_usual_timeline():
    few = [DAY[0], DAY[1], DAY[2], ("La préfecture a publié un bilan.", 0.8)]
    assert by_hours(_sents(few), "2018-12-01", 5) == []


def test_a_time_in_a_sentence_far_from_the_question_is_no_moment_of_the_day():
    sents = _sents(DAY[:5] + [("Vers 23h00, un concert a lieu à Lyon.", 0.05)])
    assert "23:00" not in [e.hour for e in by_hours(sents, "2018-12-01", 9)]


def test_a_moment_of_the_day_shows_its_time_in_the_questions_language():
    d = dt.date(2018, 12, 1)
    assert event_when(d, "day", False, "08:45") == "1er décembre 2018, 8 h 45"
    assert event_when(d, "day", True, "18:30").endswith(", 18:30")
    assert event_when(d, "day", False) == "1er décembre 2018"


def test_a_race_time_is_no_time_of_day():
    from rag.shaped.hours import clock_time

    assert clock_time("Eliud Kipchoge l'emporte en 2 h 03 min 59 s.") is None
    assert clock_time("Il boucle le parcours en 8h45.") is None
    assert clock_time("Vers 13h00, les gendarmes quittent l'Arc de Triomphe.") == "13:00"
    assert clock_time("Le départ a été donné à 9 h 30, l'arrivée en 2 h 10 min.") == "09:30"
    assert clock_time("At 14:30 the police arrived.") == "14:30"
