"""A timeline of one day ("l'acte III des gilets jaunes, le samedi 1er décembre 2018, heure par heure"):
its events are the moments the reports give a time of day ("Dès 8h45, …", "Vers 13h00, …"), one per
time, spread over the day from the first to the last, each shown with its time. A day whose reports
give fewer than ``MIN_TIMES`` times gets the usual timeline (rag/shaped/timeline.py). Pure.
"""
from __future__ import annotations

import datetime as dt
from typing import Sequence

from rag.shaped.corpus import Sent, is_debris, is_fragment

MIN_TIMES = 3  # distinct times of day the reports must give for the day to be told hour by hour
FLOOR = 0.2  # share of the best score a timed sentence needs (a time in a sentence about another place)


def by_hours(pool: Sequence[Sent], day: str, most: int) -> list:
    """Up to ``most`` events of ``day`` (ISO), each the best-scored sentence of its time of day,
    oldest first, spread over the day (the first and last times always); [] when the pool gives fewer
    than ``MIN_TIMES`` times."""
    from rag.shaped.timeline import Event, time_of_day

    pool = [s for s in pool if not is_debris(s.text) and not is_fragment(s.text)]
    if not pool:
        return []
    top = max(s.score for s in pool)
    best: dict[str, Sent] = {}
    for s in pool:
        hour = time_of_day(s.text)
        if hour is not None and s.score >= FLOOR * top and (hour not in best or s.score > best[hour].score):
            best[hour] = s
    hours = sorted(best)
    if len(hours) < MIN_TIMES:
        return []
    n = len(hours)
    picked = hours if n <= most else [hours[round(i * (n - 1) / (most - 1))] for i in range(most)]
    d = dt.date.fromisoformat(day)
    return [Event(best[h], d, True, "day", rank=i, hour=h) for i, h in enumerate(picked)]
