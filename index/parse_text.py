"""Plain-text articles (.txt, .md): the wire format of the seed dispatch (first line
`` date YYYY-MM-DD <title>``, an optional ``Source : URL`` line, then the body in paragraphs), or a
title on the first line and the date unknown; YAML front matter is read when present."""
from __future__ import annotations

import re

from depeche.types import Article
from index.parse_common import MAX_TITLE_CHARS, WORD, BadArticle, check_text, parse_date, short_title

_DATE_LINE = re.compile(r"^ ?date (\S+)[ \t]*(.*)$")
_SOURCE_LINE = re.compile(r"^\s*(?:source|url)\s*:\s*(\S+)\s*$", re.IGNORECASE)
_FRONT_MATTER_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")


def parse_text_file(content: str, article_id: str, path: str) -> Article:
    """The wire format (date line) or a plain .txt/.md (title = first line)."""
    lines = content.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise BadArticle("no text (empty or only whitespace)")
    date = None
    url = None
    front, lines = _front_matter(lines)
    if front is not None:
        try:
            date = parse_date(front.get("date", "")[:10] or None)
        except BadArticle:
            date = None  # front matter dates come in many shapes: unknown rather than skipped
        url = front.get("url") or front.get("source") or None
        while lines and not lines[0].strip():
            lines.pop(0)
        if front.get("title"):
            lines.insert(0, front["title"])
        if not lines:
            raise BadArticle("no text after the front matter")
    while len(lines) > 1 and not WORD.search(lines[0]):  # a rule (*** or ===) is not a title
        lines.pop(0)
    m = _DATE_LINE.match(lines[0])
    if m:
        date = parse_date(m.group(1))
        title = short_title(m.group(2).strip(), MAX_TITLE_CHARS)
        rest = lines[1:]
    elif len(lines[0].strip()) > MAX_TITLE_CHARS:
        # No title line, just text: the text starts at once, the title is its beginning.
        title = short_title(lines[0])
        rest = lines
    else:
        title = lines[0].strip().lstrip("#").strip()
        rest = lines[1:]
    if rest and _SOURCE_LINE.match(rest[0]):
        url = _SOURCE_LINE.match(rest[0]).group(1)
        rest = rest[1:]
    body = "\n".join(rest).strip("\n")
    if not body.strip():
        if not title:
            raise BadArticle("no text (empty or only whitespace)")
        body = title  # a one-line note: its only line is both title and text
    if not title:
        raise BadArticle("the date line has no title after the date")
    check_text(body)
    return Article(id=article_id, title=title, text=body, date=date, url=url, path=path)


def _front_matter(lines: list[str]) -> tuple[dict[str, str] | None, list[str]]:
    """YAML front matter (``---`` ... ``---``) -> its simple ``key: value`` pairs and the lines after it."""
    if not lines or lines[0].strip() != "---":
        return None, lines
    for end in range(1, min(len(lines), 200)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        return None, lines[1:]  # an unclosed rule: not a title either
    front: dict[str, str] = {}
    for line in lines[1:end]:
        m = _FRONT_MATTER_KEY.match(line.strip())
        if m:
            front[m.group(1).lower()] = m.group(2).strip().strip("\"'").strip()
    return front, lines[end + 1:]
