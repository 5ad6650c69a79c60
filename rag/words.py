"""Word lists shared by the answering code, in one place (pure data): month and weekday names.

Stop words for lexical search live in index/french.py (they shape the BM25 index).
"""
from __future__ import annotations

MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
             "octobre", "novembre", "décembre")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")
DAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _unaccented(word: str) -> str:
    return word.replace("é", "e").replace("û", "u")


# Month name (French with and without accents, English; lower case) -> month number.
MONTH_NUMBER = {**{m: i for i, m in enumerate(MONTHS_FR, 1)},
                **{_unaccented(m): i for i, m in enumerate(MONTHS_FR, 1)},
                **{m.lower(): i for i, m in enumerate(MONTHS_EN, 1)}}
