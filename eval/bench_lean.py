"""Start-up, memory and runtime benchmarks (issue 12): cold `ask`, chat RSS, full index per runtime.

    python -m eval.bench_lean --out bench-out [--runs 3] [--quick] [--resume] [--baseline-ref REF]

Measured, each in its own process (peak RSS = that process's ru_maxrss), in one run:

* cold `depeche ask --json --local` over corpus/ and over the shared corpus: wall time and peak RSS,
  median of ``--runs``, for the path before this branch (its code checked out from ``--baseline-ref``,
  default: the merge base with main; torch + sentence-transformers + llama-index) and the lean one;
* what each part of an engine holds (RSS added by chunk table + BM25, Chroma, embedder, first
  question, answerer);
* `depeche chat`: RSS after warm-up and after 50 questions (asked through its /depeche/ask route);
* full index of the shared corpus + corpus/ for each e5-small runtime (torch bf16, ONNX fp32, ONNX int8),
  the torch fp32 reference and the llama-index starter (eval/bench_index.py's children), with ratios;
* per runtime, on the dev gold: same top-5 as torch fp32 (hybrid and dense), evidence@5, and answers
  identical to the torch path.

Prints a table and writes ``OUT/bench_lean.json``. The machine may be shared: load averages are saved.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from eval import bench_child
from eval.bench_lean_run import (CORPUS, GOLD, ROOT, WIKINEWS, _env, baseline_source, chat_memory, cold_ask,
                                 questions_for, spawn_child, timed)

RUNTIMES = {  # name -> (embedder, extra environment)
    "torch-bf16": ("e5-small", {"DEPECHE_E5_RUNTIME": "torch"}),
    "onnx-fp32": ("e5-small", {}),
    "onnx-int8": ("e5-small-onnx-int8", {}),
    "onnx-int8-all": ("e5-small-onnx-int8-all", {}),
}
REFERENCE = ("e5-small-fp32", {})
BASELINE_REF = "5017ebb"  # main's reader training, without any of the lean work (torch at query time)


# ---- orchestration --------------------------------------------------------------------------------
def run(args) -> dict:
    import shutil

    from eval import bench_index

    out_dir = Path(args.out)
    work = Path(args.work).resolve() if args.work else (out_dir / "work-lean").resolve()
    logs = out_dir / "logs"
    work.mkdir(parents=True, exist_ok=True)
    logs.mkdir(parents=True, exist_ok=True)
    say = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    res: dict = {"started": time.strftime("%Y-%m-%d %H:%M:%S"), "cpus": os.cpu_count(),
                 "loadavg_start": os.getloadavg(), "runs": args.runs}
    full_corpus = [str(WIKINEWS), str(CORPUS)]
    if args.quick:
        small = work / "quick.jsonl"
        with open(WIKINEWS, encoding="utf-8") as src, open(small, "w", encoding="utf-8") as dst:
            for _, line in zip(range(60), src):
                dst.write(line)
        full_corpus = [str(small), str(CORPUS)]

    stores = {name: work / f"idx-{name}" for name in [*RUNTIMES, "torch-fp32"]}
    # the index the cold-ask ("shared") and chat runs read: a full index of the shared corpus, or corpus/'s
    shared = (Path(args.shared_store).resolve() if args.shared_store else
              work / ("cold-corpus-lean" if args.shared_index == "corpus" else f"idx-{args.shared_index}"))
    if "index" in args.stages:
        # full index, each runtime in its own process (eval/bench_index.py's children), then the starter
        res["index"] = {}
        for name, (embedder, env) in [*RUNTIMES.items(), ("torch-fp32", REFERENCE)]:
            stores[name] = work / f"idx-{name}"
            done = args.resume and (logs / f"lean-{name}.json").exists()
            say(f"full index: {name}…")
            if not done:
                shutil.rmtree(stores[name], ignore_errors=True)
            res["index"][name] = bench_index.spawn("ours", {"store": str(stores[name]), "corpus": full_corpus,
                                                            "embedder": embedder, "env": env}, logs, f"lean-{name}",
                                                   resume=args.resume)
        if not args.skip_starter:
            say("full index: llama-index starter…")
            if not (args.resume and (logs / "lean-starter.json").exists()):
                shutil.rmtree(work / "starter", ignore_errors=True)
            res["index"]["starter"] = bench_index.spawn("starter", {"store": str(work / "starter"), "corpus": full_corpus,
                                                                    "embedder": REFERENCE[0], "gold": str(GOLD)},
                                                        logs, "lean-starter", resume=args.resume)
        starter = res["index"].get("starter")
        for name, r in res["index"].items():
            if starter and name != "starter":
                r["speedup_vs_starter_wall"] = round(starter["seconds"] / r["seconds"], 2)
                r["speedup_vs_starter_cpu"] = round(starter["cpu_s"] / max(r["cpu_s"], 1e-9), 2)

    if "quality" in args.stages:
        # top-5 agreement with torch fp32, evidence@5, warm ask latency; answers identical to the torch path
        if GOLD.exists():
            res["quality"] = {}
            for name, (embedder, env) in RUNTIMES.items():
                say(f"dev gold: {name} against torch fp32…")
                res["quality"][name] = bench_index.spawn("ask", {
                    "store": str(stores[name]), "embedder": embedder, "gold": str(GOLD), "env": env,
                    "ref_store": str(stores["torch-fp32"]), "ref_embedder": REFERENCE[0]}, logs, f"lean-ask-{name}",
                    resume=args.resume)
            say("dev gold answers: ONNX vs torch query runtime on one index, lean vs today's whole path…")
            lean = spawn_child("answers", {"store": str(stores["onnx-fp32"]), "embedder": "e5-small", "gold": str(GOLD)})
            torch_q = spawn_child("answers", {"store": str(stores["onnx-fp32"]), "embedder": "e5-small", "gold": str(GOLD),
                                              "env": RUNTIMES["torch-bf16"][1]})
            torch_all = spawn_child("answers", {"store": str(stores["torch-bf16"]), "embedder": "e5-small",
                                                "gold": str(GOLD), "env": RUNTIMES["torch-bf16"][1]})
            int8 = {name: spawn_child("answers", {"store": str(stores[name]), "embedder": RUNTIMES[name][0],
                                                  "gold": str(GOLD)}) for name in ("onnx-int8", "onnx-int8-all")}
            n = len(lean["answers"])
            same = lambda a, b: f"{sum(x == y for x, y in zip(a['answers'], b['answers']))}/{n}"  # noqa: E731
            res["answers_identical"] = {
                "onnx_vs_torch_query_same_index": same(lean, torch_q),
                "lean_vs_torch_bf16_index_and_query": same(lean, torch_all),
                "onnx_int8_vs_torch_bf16": same(int8["onnx-int8"], torch_all),
                "onnx_int8_all_vs_torch_bf16": same(int8["onnx-int8-all"], torch_all),
            }

    if "cold" in args.stages:
        # cold ask: the path before the lean work and the lean one, each over an index its own code built
        # (the generation format changed since), over corpus/ and over the shared corpus
        base_ref = args.baseline_ref
        base_src = baseline_source(base_ref, work)
        res["cold_ask"] = {"baseline_ref": base_ref}
        sources = {"corpus": [str(CORPUS)], "shared": [str(WIKINEWS), str(CORPUS)]}
        for label in [c for c in args.cold.split(",") if c in sources]:
            row = {}
            for side, src in (("before", base_src), ("lean", ROOT)):
                given = label == "shared" and side == "lean" and args.shared_store
                store = shared if given else work / f"cold-{label}-{side}"
                if not (store / "manifest.json").exists():
                    say(f"indexing {label} with the {side} code for the cold-ask runs…")
                    cmd = [sys.executable, "-m", "depeche.cli", "index", "--quiet", "--store", str(store)]
                    for c in sources[label]:
                        cmd += ["--corpus", c]
                    row[f"{side}_index"] = {k: v for k, v in timed(cmd, _env(None, src), cwd=src).items() if k != "stdout"}
                say(f"cold ask over {label}, {side}: {args.runs} runs…")
                row[side] = cold_ask(store, src, args.runs)
            row["same_answer"] = row["before"]["answer"] == row["lean"]["answer"]
            res["cold_ask"][label] = row

    if "serving" in args.stages:
        say("what each part holds…")
        qs = questions_for(shared)
        res["parts"] = spawn_child("parts", {"store": str(shared), "questions": qs})
        say("chat memory: warm-up, then 50 questions…")
        res["chat"] = chat_memory(shared, qs, 50)
        res["chat"]["index"] = res["parts"]["index"] = shared.name
    res["loadavg_end"] = os.getloadavg()
    return res


def merge_parts(folder: Path) -> dict:
    """One result from the stages run in separate invocations (oldest first, later ones win)."""
    out: dict = {}
    for f in sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime):
        part = json.loads(f.read_text(encoding="utf-8"))
        for k, v in part.items():
            if isinstance(v, dict) and isinstance(out.get(k), dict):
                out[k].update(v)
            else:
                out[k] = v
    return out


def table(res: dict) -> str:
    L = ["| measure | value |", "|---|---|"]
    for label, r in (res.get("cold_ask") or {}).items():
        if isinstance(r, dict):
            for k in ("before", "lean"):
                x = r[k]
                L.append(f"| cold `ask` over {label}, {k} (median of {x['runs']}) | {x['wall_s']:.1f} s wall "
                         f"(runs {', '.join(map(str, x['all_wall_s']))}), "
                         f"{x['cpu_s']:.1f} CPU s, peak {x['peak_rss_mb']:.0f} MB |")
            L.append(f"| cold `ask` over {label}: same answer before and lean | {r.get('same_answer')} |")
    c = res.get("chat")
    if c:
        L.append(f"| chat RSS after warm-up / after {c['questions']} questions | {c['after_warm_up']['VmRSS']:.0f} MB / "
                 f"{c['after_questions']['VmRSS']:.0f} MB (peak {c['after_questions']['VmHWM']:.0f} MB) |")
    p = res.get("parts")
    if p:
        L.append("| what the engine holds (RSS added) | " + ", ".join(
            f"{k[:-3].replace('_', ' ')} {v:.0f} MB" for k, v in p.items() if k.endswith("_mb")) + " |")
    st = res.get("index", {}).get("starter")
    for name, r in res.get("index", {}).items():
        extra = f", {r['speedup_vs_starter_wall']}x wall / {r['speedup_vs_starter_cpu']}x CPU vs the starter" \
            if "speedup_vs_starter_wall" in r else ""
        L.append(f"| full index, {name} | {r['seconds']:.1f} s wall, {r['cpu_s']:.0f} CPU s, {r['chunks']} chunks, "
                 f"peak {r['peak_rss_mb']:.0f} MB{extra} |")
    if st and "evidence_at_5" in st:
        L.append(f"| starter evidence@5 (dev gold) | {st['evidence_at_5']} |")
    for name, q in (res.get("quality") or {}).items():
        L.append(f"| {name} vs torch fp32 (dev gold) | same top-5 hybrid {q.get('same_top5_hybrid')}, dense "
                 f"{q.get('same_top5_dense')}; evidence@5 hybrid {q.get('evidence_at_5_hybrid')} (fp32 "
                 f"{q.get('ref_evidence_at_5_hybrid')}), dense {q.get('evidence_at_5_dense')} (fp32 "
                 f"{q.get('ref_evidence_at_5_dense')}); warm ask p50 {q.get('ask_p50_ms', 0):.0f} ms |")
    for k, v in (res.get("answers_identical") or {}).items():
        L.append(f"| dev gold answers identical, {k.replace('_', ' ')} | {v} |")
    L.append(f"| load average start / end | {res.get('loadavg_start')} / {res.get('loadavg_end')} |")
    return "\n".join(L)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.bench_lean", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="bench-out")
    ap.add_argument("--runs", type=int, default=3, help="cold ask runs (median)")
    ap.add_argument("--quick", action="store_true", help="smoke run: 60 Wikinews articles")
    ap.add_argument("--resume", action="store_true", help="reuse the results of index/quality runs already in --out")
    ap.add_argument("--skip-starter", action="store_true")
    ap.add_argument("--stages", default="index,quality,cold,serving",
                    help="what to run (results of earlier runs in --out are merged into the table)")
    ap.add_argument("--cold", default="corpus,shared", help="stores for the cold-ask runs")
    ap.add_argument("--shared-index", default="onnx-fp32", choices=[*RUNTIMES, "torch-fp32", "corpus"],
                    help="which full index of the shared corpus the cold-ask and chat runs read")
    ap.add_argument("--shared-store", help="an existing full index of the shared corpus (built by this code) for "
                                           "the lean cold-ask and chat runs, instead of --shared-index's")
    ap.add_argument("--work", help="folder of the work stores (default OUT/work-lean)")
    ap.add_argument("--baseline-ref", default=BASELINE_REF,
                    help="git ref of the path before the lean work (default: the trained reader on torch, "
                         "sentence-transformers and llama-index, before issue 12)")
    args = ap.parse_args(argv)
    import depeche.offline  # noqa: F401

    if not WIKINEWS.exists():
        raise SystemExit(f"{WIKINEWS} is absent: the benchmark needs the shared data beside the repository.")
    res = run(args)
    parts = Path(args.out) / "lean-parts"
    parts.mkdir(parents=True, exist_ok=True)
    tag = args.stages.replace(",", "+") + ("-" + args.cold.replace(",", "+") if "cold" in args.stages else "")
    (parts / f"{tag}.json").write_text(json.dumps(res, ensure_ascii=False, default=str), encoding="utf-8")
    res = merge_parts(parts)
    bench_child.write_results(Path(args.out), "bench_lean", res, table(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
