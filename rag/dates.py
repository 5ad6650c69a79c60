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


def period_in(question: str) -> tuple[str, str] | None:
    q = question
    m = _ISO.search(q)
    if m:
        try:
            d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return d.isoformat(), d.isoformat()
        except ValueError:
            pass
    m = _DAY_MONTH_YEAR.search(q)
    if m:
        try:
            d = dt.date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
            return d.isoformat(), d.isoformat()
        except ValueError:
            pass
    m = _MONTH_DAY_YEAR.search(q)
    if m:
        try:
            d = dt.date(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
            return d.isoformat(), d.isoformat()
        except ValueError:
            pass
    m = _MONTH_YEAR.search(q)
    if m:
        return _month_range(int(m.group(2)), MONTHS[m.group(1).lower()])
    m = _YEAR.search(q)
    if m:
        y = int(m.group(1))
        return f"{y}-01-01", f"{y}-12-31"
    return None


def widen(period: tuple[str, str], days: int) -> tuple[str, str]:
    """An article about an event is often dated a few days after it: widen the window."""
    s = dt.date.fromisoformat(period[0]) - dt.timedelta(days=days)
    e = dt.date.fromisoformat(period[1]) + dt.timedelta(days=days)
    return s.isoformat(), e.isoformat()


def date_int(iso: str | None) -> int:
    return int(iso.replace("-", "")) if iso else 0
