"""The labelled questions the shape model learns from, each tagged with where it comes from (pure I/O).

Only fit and dev data: the fit shape probes (``eval/gold/shape-probes-fit.tsv``, five hands, see
``eval/gold/README.md``), the fit and dev shaped gold sets, the fact gold sets (shaped by the hand rules), and the questions
of PIAF's *train* split (``eval/splits.py``), which are labelled by the hand rules of ``rag/shapes.py``
(nearly all single facts; weak labels). No held-out file is read: ``HELD_OUT`` names them so a
test can check it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold"
SHARED = ROOT.parent / "shared" / "data"
HELD_OUT = ("shape-probes-heldout.tsv", "shape-probes-report.tsv", "shapes-heldout", "unanswerable-heldout")

# the fit probes were written by four hands in turn (eval/gold/README.md): the first 742 lines, the
# 220 chat-typed questions, the 150 lists, the 318 forms of session 23 (topic first, chat spellings,
# clefts, figures); each is one group of the grouped cross-validation
# and (session 32) 268 natural questions of every shape written by the session that fits the rules
PROBE_GROUPS = ((0, 742, "probes-1"), (742, 962, "probes-chat"), (962, 1112, "probes-lists"),
                (1112, 1430, "probes-forms"), (1430, 10**9, "probes-natural"))
SHAPED_FIT = ("shapes-fit.jsonl", "shapes-fit2.jsonl", "shapes-fit3.jsonl", "shapes-fit4.jsonl",
              "shapes-fit5.jsonl", "shapes-fit6.jsonl", "shapes-fit7.jsonl", "shapes-fit8.jsonl", "shapes-dev.jsonl",
              "shapes-unanswerable-fit.jsonl",
              # session 23: the other fit gold files, questions typed as users type them (their dev
              # companions stay out: they are only reported)
              "shapes-fit9.jsonl", "shapes-list-fit.jsonl", "shapes-cause-fit.jsonl", "shapes-yesno-fit.jsonl",
              "shapes-sumtime-fit.jsonl", "shapes-timeline-across-fit.jsonl")
FACT_FIT = ("facts-fit.jsonl", "dev-gold-en.jsonl")


@dataclass(frozen=True)
class Labelled:
    question: str
    shape: str
    group: str  # where it comes from: one hand or one gold file


def _jsonl(path: Path, group: str, by_rules: bool) -> list[Labelled]:
    """A gold file's questions with their ``shape``; with ``by_rules``, those without one get the hand
    rules' shape (the fact gold sets: what the system answers them as)."""
    from rag.shapes import classify

    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            shape = rec.get("shape") or (classify(rec["question"]) if by_rules else None)
            if shape:
                out.append(Labelled(" ".join(rec["question"].split()), shape, group))
    return out


def probes(path: Path = GOLD / "shape-probes-fit.tsv") -> list[Labelled]:
    from eval.shape_probe import read_probe

    return [Labelled(" ".join(q.split()), shape, next(g for a, b, g in PROBE_GROUPS if a <= i < b))
            for i, (shape, q) in enumerate(read_probe(path))]


def piaf_train(path: Path = SHARED / "piaf-v1.0.json") -> list[Labelled]:
    """PIAF's train-split questions, labelled by the hand rules (weak labels, nearly all facts)."""
    from rag.shapes import classify

    return [Labelled(q, classify(q), "piaf-train") for q in piaf_split("train", path)]


def piaf_split(split: str, path: Path = SHARED / "piaf-v1.0.json") -> list[str]:
    """The questions of one PIAF split (for measuring how many facts a model would take for shapes)."""
    if not path.exists():
        return []
    from eval.splits import split_of

    data = json.loads(path.read_text(encoding="utf-8"))
    return [" ".join(qa["question"].split()) for art in data["data"] if split_of(art["title"]) == split
            for para in art["paragraphs"] for qa in para["qas"]]


def labelled() -> list[Labelled]:
    """Every labelled fit/dev question, de-duplicated (the first label of a question wins)."""
    rows = probes()
    for name in SHAPED_FIT:
        rows += _jsonl(GOLD / name, name.removesuffix(".jsonl"), False)
    for name in FACT_FIT:
        rows += _jsonl(GOLD / name, name.removesuffix(".jsonl"), True)
    if (SHARED / "dev-gold.jsonl").exists():
        rows += _jsonl(SHARED / "dev-gold.jsonl", "dev-gold", True)
    rows += piaf_train()
    seen: set[str] = set()
    out = []
    for r in rows:
        if r.question.lower() not in seen:
            seen.add(r.question.lower())
            out.append(r)
    return out
