"""A timeline of one day ("l'acte III des gilets jaunes, le samedi 1er décembre 2018, heure par heure"):
its events are the moments the reports give a time of day ("Dès 8h45, …", "Vers 13h00, …"), one per
time, spread over the day from the first to the last, each shown with its time. A day whose reports
give fewer than ``MIN_TIMES`` times gets the usual timeline (rag/shaped/timeline.py). Pure.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Sequence

from rag.shaped.corpus import Sent, is_debris, is_fragment

MIN_TIMES = 3  # distinct times of day the reports must give for the day to be told hour by hour
FLOOR = 0.2  # share of the best score a timed sentence needs (a time in a sentence about another place)


# "en 2 h 03 min", "2h05'12", "in 2:03:59": a duration, not a time of day
_DURATION = re.compile(r"(?:\ben|\bin|\bwithin)\s+$|^\s*(?:min|mn|['’′]|:\d\d|\d\d\s*s\b)", re.IGNORECASE)


def clock_time(text: str) -> str | None:
    """The first time of day written in ``text`` as "HH:MM" (rag/shaped/timeline.time_of_day), a
    duration left out ("remporte en 2 h 03 min"); None without one."""
    from rag.shaped.timeline import _TIME_OF_DAY, hhmm

    for m in _TIME_OF_DAY.finditer(text):
        if not (_DURATION.search(text[max(0, m.start() - 8):m.start()]) or _DURATION.match(text[m.end():m.end() + 6])):
            return hhmm(m)
    return None


def by_hours(pool: Sequence[Sent], day: str, most: int) -> list:
    """Up to ``most`` events of ``day`` (ISO), each the best-scored sentence of its time of day,
    oldest first, spread over the day (the first and last times always); [] when the pool gives fewer
    than ``MIN_TIMES`` times."""
    from rag.shaped.timeline import Event

    pool = [s for s in pool if not is_debris(s.text) and not is_fragment(s.text)]
    if not pool:
        return []
    top = max(s.score for s in pool)
    best: dict[str, Sent] = {}
    for s in pool:
        hour = clock_time(s.text)
        if hour is not None and s.score >= FLOOR * top and (hour not in best or s.score > best[hour].score):
            best[hour] = s
    hours = sorted(best)
    if len(hours) < MIN_TIMES:
        return []
    n = len(hours)
    picked = hours if n <= most else [hours[round(i * (n - 1) / (most - 1))] for i in range(most)]
    d = dt.date.fromisoformat(day)
    return [Event(best[h], d, True, "day", rank=i, hour=h) for i, h in enumerate(picked)]
