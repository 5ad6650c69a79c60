"""Citations: built from sentence spans, checked against the article text (pure functions)."""
from __future__ import annotations

import re
import unicodedata

from depeche.types import Chunk, Citation


def normalise(text: str) -> str:
    """NFKC, typographic apostrophes to ', case folding, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text.casefold()).strip()


def make_citation(n: int, chunk: Chunk, start: int, end: int, quote: str, score: float) -> Citation:
    """A citation of article offsets [start, end) that lie inside ``chunk``; quote is that text."""
    return Citation(n=n, article_id=chunk.article_id, title=chunk.title, date=chunk.date, start=start,
                    end=end, quote=quote, score=score, url=chunk.url, path=chunk.path)


def is_verbatim(c: Citation, article_text: str) -> bool:
    return 0 <= c.start < c.end <= len(article_text) and article_text[c.start:c.end] == c.quote


def supports(c: Citation, short_answer: str | None) -> bool:
    """A citation supports a short answer when the answer (normalised) occurs in its quote."""
    if not short_answer:
        return True
    return normalise(short_answer) in normalise(c.quote)


def renumber(citations: list[Citation]) -> list[Citation]:
    from dataclasses import replace

    return [replace(c, n=i) for i, c in enumerate(citations, 1)]


def check(c: Citation, article_text: str, surface: str | None) -> bool:
    """The check every cited claim must pass before output: the quote is the article's text at
    its offsets, and it contains the words of the short answer (``surface``) it is cited for."""
    return is_verbatim(c, article_text) and supports(c, surface)
