"""What `ask` actually searches for: the question's own words, French words for an English question
(BM25 has nothing else to match), and the period the question names ("en mars 2017", "in 2018").

A named period is applied to article dates, which drift from event dates (a dispatch reports on
yesterday; a 2017 article recalls 2015). Measured with eval/tune_answers.py (`periods`) on wikinews
questions built from sentences naming a period, article in the top 5:

    period = the article's own month/year (100 q.):  off 0.76   restrict 0.89   boost 0.89
    period = another year the article mentions (100): off 0.80   restrict 0.05   boost 0.77

so passages dated in the period are boosted, not filtered. The period runs from the day before
it to 31 days after: a report is dated after what it tells, not a month before (of the 467 fit
questions naming a period, 5 find their article higher, none lower, than with ±31 days). A period
the corpus says nothing about ("en 2031") is caught by the answerer instead (rag/extractive.py).
Undated articles are never pushed down; explicit --since/--until filters keep their strict meaning.
"""
from __future__ import annotations

import re
from dataclasses import replace
import numpy as np

from depeche.types import Hit
from rag.dates import date_int, period_in, widen
from rag.fusion import blend_minmax
from rag.retrieve import Filters, Retriever

DATE_MODE = "boost"  # "boost" (passages dated in the period rank higher) | "restrict" (others go) | "off"
DRIFT_DAYS = 31  # widening of a named period, for reports dated after the event
DRIFT_BEFORE = 1  # … and before it: a report is not dated before what it tells
BOOST = 0.4  # with DATE_MODE = "boost": relative bonus of passages dated inside the period (0.1: 0.81/0.80,
# 0.25: 0.85/0.77, 0.4: 0.89/0.77 on the two sets above)
POOL = 60
EVIDENCE_PASSAGES = 8  # passages the answerer reads for sentence evidence (the top k are shown)
EN_BM25_SCALE = 0.5  # the glossed BM25 query of an English question is only a rough translation …
EN_NAMED_BM25_SCALE = 1.0  # … but a name it writes ("Sandhurst", "Theresa May") is the same in French
_NAME = re.compile(r"(?<=\s)[A-ZÀ-Ý][\w'’-]+")


def lexical_query(question: str, english: bool) -> str:
    from rag.glossary import with_french

    return with_french(question, english)


def lexical_weight(bm25_weight: float, question: str, english: bool) -> float:
    """The BM25 side's weight: lowered for an English question glossed in French, unless it writes a
    name (PIAF in English, calibration split: evidence hit@1 0.539 -> 0.555, accuracy 0.387 -> 0.405;
    held-out split: 0.658 -> 0.652, 0.445 -> 0.455)."""
    if not english:
        return bm25_weight
    return bm25_weight * (EN_NAMED_BM25_SCALE if _NAME.search(question) else EN_BM25_SCALE)


def question_period(question: str, filters: Filters) -> tuple[str, str] | None:
    if filters.since or filters.until:
        return None  # explicit filters win
    p = period_in(question)
    return widen(p, DRIFT_BEFORE, after=DRIFT_DAYS) if p else None


def search(retriever: Retriever, question: str, k: int, filters: Filters = Filters(), *, mode: str = "hybrid",
           bm25_weight: float = 0.5, english: bool = False, date_mode: str = DATE_MODE,
           period: tuple[str, str] | None = None) -> list[Hit]:
    """Hybrid search with the English gloss on the BM25 side and the question's period applied."""
    lexq = lexical_query(question, english)
    bm25_weight = lexical_weight(bm25_weight, question, english)
    period = period if period is not None else question_period(question, filters)
    if date_mode == "off":
        period = None
    return _fused(retriever, question, lexq, k, filters, mode, bm25_weight, period, date_mode)


def _fused(retriever: Retriever, question: str, lexq: str, k: int, filters: Filters, mode: str,
           bm25_weight: float, period, date_mode: str) -> list[Hit]:
    if not retriever.chunks:
        return []
    n = max(POOL, k)
    restrict = period is not None and date_mode == "restrict"
    lex: dict[int, float] = {}
    den: dict[int, float] = {}
    if mode in ("hybrid", "bm25"):
        lex = _lexical(retriever, lexq, filters, n, period if restrict else None)
    if mode in ("hybrid", "dense"):
        if restrict:
            # Chroma filters cannot say "inside the period or undated": ask for each, merge.
            lo, hi = period
            den = retriever.dense_scores(question, replace(filters, since=lo, until=hi), n)
            if (retriever.dates == 0).any():
                undated = retriever.dense_scores(question, filters, n)
                den.update({i: s for i, s in undated.items() if retriever.dates[i] == 0})
        else:
            den = retriever.dense_scores(question, filters, n)
    fused = lex if mode == "bm25" else den if mode == "dense" else blend_minmax(lex, den, bm25_weight)
    if period is not None and date_mode == "boost":
        lo, hi = date_int(period[0]), date_int(period[1])
        d = retriever.dates
        fused = {i: s * (1.0 + BOOST) if lo <= d[i] <= hi else s for i, s in fused.items()}
    ranked = sorted(fused.items(), key=lambda kv: -kv[1])[:k]
    return [Hit(retriever.chunks[i], float(s), float(den.get(i, 0.0))) for i, s in ranked]


def _lexical(retriever: Retriever, query: str, filters: Filters, n: int, period) -> dict[int, float]:
    if period is None:
        return retriever.lexical_scores(query, filters, n)
    scores = retriever.lexical.scores(query)
    if scores.size == 0:
        return {}
    lo, hi = date_int(period[0]), date_int(period[1])
    d = retriever.dates
    m = (d == 0) | ((d >= lo) & (d <= hi))
    explicit = retriever.mask(filters)
    if explicit is not None:
        m &= explicit
    scores = np.where(m, scores, 0.0)
    top = np.argsort(-scores)[:n]
    return {int(i): float(scores[i]) for i in top if scores[i] > 0}
