"""Scoring, as pure functions: one question's result against its gold item, then the aggregates.

A *result* is the public ``depeche ask --json`` object (``Answer.to_json()``) plus ``latency_ms``
(and ``error`` when the question failed). Strings are compared after NFKC, ’→', case folding and
whitespace collapsing (``rag.citations.normalise``). Every aggregate carries its count, because a
share of 15 questions and a share of 3,835 do not mean the same thing.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Iterable, Mapping, Sequence

from eval.gold import GoldItem
from rag.citations import normalise

MAX_ANSWER_CHARS = 300
HIT_KS = (1, 5)
ARTICLE_K = 5

# name -> (higher is better: True / False / None = neither, shown in the bar chart, help line)
METRICS: dict[str, tuple[bool | None, bool, str]] = {
    "evidence_hit@1": (True, True, "a gold evidence string lies inside the top passage"),
    "evidence_hit@5": (True, True, "a gold evidence string lies inside one of the top 5 passages"),
    "passage_chars@1": (None, False, "mean length (characters) of the top passage"),
    "passage_chars@5": (None, False, "mean length (characters) of the top 5 passages"),
    "article_hit@5": (True, True, "a passage of the gold article is in the top 5"),
    "mrr": (True, True, "mean of 1/rank of the first passage from the gold article"),
    "answer_accuracy": (True, True, f"not abstained, answer ≤ {MAX_ANSWER_CHARS} characters containing a gold answer"),
    "short_answer_f1": (True, True, "SQuAD token F1 of short_answer against the best gold answer"),
    "citation_verbatim": (True, True, "citations whose quote equals the reloaded article text at its offsets"),
    "citation_support": (True, True, "answered questions citing a span that overlaps gold evidence"),
    "abstention_accuracy": (True, True, "unanswerable questions on which the system abstained"),
    "false_abstention": (False, True, "answerable questions on which the system abstained"),
    "latency_p50_ms": (False, False, "median time per question, warm (ms)"),
    "latency_p95_ms": (False, False, "95th percentile time per question, warm (ms)"),
    "errors": (False, False, "questions that raised an error"),
}


def higher_is_better(name: str) -> bool | None:
    return METRICS[name][0]


# ---- strings --------------------------------------------------------------------------------
def norm(text: str | None) -> str:
    return normalise(text or "")


def contains(haystack: str | None, needle: str | None) -> bool:
    n = norm(needle)
    return bool(n) and n in norm(haystack)


def _norm_chars(text: str) -> tuple[str, list[int], list[int]]:
    """Normalised text plus, for each of its characters, the original [start, end) it came from."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFKC", text[i:j]).replace("’", "'").replace("‘", "'").casefold()
        for ch in piece:
            if ch.isspace():
                if out and out[-1] == " ":
                    ends[-1] = j
                    continue
                ch = " "
            out.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    return "".join(out), starts, ends


def find_spans(text: str, needle: str) -> list[tuple[int, int]]:
    """Every [start, end) of ``text`` whose normalised form equals the normalised ``needle``."""
    target = _norm_chars(needle)[0].strip()
    if not target:
        return []
    hay, starts, ends = _norm_chars(text)
    spans = []
    at = hay.find(target)
    while at >= 0:
        spans.append((starts[at], ends[at + len(target) - 1]))
        at = hay.find(target, at + 1)
    return spans


# ---- one question ---------------------------------------------------------------------------
def evidence_hit(passages: Sequence[Mapping], gold: GoldItem, k: int) -> bool | None:
    """None when the gold item gives no evidence. With known spans (SQuAD), a passage of the gold
    article must cover a span; otherwise a passage's text must contain an evidence string."""
    top = list(passages)[:k]
    if gold.spans and gold.article:
        return any(p.get("article_id") == gold.article and p["start"] <= s and e <= p["end"]
                   for p in top for s, e in gold.spans)
    if not gold.evidence:
        return None
    return any(contains(p.get("text"), ev) for p in top for ev in gold.evidence)


def article_rank(passages: Sequence[Mapping], gold: GoldItem) -> int | None:
    """1-based rank of the first passage from the gold article; 0 if none; None without gold article."""
    if not gold.article:
        return None
    for i, p in enumerate(passages, 1):
        if p.get("article_id") == gold.article:
            return i
    return 0


