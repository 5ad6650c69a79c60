"""Periods named in questions ("en mars 2017", "en 2016", "in 2018", "le 3 septembre 2025").

Pure functions returning inclusive (since, until) ISO dates, or None when no period is named.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re

from rag.words import MONTH_NUMBER

MONTHS = MONTH_NUMBER
_M = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:er)?\s+({_M})\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"\b({_M})\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"\b({_M})\s+(\d{{4}})\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:en|in|durant|pendant|during|depuis|since|année|year)\s+(19\d{2}|20\d{2})\b", re.IGNORECASE)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _month_range(year: int, month: int) -> tuple[str, str]:
    last = calendar.monthrange(year, month)[1]
    return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"


def _range_of(rx: re.Pattern, m: re.Match) -> tuple[str, str]:
    """(since, until) of a date matched by one of the patterns above; ValueError for no such day."""
    if rx is _ISO:
        d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    elif rx is _DAY_MONTH_YEAR:
        d = dt.date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    elif rx is _MONTH_DAY_YEAR:
        d = dt.date(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
    elif rx is _MONTH_YEAR:
        return _month_range(int(m.group(2)), MONTHS[m.group(1).lower()])
    else:  # a year
        return f"{m.group(1)}-01-01", f"{m.group(1)}-12-31"
    return d.isoformat(), d.isoformat()


def period_in(question: str) -> tuple[str, str] | None:
    for rx in (_ISO, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _MONTH_YEAR, _YEAR):
        m = rx.search(question)
        if m:
            try:
                return _range_of(rx, m)
            except ValueError:
                pass
    return None


def widen(period: tuple[str, str], days: int, after: int | None = None) -> tuple[str, str]:
    """An article about an event is often dated a few days after it: widen the window by ``days``
    before and ``after`` days after (``days`` when not given)."""
    s = dt.date.fromisoformat(period[0]) - dt.timedelta(days=days)
    e = dt.date.fromisoformat(period[1]) + dt.timedelta(days=days if after is None else after)
    return s.isoformat(), e.isoformat()


def date_int(iso: str | None) -> int:
    return int(iso.replace("-", "")) if iso else 0


# ---- the span of time a timeline question asks about -----------------------------------------------
_BARE_YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
_UNTIL = re.compile(r"\b(?:jusqu['’](?:à|au|aux|en)|until|till|up to|through)\b", re.IGNORECASE)
_FROM = re.compile(r"\b(?:depuis|since|from|à partir d[eu']|after|après)\b", re.IGNORECASE)


def periods_named(question: str) -> list[tuple[int, int, str, str, str]]:
    """Every period a question names, in order: (start, end, since, until, grain) with grain
    "day", "month" or "year" (a bare "2016" counts as a year here)."""
    found: list[tuple[int, int, str, str, str]] = []

    def free(a: int, b: int) -> bool:
        return not any(a < e and s < b for s, e, *_ in found)

    for rx, grain in ((_ISO, "day"), (_DAY_MONTH_YEAR, "day"), (_MONTH_DAY_YEAR, "day"), (_MONTH_YEAR, "month"),
                      (_BARE_YEAR, "year")):
        for m in rx.finditer(question):
            if not free(m.start(), m.end()):
                continue
            try:
                lo, hi = _range_of(rx, m)
            except (ValueError, KeyError):
                continue
            found.append((m.start(), m.end(), lo, hi, grain))
    return sorted(found)


def timeline_window(question: str) -> tuple[str | None, str | None] | None:
    """(since, until) of the events a timeline question asks for, either end open (None), or None.

    Two periods bound a range ("from the 2016 leak to the cuts of June 2018"); one period is an end
    when the words before it say so ("jusqu'à l'annonce de mars 2017", "depuis 2014"); a single day
    ("le 26 juillet 2016") is the day told hour by hour. A single month or year with no such word
    says when the story ends, not where it starts ("les étapes qui ont conduit à l'accueil des troupes
    en janvier 2017" begins in 2014): no window (pure)."""
    named = periods_named(question)
    if not named:
        return None
    if len(named) >= 2:
        return named[0][2], named[-1][3]
    start, _, lo, hi, grain = named[0]
    before = question[:start]
    u, f = list(_UNTIL.finditer(before)), list(_FROM.finditer(before))
    last_u, last_f = (u[-1].start() if u else -1), (f[-1].start() if f else -1)
    if last_u > last_f:
        return None, hi
    if last_f >= 0:
        return lo, None
    return (lo, hi) if grain == "day" else None
