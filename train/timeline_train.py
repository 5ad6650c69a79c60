"""Train the timeline chooser (rag/shaped/timeline_model.py) on the pools captured by train/timeline_data.py.

    python -m train.timeline_train --data train-out/timeline [--ship models/timeline]

A linear scorer over each candidate's signals, fitted by a listwise softmax (the candidates holding
a key sentence share the target; questions whose pool holds none are left out) with an L2 penalty,
by Adam in numpy (the reason ranker's fit). Validation, before the shipped fit on the fit questions:

- the fit questions in folds by article (trained on the other folds);
- ``shapes-sumtime-dev`` and ``shapes-timeline-across-dev`` (reported only, never fitted on: the shipped
  fit leaves them out too).

For each: the share of the gold events the timeline cites (``depeche eval``'s timeline coverage, on
the captured pools), with the hand scoring and with the chooser, both through
rag/shaped/timeline.events_for. The L2 penalty is chosen among ``L2S`` by the folds alone.
"""
from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np

L2, STEPS = 1e-2, 600
L2S = (1e-3, 1e-2, 1e-1, 1.0)
FOLDS = 4


def load_rows(data: Path) -> list[dict]:
    f = data / "gold.jsonl"
    rows = [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r.get("cands") and r.get("shape") == "timeline"]


def sents_of(row: dict) -> list:
    from rag.shaped.corpus import Sent

    return [Sent(c["article"], c["start"], c["end"], c["text"], c["score"], c["index"]) for c in row["cands"]]


def scored_of(row: dict) -> frozenset:
    return frozenset((c["article"], c["start"]) for c in row["cands"] if c["scored"])


def featurise(row: dict) -> np.ndarray:
    from rag.shaped.timeline_model import features

    return features(row["question"], row["english"], sents_of(row), row["dates"], scored_of(row))


def train(rows: list[dict], xs: list[np.ndarray], l2: float = L2) -> np.ndarray:
    from train.reason_train import fit

    teach = [i for i, r in enumerate(rows) if any(r["gold"])]
    return fit([xs[i] for i in teach], [np.asarray(rows[i]["gold"], np.float64) for i in teach], l2, STEPS)


def coverage(row: dict, model) -> float:
    """The share of the row's key sentences among the events chosen (``model`` None: the hand scoring)."""
    from rag.shaped.text import MAX_PARTS
    from rag.shaped.timeline import events_for

    events = events_for(row["question"], sents_of(row), row["dates"], row["english"], MAX_PARTS, model,
                        scored_of(row))
    texts = [e.sent.text for e in events]
    return sum(any(v in t for v in k.split("|") for t in texts) for k in row["keys"]) / len(row["keys"])


def fold_of(row: dict) -> int:
    return zlib.crc32((row.get("article") or row["id"]).encode()) % FOLDS


def folds(rows: list[dict], xs: list[np.ndarray], idx: list[int], l2: float) -> tuple[float, float]:
    """(hand scoring, chooser) mean coverage of ``idx`` rows, each fold's chooser trained on the others."""
    from rag.shaped.timeline_model import TimelineChooser

    rule, model = [], []
    for k in range(FOLDS):
        tr = [i for i in idx if fold_of(rows[i]) != k]
        w = train([rows[i] for i in tr], [xs[i] for i in tr], l2)
        for i in (i for i in idx if fold_of(rows[i]) == k):
            rule.append(coverage(rows[i], None))
            model.append(coverage(rows[i], TimelineChooser(w, {})))
    n = len(rule) or 1
    return round(sum(rule) / n, 3), round(sum(model) / n, 3)


def main(argv: list[str] | None = None) -> int:
    import argparse

    from rag.shaped.timeline_model import NAMES, TimelineChooser
    from train.timeline_data import REPORTED

    ap = argparse.ArgumentParser(prog="python -m train.timeline_train", description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="train-out/timeline")
    ap.add_argument("--ship", help="write models/timeline/timeline-chooser.json here")
    a = ap.parse_args(argv)
    every = load_rows(Path(a.data))
    xs = [featurise(r) for r in every]
    fit_i = [i for i, r in enumerate(every) if r["group"] not in REPORTED]
    rep_i = [i for i, r in enumerate(every) if r["group"] in REPORTED]
    report: dict = {"steps": STEPS, "questions": {}, "with_key_in_pool": {}, "validation": {}}
    for r in every:
        report["questions"][r["group"]] = report["questions"].get(r["group"], 0) + 1
        report["with_key_in_pool"][r["group"]] = report["with_key_in_pool"].get(r["group"], 0) + any(r["gold"])
    by_l2 = {l2: folds(every, xs, fit_i, l2) for l2 in L2S}
    report["validation"]["fit questions, folds by article (hand, chooser) by L2"] = {str(k): v for k, v in by_l2.items()}
    l2 = max(L2S, key=lambda k: by_l2[k][1])
    report["l2"] = l2
    w = train([every[i] for i in fit_i], [xs[i] for i in fit_i], l2)
    model = TimelineChooser(w, {})
    for group in REPORTED:
        idx = [i for i in rep_i if every[i]["group"] == group]
        if idx:
            n = len(idx)
            report["validation"][f"{group} (reported)"] = {
                "questions": n, "hand": round(sum(coverage(every[i], None) for i in idx) / n, 3),
                "chooser": round(sum(coverage(every[i], model) for i in idx) / n, 3)}
    report["weights"] = [round(float(x), 4) for x in w]
    report["names"] = list(NAMES)
    print(json.dumps({k: v for k, v in report.items() if k not in ("weights",)}, indent=1))
    if a.ship:
        ship = Path(a.ship)
        ship.mkdir(parents=True, exist_ok=True)
        (ship / "timeline-chooser.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
