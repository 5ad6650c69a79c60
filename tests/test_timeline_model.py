"""rag/shaped/timeline_model.py, rag/shaped/timeline.events_for and train/timeline_train.py: the trained
chooser of a timeline's events, and the dates a sentence writes."""
from __future__ import annotations

import datetime as dt
import json
import re

import numpy as np
import pytest

from depeche.errors import DepecheError
from rag.shaped import timeline_model
from rag.shaped.corpus import Sent
from rag.shaped.timeline import events_for, grain_of, sentence_date
from rag.shaped.timeline_model import NAMES, TimelineChooser, features

Q = "Retrace la chronologie du décret anti-immigration"
LEAD = Sent("a", 0, 80, "Le nouveau décret a été bloqué aujourd'hui par un juge fédéral de Hawaï.", 1.0, 0)
SIGNED = Sent("a", 81, 140, "Cette nouvelle mouture avait été signée le 6 mars.", 0.5, 3)
FIRST = Sent("a", 141, 220, "Le premier décret avait été suspendu le 3 février par un juge fédéral.", 0.5, 5)
OTHER = Sent("b", 0, 90, "Des manifestations contre le décret ont eu lieu dans plusieurs aéroports.", 0.9, 0)
DATES = {"a": "2017-03-15", "b": "2017-01-29"}


def _weighing(**weights: float) -> TimelineChooser:
    w = np.zeros(len(NAMES), np.float32)
    for name, v in weights.items():
        w[NAMES.index(name)] = v
    return TimelineChooser(w, {})


def test_signals_see_the_top_article_the_written_day_and_the_ranked_sentences():
    x = features(Q, False, [LEAD, SIGNED, FIRST, OTHER], DATES, frozenset({("a", 0), ("b", 0)}))
    col = {n: x[:, NAMES.index(n)].tolist() for n in NAMES}
    assert col["lead"] == [1.0, 1.0, 1.0, 0.0] and col["scored"] == [1.0, 0.0, 0.0, 1.0]
    assert col["day"][1:3] == [1.0, 1.0] and col["undated"][3] == 1.0
    assert col["other_day"][2] == 1.0 and col["other_day"][0] == 0.0  # 3 February, told on 15 March
    assert col["first"][0] == 1.0 and col["words"][0] > 0


def test_the_chooser_picks_the_moments_of_one_dispatch_and_orders_them_by_date():
    pool = [LEAD, OTHER, SIGNED, FIRST]
    hand = events_for(Q, pool, DATES, False, 3, None)
    chosen = events_for(Q, pool, DATES, False, 3, _weighing(lead=2.0, day=1.0, other_day=1.0))
    assert [e.sent for e in chosen] == [FIRST, SIGNED, LEAD]  # 3 February, 6 March, 15 March
    assert OTHER in [e.sent for e in hand]  # the hand scoring takes each article's best first


def test_the_shipped_chooser_loads_with_its_names_and_validation():
    model = timeline_model.load()
    assert model is not None and model.meta["names"] == list(NAMES)
    folds = model.meta["validation"]["fit questions, folds by article (hand, chooser) by L2"]
    assert str(model.meta["l2"]) in folds


def test_a_damaged_chooser_stops_with_one_line_saying_how_to_mend_it(tmp_path):
    (tmp_path / "timeline-chooser.json").write_text(json.dumps({"weights": [1.0, 2.0]}))
    with pytest.raises(DepecheError) as err:
        timeline_model.load(str(tmp_path))
    assert "\n" not in str(err.value) and "git checkout -- models/timeline" in str(err.value)


def test_without_its_file_the_hand_scoring_chooses(tmp_path):
    assert timeline_model.load(str(tmp_path)) is None


