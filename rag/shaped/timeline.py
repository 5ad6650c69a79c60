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
from rag.shaped.corpus import Sent, is_debris, is_fragment
from rag.span_rules import _FULL_DATE, _MONTH_NUM, _MONTH_RE, _MONTH_YEAR, _REL_DAY, _WEEKDAY, resolve_day


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
    m = _FULL_DATE.search(text)
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
    m = _REL_DAY.search(text) or _WEEKDAY.search(text)
    if m and base:
        d = resolve_day(m.group(0), article_date, future=_tense(text) == "future")
        if d:
            return d, True
    m = _MONTH_YEAR.search(text)
    if m:
        month = _MONTH_NUM.get(fold(m.group(1).lower()))
        if month:
            return dt.date(int(m.group(2)), month, 1), False
    m = _IN_MONTH.search(text)
    if m and base:
        month = _MONTH_NUM.get(fold(m.group(1).lower()))
        d = _nearest(base, month, 1, _tense(text)) if month else None
        if d:
            return d, False
    m = _IN_YEAR.search(text)
    if m:
        return dt.date(int(m.group(1)), 1, 1), False
    if base:
        got = relative_period(text, base)
        if got:
            return got[0], False
    return base, False


# "l'année dernière", "l'an prochain", "il y a deux ans", "le mois dernier", "last year": a year or a
# month counted from the article's date
_REL_YEAR = re.compile(r"\b(?:(?:l['’])?(?:année|an) (dernière|dernier|passée|passé|prochaine|prochain)|"
                       r"(last|next) year|il y a (\d+|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix) ans|"
                       r"(\d+|two|three|four|five|six|seven|eight|nine|ten) years ago)\b", re.IGNORECASE)
_REL_MONTH = re.compile(r"\b(?:le mois (dernier|passé|prochain)|(last|next) month)\b", re.IGNORECASE)
_COUNTS = {"un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
           "dix": 10, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def relative_period(text: str, base: dt.date) -> tuple[dt.date, str] | None:
    """(first day of the year or month a sentence counts from ``base``, "year" | "month"), or None."""
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
        step = -1 if word.startswith(("prochain", "next")) else 1
        k = base.year * 12 + base.month - 1 - step
        return dt.date(k // 12, k % 12 + 1, 1), "month"
    return None


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


def _share(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


SAME_DATE_SHARE = 0.3


def _same_event(a: set[str], b: set[str]) -> bool:
    return _share(a, b) > 0.6


def grain_of(text: str, precise: bool) -> str:
    """How much of its date a sentence writes: the day, the month or only the year (else the
    article's day stands)."""
    if precise or _FULL_DATE.search(text):
        return "day"
    if _MONTH_YEAR.search(text) or _IN_MONTH.search(text):
        return "month"
    if _IN_YEAR.search(text) or _REL_YEAR.search(text):
        return "year"
    return "month" if _REL_MONTH.search(text) else "day"


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


def has_date(text: str) -> bool:
    return bool(_FULL_DATE.search(text) or _MONTH_YEAR.search(text) or re.search(r"\b(19|20)\d\d\b", text)
                or _REL_YEAR.search(text) or _REL_MONTH.search(text))


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
