"""How often the question-shape classifier (rag/shapes.py) reads questions written by other hands
right: per shape, the misses and what they were taken for.

    python -m eval.shape_probe eval/gold/shape-probes-fit.tsv [--show] [--model] [--out probe.json]

A probe file has one question a line, ``shape<TAB>question`` (the shapes of rag/shapes.SHAPES).
``eval/gold/shape-probes-fit.tsv`` is what the patterns were fitted on (``--show`` lists its misses);
``eval/gold/shape-probes-heldout.tsv`` was written apart and is only counted, never shown
(eval/gold/README.md). ``--model``: the rules with the trained shape model's second opinion
(rag/shape_model.py, as the engine asks it; loads e5-small), instead of the rules alone.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable

from rag.shapes import SHAPES, classify


def read_probe(path: str | Path) -> list[tuple[str, str]]:
    """(shape, question) pairs of a probe file; a line that is not ``shape<TAB>question`` with a
    known shape stops with a one-line error naming it."""
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        shape, _, question = line.partition("\t")
        if shape not in SHAPES or not question.strip():
            raise SystemExit(f"{path}:{n}: expected 'shape<TAB>question' with a shape among {', '.join(SHAPES)}")
        out.append((shape, question.strip()))
    return out


def score(pairs: Iterable[tuple[str, str]], classify: Callable[[str], str] = classify) -> dict:
    """Per-shape counts and misses, the confusions ("said->fact": 2) and the missed questions (pure
    but for ``classify``)."""
    total, missed, confused, misses = Counter(), Counter(), Counter(), []
    for want, question in pairs:
        got = classify(question)
        total[want] += 1
        if got != want:
            missed[want] += 1
            confused[f"{want}->{got}"] += 1
            misses.append((want, got, question))
    return {"questions": sum(total.values()), "misses": sum(missed.values()),
            "by_shape": {s: {"n": total[s], "missed": missed[s]} for s in SHAPES if total[s]},
            "confusions": dict(sorted(confused.items())), "missed": misses}


def with_model() -> Callable[[str], str]:
    """The engine's reading of a question's shape: the rules, and the shape model where they read a fact."""
    from index.embedders import get_embedder
    from rag import shape_model

    model, embedder = shape_model.load(), get_embedder("e5-small")
    if model is None:
        raise SystemExit("no shape model in models/shapes: run 'make train-shapes'")

    return lambda question: model.read(question, embedder.embed_query)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.shape_probe", description=__doc__.split("\n\n")[0])
    ap.add_argument("probe", nargs="+", help="probe files (shape<TAB>question a line)")
    ap.add_argument("--show", action="store_true", help="list the missed questions (fit probes only)")
    ap.add_argument("--model", action="store_true", help="the rules with the trained shape model (loads e5-small)")
    ap.add_argument("--out", help="write the figures as JSON here")
    a = ap.parse_args(argv)
    pairs = [p for f in a.probe for p in read_probe(f)]
    got = score(pairs, with_model() if a.model else classify)
    print(f"{got['misses']} of {got['questions']} questions taken for another shape")
    for s, v in got["by_shape"].items():
        print(f"  {s:9} {v['missed']:3} of {v['n']}")
    print("  confusions:", ", ".join(f"{k} {v}" for k, v in got["confusions"].items()) or "none")
    if a.show:
        for want, found, q in got["missed"]:
            print(f"  MISS {want} -> {found} | {q}")
    if a.out:
        Path(a.out).write_text(json.dumps({k: v for k, v in got.items() if k != "missed" or a.show},
                                          ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
