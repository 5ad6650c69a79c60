"""What every article format shares: the checks an article must pass and the reasons it is skipped.

The formats themselves: index/parse_text.py (.txt, .md, the wire format), index/parse_html.py (.html),
index/parse_jsonl.py (.jsonl); reading files and folders: index/loaders.py.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MAX_ARTICLE_CHARS = 2_000_000
MAX_TITLE_CHARS = 300  # a longer first line is text, not a title

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WORD = re.compile(r"[^\W_]")  # a letter or a digit: zero-width and punctuation-only files are not text


@dataclass(frozen=True)
class Problem:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class BadArticle(ValueError):
    """Raised for one article that cannot be used; the message is the reason."""


def parse_date(value: object) -> str | None:
    """'YYYY-MM-DD' -> the same string if it is a real calendar date; '' / None -> None."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
        raise BadArticle(f"date {value!r} is not YYYY-MM-DD")
    try:
        dt.date.fromisoformat(value.strip())
    except ValueError:
        raise BadArticle(f"date {value!r} does not exist in the calendar") from None
    return value.strip()


def short_title(text: str, limit: int = 120) -> str:
    """The beginning of ``text`` as a title: at most ``limit`` characters, cut at a space."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut + "…"


def check_text(text: str) -> None:
    if not text.strip():
        raise BadArticle("no text (empty or only whitespace)")
    if not WORD.search(text):
        raise BadArticle("no words (only punctuation, symbols or invisible characters); not an article")
    if len(text) > MAX_ARTICLE_CHARS:
        raise BadArticle(
            f"article of {len(text):,} characters exceeds {MAX_ARTICLE_CHARS:,}; split it into several files"
        )
