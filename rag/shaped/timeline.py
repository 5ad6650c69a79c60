"""Timelines: cited events ordered by their resolved date, oldest first, across articles.

The date of an event is a date written in its sentence ("le 3 septembre 2025", "mardi" resolved
against the article's date, "en mars 2017"), else the article's date. One event per article and
date; repeated events (wire versions) are dropped. Pure.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Sequence

from index.french import fold, tokenize
from rag.shaped.corpus import Sent, is_debris
from rag.span_rules import _FULL_DATE, _MONTH_NUM, _MONTH_YEAR, _REL_DAY, _WEEKDAY, resolve_day


DATED = 1.3


@dataclass(frozen=True)
class Event:
    sent: Sent
    date: dt.date | None
    precise: bool  # the day is known (not only the month, not only the article's date)


def sentence_date(text: str, article_date: str | None) -> tuple[dt.date | None, bool]:
    """(date, day known) written in a sentence, else the article's date (day known = False)."""
    base = None
    if article_date:
        try:
            base = dt.date.fromisoformat(article_date)
        except ValueError:
            base = None
    m = _FULL_DATE.search(text)
    if m:
        day = 1 if m.group(1) == "1er" else int(m.group(1))
        month = _MONTH_NUM.get(fold(m.group(2).lower()))
        year = int(m.group(3)) if m.group(3) else (base.year if base else None)
        if month and year:
            try:
                d = dt.date(year, month, day)
                if not m.group(3) and base and d > base + dt.timedelta(days=31):
                    d = d.replace(year=year - 1)  # "le 3 décembre" in a January dispatch
                return d, True
            except ValueError:
                pass
    m = _REL_DAY.search(text) or _WEEKDAY.search(text)
    if m and base:
        d = resolve_day(m.group(0), article_date)
        if d:
            return d, True
    m = _MONTH_YEAR.search(text)
    if m:
        month = _MONTH_NUM.get(fold(m.group(1).lower()))
        if month:
            return dt.date(int(m.group(2)), month, 1), False
    return base, False


def _same_event(a: set[str], b: set[str]) -> bool:
    return len(a & b) / max(1, min(len(a), len(b))) > 0.6


def timeline(sentences: Sequence[Sent], dates: dict[str, str | None], most: int = 5,
             floor: float = 0.45) -> list[Event]:
    """The best-scored stating sentences (score >= ``floor`` x the best), one per article and date,
    ordered oldest first (``dates``: article id -> its date)."""
    pool = [s for s in sentences if not is_debris(s.text)]
    if not pool:
        return []
    # an event with its date written in the sentence is what a timeline is made of
    pool = [replace(s, score=s.score * (DATED if has_date(s.text) or _REL_DAY.search(s.text) or _WEEKDAY.search(s.text)
                                        else 1.0)) for s in pool]
    top = max(s.score for s in pool)
    chosen: list[Event] = []
    seen: set[tuple[str, dt.date | None]] = set()
    said: list[set[str]] = []
    for s in sorted(pool, key=lambda s: -s.score):
        if s.score < floor * top:
            break
        d, precise = sentence_date(s.text, dates.get(s.article_id))
        key = (s.article_id, d)
        st = set(tokenize(s.text))
        if key in seen or any(_same_event(st, o) for o in said):
            continue
        seen.add(key)
        said.append(st)
        chosen.append(Event(s, d, precise))
        if len(chosen) >= most:
            break
    return sorted(chosen, key=lambda e: (e.date or dt.date.max, e.sent.article_id, e.sent.start))


def has_date(text: str) -> bool:
    return bool(_FULL_DATE.search(text) or _MONTH_YEAR.search(text) or re.search(r"\b(19|20)\d\d\b", text))


_SINCE = re.compile(r"\b(?:depuis|since|after|apres)\b(.*)$", re.IGNORECASE)


def since(question: str, events: Sequence[Event], english: bool = False) -> list[Event]:
    """"Que s'est-il passé depuis le référendum ?": the events from the one the question names on
    (the event sharing most of the words after "depuis"/"since" gives the starting date)."""
    m = _SINCE.search(question)
    if not m:
        return list(events)
    words = m.group(1)
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
