""".jsonl articles: one JSON record a line with ``id``, ``title``, ``date``, ``url``, ``text``; a bad
line is reported (file:line) and skipped, the others are read."""
from __future__ import annotations

from depeche.types import Article
from depeche.validate import BadJSON, loads_line
from index.parse_common import MAX_TITLE_CHARS, BadArticle, Problem, check_text, parse_date, short_title


def parse_record(rec: object, where: str, path: str) -> Article:
    if not isinstance(rec, dict):
        raise BadArticle("record is not a JSON object")
    missing = [k for k in ("id", "text") if not rec.get(k)]
    if missing:
        raise BadArticle(f"record lacks {', '.join(missing)} (each line needs a non-empty \"id\" and \"text\")")
    for key in ("id", "text", "title", "url"):
        if rec.get(key) is not None and not isinstance(rec[key], str):
            raise BadArticle(f"field '{key}' must be a string")
    if not rec["id"].strip():
        raise BadArticle("record lacks id (it is blank; each line needs a non-empty \"id\")")
    text = rec["text"].replace("\r\n", "\n")
    check_text(text)
    title = short_title((rec.get("title") or "").strip() or text.strip().split("\n", 1)[0],
                        MAX_TITLE_CHARS if rec.get("title") else 120)
    return Article(
        id=rec["id"], title=title, text=text, date=parse_date(rec.get("date")),
        url=rec.get("url") or None, path=path,
    )


def load_jsonl(content: str, where: str) -> tuple[list[tuple[Article, str]], list[Problem]]:
    arts: list[tuple[Article, str]] = []
    probs: list[Problem] = []
    for lineno, line in enumerate(content.split("\n"), 1):
        if not line.strip():
            continue
        try:
            rec = loads_line(line)
        except BadJSON as exc:
            probs.append(Problem(f"{where}:{lineno}", f"{exc}; fix or remove the line"))
            continue
        try:
            arts.append((parse_record(rec, f"{where}:{lineno}", where), f"{where}:{lineno}"))
        except BadArticle as exc:
            probs.append(Problem(f"{where}:{lineno}", str(exc)))
    if not arts and not probs:
        probs.append(Problem(where, "no text (empty or only whitespace)"))
    return arts, probs
