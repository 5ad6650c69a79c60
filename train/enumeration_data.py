"""The list questions the enumeration chooser learns from, and the enumerations it would weigh for
each (I/O: runs the engine).

Each question is asked through the real engine (chooser off); the retrieval pool the engine read is
kept, and the chooser's inputs are gathered from it as the engine gathers them
(rag/shaped/enumeration_answer.gather): every candidate enumeration (its sentence, its items), the
reader's spans, the top article and the articles' ranks. Also kept: the engine's own answer, whether
it refused, and for each candidate's article whether it misses a name the question gives (the
engine would then still refuse: rag/engine.named_or_abstain). A candidate's gold hits are the gold
items it names (``depeche eval``'s matching).

Only fit and dev data: the list questions of the fit shaped gold sets and ``shapes-list-fit``
(fitted on; the unanswerable fit lists are the negatives), and ``shapes-list-dev`` (only reported,
written to ``dev.jsonl``). No held-out file is read.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from train.shape_data import SHAPED_FIT

FIT = (*SHAPED_FIT, "shapes-fit9.jsonl", "shapes-list-fit.jsonl")
DEV = ("shapes-list-dev.jsonl",)


def list_questions(files) -> list[dict]:
    """The list questions of the gold ``files`` (eval/gold/): id, file, question, gold items (none:
    unanswerable), gold article."""
    from train.reason_data import shaped_gold

    return [{"id": q["id"], "file": f"{q['group']}.jsonl", "question": q["question"], "gold_items": q.get("items", []),
             "gold_art": q["article"]} for q in shaped_gold(files, "list")]


def capture(engine, row: dict) -> dict:
    """``row`` with the engine's answer and the chooser's inputs (see the module's doc)."""
    from eval.shaped import _same_item
    from rag.engine import Engine
    from rag.followup import without_context
    from rag.names import absent_names
    from rag.question import Question
    from rag.shaped.enumeration_answer import gather
    from rag.shaped.lists import asks_for_names

    seen: list = []
    real = Engine.shaped

    def spy(self, shape, search_q, pool, english):
        seen.append((search_q, list(pool)))
        return real(self, shape, search_q, pool, english)

    Engine.shaped = spy
    try:
        ans = engine.ask(row["question"])
    finally:
        Engine.shaped = real
    out = {**row, "engine_answer": ans.text, "engine_abst": ans.abstained, "engine_shape": ans.shape, "cands": []}
    if not seen or getattr(engine, "_shaped", None) is None:
        return out
    search_q, pool = seen[0]
    q = Question.of(without_context(row["question"]) or row["question"], search_q)
    names = asks_for_names(q.text, q.english)
    got = gather(engine, engine._shaped.corpus, q, pool, names)
    absent: dict[str, bool] = {}
    cands = []
    for c in got.cands:
        s = c.sent
        if s.article_id not in absent:
            art = engine._shaped.corpus.article(s.article_id)
            absent[s.article_id] = bool(absent_names(search_q, [f"{art.title}\n{art.text}"]))
        texts = [s.text[a - s.start:b - s.start] for a, b in c.items]
        gold = row["gold_items"]
        cands.append({"sent": [s.article_id, s.start, s.end, s.text, s.score, s.index], "items": c.items,
                      "colon": c.colon, "names": texts,
                      "gold_hit": sum(any(_same_item(t, g) for t in texts) for g in gold),
                      "precision": sum(any(_same_item(t, g) for g in gold) for t in texts) / len(texts)})
    return {**out, "english": q.english, "search": search_q, "names_asked": names, "lead": got.lead,
            "article_rank": got.article_rank, "spans": [list(x) for x in got.spans], "absent": absent, "cands": cands,
            "question": q.text}


def collect(engine, rows: list[dict], cache: Path) -> None:
    done = set()
    if cache.exists():
        done = {json.loads(line)["id"] for line in cache.read_text(encoding="utf-8").splitlines() if line.strip()}
    todo = [r for r in rows if r["id"] not in done]
    t0 = time.time()
    with cache.open("a", encoding="utf-8") as fh:
        for n, r in enumerate(todo, 1):
            fh.write(json.dumps(capture(engine, r), ensure_ascii=False) + "\n")
            fh.flush()
            if n % 20 == 0:
                print(f"  {n}/{len(todo)} questions, {time.time() - t0:.0f} s", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    from depeche.settings import Settings
    from rag.engine import Engine
    from train.reason_data import news_store

    ap = argparse.ArgumentParser(prog="python -m train.enumeration_data", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="train-out/lists", help="where the captured questions go (JSONL, resumable)")
    ap.add_argument("--store", default=".depeche-eval", help="index of the shared Wikinews corpus and corpus/")
    a = ap.parse_args(argv)
    folder = Path(a.out)
    folder.mkdir(parents=True, exist_ok=True)
    engine = Engine(Settings.load(cli={"store": str(news_store(Path(a.store))), "list_model": False}))
    collect(engine, list_questions(FIT), folder / "fit.jsonl")
    collect(engine, list_questions(DEV), folder / "dev.jsonl")
    print(f"captured into {folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
