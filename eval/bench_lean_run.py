"""The processes of eval/bench_lean.py: timed commands, cold `ask`, the chat's memory, and the
children that load an engine in a fresh process (``python -m eval.bench_lean_run --child KIND``).

Each measure runs in its own process, so a peak RSS is that process's own (``ru_maxrss``) and CPU
seconds are its own (``ru_utime + ru_stime``): on a shared, loaded machine those are the comparable
figures, wall times are not.
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
    from index.vectors import VectorFile

    dense = VectorFile.open(store.gen_dir(m.generation), chunks)
    (dense or store.dense_index(m.collection)).search([1.0] * 384, 5)
    step("vector_file_mb" if dense else "chroma_mb")
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
    r = subprocess.run([sys.executable, "-m", "eval.bench_lean_run", "--child", kind, "--params", json.dumps(params)],
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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.bench_lean_run")
    ap.add_argument("--child", required=True, choices=sorted(CHILDREN))
    ap.add_argument("--params", required=True)
    args = ap.parse_args(argv)
    import depeche.offline  # noqa: F401

    print(json.dumps(CHILDREN[args.child](json.loads(args.params)), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
