"""Train the yes/no chooser (rag/shaped/yesno_model.py) on the pools captured by train/yesno_data.py.

    python -m train.yesno_train --data train-out/yesno [--ship models/yesno]

A linear scorer over each candidate's signals, fitted by a listwise softmax (the candidates holding
a key sentence share the target; questions whose pool holds none are left out) with an L2 penalty,
by Adam in numpy. Validation, before the shipped fit on the fit questions:

- the fit questions in folds by article (trained on the other folds);
- ``shapes-yesno-dev`` (reported only, never fitted on: the shipped fit leaves it out too).

For each: the key sentence among the sentences shown, the verdict right (the hand rule's either way)
and both (what ``depeche eval`` counts as a right yes/no answer), by the hand rule's ordering and by
the chooser's. ``--verdict`` also fits and cross-validates a trained verdict (a multinomial logistic
regression over the chosen sentence's signals) to show why it is not shipped.
"""
from __future__ import annotations

import json
import sys
import zlib
from pathlib import Path

import numpy as np

L2, STEPS, RATE = 1e-2, 600, 0.05
FOLDS = 4


def load_rows(data: Path) -> list[dict]:
    f = data / "gold.jsonl"
    rows = [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r.get("cands") and r.get("shape") == "yesno"]


def featurise(row: dict) -> np.ndarray:
    from rag.shaped.yesno_model import features, question_parts

    parts = question_parts(row["question"], row["english"])
    c = row["cands"]
    return features(parts, [x["text"] for x in c], [x["score"] for x in c], [x["article"] for x in c],
                    [x["ranked"] for x in c])


def fit(xs: list[np.ndarray], ys: list[np.ndarray], l2: float = L2) -> np.ndarray:
    """Weights minimising the mean listwise softmax loss of the questions (+ l2 |w|²), by Adam (the
    reason ranker's fit, train/reason_train.fit, every question weighing the same)."""
    from train.reason_train import fit as listwise

    return listwise(xs, ys, l2, STEPS)


def train(rows: list[dict], xs: list[np.ndarray], l2: float = L2) -> np.ndarray:
    teach = [i for i, r in enumerate(rows) if any(r["gold"])]
    return fit([xs[i] for i in teach], [np.asarray(rows[i]["gold"], np.float64) for i in teach], l2)


def _sents(row: dict) -> list:
    from rag.shaped.corpus import Sent

    return [Sent(c["article"], c["start"], c["end"], c["text"], c["score"], c["index"], c["margin"]) for c in row["cands"]]


def judged(row: dict, verdict: str, shown: list[int]) -> dict:
    key = any(row["gold"][i] for i in shown)
    return {"verdict": verdict == row["verdict"], "key": key, "both": verdict == row["verdict"] and key}


def by_rule(row: dict) -> dict:
    """The hand rule alone: its verdict and its ordering (rag/shaped/said.deciding)."""
    from rag.shaped.yesno import by_rule as rule

    sents = _sents(row)
    verdict, got = rule(row["question"], sents, row["english"])
    at = {(s.article_id, s.start): i for i, s in enumerate(sents)}
    return judged(row, verdict, [at[(s.article_id, s.start)] for s in got if (s.article_id, s.start) in at])


def by_chooser(row: dict, x: np.ndarray, w: np.ndarray) -> dict:
    """The rule's verdict, the sentences shown as rag/shaped/yesno.yesno shows them with the chooser."""
    from rag.shaped.yesno import SHOWN
    from rag.shaped.yesno import by_rule as rule

    sents = _sents(row)
    verdict, got = rule(row["question"], sents, row["english"])
    z = x @ w
    order = sorted(range(len(sents)), key=lambda i: -z[i])
    first = [i for i, s in enumerate(sents) if verdict != "unsaid" and s in got]
    shown = (first + [i for i in order if i not in first])[:SHOWN]
    return judged(row, verdict, shown)


def summary(results: list[dict]) -> dict:
    n = len(results) or 1
    return {"questions": len(results), **{k: round(sum(r[k] for r in results) / n, 3) for k in ("key", "verdict", "both")}}


def fold_of(row: dict) -> int:
    return zlib.crc32((row.get("article") or row["id"]).encode()) % FOLDS


