"""Gold questions: the JSONL format of ``../shared/data/dev-gold.jsonl`` (pure parsing + one reader).

One JSON object a line::

    {"id": "d01", "question": "…", "answers": ["…"], "evidence": ["…"], "article": "…"}

``answers`` = acceptable answer strings (``[]`` = the corpus does not hold the answer);
``evidence`` (optional) = strings found verbatim in the article; ``article`` (optional) = its id.

Shaped questions (rag/shapes.py) add ``shape`` (list, summary, cause, manner, said, timeline,
yesno, fact) and what a right answer must contain: ``items`` (list: each entry one item, variants
separated by "|"), ``key_sentences`` (summary, said, timeline — in order, oldest first —, yesno:
strings of the article a citation must cover, variants separated by "|"), ``cause`` (cause, manner:
strings one of which the answer or a cited sentence must hold, variants separated by "|"), ``verdict`` (yesno: yes, no, or
unsaid when the corpus does not state it: then no bare oui/non). ``answers`` may then be left out.
A bad line is reported as ``FILE:LINE: reason`` — every bad line, not only the first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from depeche.errors import DepecheError
from depeche.validate import BadJSON, iter_lines, loads_line

KNOWN_FIELDS = {"id", "question", "answers", "evidence", "article", "shape", "items", "key_sentences", "cause",
                "verdict"}
SHAPED_FIELDS = ("items", "key_sentences", "cause")
VERDICTS = ("yes", "no", "unsaid")


@dataclass(frozen=True)
class GoldItem:
    id: str
    question: str
    answers: tuple[str, ...]
    evidence: tuple[str, ...] = ()
    article: str | None = None
    # Exact answer spans [start, end) in the gold article, when the source knows them (SQuAD import).
    spans: tuple[tuple[int, int], ...] = field(default=(), compare=False)
    shape: str | None = None  # the answer's shape (rag/shapes.py); None: not a shaped question
    items: tuple[str, ...] = ()
    key_sentences: tuple[str, ...] = ()
    cause: tuple[str, ...] = ()
    verdict: str | None = None

    @property
    def answerable(self) -> bool:
        return bool(self.answers or self.items or self.key_sentences or self.cause)

    def to_json(self) -> dict:
        d = {"id": self.id, "question": self.question, "answers": list(self.answers),
             "evidence": list(self.evidence), "article": self.article}
        if self.shape:
            d["shape"] = self.shape
            d.update({k: list(getattr(self, k)) for k in SHAPED_FIELDS if getattr(self, k)})
            if self.verdict:
                d["verdict"] = self.verdict
        if self.spans:
            d["spans"] = [list(s) for s in self.spans]
        return d


class GoldError(DepecheError):
    """The gold file has bad lines; ``problems`` holds one ``FILE:LINE: reason`` line each."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


def _strings(rec: dict, key: str) -> tuple[str, ...]:
    value = rec.get(key, [])
    if value is None:
        return ()
    if isinstance(value, str):
        raise ValueError(f"'{key}' must be a list of strings, e.g. [\"{value[:30]}\"]")
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise ValueError(f"'{key}' must be a list of strings")
    out = tuple(x.strip() for x in value if x.strip())
    if len(out) != len(value):
        raise ValueError(f"'{key}' holds an empty string; remove it")
    return out


def parse_item(rec: object) -> GoldItem:
    """One decoded JSON value -> GoldItem, or ValueError with the reason (no location)."""
    if not isinstance(rec, dict):
        raise ValueError("not a JSON object")
    unknown = sorted(set(rec) - KNOWN_FIELDS)
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(unknown)}; use {', '.join(sorted(KNOWN_FIELDS))}")
    qid = rec.get("id")
    if isinstance(qid, int) and not isinstance(qid, bool):
        qid = str(qid)
    if not isinstance(qid, str) or not qid.strip():
        raise ValueError("'id' is missing or not a non-empty string")
    question = rec.get("question")
    if question is not None and not isinstance(question, str):
        raise ValueError(f"'question' must be a string, not {type(question).__name__}")
    if not question or not question.strip():
        raise ValueError("'question' is missing or empty")
    shape = rec.get("shape")
    if shape is not None:
        from rag.shapes import SHAPES

        if shape not in SHAPES:
            raise ValueError(f"'shape' must be one of {', '.join(SHAPES)}")
    if "answers" not in rec and (shape in (None, "fact") or not any(rec.get(k) for k in SHAPED_FIELDS + ("verdict",))):
        raise ValueError("'answers' is missing (use [] when the corpus does not hold the answer)")
    answers = _strings(rec, "answers")
    shaped = {k: _strings(rec, k) for k in SHAPED_FIELDS}
    verdict = rec.get("verdict")
    if verdict is not None and verdict not in VERDICTS:
        raise ValueError(f"'verdict' must be one of {', '.join(VERDICTS)}")
    evidence = _strings(rec, "evidence")
    article = rec.get("article")
    if article is not None and (not isinstance(article, str) or not article.strip()):
        raise ValueError("'article' must be a non-empty string (an article id) or be left out")
    return GoldItem(id=qid.strip(), question=question.strip(), answers=answers, evidence=evidence,
                    article=article.strip() if article else None, shape=shape, verdict=verdict, **shaped)


