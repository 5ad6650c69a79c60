"""The yes/no questions the yes/no chooser learns from, and the candidate sentences the system weighed
for each (I/O: runs the engine).

A yes/no answer cites the sentences that decide it (rag/shaped/__init__.yesno): the evidence ranker's
first 20 sentences and the other sentences of the top article. Each training question is asked
through the real engine and that pool is captured; a
candidate is gold when it holds one of the question's key sentences (``|`` variants).

Only fit and dev data: the yes/no questions of the fit and dev shaped gold sets and of
``shapes-yesno-fit.jsonl`` (fitted on), and ``shapes-yesno-dev.jsonl`` (only reported). No held-out
file is read.
"""
from __future__ import annotations

from train.reason_data import capture_main, shaped_gold
from train.shape_data import SHAPED_FIT

FILES = (*SHAPED_FIT, "shapes-yesno-fit.jsonl", "shapes-yesno-dev.jsonl")
REPORTED = ("shapes-yesno-dev",)  # never fitted on before the shipped fit's report is written


def gold_questions() -> list[dict]:
    """The yes/no questions of the fit and dev gold sets: id, question, verdict, keys, group."""
    return shaped_gold(FILES, "yesno", lambda rec: bool(rec.get("verdict")))


def capture(engine, question: str) -> dict | None:
    """Ask ``question``; the pool the yes/no builder decides from (text, article, offsets, score,
    ranked or only added from the top article), and the shape the engine read. None
    when the engine answered it as another shape or abstained before deciding."""
    from rag.shaped.corpus import is_debris
    from train.reason_data import watched

    ans, got = watched(engine, question, "yesno",
                       lambda self, shape, q, hits, ranked, english: (self.yesno_pool(ranked), english))
    if got is None:
        return None
    (pool, ranked), english = got
    return {"english": english, "shape": getattr(ans, "shape", None),
            "cands": [{"article": s.article_id, "start": s.start, "end": s.end, "text": s.text, "score": s.score,
                       "index": s.index, "margin": s.margin, "ranked": r, "rank": i}
                      for i, (s, r) in enumerate(zip(pool, ranked)) if not is_debris(s.text)]}


def main(argv: list[str] | None = None) -> int:
    return capture_main(argv, "yesno_data", __doc__, "train-out/yesno", gold_questions, capture, "yesno_model")


if __name__ == "__main__":
    raise SystemExit(main())
