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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
WIKINEWS, GOLD, CORPUS = DATA / "wikinews-fr.jsonl", DATA / "dev-gold.jsonl", ROOT / "corpus"
QUESTION = "Qui a critiqué la rencontre ?"
RUNTIMES = {  # name -> (embedder, extra environment)
    "torch-bf16": ("e5-small", {"DEPECHE_E5_RUNTIME": "torch"}),
    "onnx-fp32": ("e5-small", {}),
    "onnx-int8": ("e5-small-onnx-int8", {}),
}
REFERENCE = ("e5-small-fp32", {})


def _env(extra: dict | None = None, pythonpath: Path = ROOT) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEPECHE_") or k == "DEPECHE_MODEL_CACHE"}
    env.update({"PYTHONPATH": str(pythonpath), **(extra or {})})
    return env


def timed(cmd: list[str], env: dict, cwd: Path = ROOT) -> dict:
    """Run ``cmd``; wall seconds, the child's own peak RSS (MB) and CPU seconds."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:6])}… failed ({p.returncode}): {stderr[-500:]}")
    return {"wall_s": wall, "peak_rss_mb": ru.ru_maxrss / 1024, "cpu_s": ru.ru_utime + ru.ru_stime,
            "stdout": stdout}


def cold_ask(store: Path, src: Path, runs: int, extra_env: dict | None = None) -> dict:
    cmd = [sys.executable, "-m", "depeche.cli", "ask", "--json", "--store", str(store), QUESTION]
    if src == ROOT:
        cmd.insert(-1, "--local")
    rows = [timed(cmd, _env(extra_env, src), cwd=src) for _ in range(runs)]
    answer = json.loads(rows[-1]["stdout"])
    return {"runs": runs, "wall_s": statistics.median(r["wall_s"] for r in rows),
            "peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in rows),
            "cpu_s": statistics.median(r["cpu_s"] for r in rows),
            "all_wall_s": [round(r["wall_s"], 2) for r in rows], "answer": answer["answer"][:120]}


def baseline_source(ref: str, work: Path) -> Path:
    """The code of ``ref`` (the path before the lean work), extracted once."""
    dst = work / f"src-{ref[:12]}"
    if not (dst / "depeche").is_dir():
        dst.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dst)], input=archive, check=True)
    return dst


# ---- children ----------------------------------------------------------------------------------
def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child_parts(p: dict) -> dict:
    """RSS added by each part of an engine, loaded one after the other."""
    from depeche.settings import Settings
    from index.bm25 import LexicalIndex
    from index.embedders import get_embedder
    from index.store import Store

    out = {"python_and_imports_mb": _rss_mb()}
    last = out["python_and_imports_mb"]

    def step(name):
        nonlocal last
        now = _rss_mb()
        out[name] = round(now - last, 1)
        last = now

    s = Settings.from_mapping({"store": p["store"]})
    store = Store(s.store_path)
    m = store.require_manifest()
    chunks = store.read_chunks(m.generation)
    step("chunk_table_mb")
    LexicalIndex.load(store.gen_dir(m.generation) / "bm25")
    step("bm25_mb")
    store.dense_index(m.collection).search([0.0] * 384, 5)
    step("chroma_mb")
    emb = get_embedder(s.embedder)
    emb.embed_query("warm up")
    step("embedder_mb")
    from rag.engine import Engine

    engine = Engine(s)
    engine.ask(QUESTION)
    step("engine_and_answerer_mb")
    for q in p.get("questions", [])[:20]:
        engine.ask(q)
    step("twenty_questions_mb")
    out["total_mb"] = round(_rss_mb(), 1)
    out["chunks"] = len(chunks)
    return out


def child_answers(p: dict) -> dict:
    """Each gold question's answer (text, short answer, cited offsets), for comparing runtimes."""
    os.environ.update(p.get("env") or {})
    from depeche.settings import Settings
    from eval.gold import load_gold
    from rag.engine import Engine

    engine = Engine(Settings.from_mapping({"store": p["store"], "embedder": p["embedder"]}))
    rows = []
    for g in load_gold(p["gold"]):
        a = engine.ask(g.question).to_json()
        rows.append([a["answer"], a["short_answer"], [(c["article_id"], c["start"], c["end"]) for c in a["citations"]]])
    return {"answers": rows}


CHILDREN = {"parts": child_parts, "answers": child_answers}


