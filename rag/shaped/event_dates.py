"""The date of the event a sentence tells: a date written in it ("le 3 septembre 2025", "mardi" resolved
against the article's date, "en mars 2017", "il y a un mois"), else the article's date; a date in a
pluperfect relative clause tells the background, not the event. Pure; used by rag/shaped/timeline.py.
"""
from __future__ import annotations

import datetime as dt
import re

from index.french import fold
from rag.span_rules import _FULL_DATE, _MONTH_NUM, _MONTH_RE, _MONTH_YEAR, _REL_DAY, _WEEKDAY, resolve_day


def sentence_date(text: str, article_date: str | None) -> tuple[dt.date | None, bool]:
    """(date, day known) written in a sentence, else the article's date (day known = False).

    A day and month without a year take the year written just after them ("du 28 juillet au
    25 septembre 1973"), else the year that puts them nearest the article's date, on its far side
    only when the verb says so: "le 3 décembre" in a January dispatch is last December, "le
    15 mai" in a March one is this May, "aura lieu le 20 janvier" in a November one is next January.
    "En 1981" alone gives that year (day unknown)."""
    base = None
    if article_date:
        try:
            base = dt.date.fromisoformat(article_date)
        except ValueError:
            base = None
    text = _ONE_ER.sub("1er ", text)  # "le 1 er octobre" as the wire sometimes writes it
    m = _first(_FULL_DATE, text)
    if m:
        day = 1 if m.group(1) == "1er" else int(m.group(1))
        month = _MONTH_NUM.get(fold(m.group(2).lower()))
        year = int(m.group(3)) if m.group(3) else _year_after(text, m.end())
        d = None
        if month and year:
            d = _date(year, month, day)
        elif month and base:
            d = _nearest(base, month, day, _tense(text))
        if d:
            return d, True
    m = _first(_REL_DAY, text) or _first(_WEEKDAY, text)
    if m and base:
        d = resolve_day(m.group(0), article_date, future=_tense(text) == "future")
        if d:
            return d, True
    m = _first(_MONTH_YEAR, text)
    if m:
        month = _MONTH_NUM.get(fold(m.group(1).lower()))
        if month:
            return dt.date(int(m.group(2)), month, 1), False
    m = _first(_IN_MONTH, text)
    if m and base:
        month = _MONTH_NUM.get(fold(m.group(1).lower()))
        d = _nearest(base, month, 1, _tense(text)) if month else None
        if d:
            return d, False
    m = _first(_IN_YEAR, text)
    if m:
        return dt.date(int(m.group(1)), 1, 1), False
    if base:
        got = relative_period(text, base)
        if got:
            return got[0], False
    return base, False


# a relative clause in the pluperfect tells the background of the sentence's event, not the event:
# "l'abolition de la limite des mandats, qui avait été établie en 1982", "l'équipe contre laquelle elles
# avaient perdu la finale en 2013", "Trump, who had been sworn in on 20 January, signed…"
_RELATIVE = re.compile(r"\b(?:qui|que|qu['’]|dont|lequel|laquelle|lesquel(?:le)?s|auquel|auxquel(?:le)?s|où|which|who)\s")
_PLUPERFECT = re.compile(r"\b(?:avait|avaient|était|étaient|had)\b", re.IGNORECASE)


def in_background(text: str, at: int) -> bool:
    """The date at ``at`` lies in a relative clause in the pluperfect (pure)."""
    rel = [m.end() for m in _RELATIVE.finditer(text, 0, at)]
    if not rel:
        return False
    clause = text[rel[-1]:at]
    return not re.search(r"[,;:()]|\s[–—]\s", clause) and bool(_PLUPERFECT.search(clause))


def _first(pattern: re.Pattern, text: str) -> re.Match | None:
    """The first match of ``pattern`` in ``text`` that is no background date (:func:`in_background`)."""
    return next((m for m in pattern.finditer(text) if not in_background(text, m.start())), None)


# "l'année dernière", "l'an prochain", "il y a deux ans", "le mois dernier", "last year": a year or a
# month counted from the article's date
_REL_YEAR = re.compile(r"\b(?:(?:l['’])?(?:année|an) (dernière|dernier|passée|passé|prochaine|prochain)|"
                       r"(last|next) year|il y a (\d+|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix) ans|"
                       r"(\d+|two|three|four|five|six|seven|eight|nine|ten) years ago)\b", re.IGNORECASE)
_REL_MONTH = re.compile(r"\b(?:le mois (dernier|passé|prochain)|(last|next) month)\b", re.IGNORECASE)
# "il y a trois jours", "la semaine dernière", "en début de semaine", "two weeks ago": a day counted back
# from the article's date; "il y a un mois": a month
_REL_AGO = re.compile(r"\b(?:il y a (\d+|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|quinze) (jours?|semaines?|mois)"
                      r"(?!\s+(?:de|du|des|d['’]|fériés?)\b)|"
                      r"(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten) (days?|weeks?|months?) ago|"
                      r"(la semaine (?:dernière|passée)|last week)|((?:en |au )?début de (?:la )?semaine|earlier this week))\b",
                      re.IGNORECASE)
