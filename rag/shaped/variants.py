"""One item per person, place or organisation: "Poutine", "Vladimir Poutine" and "le président
russe" are one; so are "Owen Garriot" / "Owen Garriott" (one letter apart) and "PSG" / "Paris
Saint-Germain" (initials). Pure; used by the list answers (rag/shaped/lists.py)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from index.french import fold
from rag.names import one_edit
from rag.shaped.corpus import Sent


@dataclass(frozen=True)
class Item:
    name: str  # what is shown (the fullest variant)
    surface: str  # the verbatim words in the cited sentence
    sent: Sent  # the cited sentence (or span of sentences)
    at: int  # offset of ``surface`` in sent.text


def _name_words(name: str) -> list[str]:
    return [fold(w) for w in re.findall(r"[\w'-]+", name) if w[:1].isupper()]


def merge_variants(items: Sequence[Item], texts: Sequence[str] = ()) -> list[Item]:
    """One item per person, place or organisation: "Poutine" and "Vladimir Poutine" are one (the
    fuller name shown, the first sentence cited); "le président russe" is Vladimir Poutine when a
    text writes the title before the name. Order of first mention kept."""
    names = [it.name for it in items]
    canon: dict[str, str] = {}
    for n in names:
        words = _name_words(n)
        best = n
        for other in names:
            ow = _name_words(other)
            if words and len(ow) > len(_name_words(best)) and all(w in ow for w in words):
                best = other
            elif other != best and words and len(ow) == len(words) and _close(words, ow) and \
                    names.index(other) < names.index(best):
                best = other  # "Owen Garriot" / "Owen Garriott": one person spelt two ways, first kept
            elif _acronym(n, other) and len(other) > len(best):
                best = other  # "PSG" is "Paris Saint-Germain"
        if not words:  # a title: "le président russe"
            for t in texts:
                for other in names:
                    if _name_words(other) and re.search(re.escape(n.strip()) + r"\s*,?\s+" + re.escape(other), t,
                                                        re.IGNORECASE):
                        best = other
        canon[n] = best
    out: dict[str, Item] = {}
    for it in items:
        key = fold(canon[it.name])
        if key not in out:
            out[key] = Item(canon[it.name], it.surface, it.sent, it.at)
    return list(out.values())


def _close(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two names word for word equal, but for one letter in a long word (a spelling variant)."""
    diff = [(x, y) for x, y in zip(a, b) if x != y]
    return len(diff) == 1 and len(a) > 1 and min(map(len, diff[0])) >= 5 and one_edit(*diff[0])


def _acronym(short: str, name: str) -> bool:
    """``short`` is the initials of ``name``'s capitalised words ("PSG", "Paris Saint-Germain")."""
    if not (2 <= len(short) <= 6 and short.isupper() and short.isalpha()):
        return False
    initials = "".join(w[0] for w in re.findall(r"[\w']+", name) if w[:1].isupper())
    return len(initials) >= 2 and fold(initials) == fold(short)
