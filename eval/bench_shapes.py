"""What the trained shape parts cost a question: the hand rules alone against the rules with the
trained second opinion (rag/shape_model.py), and the why/how rules alone against the rules with the
trained reason ranker (rag/shaped/reason_model.py), timed on the same questions in the same run.

    python -m eval.bench_shapes [--probe eval/gold/shape-probes-fit.tsv] [--out bench-out]

Prints per-question median and p95 in milliseconds for: the rules; the model's part once the
question's vector is known (n-grams, the softmax); and the question's e5-small embedding, which the
engine computes only for questions the rules read as facts (and which retrieval often shares). Then,
for the first ``--limit`` why/how questions of the probe, each over a pool of eight sentences of ``corpus/`` (as the
builder weighs): the rules' scoring alone and with the ranker. Saves the figures as
``bench-out/shapes.json``.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _ms(times: list[float]) -> dict:
    from eval.metrics import percentile

    return {"median_ms": round(percentile(times, 50) * 1000, 3), "p95_ms": round(percentile(times, 95) * 1000, 3),
            "n": len(times)}


def _reason_costs(questions: list[str], limit: int) -> dict:
    """The why/how rules' scoring of a pool of eight sentences, alone and followed by the ranker, for
    the first ``limit`` why/how questions of ``questions``."""
    import random

    from index.sentences import split_sentences
    from rag.shaped import reason_model
    from rag.shaped.corpus import Sent
    from rag.shaped.reasons import reasons
    from rag.shapes import CAUSE, MANNER, classify

    ranker = reason_model.load()
    if ranker is None:
        raise SystemExit("no reason ranker in models/reasons: run 'make train-reasons'")
    texts = []
    for f in sorted((ROOT / "corpus").glob("*.txt"))[:10]:
        body = f.read_text(encoding="utf-8")
        texts += [body[a:b] for a, b in split_sentences(body) if b - a > 40]
    rng = random.Random(0)
    why = [(q, classify(q)) for q in questions]
    why = [(q, s) for q, s in why if s in (CAUSE, MANNER)][:limit]
    alone, ranked = [], []
    for q, shape in why:
        pool = [Sent("a", i, i + len(t), t, 1.0 - i / 10, i, rng.uniform(-8, 6)) for i, t in enumerate(rng.sample(texts, 8))]
        for out, r in ((alone, None), (ranked, ranker)):
            t0 = time.perf_counter()
            reasons(q, pool, manner=shape == MANNER, ranker=r)
            out.append(time.perf_counter() - t0)
    return {"why_how_questions": len(why), "reason_rules": _ms(alone), "reason_rules_and_ranker": _ms(ranked)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.bench_shapes", description=__doc__.split("\n\n")[0])
    ap.add_argument("--probe", default=str(ROOT / "eval" / "gold" / "shape-probes-fit.tsv"))
    ap.add_argument("--limit", type=int, default=400, help="questions timed (default 400)")
    ap.add_argument("--out", default="bench-out")
    a = ap.parse_args(argv)
    from eval.shape_probe import read_probe
    from index.embedders import get_embedder
    from rag import shape_model
    from rag.shapes import FACT, classify

    every = [q for _, q in read_probe(a.probe)]
    questions = every[: a.limit]
    model, embedder = shape_model.load(), get_embedder("e5-small")
    if model is None:
        raise SystemExit("no shape model in models/shapes: run 'make train-shapes'")
    embedder.embed_query("warm up")
    rules, head, embed, asked = [], [], [], 0
    for q in questions:
        t0 = time.perf_counter()
        rule = classify(q)
        t1 = time.perf_counter()
        vec = embedder.embed_query(q)
        t2 = time.perf_counter()
        model.second_opinion(FACT, q, vec)
        t3 = time.perf_counter()
        rules.append(t1 - t0)
        embed.append(t2 - t1)
        head.append(t3 - t2)
        asked += rule == FACT
    out = {"questions": len(questions), "read_as_facts_by_the_rules": asked, "rules": _ms(rules),
           "model_head": _ms(head), "question_embedding": _ms(embed), **_reason_costs(every, a.limit)}
    print(f"{len(questions)} questions ({asked} read as facts by the rules: only those ask the model)")
    for k in ("rules", "model_head", "question_embedding", "reason_rules", "reason_rules_and_ranker"):
        print(f"  {k:24} median {out[k]['median_ms']:8.3f} ms   p95 {out[k]['p95_ms']:8.3f} ms")
    Path(a.out).mkdir(parents=True, exist_ok=True)
    (Path(a.out) / "shapes.json").write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