def answer_correct(result: Mapping, gold: GoldItem) -> bool | None:
    """None for unanswerable items. Abstained, failed, or longer than 300 characters = wrong."""
    if not gold.answers:  # unanswerable, or a shaped question scored by eval/shaped.py
        return None
    text = result.get("answer") or ""
    if result.get("error") or result.get("abstained") or len(text) > MAX_ANSWER_CHARS:
        return False
    return any(contains(text, a) for a in gold.answers)


_ARTICLES = {"le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "au", "aux", "a", "an", "the"}


def f1_tokens(text: str | None) -> list[str]:
    """SQuAD answer normalisation, French-aware: punctuation (and elision apostrophes) -> spaces,
    articles dropped."""
    t = "".join(" " if unicodedata.category(ch).startswith("P") or ch in "'`´" else ch for ch in norm(text))
    return [w for w in t.split() if w not in _ARTICLES]


def token_f1(prediction: str | None, truth: str) -> float:
    pred, gold = f1_tokens(prediction), f1_tokens(truth)
    if not pred or not gold:
        return float(pred == gold)
    common = sum((Counter(pred) & Counter(gold)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(gold)
    return 2 * precision * recall / (precision + recall)


def short_answer_f1(result: Mapping, gold: GoldItem) -> float | None:
    if not gold.answers:
        return None
    if result.get("error") or result.get("abstained") or not result.get("short_answer"):
        return 0.0
    return max(token_f1(result["short_answer"], a) for a in gold.answers)


def citation_checks(result: Mapping, articles: Mapping[str, str]) -> list[bool | None]:
    """Per citation: its quote equals the reloaded article text at its offsets (None = article
    not reloadable). The answer's own quote is what is checked, never what is trusted."""
    out: list[bool | None] = []
    for c in result.get("citations") or []:
        text = articles.get(c.get("article_id"))
        if text is None:
            out.append(None)
            continue
        s, e = c.get("start"), c.get("end")
        ok = isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text) and text[s:e] == c.get("quote")
        out.append(ok)
    return out


def gold_spans(gold: GoldItem, article_id: str | None, articles: Mapping[str, str]) -> list[tuple[int, int]]:
    """The gold evidence spans in ``article_id`` (its known spans, else every occurrence)."""
    if gold.spans and article_id == gold.article:
        return list(gold.spans)
    text = articles.get(article_id or "")
    if text is None:
        return []
    return [sp for ev in gold.evidence for sp in find_spans(text, ev)]


def citation_supported(result: Mapping, gold: GoldItem, articles: Mapping[str, str]) -> bool | None:
    """None unless the question is answerable, has evidence and was answered. True when a citation
    overlaps a gold evidence span in the gold article (any cited article when the gold names none)."""
    if not gold.answerable or not (gold.evidence or gold.spans):
        return None
    if result.get("error") or result.get("abstained"):
        return None
    for c in result.get("citations") or []:
        if gold.article and c.get("article_id") != gold.article:
            continue
        for s, e in gold_spans(gold, c.get("article_id"), articles):
            if c["start"] < e and s < c["end"]:
                return True
    return False


def score_question(result: Mapping, gold: GoldItem, articles: Mapping[str, str]) -> dict:
    """Everything measured on one question (None = does not apply to this item)."""
    from eval.shaped import shape_score

    passages = result.get("passages") or []
    correct = answer_correct(result, gold)
    abstained = bool(result.get("abstained")) and not result.get("error")
    shaped = shape_score(result, gold, articles)
    return {
        "evidence_hit@1": evidence_hit(passages, gold, 1),
        "evidence_hit@5": evidence_hit(passages, gold, 5),
        "passage_chars@1": [p["end"] - p["start"] for p in passages[:1]],
        "passage_chars@5": [p["end"] - p["start"] for p in passages[:5]],
        "article_rank": article_rank(passages, gold),
        "answer_correct": correct,
        "short_answer_f1": short_answer_f1(result, gold),
        "citations_verbatim": citation_checks(result, articles),
        "citation_support": citation_supported(result, gold, articles),
        "abstained": abstained,
        "latency_ms": result.get("latency_ms"),
        "error": result.get("error"),
        "failed": (shaped["main"] < 1.0) if shaped else (not correct) if gold.answerable else (not abstained),
        "shaped": shaped,
    }


# ---- aggregates -----------------------------------------------------------------------------
def share(flags: Iterable[bool | None]) -> dict:
    vals = [bool(f) for f in flags if f is not None]
    hits = sum(vals)
    return {"value": hits / len(vals) if vals else None, "count": len(vals), "hits": hits}


def mean(values: Iterable[float | None]) -> dict:
    vals = [float(v) for v in values if v is not None]
    return {"value": sum(vals) / len(vals) if vals else None, "count": len(vals)}


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default)."""
    vals = sorted(values)
    if not vals:
        return None
    pos = (len(vals) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(vals) - 1)
    return vals[lo] + (vals[hi] - vals[lo]) * (pos - lo)


def aggregate(scores: Sequence[Mapping], golds: Sequence[GoldItem]) -> dict[str, dict]:
    """Per-question scores (same order as ``golds``) -> {metric: {value, count[, hits]}}, plus
    ``shapes`` (eval/shaped.per_shape) when the gold has shaped questions."""
    from eval.shaped import per_shape

    ranks = [s["article_rank"] for s in scores]
    lat = [s["latency_ms"] for s in scores if s["latency_ms"] is not None and not s["error"]]
    cites = [ok for s in scores for ok in s["citations_verbatim"]]
    verbatim = share(cites)
    verbatim["unverifiable"] = sum(ok is None for ok in cites)
    return {
        "evidence_hit@1": share(s["evidence_hit@1"] for s in scores),
        "evidence_hit@5": share(s["evidence_hit@5"] for s in scores),
        "passage_chars@1": mean(n for s in scores for n in s["passage_chars@1"]),
        "passage_chars@5": mean(n for s in scores for n in s["passage_chars@5"]),
        "article_hit@5": share(None if r is None else 0 < r <= ARTICLE_K for r in ranks),
        "mrr": mean(None if r is None else (1 / r if r else 0.0) for r in ranks),
        "answer_accuracy": share(s["answer_correct"] for s in scores),
        "short_answer_f1": mean(s["short_answer_f1"] for s in scores),
        "citation_verbatim": verbatim,
        "citation_support": share(s["citation_support"] for s in scores),
        "abstention_accuracy": share(s["abstained"] for s, g in zip(scores, golds) if not g.answerable),
        "false_abstention": share(s["abstained"] for s, g in zip(scores, golds) if g.answerable),
        "latency_p50_ms": {"value": percentile(lat, 50), "count": len(lat)},
        "latency_p95_ms": {"value": percentile(lat, 95), "count": len(lat)},
        "errors": {"value": float(sum(bool(s["error"]) for s in scores)), "count": len(scores)},
        **({"shapes": per_shape(scores, golds)} if any(s.get("shaped") for s in scores) else {}),
    }


# ---- floors ---------------------------------------------------------------------------------
def parse_bound(spec: str, flag: str = "--min") -> tuple[str | None, str, float]:
    """'answer_accuracy=0.8' or 'bm25:evidence_hit@5=0.9' -> (system or None, metric, bound)."""
    from depeche.errors import DepecheError

    m = re.fullmatch(r"\s*(?:([\w-]+):)?([\w@]+)\s*=\s*([-+0-9.eE]+)\s*", spec or "")
    if not m:
        raise DepecheError(f"{flag} {spec!r}: write METRIC=VALUE, e.g. {flag} answer_accuracy=0.8.")
    system, name, raw = m.groups()
    if name not in METRICS:
        raise DepecheError(f"{flag} {spec!r}: unknown metric '{name}'; use one of {', '.join(METRICS)}.")
    try:
        value = float(raw)
    except ValueError:
        raise DepecheError(f"{flag} {spec!r}: '{raw}' is not a number.") from None
    return system, name, value


def check_bounds(systems: Mapping[str, Mapping[str, dict]], mins: Sequence[tuple[str | None, str, float]],
                 maxs: Sequence[tuple[str | None, str, float]], default_system: str) -> list[str]:
    """One line per bound not met (a metric with no value counts as not met)."""
    failures = []
    for bounds, below in ((mins, True), (maxs, False)):
        for system, name, bound in bounds:
            sysname = system or default_system
            value = systems.get(sysname, {}).get(name, {}).get("value")
            if value is None:
                failures.append(f"{sysname} {name}: no value (no question it applies to), bound {bound:g}")
            elif (value < bound) if below else (value > bound):
                rel = "below the floor" if below else "above the ceiling"
                failures.append(f"{sysname} {name} = {value:.4g}, {rel} {bound:g}")
    return failures
