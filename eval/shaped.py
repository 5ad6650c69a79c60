"""Scoring shaped answers (lists, summaries, why/how, what was said, timelines, yes/no), pure.

Per question (:func:`shape_score`), against the gold fields of eval/gold.py:
- ``list``: recall = gold items named by the answer's items; precision = answer items that are gold
  items (an item is a "• " line's words before " — " or " [n]"; a gold entry's variants are "|"-separated);
- ``summary``, ``said``, ``timeline``, ``yesno``: coverage = gold key sentences overlapped by a
  citation (offsets in the cited article, found with eval.metrics.find_spans); timelines also
  ``order``: the key sentences are cited oldest first, as in the gold;
- ``cause``, ``manner``: the answer text or a cited sentence holds one of the gold causes (or one of its "|" variants);
- ``yesno``: ``verdict``: the answer says oui/non only when the gold says the corpus states it.
``main`` is the figure each shape is judged by (list recall, coverage, cause found, verdict and a
deciding sentence cited); the per-shape table (:func:`per_shape`) averages them with the list
precision, timeline order, verbatim citations and latency p95 of the shape's questions. Shaped
questions the corpus cannot answer (``answers: []`` and no shaped field) make one row of their own,
``unanswerable``, judged by the share the system abstained on.
"""
from __future__ import annotations

import re
from typing import Mapping, Sequence

from eval.gold import GoldItem
from eval.metrics import contains, find_spans, norm, percentile

UNANSWERABLE = "unanswerable"  # the per-shape row of shaped questions the corpus cannot answer
MAIN = {UNANSWERABLE: "abstained", "list": "list_recall", "summary": "coverage", "said": "coverage", "timeline": "coverage",
        "cause": "cause_found", "manner": "cause_found", "yesno": "verdict_ok", "fact": "coverage"}
_ITEM = re.compile(r"^\s*•\s*(.+?)(?:\s+—\s+|\s*\[\d+\]\s*$)")
_VERDICT = re.compile(r"^\s*(oui|non|yes|no)\b", re.IGNORECASE)


def answer_items(text: str) -> list[str]:
    return [m.group(1).strip() for line in (text or "").splitlines() if (m := _ITEM.match(line))]


def _variants(entry: str) -> list[str]:
    return [v.strip() for v in entry.split("|") if v.strip()]


def _same_item(listed: str, entry: str) -> bool:
    return any(contains(listed, v) or contains(v, listed) for v in _variants(entry))


def key_citations(result: Mapping, key: str, articles: Mapping[str, str]) -> list[int]:
    """Numbers of the citations whose span overlaps an occurrence of ``key`` (any variant)."""
    out = []
    for c in result.get("citations") or []:
        text = articles.get(c.get("article_id"))
        if text is None:
            continue
        for v in _variants(key):
            if any(c["start"] < e and s < c["end"] for s, e in find_spans(text, v)):
                out.append(c.get("n"))
                break
    return out


def verdict_of(text: str) -> str:
    m = _VERDICT.match(text or "")
    return "unsaid" if not m else ("yes" if m.group(1).lower() in ("oui", "yes") else "no")


def shape_score(result: Mapping, gold: GoldItem, articles: Mapping[str, str]) -> dict | None:
    """The shaped figures of one question (None when the gold item has no shape)."""
    if not gold.shape:
        return None
    out: dict = {"shape": gold.shape, "recognised": result.get("shape", "fact") == gold.shape}
    failed = bool(result.get("error") or result.get("abstained"))
    text = "" if failed else result.get("answer") or ""
    quotes = [] if failed else [c.get("quote") or "" for c in result.get("citations") or []]
    if gold.items:
        listed = answer_items(text)
        found = [e for e in gold.items if any(_same_item(x, e) for x in listed)]
        out["list_recall"] = len(found) / len(gold.items)
        out["list_precision"] = (sum(any(_same_item(x, e) for e in gold.items) for x in listed) / len(listed)
                                 if listed else None)
    if gold.key_sentences:
        cited = [key_citations(result, k, articles) if not failed else [] for k in gold.key_sentences]
        out["coverage"] = sum(bool(c) for c in cited) / len(gold.key_sentences)
        if gold.shape == "timeline":
            firsts = [min(c) for c in cited if c]
            out["order"] = firsts == sorted(firsts) if len(firsts) > 1 else None
    if gold.cause:
        out["cause_found"] = float(any(contains(t, v) for c in gold.cause for v in _variants(c) for t in [text, *quotes]))
    if gold.verdict:
        ok = verdict_of(text) == gold.verdict and not failed
        out["verdict_ok"] = float(ok and out.get("coverage", 1.0) > 0)
    main = out.get(MAIN.get(gold.shape, ""))
    out["main"] = 0.0 if main is None else float(main)
    return out


def per_shape(scores: Sequence[Mapping], golds: Sequence[GoldItem]) -> dict[str, dict]:
    """{shape: {count, recognised, main, list_precision, order, citation_verbatim, latency_p95_ms}}."""
    groups: dict[str, list[Mapping]] = {}
    for s, g in zip(scores, golds):
        if s.get("shaped"):
            # a shaped question the corpus cannot answer is judged by one thing: the system abstained
            groups.setdefault(g.shape if g.answerable else UNANSWERABLE, []).append(s)
    out = {}
    for shape, ss in groups.items():
        def avg(key):
            vals = [float(x["shaped"][key]) for x in ss if x["shaped"].get(key) is not None]
            return (sum(vals) / len(vals)) if vals else None

        cites = [ok for x in ss for ok in x["citations_verbatim"] if ok is not None]
        lat = [x["latency_ms"] for x in ss if x.get("latency_ms") is not None and not x.get("error")]
        abstained = sum(bool(x.get("abstained")) for x in ss) / len(ss)
        out[shape] = {
            "count": len(ss), "main_metric": MAIN[shape],
            "main": abstained if shape == UNANSWERABLE else avg("main"), "recognised": avg("recognised"),
            "list_precision": avg("list_precision"), "order": avg("order"),
            "citation_verbatim": (sum(cites) / len(cites)) if cites else None, "citations": len(cites),
            "abstained": abstained,
            "latency_p95_ms": percentile(lat, 95),
        }
    return out


def shapes_table(shapes: Mapping[str, Mapping], markdown: bool = False) -> str:
    from eval.report import _table

    def f(v, ms=False):
        return "-" if v is None else (f"{v:,.0f}" if ms else f"{v:.3f}")

    rows = [[s, str(m["count"]), f"{m['main_metric']} {f(m['main'])}", f(m["recognised"]), f(m["list_precision"]),
             f(m["order"]), f(m["citation_verbatim"]), f(m["abstained"]), f(m["latency_p95_ms"], True)]
            for s, m in sorted(shapes.items())]
    return _table(["shape", "n", "main figure", "shape recognised", "list precision", "timeline order",
                   "citations verbatim", "abstained", "p95 ms"], rows, markdown)


__all__ = ["answer_items", "norm", "per_shape", "shape_score", "shapes_table", "verdict_of"]