def parse_gold(text: str | bytes, where: str = "gold") -> tuple[list[GoldItem], list[str]]:
    """Items and problems (``WHERE:LINE: reason``) of a gold JSONL text or bytes. Pure.

    Lines end at ``\n`` only (a raw U+2028 inside a JSON string is not a line end); with bytes, a
    line that is not UTF-8 is reported and the others read."""
    items: list[GoldItem] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    lines = iter_lines(text) if isinstance(text, bytes) else (
        (n, line, "") for n, line in enumerate(text.split("\n"), 1))
    for lineno, line, bad in lines:
        if line is None:
            problems.append(f"{where}:{lineno}: {bad}")
            continue
        if not line.strip():
            continue
        try:
            rec = loads_line(line)
        except BadJSON as exc:
            problems.append(f"{where}:{lineno}: {exc}; fix or remove the line")
            continue
        try:
            item = parse_item(rec)
        except ValueError as exc:
            problems.append(f"{where}:{lineno}: {exc}")
            continue
        if item.id in seen:
            problems.append(f"{where}:{lineno}: duplicate id '{item.id}' (first on line {seen[item.id]}); rename one")
            continue
        seen[item.id] = lineno
        items.append(item)
    if not items and not problems:
        problems.append(f"{where}: no questions (the file is empty)")
    return items, problems


def load_gold(path: str | Path) -> list[GoldItem]:
    """Read a gold file; raise GoldError (problems listed) if any line is bad."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise DepecheError(f"Gold file {p} does not exist; give a JSONL file of gold questions.") from None
    except IsADirectoryError:
        raise DepecheError(f"{p} is a folder; give a JSONL file of gold questions.") from None
    except OSError as exc:
        raise DepecheError(f"Cannot read gold file {p} ({exc.strerror}).") from None
    items, problems = parse_gold(data, str(p))
    if problems:
        raise GoldError(f"{len(problems)} bad line(s) in {p}; fix them (each is listed above).", problems)
    return items


def load_golds(paths: Sequence[str | Path]) -> list[GoldItem]:
    """Several gold files read as one (their questions in file order); raise GoldError listing the
    bad lines of every file, and an id that two files share, so one run fixes them all."""
    if len(paths) == 1:
        return load_gold(paths[0])
    items: list[GoldItem] = []
    problems: list[str] = []
    first: dict[str, str] = {}
    for path in paths:
        try:
            got = load_gold(path)
        except GoldError as exc:
            problems += exc.problems
            continue
        for item in got:
            if item.id in first:
                problems.append(f"{path}: id '{item.id}' is also in {first[item.id]}; rename one")
                continue
            first[item.id] = str(path)
            items.append(item)
    if problems:
        raise GoldError(f"{len(problems)} problem(s) in {', '.join(map(str, paths))}; fix them (each is listed above).",
                        problems)
    return items


def sample(items: list[GoldItem], limit: int | None, seed: int = 0) -> list[GoldItem]:
    """A random sample of ``limit`` items (fixed seed), kept in file order; all when limit is None."""
    import random

    if limit is None or limit >= len(items):
        return list(items)
    if limit < 1:
        raise DepecheError("--limit must be at least 1.")
    keep = set(random.Random(seed).sample(range(len(items)), limit))
    return [it for i, it in enumerate(items) if i in keep]
