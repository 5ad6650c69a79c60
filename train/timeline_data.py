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

from train.reason_data import capture_main, shaped_gold
from train.shape_data import SHAPED_FIT

FILES = (*SHAPED_FIT, "shapes-fit9.jsonl", "shapes-sumtime-fit.jsonl", "shapes-timeline-across-fit.jsonl",
         "shapes-sumtime-dev.jsonl", "shapes-timeline-across-dev.jsonl")
REPORTED = ("shapes-sumtime-dev", "shapes-timeline-across-dev")  # never fitted on, not even by the shipped fit


def gold_questions() -> list[dict]:
    """The timeline questions of the fit and dev gold sets: id, question, keys, group, article."""
    return shaped_gold(FILES, "timeline", lambda rec: bool(rec.get("key_sentences")))


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
    return capture_main(argv, "timeline_data", __doc__, "train-out/timeline", gold_questions, capture, "timeline_model")


if __name__ == "__main__":
    raise SystemExit(main())
