"""Summaries: 3–5 central, non-redundant sentences of the most relevant article(s), in reading
order, grouped by article with its date, each cited.

A sentence is central when it comes early (news put what matters first), shares words with the
title and with the rest of the article, and speaks of what the question names. Captions, headings
and scraped debris are never picked (rag/shaped/corpus.is_debris); a sentence that repeats one
already picked (another wire version of the same story) is skipped. Pure scoring; the corpus is
read through :class:`~rag.shaped.corpus.Corpus`.
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

from depeche.types import Article, Hit
from index.french import tokenize
from rag.shaped.corpus import Corpus, Sent, is_debris, is_fragment

# Words of the request itself, not of its topic.
_REQUEST = set(tokenize("résume résumé résumez dépêche article articles sait-on savons passé passe "
                        "summarize summarise summary article story happened know known raconte décris"))
REDUNDANT = 0.5  # share of a sentence's stems already said by a chosen sentence
SECOND_ARTICLE = 0.85  # an article whose best passage scores this close to the top is summarised too
WIRE_COPY = 0.5  # share of the shorter article's words in the other: the same story rewritten
SAME_TOPIC = 0.8  # … if it holds (nearly) as many of the question's words as the top one
RELEVANCE = 0.2  # weight of a sentence's evidence score against the question (the rest: centrality)


def topic(question: str, english: bool = False) -> set[str]:
    from rag.glossary import with_french

    q = with_french(question, english)
    return set(tokenize(q)) - _REQUEST


def overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def central(article: Article, sents: Sequence[Sent], wanted: set[str],
            relevance: dict[int, float] | None = None) -> list[tuple[float, Sent]]:
    """(score, sentence) of every stating sentence of an article; ``relevance``: start offset ->
    the sentence's evidence score against the question, relative to the best (0..1)."""
    relevance = relevance or {}
    keep = [s for s in sents if not is_debris(s.text) and not is_fragment(s.text)]
    # the first sentence after an intertitle ("Irresponsables") opens a new part of the story
    heads = {s.index + 1 for s in sents if is_debris(s.text) and len(s.text) < 60 and s.index > 0
             and not any(ch.isdigit() for ch in s.text)}
    stems = [set(tokenize(s.text)) for s in keep]
    df = Counter(t for st in stems for t in st)
    title = set(tokenize(article.title))
    out = []
    for rank, (s, st) in enumerate(zip(keep, stems)):
        if not st:
            continue
        if s.index in heads:
            rank = min(rank, 1)
        shared = sum(1 for t in st if df[t] > 1) / len(st)  # said again elsewhere in the article
        score = (0.45 / (1 + 0.5 * rank) + 0.2 * overlap(st, title) + 0.3 * shared
                 + 0.1 * (len(st & wanted) / max(1, len(wanted))) + RELEVANCE * relevance.get(s.start, 0.0))
        out.append((score, s))
    return out


def same_story(a: Article, b: Article) -> bool:
    """Two wire versions of one story: dated within a day of each other, most words in common."""
    import datetime as dt

    try:
        near = abs((dt.date.fromisoformat(a.date) - dt.date.fromisoformat(b.date)).days) <= 1
    except (TypeError, ValueError):
        near = a.date == b.date
    return near and overlap(set(tokenize(a.text)), set(tokenize(b.text))) > WIRE_COPY


def choose_articles(hits: Sequence[Hit], limit: int = 2) -> list[str]:
    """The article of the top passage, and another whose passages score nearly as well."""
    best: dict[str, float] = {}
    for h in hits:
        best[h.chunk.article_id] = max(best.get(h.chunk.article_id, 0.0), h.score)
    ranked = sorted(best, key=lambda a: -best[a])
    if not ranked:
        return []
    top = best[ranked[0]]
    return [a for a in ranked[:limit] if best[a] >= SECOND_ARTICLE * top]


def in_period_first(arts: Sequence[Article], question: str) -> list[Article]:
    """Articles dated in the period the question names ("jouées le 12 mars 2016") before those only
    near it (the next day's report of the final), each group in its order (pure)."""
    from rag.dates import period_in

    period = period_in(question)
    if not period or len(arts) < 2:
        return list(arts)
    lo, hi = period
    inside = [a for a in arts if a.date and lo <= a.date <= hi]
    return inside + [a for a in arts if a not in inside]


def summarise(question: str, hits: Sequence[Hit], corpus: Corpus, english: bool = False,
              most: int = 5, ranked: Sequence[Sent] = ()) -> list[tuple[Article, list[Sent]]]:
    """[(article, its chosen sentences in reading order)], articles in order of relevance;
    ``ranked``: the retrieved sentences scored against the question (what it asks about)."""
    top = max((s.score for s in ranked), default=0.0) or 1.0
    relevance: dict[str, dict[int, float]] = {}
    for s in ranked:
        relevance.setdefault(s.article_id, {})[s.start] = max(0.0, s.score / top)
    wanted = topic(question, english)
    arts = [a for a in (corpus.article(aid) for aid in choose_articles(hits)) if a is not None]
    if len(arts) > 1 and wanted:  # a second article must be about the same thing as the first …
        held = [len(wanted & set(tokenize(f"{a.title} {a.text}"))) for a in arts]
        arts = [a for a, h in zip(arts, held) if h >= SAME_TOPIC * held[0]]
    arts = [a for i, a in enumerate(arts) if not any(same_story(a, b) for b in arts[:i])]  # … not its copy
    arts = in_period_first(arts, question)
    per = [most] if len(arts) == 1 else [3, 2][:len(arts)]
    picked: list[tuple[Article, list[Sent]]] = []
    said: list[set[str]] = []
    for art, n in zip(arts, per):
        scored = sorted(central(art, corpus.sentences(art.id), wanted, relevance.get(art.id)), key=lambda x: -x[0])
        chosen: list[Sent] = []
        for score, s in scored:
            st = set(tokenize(s.text))
            if any(overlap(st, o) > REDUNDANT for o in said):
                continue
            chosen.append(Sent(s.article_id, s.start, s.end, s.text, score, s.index))
            said.append(st)
            if len(chosen) >= n:
                break
        if chosen:
            picked.append((art, sorted(chosen, key=lambda s: s.start)))
        if sum(len(c) for _, c in picked) >= most:
            break
    return picked
