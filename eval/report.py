"""What an evaluation leaves behind: metrics.json, report.md, metrics.png and a terminal table.

Formatting is pure (strings from dicts); only ``write_outputs`` and ``write_chart`` touch disk.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping, Sequence

from depeche.errors import DepecheError
from eval.gold import GoldItem
from eval.metrics import METRICS, higher_is_better

FORMAT_VERSION = 1
MAX_FAILURES_LISTED = 100


# ---- values ---------------------------------------------------------------------------------
def fmt(name: str, m: Mapping | None) -> str:
    """'0.933 (14/15)', '0.712 (n=15)', '123 ms (n=15)', 'n/a (n=0)'."""
    if not m:
        return "-"
    v = m.get("value")
    if name == "errors":
        return f"{int(v or 0)}/{m['count']}"
    if v is None:
        return f"n/a (n={m.get('count', 0)})"
    if name.endswith("_ms"):
        return f"{v:,.1f} ms (n={m['count']})" if v < 10 else f"{v:,.0f} ms (n={m['count']})"
    if name.startswith("passage_chars"):
        return f"{v:,.0f} ch (n={m['count']})"
    if "hits" in m:
        extra = f", {m['unverifiable']} unverifiable" if m.get("unverifiable") else ""
        return f"{v:.3f} ({m['hits']}/{m['count']}{extra})"
    return f"{v:.3f} (n={m['count']})"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    out = ["  ".join(str(x).ljust(w) for x, w in zip(header, widths)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(str(x).ljust(w) for x, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(out)


def summary_table(systems: Mapping[str, Mapping[str, dict]], markdown: bool = False) -> str:
    """Metrics down, systems across."""
    names = list(systems)
    rows = [[metric] + [fmt(metric, systems[s].get(metric)) for s in names] for metric in METRICS]
    return _table(["metric"] + names, rows, markdown)


def system_table(metrics: Mapping[str, dict]) -> str:
    rows = [[f"`{m}`", fmt(m, metrics.get(m)), METRICS[m][2]] for m in METRICS]
    return _table(["metric", "value (count)", "meaning"], rows, markdown=True)


# ---- compare --------------------------------------------------------------------------------
def load_previous(path: str | Path) -> dict:
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DepecheError(f"--compare {p}: no such file; give the metrics.json of an earlier run.") from None
    except (OSError, ValueError) as exc:
        raise DepecheError(f"--compare {p}: not a readable metrics.json ({exc}).") from None
    if not isinstance(data, dict) or not isinstance(data.get("systems"), dict):
        raise DepecheError(f"--compare {p}: not a metrics.json written by `depeche eval` (no \"systems\").")
    return data


def deltas(new: Mapping[str, Mapping[str, dict]], old: Mapping[str, Mapping[str, dict]]) -> dict:
    """{system: {metric: {old, new, delta, better}}} for the systems and metrics both runs have."""
    out: dict = {}
    for system, metrics in new.items():
        if system not in old:
            continue
        for name, m in metrics.items():
            o = (old[system].get(name) or {}).get("value")
            n = m.get("value")
            if o is None or n is None or name not in METRICS:
                continue
            d = n - o
            direction = higher_is_better(name)
            better = None if abs(d) < 1e-12 or direction is None else (d > 0) == direction
            out.setdefault(system, {})[name] = {"old": o, "new": n, "delta": d, "better": better}
    return out


def _number_format(name: str):
    if name.endswith("_ms"):
        return lambda x: f"{x:,.1f}"
    if name.startswith("passage_chars") or name == "errors":
        return lambda x: f"{x:,.0f}"
    return lambda x: f"{x:.3f}"


def compare_table(diff: Mapping[str, Mapping[str, dict]], markdown: bool = False) -> str:
    rows = []
    same = 0
    for system, metrics in diff.items():
        for name, d in metrics.items():
            if abs(d["delta"]) < 1e-12:
                same += 1
                continue
            num = _number_format(name)
            mark = "" if d["better"] is None else (" better" if d["better"] else " WORSE")
            rows.append([system, name, num(d["old"]), num(d["new"]), f"{'+' if d['delta'] >= 0 else '-'}"
                         f"{num(abs(d['delta']))}{mark}"])
    if not rows and not same:
        return "(no system or metric in common with the earlier run)"
    tail = f"{same} other figure(s) unchanged." if same else ""
    if not rows:
        return "Every figure is unchanged."
    return _table(["system", "metric", "old", "new", "delta"], rows, markdown) + (f"\n\n{tail}" if tail else "")


# ---- per-question records -------------------------------------------------------------------
def question_record(gold: GoldItem, result: Mapping, score: Mapping) -> dict:
    """One question of one system as stored in metrics.json (passages by reference, not text)."""
    verbatim = score["citations_verbatim"]
    return {
        "id": gold.id,
        "question": gold.question,
        "gold": gold.to_json(),
        "answer": result.get("answer"),
        "short_answer": result.get("short_answer"),
        "abstained": bool(result.get("abstained")),
        "error": result.get("error"),
        "citations": [
            {"n": c.get("n"), "article_id": c.get("article_id"), "start": c.get("start"), "end": c.get("end"),
             "quote": c.get("quote"), "verbatim": ok}
            for c, ok in zip(result.get("citations") or [], verbatim)
        ],
        "passages": [
            {"article_id": p.get("article_id"), "start": p.get("start"), "end": p.get("end"), "score": p.get("score")}
            for p in result.get("passages") or []
        ],
        "scores": {k: v for k, v in score.items() if k not in ("citations_verbatim", "error")},
        "latency_ms": round(result["latency_ms"], 1) if result.get("latency_ms") is not None else None,
    }


def _cell(text: str | None, limit: int = 300) -> str:
    t = " ".join((text or "").split()).replace("|", "\\|")
    return t if len(t) <= limit else t[:limit - 1] + "…"


def failures_md(system: str, records: Sequence[Mapping], limit: int = MAX_FAILURES_LISTED) -> str:
    failed = [r for r in records if r["scores"]["failed"]]
    lines = [f"### {system}: {len(failed)} of {len(records)} questions failed", ""]
    if not failed:
        return "\n".join(lines + ["None.", ""])
    for r in failed[:limit]:
        gold = r["gold"]
        shaped = gold.get("items") or gold.get("key_sentences") or gold.get("cause")
        expected = " / ".join(gold["answers"]) if gold["answers"] else (
            f"{gold.get('shape')}: " + " / ".join(shaped) if shaped else "(abstain: the corpus does not hold it)")
        got = f"error: {r['error']}" if r.get("error") else (
            "(abstained) " + _cell(r["answer"], 120) if r["abstained"] else _cell(r["answer"]))
        lines.append(f"- **{r['id']}** {_cell(r['question'], 200)}")
        lines.append(f"  - expected: {_cell(expected, 200)}" + (f" (article `{gold['article']}`)" if gold.get("article") else ""))
        lines.append(f"  - got: {got}" + (f" — short answer: {_cell(r['short_answer'], 80)}" if r.get("short_answer") else ""))
        for c in r["citations"][:2]:
            flag = "" if c["verbatim"] else (" (NOT verbatim)" if c["verbatim"] is False else " (unverifiable)")
            lines.append(f"  - cited [{c['n']}] `{c['article_id']}` {c['start']}–{c['end']}{flag}: « {_cell(c['quote'], 240)} »")
        if gold.get("evidence"):
            lines.append(f"  - gold evidence: « {_cell(gold['evidence'][0], 200)} »")
    if len(failed) > limit:
        lines.append(f"- … and {len(failed) - limit} more (all in metrics.json)")
    lines.append("")
    return "\n".join(lines)


def markdown_report(payload: Mapping) -> str:
    run = payload["run"]
    systems = payload["systems"]
    lines = [f"# Evaluation: {run['gold']}", ""]
    lines.append(f"{run['questions']} questions ({run['answerable']} answerable, {run['unanswerable']} unanswerable)"
                 + (f", a sample of {run['questions']} of {run['questions_in_file']} (seed {run['seed']})"
                    if run["questions"] < run["questions_in_file"] else "")
                 + f"; store `{run['store']}`; embedder `{run['embedder']}`, answerer `{run['answerer']}`, "
                 f"retriever `{run['retriever']}`, k = {run['k']}; {run['wall_seconds']:.0f} s in all.")
    lines += ["", "## Summary", "", summary_table(systems, markdown=True), ""]
    if payload.get("compare"):
        lines += [f"## Change since {payload['compare']['path']}", "",
                  compare_table(payload["compare"]["deltas"], markdown=True), ""]
    for name, metrics in systems.items():
        lines += [f"## {name}", "", system_table(metrics), ""]
        if metrics.get("shapes"):
            from eval.shaped import shapes_table

            lines += [f"### {name}: answers by shape", "", shapes_table(metrics["shapes"], markdown=True), ""]
    if payload.get("warnings"):
        lines += ["## Warnings", ""] + [f"- {w}" for w in payload["warnings"]] + [""]
    lines += ["## Failed questions", ""]
    for name in systems:
        lines.append(failures_md(name, payload["questions"][name]))
    return "\n".join(lines).rstrip() + "\n"


# ---- files ----------------------------------------------------------------------------------
def write_chart(systems: Mapping[str, Mapping[str, dict]], path: Path, title: str = "") -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [m for m, (_, chart, _) in METRICS.items() if chart]
    fig, ax = plt.subplots(figsize=(max(8, 1.1 * len(names)), 4.5))
    width = 0.8 / max(1, len(systems))
    for i, (system, metrics) in enumerate(systems.items()):
        vals = [(metrics.get(m) or {}).get("value") for m in names]
        xs = [j + (i - (len(systems) - 1) / 2) * width for j in range(len(names))]
        bars = ax.bar(xs, [v or 0 for v in vals], width, label=system)
        for b, v in zip(bars, vals):
            ax.annotate("n/a" if v is None else f"{v:.2f}", (b.get_x() + b.get_width() / 2, b.get_height()),
                        ha="center", va="bottom", fontsize=6, xytext=(0, 2), textcoords="offset points")
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels([n + (" ↓" if higher_is_better(n) is False else "") for n in names], rotation=30, ha="right")
    ax.set_ylim(0, 1.22)
    ax.set_ylabel("share (↓ = lower is better)")
    ax.set_title(title)
    ax.legend(loc="upper center", ncol=max(1, len(systems)), fontsize=8, frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_outputs(out: str | Path, payload: Mapping) -> dict[str, Path]:
    d = Path(out)
    try:
        d.mkdir(parents=True, exist_ok=True)
        paths = {"metrics": d / "metrics.json", "report": d / "report.md", "chart": d / "metrics.png"}
        big = sum(len(v) for v in payload.get("questions", {}).values()) > 1000  # keep large runs compact
        paths["metrics"].write_text(json.dumps(payload, ensure_ascii=False, indent=None if big else 1),
                                    encoding="utf-8")
        paths["report"].write_text(markdown_report(payload), encoding="utf-8")
    except OSError as exc:
        raise DepecheError(f"Cannot write the report into {d} ({exc.strerror}); choose another --out DIR.") from None
    write_chart(payload["systems"], paths["chart"], title=f"{payload['run']['gold']} — {payload['run']['questions']} questions")
    return paths
