"""The trained reader as a sentence scorer for lists, causes and manner.

The candidate sentences of a shaped answer are ranked by e5 similarity and word overlap
(rag/evidence.py), which prefer a sentence repeating the question's words ("L'homme … a agressé les
quatre militaires du Louvre") to the one answering it ("Il a aussi laissé … un sac à dos contenant
des bombes aérosols de peinture, une veste et un téléphone portable"). The reader
(models/reader/, trained on PIAF) reads the same passages anyway; its margin over "no answer here"
for the best span inside a sentence says whether that sentence answers. A sentence's score becomes

    top × ((1 − WEIGHT) × score / top + WEIGHT × σ((margin − CENTRE) / SPREAD))

so the order of sentences, not their scale, changes (shares of the best score still select pools).
The reader picks sentences, not the story: the article whose sentence led before stays first (a
results sentence of the week before's competition must not replace the one asked about).

Measured on the list, cause and manner questions of the fit and dev sets, where WEIGHT was chosen
(rag/tuned.py; `python -m eval.sentence_ranks`). The gold sentence is ranked first for 0.38 / 0.33 /
0.23 of them by the old score and 0.50 / 0.41 / 0.38 by the blend (in the top 3: 0.73 / 0.56 / 0.62
-> 0.82 / 0.70 / 0.77). Whole answers: list recall 0.694 -> 0.719, causes found 0.782 -> 0.818, manner
0.538 -> 0.692. Not used to choose: on 126 questions of PIAF's calibration split whose gold sentence
is a candidate (eight passages read), first 0.53 -> 0.60 (top 3: 0.73 -> 0.79); the 97 PIAF
"pourquoi" questions of the train and calibration splits, cause found 0.526 -> 0.557.
Pure, but for :func:`read_sentences`, which runs the reader.
"""
from __future__ import annotations

import bisect
import math
from dataclasses import replace
from typing import Sequence

import numpy as np

from depeche.types import Hit
from rag import tuned
from rag.reader_encoding import MAX_ANSWER, span_grid
from rag.shaped.corpus import Sent

WEIGHT, SPREAD, CENTRE = tuned.SENTENCE_READ_WEIGHT, tuned.SENTENCE_READ_SPREAD, tuned.SENTENCE_READ_CENTRE
UNREAD = -30.0  # margin of no tokens at all (far below any span the reader would give)


def span_margin(start: np.ndarray, end: np.ndarray, null: float, max_answer: int = MAX_ANSWER) -> float:
    """The best span's start + end logit within these tokens, minus "no answer" (pure)."""
    n = len(start)
    if n == 0:
        return UNREAD
    return float(span_grid(start, end, max_answer).max()) - null


def sentence_margins(reads_by_hit, hits: Sequence[Hit], sents: Sequence[Sent]) -> dict[tuple[str, int], float]:
    """(article, start) -> the reader's best margin for a span lying inside that sentence, over every
    window of every passage read (``reads_by_hit[k]``: the rag/reader.Read list of ``hits[k]``)."""
    by_article: dict[str, list[Sent]] = {}
    for s in sents:
        by_article.setdefault(s.article_id, []).append(s)
    out: dict[tuple[str, int], float] = {}
    for h, reads in zip(hits, reads_by_hit):
        mine = by_article.get(h.chunk.article_id, ())
        for r in reads:
            w = r.window
            n = len(w.offsets)
            if not n or not mine:
                continue
            null = float(r.start[0] + r.end[0])
            starts = [h.chunk.start + a for a, _ in w.offsets]
            ends = [h.chunk.start + b for _, b in w.offsets]
            s_log = np.asarray(r.start[w.first:w.first + n], dtype=np.float32)
            e_log = np.asarray(r.end[w.first:w.first + n], dtype=np.float32)
            for s in mine:
                i0 = bisect.bisect_left(starts, s.start)
                i1 = bisect.bisect_right(ends, s.end)
                if i1 <= i0:
                    continue
                m = span_margin(s_log[i0:i1], e_log[i0:i1], null)
                key = (s.article_id, s.start)
                if m > out.get(key, -math.inf):
                    out[key] = m
    return out


def blended(sents: Sequence[Sent], margins: dict[tuple[str, int], float]) -> list[Sent]:
    """``sents`` rescored with the reader's margins (see the module doc), best first; the article
    of the best sentence before stays first (pure)."""
    if not sents or not margins:
        return list(sents)
    top = max(s.score for s in sents) or 1.0
    lead = max(sents, key=lambda s: s.score).article_id

    def score(s: Sent) -> float:
        m = margins.get((s.article_id, s.start))
        if m is None:  # in no passage the reader read: as it was
            return s.score
        p = 1.0 / (1.0 + math.exp(-(m - CENTRE) / SPREAD))
        return top * ((1 - WEIGHT) * s.score / top + WEIGHT * p)

    out = sorted((replace(s, score=score(s), margin=margins.get((s.article_id, s.start))) for s in sents),
                 key=lambda s: -s.score)
    if out[0].article_id != lead:  # the reader picks sentences, not the story: retrieval chose the article
        i = next(i for i, s in enumerate(out) if s.article_id == lead)
        out.insert(0, replace(out.pop(i), score=out[0].score))
    return out


def read_sentences(reader, question: str, hits: Sequence[Hit], sents: Sequence[Sent]) -> list[Sent]:
    """``sents`` (candidates from ``hits``) re-ranked by the reader reading the top passages of
    ``hits``; a sentence of a passage not read keeps its score."""
    if reader is None or not hits:
        return list(sents)
    return blended(sents, read_margins(reader, question, hits, sents))


def read_margins(reader, question: str, hits: Sequence[Hit], sents: Sequence[Sent]) -> dict[tuple[str, int], float]:
    """The reader reads the top passages of ``hits``: the margins of ``sents`` lying in them."""
    read = list(hits)[:tuned.READ_PASSAGES]  # the passages the answerer reads: one reading for both
    return sentence_margins(reader.logits(question, [h.chunk.text for h in read]), read, sents)
