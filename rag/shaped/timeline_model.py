"""The trained chooser of a timeline's events.

A timeline answers "Retrace la chronologie de …" with dated, cited events, oldest first. The hand
scoring (rag/shaped/timeline.timeline) takes each article of the story's best sentence first, then
the best-scored others, one event per article and date: when one dispatch tells the whole story
(a race, a day of protests, a decree blocked twice), the other articles' sentences pushed its moments
out. This chooser is a listwise softmax over a few signals of each candidate sentence
(:func:`features`: the evidence score and its rank; whether the evidence ranker scored it; its
article's rank and whether it is the top one; its place in the article; the kind of date it writes
(a day, a month, a year, a weekday or "hier", a time of day, none) and whether that date differs from
the article's; whether it falls in the period the question names; the share of the question's words
it holds; a connective of sequence; its length). The chosen events are still ordered by their
resolved dates, and wire repeats are still dropped (rag/shaped/timeline.events_for).

Weights: ``models/timeline/timeline-chooser.json``, trained by ``train/timeline_train.py`` on the fit
timeline gold questions (model card beside it). Pure numpy.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "timeline"
NAMES = ("score", "score_rank", "scored", "lead", "article_rank", "first", "position", "day", "month", "year",
         "weekday", "hour", "undated", "other_day", "in_period", "out_period", "words", "sequence", "log_length",
         "later_article", "earlier_article", "span_other")
# a question asking for what happened over a span ("depuis …", "jusqu'à …", "from … to …", "entre … et …")
_SPAN = re.compile(r"\b(?:depuis|jusqu|since|until|up to|from\b[^?]*\bto|entre\b[^?]*\bet|between\b[^?]*\band)\b",
                   re.IGNORECASE)
# a sentence that moves the story on ("Puis", "Ensuite", "Le lendemain", "Finally")
_SEQUENCE = re.compile(r"^\W*(?:puis|ensuite|enfin|finalement|apr[eè]s|plus tard|le lendemain|la veille|"
                       r"depuis|d[eè]s|alors|then|later|after|finally|since|the next day)\b", re.IGNORECASE)


def features(question: str, english: bool, sents: Sequence, dates: dict[str, str | None],
             scored: frozenset = frozenset()) -> np.ndarray:
    """One row of :data:`NAMES` signals per candidate sentence (rag Sent); ``dates``: article id ->
    its date; ``scored``: the (article, start) of the sentences the evidence ranker scored."""
    import datetime as dt

    from index.french import tokenize
    from rag.dates import timeline_window
    from rag.glossary import with_french
    from rag.shaped.event_dates import _FULL_DATE, _IN_YEAR, _MONTH_YEAR, _REL_DAY, _WEEKDAY, has_date, sentence_date
    from rag.shaped.timeline import time_of_day, within

    n = len(sents)
    out = np.zeros((n, len(NAMES)), np.float32)
    if not n:
        return out
    scores = [s.score for s in sents]
    top = max(scores) or 1.0
    by_score = {i: r for r, i in enumerate(sorted(range(n), key=lambda i: -scores[i]))}
    best: dict[str, float] = {}
    for s in sents:
        best[s.article_id] = max(best.get(s.article_id, 0.0), s.score)
    art_rank = {a: r for r, a in enumerate(sorted(best, key=lambda a: -best[a]))}
    lead = sents[max(range(n), key=lambda i: scores[i])].article_id
    first_index: dict[str, int] = {}
    for s in sents:
        first_index[s.article_id] = min(first_index.get(s.article_id, s.index), s.index)
    window = timeline_window(question)
    words = set(tokenize(with_french(question, english)))
    span = bool(_SPAN.search(question))

    def day_of(aid: str):
        try:
            return dt.date.fromisoformat(dates.get(aid) or "")
        except ValueError:
            return None

    days = {aid: day_of(aid) for aid in best}  # each article's date, read once
    lead_day = days[lead]
    for i, s in enumerate(sents):
        t = s.text
        art_date = dates.get(s.article_id)
        d, precise = sentence_date(t, art_date)
        own_day = days[s.article_id]
        day = bool(precise or _FULL_DATE.search(t))
        month = not day and bool(_MONTH_YEAR.search(t))
        year = not day and not month and bool(_IN_YEAR.search(t) or re.search(r"\b(?:19|20)\d\d\b", t))
        weekday = bool(_REL_DAY.search(t) or _WEEKDAY.search(t))
        hour = bool(time_of_day(t))
        stems = set(tokenize(t))
        inside = within(t, art_date, window, (d, precise)) if window else None
        row = {
            "score": s.score / top,
            "score_rank": 1.0 / (1 + by_score[i]),
            "scored": float((s.article_id, s.start) in scored),
            "lead": float(s.article_id == lead),
            "article_rank": 1.0 / (1 + art_rank[s.article_id]),
            "first": float(s.index == first_index[s.article_id]),
            "position": 1.0 / (1 + max(0, s.index - first_index[s.article_id])),
            "day": float(day), "month": float(month), "year": float(year),
            "weekday": float(weekday), "hour": float(hour),
            "undated": float(not (has_date(t) or weekday or hour)),
            "other_day": float(d is not None and own_day is not None and abs((d - own_day).days) > 2),
            "in_period": float(inside is True),
            "out_period": float(inside is False),
            "words": len(words & stems) / (len(words) or 1),
            "sequence": float(bool(_SEQUENCE.search(t))),
            "log_length": math.log(1 + len(t)) / 6.0,
            "later_article": float(bool(own_day and lead_day and (own_day - lead_day).days > 2)),
            "earlier_article": float(bool(own_day and lead_day and (lead_day - own_day).days > 2)),
            "span_other": float(span and s.article_id != lead),
        }
        out[i] = [row[k] for k in NAMES]
    return out


class TimelineChooser:
    def __init__(self, w: np.ndarray, meta: dict):
        self.w, self.meta = np.asarray(w, np.float32), meta

    def scores(self, question: str, english: bool, sents: Sequence, dates: dict[str, str | None],
               scored: frozenset = frozenset()) -> np.ndarray:
        return features(question, english, sents, dates, scored) @ self.w

    def rescored(self, question: str, english: bool, sents: Sequence, dates: dict[str, str | None],
                 scored: frozenset = frozenset()) -> list:
        """``sents`` with the chooser's score in place of the evidence's (exp(z - max z), in (0, 1])."""
        from dataclasses import replace

        z = self.scores(question, english, sents, dates, scored)
        z = np.exp(z - z.max())
        return [replace(s, score=float(v)) for s, v in zip(sents, z)]


@lru_cache(maxsize=2)
def load(folder: str = str(MODEL_DIR)) -> TimelineChooser | None:
    """The shipped chooser, or None when its file is absent (the hand scoring then chooses)."""
    from rag.shaped.linear import read_weights

    got = read_weights(Path(folder) / "timeline-chooser.json", len(NAMES), "timeline chooser", "models/timeline",
                       "train-timeline", "DEPECHE_TIMELINE_MODEL")
    return TimelineChooser(*got) if got else None


def for_engine(engine) -> TimelineChooser | None:
    """The shipped chooser unless the engine's settings switch it off (``timeline_model``); None: the hand scoring."""
    on = getattr(getattr(engine, "settings", None), "timeline_model", True)
    return load() if on else None
