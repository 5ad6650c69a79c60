"""Warm `ask` latency: p50/p95 per stage over a set of questions, printed and saved as JSON.

    python -m eval.bench_ask --store /tmp/full-index [--questions ../shared/data/dev-gold.jsonl]
        [--repeat 2] [--out bench-out/ask.json]

The engine is warmed up first (index, embedder, spaCy); each question is then asked ``repeat``
times; the first pass is what a user sees for a new question (sentence vectors not cached yet),
the later passes show the cache. Timings come from ``Answer.timings_ms``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

from eval.metrics import percentile

DEFAULT_QUESTIONS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "dev-gold.jsonl"
FALLBACK = [
    "Qui a rencontré Kim Jong Un jeudi à Pékin ?",
    "Quel jour Kim Jong Un est-il arrivé à Pékin ?",
    "Combien d'Airbus l'Iran va-t-il commander ?",
    "Who won the Coupe de la Ligue de handball?",
    "Quand la BCE a-t-elle décidé d'arrêter le billet de 500 euros ?",
]


def load_questions(path: str | None, limit: int | None) -> list[str]:
    p = Path(path) if path else DEFAULT_QUESTIONS
    if not p.exists():
        return FALLBACK
    qs = [json.loads(line)["question"] for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    return qs[:limit] if limit else qs


def stats(rows: list[dict], key: str) -> dict:
    vals = [r[key] for r in rows if key in r]
    return {"p50": percentile(vals, 50), "p95": percentile(vals, 95), "n": len(vals)}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--store", required=True)
    p.add_argument("--questions", help="JSONL with a 'question' field (default: ../shared/data/dev-gold.jsonl)")
    p.add_argument("--limit", type=int)
    p.add_argument("--repeat", type=int, default=2)
    p.add_argument("--out", default="bench-out/ask.json")
    args = p.parse_args(argv)

    from depeche.settings import Settings
    from rag.engine import Engine

    engine = Engine(Settings.load(cli={"store": args.store}))
    t0 = time.perf_counter()
    engine.warm_up()
    engine.ask("Qui a rencontré qui ?")  # loads spaCy and the answerer's caches
    warm_s = time.perf_counter() - t0
    questions = load_questions(args.questions, args.limit)
    passes = []
    for r in range(args.repeat):
        rows = []
        for q in questions:
            t = time.perf_counter()
            ans = engine.ask(q)
            wall = (time.perf_counter() - t) * 1000
            rows.append({"question": q, "wall": wall, "abstained": ans.abstained, **ans.timings_ms})
        passes.append(rows)
    keys = ["wall", "retrieve", "answer_evidence", "answer_spans", "answer"]
    report = {
        "store": args.store, "questions": len(questions), "repeat": args.repeat, "warm_up_s": round(warm_s, 2),
        "cpu_count": os.cpu_count(), "load_avg": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "first_pass": {k: stats(passes[0], k) for k in keys},
        "later_passes": {k: stats([r for rows in passes[1:] for r in rows], k) for k in keys} if args.repeat > 1 else {},
        "rows": passes[0],
    }
    print(f"warm-up {warm_s:.1f} s; {len(questions)} questions x {args.repeat}; load avg {report['load_avg']}")
    for name in ("first_pass", "later_passes"):
        for k, v in report[name].items():
            if v.get("n"):
                print(f"{name:13s} {k:16s} p50 {v['p50']:8.1f} ms   p95 {v['p95']:8.1f} ms")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
