"""Answer text: the short answer, then the supporting sentence quoted, each claim with its [n].

"Donald Trump — « La rencontre … a piqué au vif le président américain Donald Trump. » [1] ;
Kaja Kallas — « …la cheffe de la diplomatie européenne, Kaja Kallas, qui avait décrit … » [2]"

At most ~300 characters: long sentences are cut to a window around the answer, at word boundaries,
with "…" where text was left out (the citation itself keeps the whole verbatim sentence).
Pure functions.
"""
from __future__ import annotations

from dataclasses import dataclass

from depeche.types import Citation
from rag.answerers import NOT_FOUND_EN, NOT_FOUND_FR

MAX_CHARS = 300


@dataclass(frozen=True)
class Claim:
    citation: Citation
    answer: str | None = None  # what is shown as the short answer (a resolved date may not be verbatim)
    surface: str | None = None  # the verbatim words in the quote that carry the answer
    at: int = 0  # offset of ``surface`` in the quote


def excerpt(quote: str, at: int, length: int, limit: int) -> str:
    """A window of ``quote`` of at most ``limit`` characters that keeps quote[at:at+length]."""
    quote = quote.strip()
    if len(quote) <= limit:
        return quote
    limit = max(limit, length + 2)
    # a little before the answer, most of the room after it: what the answer did or said follows it
    lead = max(0, min(at - (limit - length) // 6, len(quote) - limit))
    if at < limit * 0.6:
        lead = 0
    end = min(len(quote), lead + limit)
    if lead > 0:
        sp = quote.find(" ", lead)
        if 0 <= sp < at:
            lead = sp + 1
    if end < len(quote):
        sp = quote.rfind(" ", at + length, end)
        if sp > at + length:
            end = sp
    text = quote[lead:end].strip(" ,;:")
    return ("…" if lead > 0 else "") + text + ("…" if end < len(quote) else "")


def compose(claims: list[Claim], english: bool = False, limit: int = MAX_CHARS) -> str:
    """The answer text for verified claims (numbered already), within ``limit`` characters."""
    if not claims:
        return NOT_FOUND_EN if english else NOT_FOUND_FR
    sep = " ; "
    heads = [f"{c.answer} — " if c.answer else "" for c in claims]
    tails = [f" [{c.citation.n}]" for c in claims]
    fixed = sum(len(h) + len(t) + 4 for h, t in zip(heads, tails)) + len(sep) * (len(claims) - 1)
    room = max(60, (limit - fixed) // len(claims))
    while True:
        parts = []
        for c, head, tail in zip(claims, heads, tails):
            length = len(c.surface) if c.surface else 0
            parts.append(f"{head}« {excerpt(c.citation.quote, c.at, length, room)} »{tail}")
        text = sep.join(parts)
        if len(text) <= limit or room <= 40:
            return text
        room -= 20


def not_found(english: bool) -> str:
    return NOT_FOUND_EN if english else NOT_FOUND_FR