@pytest.mark.parametrize("text, article, day, grain", [
    ("Elle était connue pour ses rôles dans la saga, entre 1977 et 1983.", "2016-12-27", dt.date(1977, 1, 1), "year"),
    ("Microsoft a publié une mise à jour de sécurité en mars.", "2017-05-13", dt.date(2017, 3, 1), "month"),
    ("Chassé de la capitale à l'été 2011, le groupe a fui.", "2017-01-25", dt.date(2011, 1, 1), "year"),
    ("Le résultat est en baisse par rapport à l'année 2015.", "2016-07-08", dt.date(2015, 1, 1), "year"),
    ("Le sommet aura lieu en mai.", "2017-03-01", dt.date(2017, 5, 1), "month"),
    ("Le budget de 2015 est voté.", "2017-01-01", dt.date(2017, 1, 1), "day"),  # a year naming a thing: the article's day
])
def test_a_sentence_dates_its_event_by_a_span_a_season_or_a_month_without_its_year(text, article, day, grain):
    d, precise = sentence_date(text, article)
    assert d == day and grain_of(text, precise) == grain


@pytest.mark.parametrize("text, article, day, grain", [
    # counted back from the article's day
    ("La flamme a commencé son voyage à Alta il y a un mois.", "2016-02-12", dt.date(2016, 1, 12), "month"),
    ("L'accord a été rejeté par référendum en début de semaine.", "2016-10-07", dt.date(2016, 10, 3), "day"),
    ("The strike began two weeks ago.", "2016-10-07", dt.date(2016, 9, 23), "day"),
    ("Il y a deux jours fériés en mai.", "2016-10-07", dt.date(2016, 5, 1), "month"),  # "there are", not "ago"
    # a pluperfect relative clause tells the background, not the sentence's event
    ("L'Assemblée a voté l'abolition de la limite des mandats, qui avait été établie en 1982.", "2018-03-11",
     dt.date(2018, 3, 11), "day"),
    ("Trump, qui avait été investi le 20 janvier, a signé mardi le décret.", "2018-03-14", dt.date(2018, 3, 13), "day"),
    ("Le séisme qui a frappé le pays le 3 mars a fait dix morts.", "2018-03-11", dt.date(2018, 3, 3), "day"),
])
def test_a_sentence_dates_its_own_event_not_the_background_or_a_day_counted_back(text, article, day, grain):
    d, precise = sentence_date(text, article)
    assert d == day and grain_of(text, precise) == grain


def test_the_training_data_reads_no_held_out_file():
    from train import timeline_data

    assert not any("heldout" in name for name in timeline_data.FILES)
    groups = {q["group"] for q in timeline_data.gold_questions()}
    assert "shapes-sumtime-fit" in groups and not any("heldout" in g for g in groups)
    assert timeline_data.REPORTED == ("shapes-sumtime-dev", "shapes-timeline-across-dev")


def test_the_listwise_fit_learns_which_signal_marks_the_events():
    from train.timeline_train import train

    rng = np.random.default_rng(2)
    rows, xs = [], []
    for _ in range(40):
        x = rng.random((8, len(NAMES))).astype(np.float32)
        gold = [False] * 8
        gold[int(np.argmax(x[:, NAMES.index("day")]))] = True
        rows.append({"gold": gold})
        xs.append(x)
    w = train(rows, xs, l2=1e-4)
    assert int(np.argmax(w)) == NAMES.index("day")


def test_an_english_timeline_over_the_seed_cites_dated_events_oldest_first(corpus_engine):
    a = corpus_engine.ask("Walk me through Kim Jong Un's visit to Beijing")
    assert a.shape == "timeline" and not a.abstained, a.text
    whens = re.findall(r"^• (\d{1,2} [A-Z][a-z]+ \d{4}) — ", a.text, re.MULTILINE)
    days = [dt.datetime.strptime(w, "%d %B %Y").date() for w in whens]
    assert len(days) >= 2 and days == sorted(days), a.text
    assert len(re.findall(r"\[\d+\]", a.text)) == len(a.citations) <= 5