def trained_verdict(rows: list[dict], xs: list[np.ndarray], fit_i: list[int], l2: float = 0.1) -> dict:
    """Cross-validated accuracy of a trained verdict (multinomial logistic regression over the chosen
    sentence's signals and the chooser's confidence), against always answering the commonest verdict."""
    from rag.shape_model import softmax
    from rag.shaped.yesno_model import NAMES
    from train.adam import adam_step

    classes = ("yes", "no", "unsaid")

    def row_of(x, w):
        z = x @ w
        t = int(np.argmax(z))
        return np.concatenate([x[t], [1.0, float(softmax(z)[t])]])

    right, prior = 0, 0
    for k in range(FOLDS):
        tr = [i for i in fit_i if fold_of(rows[i]) != k]
        te = [i for i in fit_i if fold_of(rows[i]) == k]
        w = train([rows[i] for i in tr], [xs[i] for i in tr])
        zs = np.asarray([row_of(xs[i], w) for i in tr])
        y = np.eye(3)[[classes.index(rows[i]["verdict"]) for i in tr]]
        v = np.zeros((3, zs.shape[1]))
        m, s = np.zeros_like(v), np.zeros_like(v)
        for t in range(1, STEPS + 1):
            p = np.exp(zs @ v.T - (zs @ v.T).max(1, keepdims=True))
            p /= p.sum(1, keepdims=True)
            m, s = adam_step(v, (p - y).T @ zs / len(zs) + 2 * l2 * v, m, s, t, RATE)
        common = classes[int(np.argmax(y.sum(0)))]
        right += sum(classes[int(np.argmax(v @ row_of(xs[i], w)))] == rows[i]["verdict"] for i in te)
        prior += sum(rows[i]["verdict"] == common for i in te)
    n = len(fit_i) or 1
    return {"questions": len(fit_i), "signals": len(NAMES) + 2, "trained_verdict": round(right / n, 3),
            "commonest_verdict": round(prior / n, 3)}


def main(argv: list[str] | None = None) -> int:
    import argparse

    from rag.shaped.yesno_model import NAMES
    from train.yesno_data import REPORTED

    ap = argparse.ArgumentParser(prog="python -m train.yesno_train", description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="train-out/yesno")
    ap.add_argument("--ship", help="write models/yesno/yesno-chooser.json here")
    ap.add_argument("--l2", type=float, default=L2)
    ap.add_argument("--verdict", action="store_true", help="also cross-validate a trained verdict (not shipped)")
    a = ap.parse_args(argv)
    every = load_rows(Path(a.data))
    xs = [featurise(r) for r in every]
    fit_i = [i for i, r in enumerate(every) if r["group"] not in REPORTED]
    rep_i = [i for i, r in enumerate(every) if r["group"] in REPORTED]
    report: dict = {"l2": a.l2, "steps": STEPS, "questions": {}, "with_key_in_pool": {}, "validation": {}}
    for r in every:
        report["questions"][r["group"]] = report["questions"].get(r["group"], 0) + 1
        report["with_key_in_pool"][r["group"]] = report["with_key_in_pool"].get(r["group"], 0) + any(r["gold"])
    rule, model = [], []
    for k in range(FOLDS):
        tr = [i for i in fit_i if fold_of(every[i]) != k]
        w = train([every[i] for i in tr], [xs[i] for i in tr], a.l2)
        for i in (i for i in fit_i if fold_of(every[i]) == k):
            rule.append(by_rule(every[i]))
            model.append(by_chooser(every[i], xs[i], w))
    report["validation"]["fit questions, folds by article"] = {"rule": summary(rule), "chooser": summary(model)}
    w = train([every[i] for i in fit_i], [xs[i] for i in fit_i], a.l2)
    if rep_i:
        report["validation"]["shapes-yesno-dev (reported)"] = {
            "rule": summary([by_rule(every[i]) for i in rep_i]),
            "chooser": summary([by_chooser(every[i], xs[i], w) for i in rep_i])}
    if a.verdict:
        report["validation"]["trained verdict (not shipped), fit folds"] = trained_verdict(every, xs, fit_i)
    report["weights"] = [round(float(x), 4) for x in w]
    report["names"] = list(NAMES)
    print(json.dumps({k: v for k, v in report.items() if k not in ("weights", "names")}, indent=1))
    if a.ship:
        ship = Path(a.ship)
        ship.mkdir(parents=True, exist_ok=True)
        (ship / "yesno-chooser.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
