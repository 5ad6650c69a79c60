"""Trains the shape model: a softmax layer over the e5-small embedding of a question, the second
opinion of ``rag/shapes.py`` when its hand rules read a question as a single fact.

    python -m train.shape_train --out train-out/shapes --ship models/shapes

Data: ``train/shape_data.py`` (fit and dev questions only). Validation is grouped: each hand or gold
file of shaped questions is left out in turn, the model trained on the rest, and the left-out
questions read by the rules alone and by the rules with the model; the facts it would turn into
shapes are counted on PIAF's *calibration* split. The threshold is chosen on those figures and the
whole table is written to ``models/shapes/config.json`` and the model card. Embeddings are cached
(``--out``), so a rerun after an interruption only embeds what is new. About 20 minutes on 2 cores (eight fits: the seven folds and the shipped one).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

from rag.shape_model import overrule, softmax
from train.adam import adam_step
from rag.shapes import SHAPES

LEFT_OUT = ("probes-1", "probes-chat", "probes-lists", "probes-forms", "probes-natural", "shapes-fit7", "shapes-fit8",
            "shapes-list-fit")
THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 0.95, 0.98)


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def embed(texts: list[str], cache: Path) -> np.ndarray:
    """e5-small query embeddings of ``texts`` (as the engine embeds a question), cached in ``cache``."""
    known: dict[str, np.ndarray] = {}
    if cache.exists():
        with np.load(cache) as z:
            known = dict(zip(z["keys"].tolist(), z["vecs"]))
    todo = [t for t in dict.fromkeys(texts) if _key(t) not in known]
    if todo:
        from index.embedders import get_embedder

        emb = get_embedder("e5-small")
        t0 = time.time()
        for i, t in enumerate(todo):
            known[_key(t)] = np.asarray(emb.embed_query(t), dtype=np.float32)
            if (i + 1) % 500 == 0 or i + 1 == len(todo):
                print(f"  embedded {i + 1}/{len(todo)} ({time.time() - t0:.0f} s)", file=sys.stderr)
                cache.parent.mkdir(parents=True, exist_ok=True)
                np.savez(cache, keys=np.array(list(known)), vecs=np.stack(list(known.values())))
    return np.stack([known[_key(t)] for t in texts])


def fit(x: np.ndarray, y: np.ndarray, *, l2: float = 1e-3, steps: int = 800, lr: float = 0.02,
        seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Softmax regression with class-balanced weights, full batch, Adam (pure numpy, deterministic).
    The features are standardised first; the returned weights apply to the raw embedding."""
    mu, sd = x.mean(0), x.std(0)
    dead = sd < 1e-4  # n-gram buckets no training question fills: no weight
    sd[dead] = 1.0
    x = (x - mu) / sd
    n, d = x.shape
    k = len(SHAPES)
    counts = np.bincount(y, minlength=k).astype(np.float64)
    cw = np.where(counts > 0, n / (k * np.maximum(counts, 1)), 0.0)
    sw = cw[y] / cw[y].sum()
    rng = np.random.default_rng(seed)
    w = rng.normal(0, 0.01, (d, k))
    b = np.zeros(k)
    m = [np.zeros_like(w), np.zeros_like(b)]
    v = [np.zeros_like(w), np.zeros_like(b)]
    onehot = np.eye(k)[y]
    for t in range(1, steps + 1):
        z = x @ w + b
        z -= z.max(1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(1, keepdims=True)
        g = (p - onehot) * sw[:, None]
        grads = [x.T @ g + l2 * w, g.sum(0)]
        for i, (param, grad) in enumerate(zip((w, b), grads)):
            m[i], v[i] = adam_step(param, grad, m[i], v[i], t, lr)
    w[dead] = 0.0
    w = w / sd[:, None]
    return w.astype(np.float32), (b - mu @ w).astype(np.float32)


def predict(w: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
    return softmax(x @ w + b)


def combined(rule: str, probs: np.ndarray, threshold: float) -> str:
    """The rules decide; where they read a fact, a shape the model gives ``threshold`` or more wins."""
    return overrule(rule, probs, SHAPES, threshold)


def featurise(texts: list[str], cache: Path) -> np.ndarray:
    """The model's input for each question (rag/shape_model.features), embeddings cached."""
    from rag.shape_model import features

    vecs = embed(texts, cache)
    return np.stack([features(t, v) for t, v in zip(texts, vecs)])


def validate(rows, x, calib_x, calib_rules) -> dict:
    """Grouped validation: each of LEFT_OUT left out in turn (see the module's doc)."""
    from rag.shapes import classify

    y = np.array([SHAPES.index(r.shape) for r in rows])
    groups = np.array([r.group for r in rows])
    rules = [classify(r.question) for r in rows]
    table: dict = {}
    for g in LEFT_OUT:
        held = groups == g
        if not held.any():
            continue
        w, b = fit(x[~held], y[~held])
        p = predict(w, b, x[held])
        pc = predict(w, b, calib_x)
        idx = np.flatnonzero(held)
        row = {"questions": int(held.sum()), "model_alone_right": int((p.argmax(1) == y[held]).sum()),
               "rules_right": sum(rules[i] == rows[i].shape for i in idx)}
        for th in THRESHOLDS:
            row[f"with_model_{th}"] = sum(combined(rules[i], p[j], th) == rows[i].shape for j, i in enumerate(idx))
            row[f"facts_taken_for_shapes_{th}"] = sum(combined(rules[i], p[j], th) != rules[i] == rows[i].shape
                                                      for j, i in enumerate(idx))
            row[f"piaf_calib_facts_turned_{th}"] = sum(combined(r, pc[j], th) != r for j, r in enumerate(calib_rules))
        table[g] = row
        print(g, row, file=sys.stderr)
    return table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="train-out/shapes", help="work folder (embedding cache)")
    ap.add_argument("--ship", default=None, help="write the model here (models/shapes)")
    ap.add_argument("--threshold", type=float, default=None, help="the model's threshold (default: from validation)")
    args = ap.parse_args(argv)
    from rag.shapes import classify
    from train.shape_data import labelled, piaf_split

    out = Path(args.out)
    rows = labelled()
    calib = piaf_split("calib")
    print(f"{len(rows)} labelled questions, {len(calib)} PIAF calibration questions", file=sys.stderr)
    x = featurise([r.question for r in rows] + calib, out / "embeddings.npz")
    x, calib_x = x[: len(rows)], x[len(rows):]
    table = validate(rows, x, calib_x, [classify(q) for q in calib])
    threshold = args.threshold if args.threshold is not None else pick_threshold(table, len(calib))
    y = np.array([SHAPES.index(r.shape) for r in rows])
    w, b = fit(x, y)
    counts = {s: int((y == i).sum()) for i, s in enumerate(SHAPES)}
    report = {"threshold": threshold, "shapes": list(SHAPES), "train_counts": counts,
              "validation": table, "calib_questions": len(calib)}
    print(json.dumps(report, indent=1))
    if args.ship:
        ship = Path(args.ship)
        ship.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(ship / "shape-head.npz", w=w.astype(np.float16), b=b.astype(np.float16))
        (ship / "config.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


def pick_threshold(table: dict, calib: int) -> float:
    """The lowest threshold at which the model turns at most 0.5 % of PIAF's calibration questions
    (single facts, nearly all) into another shape, in every fold; else the highest."""
    for th in THRESHOLDS:
        if all(r[f"piaf_calib_facts_turned_{th}"] <= 0.005 * calib for r in table.values()):
            return th
    return THRESHOLDS[-1]


if __name__ == "__main__":
    raise SystemExit(main())