_COUNTS = {"un": 1, "une": 1, "a": 1, "an": 1, "one": 1, "quinze": 15, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
           "dix": 10, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def relative_period(text: str, base: dt.date) -> tuple[dt.date, str] | None:
    """(first day of the year or month a sentence counts from ``base``, "year" | "month"; or the day it
    counts back to, "day": "il y a trois jours", "la semaine dernière"), or None."""
    m = _REL_YEAR.search(text)
    if m:
        word = fold((m.group(1) or m.group(2) or "").lower())
        n = m.group(3) or m.group(4)
        if n:
            back = int(n) if n.isdigit() else _COUNTS.get(n.lower(), 0)
        else:
            back = -1 if word.startswith(("prochain", "next")) else 1
        if back and 0 < base.year - back < 10000:
            return dt.date(base.year - back, 1, 1), "year"
    m = _REL_MONTH.search(text)
    if m:
        word = fold((m.group(1) or m.group(2)).lower())
        return _months_back(base, -1 if word.startswith(("prochain", "next")) else 1, 1), "month"
    m = _REL_AGO.search(text)
    if m:
        if m.group(5):  # last week
            return base - dt.timedelta(days=7), "day"
        if m.group(6):  # early this week: its Monday, or the day before a Monday's dispatch
            return base - dt.timedelta(days=base.weekday() or 1), "day"
        n, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        count = int(n) if n.isdigit() else _COUNTS.get(n.lower(), 0)
        unit = fold(unit.lower())
        if unit.startswith(("mois", "month")):
            return _months_back(base, count, min(base.day, 28)), "month"
        return base - dt.timedelta(days=count * (7 if unit.startswith(("semaine", "week")) else 1)), "day"
    return None


def _months_back(base: dt.date, n: int, day: int) -> dt.date:
    """``day`` of the month ``n`` months before ``base``'s (after it when ``n`` < 0)."""
    k = base.year * 12 + base.month - 1 - n
    return dt.date(k // 12, k % 12 + 1, day)


_ONE_ER = re.compile(r"\b1 er\s+(?=\w)")
# "en 1981", "in 1981", "Retraité en 1981" (not "depuis 1933": a reference point, not the event)
# also the first year of a span ("entre 1977 et 1983", "de 2012 à 2014") and a season or "l'année"
# of a year ("à l'été 2011", "l'année 2015", "in the summer of 2011")
_IN_YEAR = re.compile(r"(?<!depuis )\b(?:[Ee]n|[Ii]n|[Ee]ntre|[Bb]etween|[Dd]e(?= \d{4} (?:à|au|a) )|[Ff]rom(?= \d{4} to )|"
                      r"l['’](?:année|an|été|automne|hiver)|au printemps|(?:summer|autumn|fall|winter|spring)(?: of)?)"
                      r"\s+((?:1[5-9]|20)\d\d)\b(?![\d,.]\d)")
# a month without its year ("en mars", "début avril", "au mois de mai"): the nearest one, as a day is
_IN_MONTH = re.compile(rf"\b(?:en|au mois d['’]|au mois de|début|fin|mi-)\s*({_MONTH_RE})\b(?!\s+\d)", re.IGNORECASE)
_YEAR_SOON = re.compile(r"[^.;:!?]{0,40}?\b\d{1,2}(?:er)?\s+[a-zéû]+\s+((?:1[5-9]|20)\d\d)\b")
_PAST = re.compile(r"\b(?:a|ont|avait|avaient|est|sont|était|étaient|fut|furent|eut)\s+(?:\w+\s+)?"
                   r"(?:été|eu|\w+(?:é|ée|és|ées|i|is|ie|u|us|ert|it))\b|\b(?:dernier|dernière|passé|passée)\b",
                   re.IGNORECASE)


def _year_after(text: str, at: int) -> int | None:
    """The year of the date that closes a range begun without one ("du 28 juillet au 25 septembre 1973")."""
    m = _YEAR_SOON.match(text, at)
    return int(m.group(1)) if m else None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _tense(text: str) -> str | None:
    """"future" when the sentence speaks of what will happen, "past" of what happened, else None."""
    from rag.span_rules import _FUTURE

    if _FUTURE.search(text):
        return "future"
    return "past" if _PAST.search(text) else None


def _nearest(base: dt.date, month: int, day: int, tense: str | None) -> dt.date | None:
    """The day/month nearest ``base`` among last, this and next year; a future verb rules out the
    past beyond a month, a past one the future beyond a month."""
    options = [d for y in (base.year - 1, base.year, base.year + 1) if (d := _date(y, month, day))]
    month_ = dt.timedelta(days=31)
    if tense == "future":
        options = [d for d in options if d >= base - month_] or options
    elif tense == "past":
        options = [d for d in options if d <= base + month_] or options
    return min(options, key=lambda d: abs((d - base).days), default=None)


def grain_of(text: str, precise: bool) -> str:
    """How much of its date a sentence writes: the day, the month or only the year (else the
    article's day stands)."""
    if precise or _first(_FULL_DATE, text):
        return "day"
    if _first(_MONTH_YEAR, text) or _first(_IN_MONTH, text):
        return "month"
    if _first(_IN_YEAR, text) or _REL_YEAR.search(text):
        return "year"
    if _REL_MONTH.search(text) or (m := _REL_AGO.search(text)) and fold((m.group(2) or m.group(4) or "").lower()).startswith(("mois", "month")):
        return "month"
    return "day"


def has_date(text: str) -> bool:
    return bool(_FULL_DATE.search(text) or _MONTH_YEAR.search(text) or re.search(r"\b(19|20)\d\d\b", text)
                or _REL_YEAR.search(text) or _REL_MONTH.search(text))
