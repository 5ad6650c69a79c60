"""The timeline questions the timeline chooser learns from, and the candidate sentences the system
weighed for each (I/O: runs the engine).

A timeline cites events chosen from the sentences of the top article's story
(rag/shaped/__init__.timeline_pool). Each training question is asked through the real engine (hand
scoring) and that pool is captured; a candidate is gold when it holds one of the question's key
sentences (``|`` variants).

Only fit and dev data: the timeline questions of the fit shaped gold sets (fitted on) and of
``shapes-sumtime-dev.jsonl`` and ``shapes-timeline-across-dev.jsonl`` (only reported). No held-out
file is read.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from train.reason_data import collect_with, news_store
from train.shape_data import GOLD, SHAPED_FIT

FILES = (*SHAPED_FIT, "shapes-fit9.jsonl", "shapes-sumtime-fit.jsonl", "shapes-timeline-across-fit.jsonl",
         "shapes-sumtime-dev.jsonl", "shapes-timeline-across-dev.jsonl")
REPORTED = ("shapes-sumtime-dev", "shapes-timeline-across-dev")  # never fitted on, not even by the shipped fit


def gold_questions() -> list[dict]:
    """The timeline questions of the fit and dev gold sets: id, question, keys, group, article."""
    out = []
    for name in FILES:
        f = GOLD / name
        if not f.exists():
            continue
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                if rec.get("shape") == "timeline" and rec.get("key_sentences"):
                    out.append({"id": rec["id"], "question": rec["question"], "group": name.removesuffix(".jsonl"),
                                "keys": rec["key_sentences"], "article": rec.get("article"),
                                "causes": [v for k in rec["key_sentences"] for v in k.split("|")]})
    return out


def capture(engine, question: str) -> dict | None:
    """Ask ``question``; the pool the timeline builder chooses from (text, article, offsets, score,
    index, scored by the evidence ranker), the articles' dates and the shape the engine read. None
    when the engine answered it as another shape or abstained before choosing."""
    from train.reason_data import watched

    ans, got = watched(engine, question, "timeline",
                       lambda self, shape, q, hits, ranked, english: (self.timeline_pool(q, hits, ranked, english),
                                                                      english))
    if got is None:
        return None
    (pool, dates, scored), english = got
    return {"english": english, "shape": getattr(ans, "shape", None),
            "dates": {a: d for a, d in dates.items() if any(s.article_id == a for s in pool)},
            "cands": [{"article": s.article_id, "start": s.start, "end": s.end, "text": s.text, "score": s.score,
                       "index": s.index, "scored": (s.article_id, s.start) in scored} for s in pool]}


def main(argv: list[str] | None = None) -> int:
    import argparse

    from depeche.settings import Settings
    from rag.engine import Engine

    ap = argparse.ArgumentParser(prog="python -m train.timeline_data", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="train-out/timeline", help="where the captured pools go (JSONL, resumable)")
    ap.add_argument("--store", default=".depeche-eval", help="index of the shared Wikinews corpus and corpus/")
    a = ap.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    engine = Engine(Settings.load(cli={"store": str(news_store(Path(a.store))), "timeline_model": False}))
    rows = collect_with(engine, gold_questions(), out / "gold.jsonl", capture)
    have = sum(any(r["gold"]) for r in rows)
    print(f"{len(rows)} questions captured, {have} with a gold candidate", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
