"""The trained reason ranker: which candidate sentence gives the cause, purpose or manner asked for.

The hand rules of rag/shaped/reasons.py score a sentence by its evidence score times a bonus for a
connective of cause or purpose ("pour", "afin de", "car"…). That bonus often loses to a sentence that
repeats the question's words without saying why. This ranker is a linear scorer over a few
signals of each candidate (:func:`features`): the evidence score and its rank, the trained reader's
margin for the best span inside the sentence and its rank, the connectives the rules find and where,
the question's words the sentence holds, its length, its article; each signal is counted twice, once
for causes and once for manner. Its weights (``models/reasons/reason-ranker.json``, trained by
``train/reason_train.py`` on PIAF's train split and the fit gold sets; model card beside it) rank the
pool of candidates; the rules still find the cause clause within the chosen sentence. Pure numpy.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "reasons"
NAMES = ("bias", "score", "score_rank", "score_first", "margin", "margin_rank", "margin_first", "unread",
         "cause", "cause_after_verb", "ahead", "behind", "points_back", "consequence", "manner_conn",
         "manner_after_verb", "reaction", "quote", "verb", "overlap", "log_length", "lead", "anaphor",
         "rules_share", "rules_first", "margin_gap", "after_top", "before_top")
PER_SHAPE = len(NAMES)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


def features(question: str, texts: Sequence[str], scores: Sequence[float], margins: Sequence[float | None],
             articles: Sequence[str], rules: Sequence[float], manner: bool, english: bool,
             spans: Sequence[tuple[int, int]] | None = None) -> np.ndarray:
    """One row of signals per candidate sentence (``2 × PER_SHAPE`` wide: the cause half, then the
    manner half, the other half zero). ``rules``: the hand rules' score of each (rag/shaped/reasons.py);
    ``spans``: each one's offsets in its article (for the sentences just before and after the best-scored)."""
    from index.french import tokenize
    from rag.shaped.reasons import (ANAPHOR, CAUSE_AHEAD, CAUSE_BEHIND, CAUSE_RE, CONSEQUENCE, MANNER_RE,
                                    POINTS_BACK, REACTION_RE, _first_stem_at, _question_stems)

    n = len(texts)
    out = np.zeros((n, 2 * PER_SHAPE), np.float32)
    if not n:
        return out
    stems = _question_stems(question, english)
    top = max(scores) or 1.0
    by_score = {i: r for r, i in enumerate(sorted(range(n), key=lambda i: -scores[i]))}
    known = [m for m in margins if m is not None]
    best_m = max(known) if known else None
    by_margin = {i: r for r, i in enumerate(sorted(range(n), key=lambda i: -(margins[i] if margins[i] is not None else -99)))}
    top_rule = max(rules) or 1.0
    first = max(range(n), key=lambda i: scores[i])
    lead = articles[first]
    near = spans is not None
    spans = spans or [(0, 0)] * n
    a0, b0 = spans[first]
    for i, t in enumerate(texts):
        verb_at = _first_stem_at(t, stems)
        cause = [m.start() for m in CAUSE_RE.finditer(t)]
        man = [m.start() for m in MANNER_RE.finditer(t)]
        m = margins[i]
        words = set(tokenize(t))
        row = {
            "bias": 1.0,
            "score": scores[i] / top,
            "score_rank": 1.0 / (1 + by_score[i]),
            "score_first": float(by_score[i] == 0),
            "margin": _sigmoid(m / 2.0) if m is not None else 0.0,
            "margin_rank": 1.0 / (1 + by_margin[i]) if m is not None else 0.0,
            "margin_first": float(m is not None and m == best_m),
            "unread": float(m is None),
            "cause": float(bool(cause)),
            "cause_after_verb": float(any(0 <= verb_at < c for c in cause)),
            "ahead": float(bool(CAUSE_AHEAD.search(t))),
            "behind": float(bool(CAUSE_BEHIND.search(t))),
            "points_back": float(bool(POINTS_BACK.search(t))),
            "consequence": float(bool(CONSEQUENCE.search(t))),
            "manner_conn": float(bool(man)),
            "manner_after_verb": float(any(0 <= verb_at < c for c in man)),
            "reaction": float(bool(REACTION_RE.search(t))),
            "quote": float(bool(re.search(r"[«\"“]", t))),
            "verb": float(verb_at >= 0),
            "overlap": len(stems & words) / (len(stems) or 1),
            "log_length": math.log(1 + len(t)) / 6.0,
            "lead": float(articles[i] == lead),
            "anaphor": float(bool(ANAPHOR.match(t))),
            "rules_share": rules[i] / top_rule,
            "rules_first": float(rules[i] == top_rule),
            "margin_gap": _sigmoid((m - best_m) / 2.0) if m is not None and best_m is not None else 0.0,
            "after_top": float(near and articles[i] == lead and i != first and 0 <= spans[i][0] - b0 <= 3),
            "before_top": float(near and articles[i] == lead and i != first and 0 <= a0 - spans[i][1] <= 3),
        }
        off = PER_SHAPE if manner else 0
        out[i, off:off + PER_SHAPE] = [row[k] for k in NAMES]
    return out


class ReasonRanker:
    def __init__(self, w: np.ndarray, meta: dict):
        self.w, self.meta = np.asarray(w, np.float32), meta
        # the candidates it was trained to choose among: the best ``most`` sentences scoring ``share``
        # of the best or more (the rules alone take 8 and 0.5)
        most, share = meta.get("pool", (8, 0.5))
        self.pool = (int(most), float(share))

    def scores(self, x: np.ndarray) -> np.ndarray:
        return x @ self.w

    def rank(self, question: str, found: list, manner: bool, english: bool) -> list:
        """``found`` (rag/shaped/reasons.Reason, scored by the rules) in the ranker's order, best first."""
        return self.order(question, found, manner, english)[0]

    def order(self, question: str, found: list, manner: bool, english: bool) -> tuple[list, float]:
        """:meth:`rank`, and the share of the softmax over the candidates the first one takes: how sure
        the ranker is of it (1.0 with one candidate)."""
        if len(found) < 2:
            return list(found), 1.0
        x = features(question, [r.sent.text for r in found], [r.sent.score for r in found],
                     [r.sent.margin for r in found], [r.sent.article_id for r in found],
                     [r.score for r in found], manner, english, [(r.sent.start, r.sent.end) for r in found])
        z = self.scores(x).astype(np.float64)
        p = np.exp(z - z.max())
        order = sorted(range(len(found)), key=lambda i: -z[i])
        return [found[i] for i in order], float(p[order[0]] / p.sum())


@lru_cache(maxsize=2)
def load(folder: str = str(MODEL_DIR)) -> ReasonRanker | None:
    """The shipped ranker, or None when its file is absent (the rules then rank alone)."""
    from rag.shaped.linear import read_weights

    got = read_weights(Path(folder) / "reason-ranker.json", 2 * PER_SHAPE, "reason ranker", "models/reasons",
                       "train-reasons", "DEPECHE_REASON_MODEL")
    return ReasonRanker(*got) if got else None


def for_engine(engine) -> ReasonRanker | None:
    """The shipped ranker unless the engine's settings switch it off (``reason_model``); None: the rules."""
    on = getattr(getattr(engine, "settings", None), "reason_model", True)
    return load() if on else None
