"""The why/how questions the reason ranker learns from, and the candidate sentences the system weighed
for each (I/O: runs the engine).

A why/how answer cites the best of a pool of candidate sentences (rag/shaped/why.reason). To
learn which one, each training question is asked through the real engine and the pool it weighs is
captured, with the reader's margin of every sentence; a candidate is gold when it holds one of the
question's gold causes (``|`` variants) or, for PIAF, one of its answers.

Only fit and dev data: the cause and manner questions of the fit and dev shaped gold sets (over the
shared Wikinews corpus and ``corpus/``), and PIAF's why and how questions of its *train* and *calib*
splits (eval/splits.py; calib only validates). No held-out file is read.
"""
from __future__ import annotations

import dataclasses
import json
import sys
import time
from pathlib import Path

from train.shape_data import GOLD, ROOT, SHARED, SHAPED_FIT

SHAPES = ("cause", "manner")
CAPTURED = 24  # ranked candidates kept a question: more than any pool the builder takes


def gold_questions() -> list[dict]:
    """The cause/manner questions of the fit and dev gold sets: id, question, shape, causes, group."""
    out = []
    for name in (*SHAPED_FIT, "shapes-cause-fit.jsonl"):
        for line in (GOLD / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                if rec.get("shape") in SHAPES and rec.get("cause"):
                    causes = [v for c in rec["cause"] for v in c.split("|")]
                    out.append({"id": rec["id"], "question": rec["question"], "shape": rec["shape"],
                                "causes": causes, "group": name.removesuffix(".jsonl")})
    return out


def piaf_questions(split: str, path: Path = SHARED / "piaf-v1.0.json", english: bool = False) -> list[dict]:
    """PIAF's questions of ``split`` the hand rules read as why or how (their answers are the causes);
    with ``english``, the same questions as written in English (eval/gold/piaf-en.jsonl: calib only)."""
    from eval.splits import split_of
    from eval.squad import load_questions, load_squad, with_questions
    from rag.shapes import classify

    articles, items, _ = load_squad(path)
    title = {a.id: a.title for a in articles}
    items = [it for it in items if it.answers and split_of(title[it.article]) == split]
    if english:
        items = [dataclasses.replace(it, id=f"en-{it.id}") for it in
                 with_questions(items, load_questions(GOLD / "piaf-en.jsonl"))]
    tag = "piaf-en" if english else "piaf"
    return [{"id": it.id, "question": it.question, "shape": classify(it.question), "causes": list(it.answers),
             "group": f"{tag}-{split}"} for it in items if classify(it.question) in SHAPES]


def watched(engine, question: str, method: str, grab):
    """Ask ``question`` with the shaped answerer's builder ``method`` watched: (the answer, what
    ``grab`` returned from the builder's arguments at its first call, or None if it was not called)."""
    import rag.shaped as shaped

    seen: list = []
    real = getattr(shaped.ShapedAnswerer, method)

    def spy(self, *args):
        if not seen:
            seen.append(grab(self, *args))
        return real(self, *args)

    setattr(shaped.ShapedAnswerer, method, spy)
    try:
        ans = engine.ask(question)
    finally:
        setattr(shaped.ShapedAnswerer, method, real)
    return ans, (seen[0] if seen else None)


def capture(engine, question: str) -> dict | None:
    """Ask ``question``; the sentences the why/how builder chooses its pool from (the first
    ``CAPTURED`` of its ranked candidates, debris left out: text, article, offsets, score, reader
    margin; then the sentences beside the best-scored one, ``near``, if not among them), whether it
    asks for manner, and the shape the engine read. None when the engine answered
    it as another shape or abstained before weighing."""
    from rag.shapes import MANNER
    from rag.shaped.corpus import is_debris

    ans, got = watched(engine, question, "reason",
                       lambda self, shape, q, hits, ranked, english: (list(ranked), shape == MANNER, english,
                                                                      self.beside_top(ranked)))
    if got is None:
        return None
    sents, manner, english, beside = got
    near = {(s.article_id, s.start) for s in beside}
    cands = [{"article": s.article_id, "start": s.start, "end": s.end, "text": s.text, "score": s.score,
              "index": s.index, "margin": s.margin, "rank": i, "near": (s.article_id, s.start) in near}
             for i, s in enumerate(sents[:CAPTURED]) if not is_debris(s.text)]
    have = {(c["article"], c["start"]) for c in cands}
    cands += [{"article": s.article_id, "start": s.start, "end": s.end, "text": s.text, "score": s.score,
               "index": s.index, "margin": None, "rank": CAPTURED, "near": True}
              for s in beside if (s.article_id, s.start) not in have]  # weighed beside the top (ranker on)
    return {"manner": manner, "english": english, "shape": getattr(ans, "shape", None), "top": sents[0].score,
            "cands": cands}


def collect(engine, questions: list[dict], cache: Path) -> list[dict]:
    """Capture every question not yet in ``cache`` (JSONL, appended as it goes: resumable)."""
    return collect_with(engine, questions, cache, capture)


def collect_with(engine, questions: list[dict], cache: Path, capture) -> list[dict]:
    """:func:`collect` by another ``capture(engine, question)``; a candidate is gold when it holds one
    of the question's ``causes``."""
    done = {}
    if cache.exists():
        for line in cache.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            done[rec["id"]] = rec
    todo = [q for q in questions if q["id"] not in done]
    t0 = time.time()
    with cache.open("a", encoding="utf-8") as fh:
        for n, q in enumerate(todo, 1):
            got = capture(engine, q["question"]) or {"cands": []}
            rec = {**q, **got}
            rec["gold"] = [any(c in x["text"] for c in q["causes"]) for x in rec["cands"]]
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            fh.flush()
            done[q["id"]] = rec
            if n % 20 == 0:
                print(f"  {n}/{len(todo)} questions, {time.time() - t0:.0f} s", file=sys.stderr)
    return [done[q["id"]] for q in questions]


def piaf_store(store: Path) -> Path:
    """An index of PIAF's contexts alone (as ``depeche eval --squad``), built once into ``store``."""
    from depeche.settings import Settings
    from eval.squad import load_squad, write_corpus
    from index.builder import build_index

    if not (store / "manifest.json").exists():
        articles, _, _ = load_squad(SHARED / "piaf-v1.0.json")
        corpus = write_corpus(articles, store.parent / f"{store.name}-piaf.jsonl")
        build_index(Settings.from_mapping({"store": str(store)}), corpus=[str(corpus)], progress=False)
    return store


def news_store(store: Path) -> Path:
    """An index of the shared Wikinews corpus and ``corpus/`` (as the eval gold sets use), built or
    brought up to date into ``store`` (incremental: cheap when it is)."""
    from depeche.settings import Settings
    from index.builder import build_index

    build_index(Settings.from_mapping({"store": str(store)}), corpus=[str(SHARED / "wikinews-fr.jsonl"),
                                                                       str(ROOT / "corpus")], progress=False)
    return store


def shaped_gold(files, shape: str, keep=lambda rec: True) -> list[dict]:
    """The ``shape`` questions of the gold ``files`` (eval/gold/) that ``keep`` accepts: id, question,
    group (the file's name), article, keys (the key sentences) and causes (every ``|`` variant of
    them); a list's items too."""
    from train.shape_data import GOLD

    out = []
    for name in files:
        f = GOLD / name
        if not f.exists():
            continue
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                if rec.get("shape") == shape and keep(rec):
                    keys = rec.get("key_sentences") or []
                    out.append({"id": rec["id"], "question": rec["question"], "group": name.removesuffix(".jsonl"),
                                "article": rec.get("article"), "keys": keys,
                                "causes": [v for k in keys for v in k.split("|")], **({"verdict": rec["verdict"]}
                                                                                    if rec.get("verdict") else {}),
                                **({"items": rec["items"]} if rec.get("items") else {})})
    return out


def capture_main(argv: list[str] | None, module: str, doc: str, out: str, questions, capture, off: str) -> int:
    """The command line of a capture script (``python -m train.<module>``): the gold ``questions``
    asked through the engine over the Wikinews + corpus/ index, the model setting ``off`` switched
    off, each captured by ``capture`` into ``--out``/gold.jsonl (resumable)."""
    import argparse

    from depeche.settings import Settings
    from rag.engine import Engine

    ap = argparse.ArgumentParser(prog=f"python -m train.{module}", description=doc.split("\n\n")[0])
    ap.add_argument("--out", default=out, help="where the captured pools go (JSONL, resumable)")
    ap.add_argument("--store", default=".depeche-eval", help="index of the shared Wikinews corpus and corpus/")
    a = ap.parse_args(argv)
    folder = Path(a.out)
    folder.mkdir(parents=True, exist_ok=True)
    engine = Engine(Settings.load(cli={"store": str(news_store(Path(a.store))), off: False}))
    rows = collect_with(engine, questions(), folder / "gold.jsonl", capture)
    have = sum(any(r["gold"]) for r in rows)
    print(f"{len(rows)} questions captured, {have} with a gold candidate", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    import argparse

    from depeche.settings import Settings
    from rag.engine import Engine

    ap = argparse.ArgumentParser(prog="python -m train.reason_data", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="train-out/reasons", help="where the captured pools go (JSONL, resumable)")
    ap.add_argument("--store", default=".depeche-eval", help="index of the shared Wikinews corpus and corpus/")
    ap.add_argument("--piaf-store", default="train-out/reasons/piaf-store", help="index of PIAF's contexts (built if missing)")
    a = ap.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    # the pools as the rules rank them (the ranker only reorders them: the same pools either way)
    gold = Engine(Settings.load(cli={"store": str(news_store(Path(a.store))), "reason_model": False}))
    rows = collect(gold, gold_questions(), out / "gold.jsonl")
    del gold
    piaf = Engine(Settings.load(cli={"store": str(piaf_store(Path(a.piaf_store))), "reason_model": False}))
    for split in ("train", "calib"):
        rows += collect(piaf, piaf_questions(split), out / f"piaf-{split}.jsonl")
    rows += collect(piaf, piaf_questions("calib", english=True), out / "piaf-en-calib.jsonl")
    have = sum(any(r["gold"]) for r in rows)
    print(f"{len(rows)} questions captured, {have} with a gold candidate", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