def spawn_child(kind: str, params: dict) -> dict:
    r = subprocess.run([sys.executable, "-m", "eval.bench_lean", "--child", kind, "--params", json.dumps(params)],
                       cwd=ROOT, env=_env(params.get("env")), capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"bench child {kind} failed: {r.stderr[-800:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


# ---- the chat -------------------------------------------------------------------------------------
def _vm(pid: int) -> dict:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            out[line.split(":")[0]] = round(int(line.split()[1]) / 1024, 1)
    return out


def chat_memory(store: Path, questions: list[str], n: int = 50) -> dict:
    import socket

    from depeche import warm
    from depeche.settings import Settings

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = Settings.from_mapping({"store": str(store)})
    (store / warm.FILE).unlink(missing_ok=True)
    log = open(store.parent / "chat.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "depeche.cli", "chat", "--store", str(store), "--port", str(port)],
                            cwd=ROOT, env=_env(), stdout=log, stderr=log)
    try:
        t0 = time.perf_counter()
        while warm.find_server(settings) is None:
            if proc.poll() is not None or time.perf_counter() - t0 > 1200:
                raise SystemExit(f"the chat did not start; see {store.parent / 'chat.log'}")
            time.sleep(0.5)
        out = {"start_s": round(time.perf_counter() - t0, 1), "after_warm_up": _vm(proc.pid)}
        asked = 0
        t1 = time.perf_counter()
        for i in range(n):
            if warm.ask_server(settings, questions[i % len(questions)]) is not None:
                asked += 1
        out.update({"questions": asked, "seconds_per_question": round((time.perf_counter() - t1) / n, 3),
                    "after_questions": _vm(proc.pid)})
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()


def questions_for(store: Path, n: int = 50) -> list[str]:
    """The dev gold questions, then questions made from article titles: n distinct questions."""
    qs = [json.loads(line)["question"] for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()] \
        if GOLD.exists() else [QUESTION]
    from index.store import Store

    st = Store(store)
    arts = st.read_articles(st.require_manifest().generation)
    for a in list(arts.values())[::7]:
        if len(qs) >= n:
            break
        qs.append(f"Que s'est-il passé : {a.title[:80]} ?")
    return qs[:n]


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
    shared = work / ("corpus-store" if args.shared_index == "corpus" else f"idx-{args.shared_index}")
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
            int8 = spawn_child("answers", {"store": str(stores["onnx-int8"]), "embedder": "e5-small-onnx-int8",
                                           "gold": str(GOLD)})
            n = len(lean["answers"])
            res["answers_identical"] = {
                "onnx_vs_torch_query_same_index": f"{sum(a == b for a, b in zip(lean['answers'], torch_q['answers']))}/{n}",
                "lean_vs_torch_bf16_index_and_query": f"{sum(a == b for a, b in zip(lean['answers'], torch_all['answers']))}/{n}",
                "onnx_int8_vs_torch_bf16": f"{sum(a == b for a, b in zip(int8['answers'], torch_all['answers']))}/{n}",
            }

    if "cold" in args.stages:
        # cold ask: the path before this branch and the lean one, over corpus/ and over the shared corpus
        small_store = work / "corpus-store"
        if not (small_store / "manifest.json").exists():
            say("indexing corpus/ for the cold-ask runs…")
            timed([sys.executable, "-m", "depeche.cli", "index", "--quiet", "--store", str(small_store),
                   "--corpus", str(CORPUS)], _env())
        base_ref = args.baseline_ref or subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=ROOT,
                                                       capture_output=True, text=True).stdout.strip()
        base_src = baseline_source(base_ref, work)
        res["cold_ask"] = {"baseline_ref": base_ref}
        for label, store in (("corpus", small_store), ("shared", shared)):
            if label not in args.cold:
                continue
            say(f"cold ask over {label}: before (torch) and lean, {args.runs} runs each…")
            res["cold_ask"][label] = {"before": cold_ask(store, base_src, args.runs),
                                      "lean": cold_ask(store, ROOT, args.runs)}

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
                L.append(f"| cold `ask` over {label}, {k} (median of {x['runs']}) | {x['wall_s']:.1f} s wall, "
                         f"{x['cpu_s']:.1f} CPU s, peak {x['peak_rss_mb']:.0f} MB |")
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
    ap.add_argument("--work", help="folder of the work stores (default OUT/work-lean)")
    ap.add_argument("--baseline-ref", help="git ref of the path before (default: merge base with main)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--params", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    import depeche.offline  # noqa: F401

    if args.child:
        print(json.dumps(CHILDREN[args.child](json.loads(args.params)), ensure_ascii=False))
        return 0
    if not WIKINEWS.exists():
        raise SystemExit(f"{WIKINEWS} is absent: the benchmark needs the shared data beside the repository.")
    res = run(args)
    parts = Path(args.out) / "lean-parts"
    parts.mkdir(parents=True, exist_ok=True)
    tag = args.stages.replace(",", "+") + ("-" + args.cold.replace(",", "+") if "cold" in args.stages else "")
    (parts / f"{tag}.json").write_text(json.dumps(res, ensure_ascii=False, default=str), encoding="utf-8")
    res = merge_parts(parts)
    text = table(res)
    print(text)
    out = Path(args.out)
    (out / "bench_lean.json").write_text(json.dumps(res, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    (out / "bench_lean.txt").write_text(text + "\n", encoding="utf-8")
    print(f"\nwritten: {out / 'bench_lean.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
