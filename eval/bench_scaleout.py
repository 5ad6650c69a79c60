"""Scale-out benchmark (`make bench-scale`): streaming build vs the in-memory builder, memory-mapped vs
loaded serving, Ray Data embedding. Prints a table and saves bench-out/bench_scaleout.json after every
step (a partial run keeps what it measured; --resume skips the steps already saved).

    python -m eval.bench_scaleout --out bench-out [--sizes 10000,50000,200000] [--serve-sizes 50000,200000]
                                  [--skip-ray] [--ray-articles 300] [--resume] [--quick]
                                  [--steps stream,serve,ray,mem]

Per size (synthetic articles of real Wikinews sentences, stand-in vectors: eval/bench_scale.py), one
Chroma server (`chroma run`, as in production at this scale) receives the vectors of both builders:
  - build, streaming (index/streaming.py) and in-memory (builder.build_index_in_memory), each in its own
    process: wall and CPU seconds, peak RSS of the builder process (ru_maxrss); the server's RSS apart;
  - serving (sizes of --serve-sizes), mmap on and off, each in its own process: RSS after loading
    and after the questions, split into private (RssAnon: the process's own) and file-backed
    (RssFile: mapped pages, shared by every process mapping them, evictable); warm hybrid retrieval
    (Engine.search) and full answer (Engine.ask) p50/p95 over questions made of real sentences.
Ray: real text (the first --ray-articles Wikinews articles), the real default embedder, in process vs
Ray Data local mode with 1 and 2 workers; the embedding rate excludes starting Ray (given apart).
Not used in tests.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from eval import bench_child
from eval.bench_child import proc_mem

ROOT = Path(__file__).resolve().parent.parent
WIKINEWS = ROOT.parent / "shared" / "data" / "wikinews-fr.jsonl"
ASK_QUESTIONS = 40


# ---- children ---------------------------------------------------------------------------------
def child_build(p: dict) -> dict:
    import eval.bench_scale  # noqa: F401  (registers the stand-in embedder)
    from depeche.settings import Settings
    from eval.bench_scale import STANDIN, dir_bytes
    from index.builder import build_index_in_memory
    from index.streaming import build_index_streaming

    s = Settings.from_mapping({"store": p["store"], "corpus": p["corpus"], "embedder": STANDIN,
                               "chroma_url": p.get("chroma_url", "")})
    fn = build_index_streaming if p["kind"] == "stream" else build_index_in_memory
    t0 = time.perf_counter()
    summary = fn(s, rebuild=True, progress=False)
    out = {"seconds": time.perf_counter() - t0, "chunks": summary.chunks, "articles": summary.articles,
           "embedded_chunks": summary.embedded_chunks, "reused_chunks": summary.reused_chunks}
    out["local_mb"] = round(sum(dir_bytes(d) for d in Path(p["store"]).glob("gen-*")) / 2**20, 1)
    return out


def child_serve(p: dict) -> dict:
    import eval.bench_scale  # noqa: F401
    from depeche.settings import Settings
    from eval.bench_scale import STANDIN
    from eval.metrics import percentile
    from rag.engine import Engine

    s = Settings.from_mapping({"store": p["store"], "embedder": STANDIN, "chroma_url": p.get("chroma_url", ""),
                               "mmap": p["mmap"]})
    engine = Engine(s)
    t0 = time.perf_counter()
    engine.retriever  # noqa: B018  (chunk table, BM25, Chroma collection)
    out = {"load_s": time.perf_counter() - t0, "after_load": proc_mem()}
    engine.warm_up()
    qs = p["questions"]
    engine.search(qs[0], k=5)
    times, cpu = [], []  # wall and CPU (all threads of this process) milliseconds: CPU is steadier on a shared machine
    for q in qs:
        t, c = time.perf_counter(), time.process_time()
        engine.search(q, k=5)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    out.update({"retrieve_p50_ms": percentile(times, 50), "retrieve_p95_ms": percentile(times, 95),
                "retrieve_cpu_p50_ms": percentile(cpu, 50), "retrieve_cpu_p95_ms": percentile(cpu, 95)})
    engine.ask(qs[1])
    times, cpu, stages = [], [], {}
    for q in qs[:ASK_QUESTIONS]:
        t, c = time.perf_counter(), time.process_time()
        answer = engine.ask(q)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        for stage, ms in (answer.timings_ms or {}).items():
            stages.setdefault(stage, []).append(ms)
    # Where an answer's time goes (Engine.ask's own timings: load, retrieve, answer, total).
    out["answer_stages_ms"] = {k: {"p50": percentile(v, 50), "p95": percentile(v, 95)} for k, v in stages.items()}
    out.update({"answer_p50_ms": percentile(times, 50), "answer_p95_ms": percentile(times, 95),
                "answer_cpu_p50_ms": percentile(cpu, 50), "answer_cpu_p95_ms": percentile(cpu, 95),
                "answers": len(times), "searches": len(qs), "after_queries": proc_mem()})
    return out


def child_embed(p: dict) -> dict:
    """Index real text with the real embedder: in this process, or on Ray local mode with N workers."""
    from depeche.settings import Settings
    from index.streaming import InProcessEmbedding, build_index_streaming

    values = {"store": p["store"], "corpus": p["corpus"], "embedder": p["embedder"]}
    if p["workers"]:
        values.update({"ray": "local", "ray_concurrency": p["workers"], "ray_batch_size": p["batch"]})
    s = Settings.from_mapping(values)
    out: dict = {"workers": p["workers"]}
    if p["workers"]:
        from index.ray_embed import RayEmbedding

        inner = RayEmbedding(s)
        t = time.perf_counter()
        inner._connect()
        out["ray_start_s"] = time.perf_counter() - t
    else:
        inner = InProcessEmbedding(s)
    timed = _Timed(inner)
    t0 = time.perf_counter()
    summary = build_index_streaming(s, rebuild=True, progress=False, embedding=timed)
    out.update({"seconds": time.perf_counter() - t0, "chunks": summary.embedded_chunks, "embed_s": timed.seconds,
                "chunks_per_s": summary.embedded_chunks / max(timed.seconds, 1e-9), "runtime": timed.runtime})
    return out


class _Timed:
    def __init__(self, inner) -> None:
        self.inner, self.seconds = inner, 0.0

    def __call__(self, collection, chunks, bar) -> None:
        t = time.perf_counter()
        self.inner(collection, chunks, bar)
        self.seconds += time.perf_counter() - t

    def __getattr__(self, name):
        return getattr(self.inner, name)


CHILDREN = {"build": child_build, "serve": child_serve, "embed": child_embed}


def spawn(kind: str, params: dict, logs: Path, name: str, resume: bool) -> dict:
    """One child (eval/bench_child.py); stopped if the shared machine runs out of memory. A build cut
    short is continued by --resume (its store and Chroma collection are kept: the vectors already
    written are reused), its figures adding up the runs."""
    return bench_child.spawn("eval.bench_scaleout", kind, params, logs, name, resume, min_free_mb=1500,
                             checkpoint=kind == "build")


# ---- a Chroma server ------------------------------------------------------------------------------
class ChromaServer:
    def __init__(self, path: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        path.mkdir(parents=True, exist_ok=True)
        self.log = open(path.parent / f"{path.name}.log", "w")
        chroma = Path(sys.executable).with_name("chroma")
        self.proc = subprocess.Popen([str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 900  # a loaded machine starts it slowly
        while not self._up():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Chroma server did not start; see {self.log.name}")
            time.sleep(0.5)

    def _up(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    def mem(self) -> dict:
        return proc_mem(self.proc.pid)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def drop_store_collections(store: Path, url: str) -> None:
    from index.store import Store

    Store(store, url).drop_collections(keep=set())


# ---- orchestration -----------------------------------------------------------------------------------
def run(args, res: dict, save) -> None:
    from eval.bench_scale import STANDIN_LABEL, real_sentences

    out = Path(args.out)
    work, logs = out / "scaleout-work", out / "scaleout-logs"
    work.mkdir(parents=True, exist_ok=True)
    logs.mkdir(parents=True, exist_ok=True)
    say = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    sentences = real_sentences(WIKINEWS)
    picked = sentences[::max(1, len(sentences) // 100)][:100]
    questions = [" ".join(s.split()[:12]) + " ?" for s in picked]
    res.setdefault("vectors", STANDIN_LABEL)
    res.setdefault("sizes", {})
    sizes = [int(x) for x in args.sizes.split(",") if x]
    # Order: what the issue asks first (streaming build, serving), then Ray, then the baseline builds,
    # so that a run cut short by the clock keeps the most useful figures.
    steps = set(args.steps.split(","))
    first = tuple(k for k in ("stream", "serve") if k in steps)
    for n in sizes if first else ():
        size_step(args, res, n, first, sentences, questions, work, logs, save, say)
    if "ray" in steps and not args.skip_ray:
        ray_bench(args, res, work, logs, save, say)
    for n in sizes if "mem" in steps else ():
        size_step(args, res, n, ("mem",), sentences, questions, work, logs, save, say)


def size_step(args, res, n, steps, sentences, questions, work, logs, save, say) -> None:
    from eval.bench_scale import dir_bytes, synthetic_corpus

    r = res["sizes"].setdefault(str(n), {})
    corpus = synthetic_corpus(sentences, n, work / f"syn-{n}")
    serve_it = "serve" in steps and str(n) in args.serve_sizes.split(",")
    builds = [k for k in ("stream", "mem") if k in steps]
    needed = [f"build-{k}" for k in builds] + (["serve-mmap", "serve-ram"] if serve_it else [])
    if args.resume and all((logs / f"{k}-{n}.json").exists() for k in needed):
        for k in needed:  # the parent's own figures (Chroma server RSS) are not in the child's JSON
            r[k] = {**r.get(k, {}), **json.loads((logs / f"{k}-{n}.json").read_text())}
        return
    server = ChromaServer(work / f"chroma-{n}")
    try:
        stream_store = work / f"stream-{n}"
        for kind in builds:
            store = work / f"{kind}-{n}"
            name = f"build-{kind}-{n}"
            cut = bench_child.partial_path(logs, name)
            if not (args.resume and ((logs / f"{name}.json").exists() or cut.exists())):
                cut.unlink(missing_ok=True)
                shutil.rmtree(store, ignore_errors=True)
            say(f"{n:,} articles: {kind} build…")
            before = server.mem()
            cached = args.resume and (logs / f"{name}.json").exists()
            earlier = {k: v for k, v in r.get(f"build-{kind}", {}).items() if k.startswith("server_")}
            r[f"build-{kind}"] = spawn("build", {"kind": kind, "store": str(store), "corpus": [str(corpus)],
                                                 "chroma_url": server.url}, logs, name, args.resume)
            if cached and earlier:  # a server started for a later step has not seen the build
                r[f"build-{kind}"].update(earlier)
            else:
                r[f"build-{kind}"]["server_after"] = server.mem()
                r[f"build-{kind}"]["server_before"] = before
            if kind == "stream":
                r["chroma_server_mb_on_disk"] = round(dir_bytes(work / f"chroma-{n}") / 2**20, 1)
            else:  # the server keeps one index, as in production
                drop_store_collections(store, server.url)
                if not args.keep_stores:
                    shutil.rmtree(store, ignore_errors=True)
            save()
        if serve_it and "stopped" in r.get("build-stream", {}):
            say(f"{n:,} articles: the streaming build was stopped; no serving (--resume continues the build)")
        elif serve_it:
            for mmap in (True, False):
                label = "serve-mmap" if mmap else "serve-ram"
                say(f"{n:,} articles: serving, mmap={mmap}…")
                r[label] = spawn("serve", {"store": str(stream_store), "chroma_url": server.url, "mmap": mmap,
                                           "questions": questions}, logs, f"{label}-{n}", args.resume)
                r[label]["server"] = server.mem()
                save()
    finally:
        server.stop()


def ray_bench(args, res: dict, work: Path, logs: Path, save, say) -> None:
    real = work / "ray-real" / "wikinews.jsonl"
    real.parent.mkdir(parents=True, exist_ok=True)
    with open(WIKINEWS, encoding="utf-8") as src, open(real, "w", encoding="utf-8") as dst:
        for _, line in zip(range(args.ray_articles), src):
            dst.write(line)
    res.setdefault("ray", {})
    for workers in (0, 1, 2):
        name = "embed-inprocess" if not workers else f"embed-ray-{workers}"
        say(f"embedding real text: {name}…")
        store = work / f"ray-store-{workers}"
        shutil.rmtree(store, ignore_errors=True)
        res["ray"][name] = spawn("embed", {"store": str(store), "corpus": [str(real)], "embedder": args.embedder,
                                           "workers": workers, "batch": args.ray_batch}, logs, name, args.resume)
        shutil.rmtree(store, ignore_errors=True)
        save()


def main(argv=None) -> int:
    from eval.bench_scaleout_report import extrapolate, table

    ap = argparse.ArgumentParser(prog="python -m eval.bench_scaleout", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="bench-out")
    ap.add_argument("--sizes", default="10000,50000,200000")
    ap.add_argument("--serve-sizes", default="50000,200000")
    ap.add_argument("--quick", action="store_true", help="smoke run: 300 / 900 articles, 60 for Ray")
    ap.add_argument("--skip-ray", action="store_true")
    ap.add_argument("--steps", default="stream,serve,ray,mem",
                    help="which steps to run (e.g. mem alone, in a second process with its own --out)")
    ap.add_argument("--ray-articles", type=int, default=300)
    ap.add_argument("--ray-batch", type=int, default=64)
    ap.add_argument("--embedder", default="e5-small")
    ap.add_argument("--keep-stores", action="store_true")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--from-json", help="re-render a saved bench_scaleout.json")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--params", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    import depeche.offline  # noqa: F401

    if args.child:
        return bench_child.child_main(CHILDREN, args.child, args.params)
    # Stopped by SIGTERM (kill PID): unwind, so that the child and the Chroma server stop too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "bench_scaleout.json"
    if args.quick:
        args.sizes, args.serve_sizes, args.ray_articles = "300,900", "300,900", 60
    res = json.loads(path.read_text(encoding="utf-8")) if (args.from_json or args.resume) and path.exists() else {}
    if args.from_json:
        res = json.loads(Path(args.from_json).read_text(encoding="utf-8"))
    res.setdefault("machine", {"python": platform.python_version(), "cpus": os.cpu_count(),
                               "loadavg_start": os.getloadavg(), "started": time.strftime("%Y-%m-%d %H:%M:%S")})

    def save() -> None:
        res["machine"]["loadavg_now"] = os.getloadavg()
        res["extrapolated"] = extrapolate(res)
        path.write_text(json.dumps(res, indent=1, ensure_ascii=False, default=str), encoding="utf-8")

    if not args.from_json:
        try:
            run(args, res, save)
        finally:
            save()
    else:
        res["extrapolated"] = extrapolate(res)
    bench_child.write_results(out, "bench_scaleout", res, table(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
