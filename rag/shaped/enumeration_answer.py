"""A list question the engine would refuse, answered by the enumeration the trained chooser picks
(rag/shaped/enumeration_model.py) — the I/O edge: it gathers the chooser's inputs from the engine
(the evidence's sentences, the reader's spans, the retrieval pool) and drafts the list.

The candidates are the enumerations of the sentences the evidence ranker scores best
(``SCORED``) and of those holding the reader's best spans (``SPANS``).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Sequence

from rag.answerers import Draft

SCORED = 20  # evidence sentences whose enumerations are weighed
SPANS = 10  # reader spans whose sentences are weighed too


@dataclass(frozen=True)
class Gathered:
    """What the chooser weighs for one question."""

    cands: tuple
    spans: tuple[tuple[str, int, int, float], ...]  # (article id, start, end, score), best first
    lead: str | None
    article_rank: dict


def gather(engine, corpus, q, pool: Sequence, names: bool) -> Gathered:
    """The candidates of ``q`` (rag.question.Question) over the retrieval ``pool``; ``corpus``: the
    shaped answerer's (rag/shaped/corpus.py); ``names``: the question asks for names."""
    from rag.shaped.enumeration_model import candidates

    scored = corpus.scored(q.search, pool, q.english)[:SCORED]
    spans = engine.answerer.spans(q, pool)[:SPANS]
    sents = {(s.article_id, s.start): s for s in scored}
    of_article: dict[str, list] = {}  # each article's sentences, split once
    for f in spans:
        aid = f.hit.chunk.article_id
        if aid not in of_article:
            of_article[aid] = corpus.sentences(aid)
        for s in of_article[aid]:
            if s.start <= f.start < s.end:
                sents.setdefault((aid, s.start), s)
                break
    rank: dict[str, int] = {}
    for h in pool:
        rank.setdefault(h.chunk.article_id, len(rank))
    return Gathered(tuple(candidates(list(sents.values()), q.text, names)),
                    tuple((f.hit.chunk.article_id, f.start, f.end, f.score) for f in spans),
                    pool[0].chunk.article_id if pool else None, rank)


def answer(engine, corpus, q, pool: Sequence, names: bool) -> Draft | None:
    """The list draft of the enumeration the chooser picks, each item cited by its sentence; None
    when the chooser is off or absent, the answerer reads no spans, or no enumeration reaches the
    threshold."""
    from rag.shaped import enumeration_model
    from rag.shaped.corpus import cite
    from rag.shaped.list_drafts import item_lines

    model = enumeration_model.for_engine(engine)
    if model is None or not hasattr(engine.answerer, "spans") or not pool:
        return None
    got = gather(engine, corpus, q, pool, names)
    best = model.best(q.text, q.english, got.cands, got.spans, names, got.lead, got.article_rank)
    if best is None:
        return None
    cand, _ = best
    s = cand.sent
    c = cite(corpus, s.article_id, s.start, s.end, s.score)
    if c is None:
        return None
    c = dataclasses.replace(c, n=1)
    items = [(a - s.start, b - s.start) for a, b in cand.items]
    a0, b0 = items[0]
    return Draft("\n".join(item_lines(c.quote, items, c.n)), (c,), False, c.quote[a0:b0], shape="list")
