"""Timelines: cited events ordered by their resolved date, oldest first, across articles.

The date of an event is a date written in its sentence ("le 3 septembre 2025", "mardi" resolved
against the article's date, "en mars 2017"), else the article's date (rag/shaped/event_dates.py). One
event per article and date; repeated events (wire versions) are dropped. Pure.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Sequence

from index.french import tokenize
from rag.shaped.corpus import Sent, is_debris, is_fragment
from rag.shaped.event_dates import _REL_DAY, _WEEKDAY, grain_of, has_date, sentence_date


DATED = 1.3
ARTICLE_FLOOR = 0.2  # an article of the story contributes its best sentence if it scores this share of the top
MIN_EVENTS = 3  # a timeline of fewer events is topped up from outside the period the question names
# sentences of the top article dated only by the article ("Il part à grande vitesse sur le circuit
# vélo…"): a story told in one dispatch unfolds in its reading order, so up to this many of them are
# events of their own (other articles give one event a date)
LEAD_UNDATED = 3


@dataclass(frozen=True)
class Event:
    sent: Sent
    date: dt.date | None
    precise: bool  # the day is known (not only the month, not only the article's date)
    grain: str = "day"  # what the date says: "day", "month" ("en novembre 1969") or "year" ("en 1981")
    rank: int = 0  # order of choice (0 = the best): what a shorter timeline keeps
    extra: bool = False  # a further moment of the top dispatch, told without a date of its own
    hour: str | None = None  # "08:45": the time of day a one-day timeline shows (rag/shaped/hours.py)


def _share(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


SAME_DATE_SHARE = 0.3


def _same_event(a: set[str], b: set[str]) -> bool:
    return _share(a, b) > 0.6


def timeline(sentences: Sequence[Sent], dates: dict[str, str | None], most: int = 5,
             floor: float = 0.45, by_score: bool = False) -> list[Event]:
    """Events ordered oldest first (``dates``: article id -> its date): first each article's best
    sentence that is not a repeat (if it scores ``ARTICLE_FLOOR`` x the best), then the best-scored
    others (>= ``floor`` x the best); one per article and date, wire repeats dropped.

    ``by_score``: the scores are the trained chooser's (rag/shaped/timeline_model.py), which already
    weighs dates, articles and positions: the best-scored first, every sentence of any article a
    moment of its own (only wire repeats dropped), until ``most``."""
    pool = [s for s in sentences if not is_debris(s.text) and not is_fragment(s.text)]
    if not pool:
        return []
    lead = max(pool, key=lambda s: s.score).article_id  # the dispatch the question is closest to
    # an event with its date written in the sentence is what a timeline is made of
    if not by_score:
        pool = [replace(s, score=s.score * (DATED if has_date(s.text) or _REL_DAY.search(s.text)
                                            or _WEEKDAY.search(s.text) or time_of_day(s.text) else 1.0)) for s in pool]
    top = max(s.score for s in pool)
    # a timeline runs across the articles of the story: each one's best new event comes first (a
    # story told over several dispatches is not the top one's alone), then the others by score
    ordered = sorted(pool, key=lambda s: -s.score)
    by_article: dict[str, list[Sent]] = {}
    for s in ordered:
        by_article.setdefault(s.article_id, []).append(s)
    chosen: list[Event] = []
    seen: set[tuple[str, dt.date | None, str | None]] = set()
    said: list[tuple[set[str], tuple[dt.date, str | None] | None]] = []
    taken: set[tuple[str, int]] = set()
    more: list[int] = []  # the top article's undated sentences taken beyond its first

    def take(s: Sent) -> bool:
        d, precise = sentence_date(s.text, dates.get(s.article_id))
        hour = time_of_day(s.text)
        key: tuple = (s.article_id, d, hour)  # "à 11h", "à 9h43": two moments of one day
        extra = key in seen and s.article_id == lead and not precise and not hour and not has_date(s.text) \
            and len(more) < LEAD_UNDATED - 1 and not by_score
        if extra or by_score:
            key = (*key, s.start)  # another moment of the story the top dispatch tells
        st = set(tokenize(s.text))
        written = (d, hour) if d is not None and (precise or has_date(s.text)) else None
        # another wire version: most words in common, or the same written date and a good share of them
        if key in seen or any(_same_event(st, o) or (written and w == written and _share(st, o) > SAME_DATE_SHARE)
                              for o, w in said):
            return False
        seen.add(key)
        if extra:
            more.append(s.start)
        said.append((st, written))
        taken.add((s.article_id, s.start))
        # the top dispatch's further moments only fill a timeline the other events leave short
        chosen.append(Event(s, d, precise, grain_of(s.text, precise), len(chosen) + (most if extra else 0), extra=extra))
        return True

    for sents in by_article.values() if not by_score else ():
        for s in sents:
            if len(chosen) - len(more) >= most or s.score < ARTICLE_FLOOR * top or take(s):
                break
    for s in ordered:
        if len(chosen) - len(more) >= most or (s.score < floor * top and not by_score):
            break
        if (s.article_id, s.start) not in taken:
            take(s)
    return by_date(chosen)


_TIME_OF_DAY = re.compile(r"\b([01]?\d|2[0-3])\s?h\s?([0-5]\d)?\b|\b([01]?\d|2[0-3]):([0-5]\d)\b")


def time_of_day(text: str) -> str | None:
    """The first time of day written in ``text`` ("à 9h43", "vers 10h", "at 14:30"), as "HH:MM" (pure)."""
    m = _TIME_OF_DAY.search(text)
    return hhmm(m) if m else None


def hhmm(m: re.Match) -> str:
    """A match of ``_TIME_OF_DAY`` as "HH:MM"."""
    h, mi = (m.group(1), m.group(2)) if m.group(1) is not None else (m.group(3), m.group(4))
    return f"{int(h):02d}:{mi or '00'}"


ARTICLE_LAG = 2  # a dispatch is dated up to two days after the events it tells without a date


def within(text: str, article_date: str | None, window: tuple[str | None, str | None],
           dated: tuple[dt.date | None, bool] | None = None) -> bool:
    """Whether the event a sentence tells falls in ``window`` (since, until; ISO, either open): its
    written day, month or year overlaps it; a sentence with no date of its own happened at most
    ``ARTICLE_LAG`` days before its article's date (pure). ``dated``: :func:`sentence_date` of it,
    when already read."""
    d, precise = dated or sentence_date(text, article_date)
    if d is None:
        return True
    grain = grain_of(text, precise)
    if grain == "year":
        first, last = d, dt.date(d.year, 12, 31)
    elif grain == "month":
        nxt = dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)
        first, last = d, nxt - dt.timedelta(days=1)
    elif precise or has_date(text):
        first = last = d
    else:
        first, last = d - dt.timedelta(days=ARTICLE_LAG), d
    lo, hi = window
    return (lo is None or last >= dt.date.fromisoformat(lo)) and (hi is None or first <= dt.date.fromisoformat(hi))


def by_date(events: Sequence[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (e.date or dt.date.max, e.hour or "", e.sent.article_id, e.sent.start))


def events_for(question: str, pool: Sequence[Sent], dates: dict[str, str | None], english: bool, most: int,
               model=None, scored: frozenset = frozenset()) -> list[Event]:
    """The ``most`` events of a timeline, oldest first: those of the period the question names first
    (others only to reach ``MIN_EVENTS``), from the one the question starts at ("depuis …"). ``model``:
    the trained chooser (rag/shaped/timeline_model.py) rescoring ``pool`` (``scored``: the (article,
    start) of the sentences the evidence ranker scored); None: the hand scoring."""
    from rag.dates import timeline_window

    given = {(s.article_id, s.start): s for s in pool}
    if model is not None and pool:
        pool = model.rescored(question, english, pool, dates, scored)
    by_score = model is not None
    window = timeline_window(question)
    in_window = [s for s in pool if within(s.text, dates.get(s.article_id), window)] if window else []
    if window and window[0] and window[0] == window[1]:  # one day: hour by hour, when the reports say the hours
        from rag.shaped.hours import by_hours

        day = by_hours(in_window, window[0], most)
        if day:
            return [replace(e, sent=given[(e.sent.article_id, e.sent.start)]) for e in day]
    # the period the question names: its events first, others only to reach three
    inside = timeline(in_window, dates, most=8, by_score=by_score) if window else []
    if sum(not e.extra for e in inside) >= MIN_EVENTS:
        events = inside
    else:
        got = {(e.sent.article_id, e.sent.start) for e in inside}
        rest = sorted((e for e in timeline(pool, dates, most=8, by_score=by_score)
                       if (e.sent.article_id, e.sent.start) not in got), key=lambda e: e.rank)
        events = [*inside, *(replace(e, rank=len(inside) + i) for i, e in enumerate(rest))]
    # each event keeps its sentence's evidence score (what its citation shows), not the chooser's
    return [replace(e, sent=given[(e.sent.article_id, e.sent.start)]) for e in best_of(since(question, events, english), most)]


def best_of(events: Sequence[Event], most: int) -> list[Event]:
    """The ``most`` events chosen first, oldest first."""
    return by_date(sorted(events, key=lambda e: e.rank)[:most])


_SINCE = re.compile(r"\b(?:depuis|since|after|apres)\b(.*)$", re.IGNORECASE)


def since(question: str, events: Sequence[Event], english: bool = False) -> list[Event]:
    """"Que s'est-il passé depuis le référendum ?": the events from the one the question names on
    (the event sharing most of the words after "depuis"/"since" gives the starting date)."""
    m = _SINCE.search(question)
    if not m:
        return list(events)
    # "depuis son lancement jusqu'à sa mise en veille": the start is what comes before the end
    words = re.split(r"\b(?:jusqu['’]|until|till|up to)", m.group(1), maxsplit=1, flags=re.IGNORECASE)[0]
    if english:
        from rag.glossary import to_french

        words = f"{words} {to_french(words)}"
    anchor = set(tokenize(words))
    anchor = {t for t in anchor if not t.isdigit()}
    if not anchor:
        return list(events)
    best = max(events, key=lambda e: len(anchor & set(tokenize(e.sent.text))), default=None)
    if best is None or not best.date or not anchor & set(tokenize(best.sent.text)):
        return list(events)
    return [e for e in events if e.date is None or e.date >= best.date]
