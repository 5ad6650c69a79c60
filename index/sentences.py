"""French-aware sentence splitting that returns character offsets (pure functions).

Handles « » and "…" quotes, abbreviations (M., Mme, Dr, St, J.-C.), initials, "(g)",
number ranges ("1950-1953"), decimal numbers, and treats every line break as a boundary
(captions and headings in scraped wire copy have no final full stop).
"""
from __future__ import annotations

import re

ABBREVIATIONS = {
    "m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "me", "mgr", "st", "ste", "cf", "etc",
    "env", "av", "apr", "j.-c", "n", "no", "p", "vol", "art", "chap", "fig", "éd", "ed", "op",
    "mr", "mrs", "ms", "prof", "gen", "gén", "col", "lt", "sgt", "jr", "sr", "inc", "ltd", "co",
    "vs", "e.g", "i.e", "u.s", "approx", "min", "max", "tél", "bd", "ch",
}
_END = re.compile(r"[.!?…]+(?:[\"»”’')\]]|[ \u00a0\u202f][»”])*")
_OPENERS = "«\"“‘(["


def _is_boundary(text: str, end_punct_start: int, after: int) -> bool:
    """Decide whether the punctuation run at text[end_punct_start:after] ends a sentence."""
    n = len(text)
    j = after
    if j < n and not text[j].isspace():
        return False  # "3.5", "J.-C.", "www.x.fr"
    while j < n and text[j] in " \t\u00a0\u202f":
        j += 1
    if j >= n or text[j] == "\n":
        return True
    nxt = text[j]
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS or nxt in "—–-"):
        return False
    if text[end_punct_start] == ".":
        k = end_punct_start
        while k > 0 and not text[k - 1].isspace() and text[k - 1] not in _OPENERS:
            k -= 1
        word = text[k:end_punct_start].lower()
        if word in ABBREVIATIONS:
            return False
        if len(word) == 1 and word.isalpha():
            return False  # an initial: "J. Smith"
        if re.fullmatch(r"(?:[a-zà-ÿ]\.)+[a-zà-ÿ]", word):
            return False  # "U.S.A", "J.-C" handled above
    return True


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Offsets (s, e) of the sentences of text[start:end], whitespace trimmed, in order."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text[start:end]):
        ls, le = start + m.start(), start + m.end()
        cur = ls
        for pm in _END.finditer(text, ls, le):
            if _is_boundary(text, pm.start(), pm.end()):
                spans.append((cur, pm.end()))
                cur = pm.end()
        spans.append((cur, le))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out
