"""Typed values passed between the stages: corpus -> index -> rag -> ui/eval.

All are frozen dataclasses; offsets are character offsets into ``Article.text``.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    text: str
    date: str | None = None  # YYYY-MM-DD, or None when unknown
    url: str | None = None
    path: str | None = None  # file the article was read from

    @property
    def content_hash(self) -> str:
        """Hash of everything that ends up in the index for this article."""
        h = hashlib.sha256()
        for part in (self.title, self.date or "", self.url or "", self.text):
            h.update(part.encode("utf-8"))
            h.update(b"\x00")
        return h.hexdigest()[:16]

    @property
    def source(self) -> str:
        """Where a reader can check the article: its URL, else its file."""
        return self.url or self.path or ""


@dataclass(frozen=True)
class Chunk:
    id: str
    article_id: str
    title: str
    date: str | None
    url: str | None
    path: str | None
    start: int
    end: int
    text: str  # == article.text[start:end]

    def to_dict(self) -> dict[str, Any]:
        # Flat fields: a plain dict of them is ~10x faster than dataclasses.asdict (which deep-copies),
        # and chunk tables of a large corpus are written at every index generation.
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Chunk":
        return cls(**{k: d.get(k) for k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # the ranking score (fused retrieval scores are relative to the other hits)
    dense: float = 0.0  # cosine of question and passage, an absolute measure (0 = not computed)


@dataclass(frozen=True)
class Citation:
    n: int
    article_id: str
    title: str
    date: str | None
    start: int
    end: int
    quote: str  # == article.text[start:end]
    score: float
    url: str | None = None
    path: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "article_id": self.article_id,
            "title": self.title,
            "date": self.date,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "score": round(float(self.score), 4),
            "url": self.url,
            "path": self.path,
        }


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    citations: tuple[Citation, ...]
    abstained: bool
    short_answer: str | None = None
    passages: tuple[Hit, ...] = ()
    related: tuple[Citation, ...] = ()
    search_query: str | None = None  # the question actually searched, when not the one asked
    timings_ms: dict[str, float] = field(default_factory=dict)
    shape: str = "fact"  # what the question asked for (rag/shapes.py): fact, list, summary, …

    def to_json(self) -> dict[str, Any]:
        """The public `depeche ask --json` object. Extend it; never rename or drop a field."""
        return {
            "question": self.question,
            "answer": self.text,
            "short_answer": self.short_answer,
            "abstained": self.abstained,
            "citations": [c.to_json() for c in self.citations],
            "related": [c.to_json() for c in self.related],
            "passages": [
                {
                    "article_id": h.chunk.article_id,
                    "title": h.chunk.title,
                    "date": h.chunk.date,
                    "start": h.chunk.start,
                    "end": h.chunk.end,
                    "text": h.chunk.text,
                    "score": round(float(h.score), 4),
                }
                for h in self.passages
            ],
            "search_query": self.search_query,
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "shape": self.shape,
        }
