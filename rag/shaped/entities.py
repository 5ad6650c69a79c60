"""The names a sentence's tagged entities give a list (rag/shaped/lists.py, podium.py): without a leading
article ("La Chine" -> "Chine") or the common noun of a place's kind ("aéroport de Toulouse" ->
"Toulouse"), outside quotations ("« la Foudre »" is a nickname), with the names coordinated after one
that the tagger often misses ("Powell, Blake et Ashmeade"). Pure but for the parse it is given.
"""
from __future__ import annotations

import re
from typing import Sequence

_LEADING_ARTICLE = re.compile(r"^(?:L[ea]s?\s+|L['’])")
_COORDINATED = re.compile(r"(?:\s*,\s*|\s+et\s+|\s+and\s+)([A-ZÉÈ][\w'’-]+(?:\s+[A-ZÉÈ][\w'’-]+)*)")
_IN_QUOTES = re.compile(r"[«\"“][^«»\"“”]*[»\"”]")


def _entities(doc, labels: set[str]) -> list[tuple[int, int, str]]:
    """Entities of the wanted labels, outside quotations ("« la Foudre »" is a nickname), and the
    names coordinated after one ("Powell, Blake et Ashmeade": the tagger often sees only the first)."""
    quoted = [(m.start(), m.end()) for m in _IN_QUOTES.finditer(doc.text)]
    out = []
    for a, b, text in _raw_entities(doc, labels):
        if any(qa <= a < qb for qa, qb in quoted):
            continue
        out.append((a, b, text))
        out.extend(coordinated_names(doc.text, b, out))
    seen, uniq = set(), []
    for e in sorted(out):
        if e[0] not in seen:
            seen.add(e[0])
            uniq.append(e)
    return uniq


def coordinated_names(text: str, end: int, taken: Sequence[tuple], rx: re.Pattern = _COORDINATED) -> list[tuple[int, int, str]]:
    """(start, end, name) of the names coordinated after the name ending at ``end`` ("Powell, Blake et
    Ashmeade": the tagger often sees only the first), none overlapping a span of ``taken`` (pure)."""
    out: list[tuple[int, int, str]] = []
    while (m := rx.match(text, end)) and not any(m.start(1) < x[1] and x[0] < m.end(1) for x in [*taken, *out]):
        out.append((m.start(1), m.end(1), m.group(1)))
        end = m.end()
    return out


# a tagged place that opens on the common noun of its kind ("aéroport de Toulouse", "l'aéroport de
# Roissy-Charles-de-Gaulle", "gare de Bruxelles-Central"): the name is what follows ("ministre de
# l'Intérieur" is no place "Intérieur")
_COMMON_HEAD = re.compile(r"^(?:l['’])?(?:aéroports?|gares?|ports?|stades?|villes?|communes?|villages?|régions?|provinces?|"
                          r"départements?|îles?|quartiers?|stations?|circuits?|prisons?|hôpitaux|hôpital|universités?|"
                          r"lycées?|cathédrales?|églises?|musées?|palais|places?)\s+(?:de la |de l['’]|de |d['’]|du |des )"
                          r"(?=[A-ZÀ-Ý])")


def _raw_entities(doc, labels: set[str]) -> list[tuple[int, int, str]]:
    out = []
    for e in doc.ents:
        a, text = e.start_char, e.text
        m = _LEADING_ARTICLE.match(text)
        if m:  # "La Chine" -> "Chine"
            a, text = a + m.end(), text[m.end():]
        m = _COMMON_HEAD.match(text) if e.label_ == "LOC" else None
        if m:  # "aéroport de Toulouse" -> "Toulouse": the name the common noun is of
            a, text = a + m.end(), text[m.end():]
        if e.label_ == "LOC" and any(ch.isdigit() for ch in text):
            continue  # "COP21" is no place
        if e.label_ in labels and text[:1].isupper() and len(text) > 2:
            out.append((a, a + len(text), text))
    return out
