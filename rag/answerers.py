"""Answer builders, chosen by name from a registry (built-ins registered like any other).

An answerer receives the question and the retrieved hits and returns a :class:`Draft`:
the answer text with [n] markers, its citations (verbatim sentence spans), a short answer,
and whether it abstained (then ``related`` holds the closest passages, never as citations).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol, Sequence

from depeche.types import Citation, Hit
from index.french import tokenize
from index.sentences import split_sentences
from rag.citations import make_citation, renumber

NOT_FOUND_FR = "Je ne trouve pas cette information dans le corpus."
NOT_FOUND_EN = "I cannot find this information in the corpus."


@dataclass(frozen=True)
class Draft:
    text: str
    citations: tuple[Citation, ...]
    abstained: bool
    short_answer: str | None = None
    related: tuple[Citation, ...] = ()
    timings_ms: dict = field(default_factory=dict)
    reranked: tuple[Hit, ...] = ()  # the passages in the order the answerer found them useful, if it did
    shape: str | None = None  # rag/shapes.py; None = a single fact
    answers: tuple[str, ...] = ()  # each citation's short answer, in citation order, when the answerer has them
    stated: bool = False  # a list the article announces itself ("quatre pays : …"): kept over the reader's


class Answerer(Protocol):
    def __call__(self, question: str, hits: Sequence[Hit], *, english: bool = False) -> Draft: ...


_REGISTRY: dict[str, Callable[..., Answerer]] = {}


def register_answerer(name: str):
    def deco(factory):
        _REGISTRY[name] = factory
        return factory

    return deco


def registered_answerers() -> list[str]:
    return sorted(_REGISTRY)


def get_answerer(name: str, engine) -> Answerer:
    from depeche.errors import DepecheError

    if name not in _REGISTRY:
        _load_builtin_modules()
    if name not in _REGISTRY:
        raise DepecheError(f"Unknown answerer '{name}'; use one of {', '.join(registered_answerers())}.")
    return _REGISTRY[name](engine)


def _load_builtin_modules() -> None:
    import importlib

    for mod in ("rag.read_answer", "rag.extractive"):
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name != mod:
                raise


def sentence_spans(hit: Hit) -> list[tuple[int, int, str]]:
    """(article_start, article_end, text) of each sentence of a retrieved chunk."""
    c = hit.chunk
    return [(c.start + s, c.start + e, c.text[s:e]) for s, e in split_sentences(c.text)]


def related_from(hits: Sequence[Hit], limit: int = 3) -> tuple[Citation, ...]:
    out = []
    for h in hits[:limit]:
        c = h.chunk
        out.append(make_citation(len(out) + 1, c, c.start, c.end, c.text, h.score))
    return tuple(out)


@register_answerer("passages")
class PassagesAnswerer:
    """The plain baseline: the best-matching sentence of each top passage, cited."""

    def __init__(self, engine=None, max_citations: int = 3) -> None:
        self.max_citations = max_citations

    def __call__(self, question: str, hits: Sequence[Hit], *, english: bool = False) -> Draft:
        q = set(tokenize(question))
        cits: list[Citation] = []
        for h in hits:
            best = max(sentence_spans(h), key=lambda s: len(q & set(tokenize(s[2]))), default=None)
            if best and (not q or q & set(tokenize(best[2]))):
                cits.append(make_citation(0, h.chunk, best[0], best[1], best[2], h.score))
            if len(cits) >= self.max_citations:
                break
        if not cits:
            return Draft(NOT_FOUND_EN if english else NOT_FOUND_FR, (), True, None, related_from(hits))
        cits = renumber(cits)
        intro = "Closest passages:" if english else "Passages les plus proches :"
        text = intro + " " + " ".join(f"« {c.quote[:200]} » [{c.n}]" for c in cits)
        return Draft(text, tuple(cits), False, None)
