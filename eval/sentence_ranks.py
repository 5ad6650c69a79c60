"""Where the gold sentence ranks among a shaped answer's candidates: by the e5 + word-overlap score,
by the reader's margin, and by their blend (rag/shaped/reading.py, rag/tuned.py). The measurement
behind the SENTENCE_READ_* numbers; run it on fit data only.

    python -m eval.sentence_ranks eval/gold/shapes-fit.jsonl ... --store .depeche-eval \
        [--shapes list,cause,manner] [--grid] [--out ranks.json]

A question's gold sentences are the candidates of its gold article holding one of its items, cause
phrases or key sentences (``|`` variants). The reader reads the passages rag/shaped/reading.py reads.
``--grid`` also scores centres -4..2 and spreads 1..4 at the shipped weight (and weights 0.3-0.7 at
the shipped centre and spread): first and top-3 shares per shape.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Sequence

Row = tuple[float, "float | None", bool]  # old score, reader margin (None: passage not read), gold


def gold_rank(rows: Sequence[Row], weight: float, centre: float, spread: float) -> int | None:
    """Rank (0 = first) of the best gold row when ordered by the blend; None without gold (pure).
    weight 0 is the old score alone, weight 1 the reader alone."""
    if not rows or not any(g for _, _, g in rows):
        return None
    top = max(s for s, _, _ in rows) or 1.0

    def key(row: Row) -> float:
        s, m, _ = row
        if m is None:  # as rag/shaped/reading.blended: a sentence the reader did not read keeps its score
            return s / top
        return (1 - weight) * s / top + weight / (1.0 + math.exp(-(m - centre) / spread))

    order = sorted(range(len(rows)), key=lambda i: -key(rows[i]))
    return min(order.index(i) for i, r in enumerate(rows) if r[2])


def shares(ranks: Sequence[int | None]) -> dict[str, float]:
    """First and top-3 shares of the questions with a gold candidate (pure)."""
    got = [r for r in ranks if r is not None]
    n = len(got) or 1
    return {"n": len(got), "first": round(sum(r == 0 for r in got) / n, 3),
            "top3": round(sum(r < 3 for r in got) / n, 3)}


def _rows(engine, item) -> list[Row]:
    from rag.query import EVIDENCE_PASSAGES, search
    from rag.question import is_english
    from rag.shaped.reading import read_margins

    q = item.question
    en = is_english(q)
    k, filters = engine.options(None, None, None, ())
    pool = search(engine._current(), q, max(k, EVIDENCE_PASSAGES), filters, mode=engine.settings.retriever,
                  bm25_weight=engine.settings.bm25_weight, english=en)
    if getattr(engine, "_shaped", None) is None:
        engine.shaped("list", q, pool, en)  # builds the shaped answerer and its corpus
    corpus = engine._shaped.corpus
    ranked = corpus.scored(q, pool, en)
    margins = read_margins(engine.answerer.reader, q, pool, ranked)
    wanted = [v for key in (item.items or item.cause or item.key_sentences) for v in key.split("|")]
    return [(s.score, margins.get((s.article_id, s.start)),
             s.article_id == item.article and any(w in s.text for w in wanted)) for s in ranked]


def main(argv: list[str] | None = None) -> int:
    from depeche.settings import Settings
    from eval.gold import load_gold
    from rag import tuned
    from rag.engine import Engine

    ap = argparse.ArgumentParser(prog="python -m eval.sentence_ranks", description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", nargs="+")
    ap.add_argument("--store", default=".depeche-eval")
    ap.add_argument("--shapes", default="list,cause,manner")
    ap.add_argument("--grid", action="store_true")
    ap.add_argument("--out")
    a = ap.parse_args(argv)
    shapes = set(a.shapes.split(","))
    engine = Engine(Settings.load(cli={"store": a.store}))
    per: dict[str, list[list[Row]]] = {}
    for path in a.gold:
        for item in load_gold(path):
            if item.shape in shapes and item.article:
                per.setdefault(item.shape, []).append(_rows(engine, item))
    w, c, s = tuned.SENTENCE_READ_WEIGHT, tuned.SENTENCE_READ_CENTRE, tuned.SENTENCE_READ_SPREAD
    report: dict = {}
    for shape, qs in sorted(per.items()):
        report[shape] = {"old": shares([gold_rank(r, 0.0, c, s) for r in qs]),
                         "reader": shares([gold_rank(r, 1.0, c, s) for r in qs]),
                         "blend": shares([gold_rank(r, w, c, s) for r in qs])}
        if a.grid:
            report[shape]["grid"] = {
                **{f"c{cc}_s{ss}": shares([gold_rank(r, w, cc, ss) for r in qs]) for cc in (-4, -2, 0, 2) for ss in (1, 2, 4)},
                **{f"w{ww}": shares([gold_rank(r, ww, c, s) for r in qs]) for ww in (0.3, 0.4, 0.5, 0.6, 0.7)}}
        print(shape, {k: v for k, v in report[shape].items() if k != "grid"})
    if a.out:
        Path(a.out).write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
