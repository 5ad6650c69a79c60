"""Index benchmarks: full index vs the llama-index starter pipeline, no-change re-index, warm ask,
and scale (10k / 50k synthetic articles) with a 1M-article extrapolation. Prints a table, writes JSON.

    python -m eval.bench_index --out bench-out [--quick] [--skip-starter] [--sizes 10000,50000]

Every pipeline runs in its own child process, so that peak memory is the child's ru_maxrss
(tracemalloc does not see torch's allocations) and one run cannot warm the next. The machine may be
shared: wall seconds are reported beside CPU seconds and the load average. Never used in tests.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from eval import bench_child

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
WIKINEWS = DATA / "wikinews-fr.jsonl"
GOLD = DATA / "dev-gold.jsonl"
CORPUS = ROOT / "corpus"


# ---- children (each in its own process) -------------------------------------------------------
def child_ours(p: dict) -> dict:
    from depeche.settings import Settings
    from index.builder import build_index

    t0 = time.perf_counter()
    s = build_index(Settings.from_mapping({"store": p["store"], "corpus": p["corpus"], "embedder": p["embedder"]}),
                    rebuild=True, progress=False)
    from index.embedders import get_embedder

    return {"seconds": time.perf_counter() - t0, "chunks": s.chunks, "articles": s.articles,
            "embedded": s.embedded_chunks, "runtime": getattr(get_embedder(p["embedder"]), "runtime", "")}


def child_starter(p: dict) -> dict:
    """The llama-index starter: Documents -> VectorStoreIndex.from_documents (default SentenceSplitter,
    1024 tokens / 200 overlap) -> Chroma, with the same model through as_llama_embedding."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import Document, StorageContext, VectorStoreIndex
    from llama_index.core import Settings as LlamaSettings
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from index.embedders import as_llama_embedding, get_embedder
    from index.loaders import load_corpus

    t0 = time.perf_counter()
    articles, _ = load_corpus(p["corpus"])
    docs = [Document(text=a.text, id_=a.id, metadata={"title": a.title, "date": a.date or "", "url": a.url or ""})
            for a in articles]
    LlamaSettings.embed_model = as_llama_embedding(get_embedder(p["embedder"]))
    client = chromadb.PersistentClient(path=p["store"], settings=ChromaSettings(anonymized_telemetry=False))
    col = client.get_or_create_collection("starter", metadata={"hnsw:space": "cosine"})
    ctx = StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=col))
    index = VectorStoreIndex.from_documents(docs, storage_context=ctx)
    seconds = time.perf_counter() - t0
    out = {"seconds": seconds, "chunks": col.count(), "articles": len(docs)}
    if p.get("gold"):
        from eval.gold import load_gold
        from eval.metrics import evidence_hit

        retriever = index.as_retriever(similarity_top_k=5)
        hits = []
        for g in load_gold(p["gold"]):
            nodes = retriever.retrieve(g.question)
            hits.append(evidence_hit([{"text": n.node.get_content(), "article_id": n.node.ref_doc_id}
                                      for n in nodes], g, 5))
        known = [h for h in hits if h is not None]
        out["evidence_at_5"] = round(sum(known) / len(known), 3) if known else None
    return out


def child_ask(p: dict) -> dict:
    """Warm ask p50/p95 over the gold questions; top-5 agreement with a reference index (fp32)."""
    from depeche.settings import Settings
    from eval.gold import load_gold
    from eval.metrics import evidence_hit, percentile
    from rag.engine import Engine

    gold = load_gold(p["gold"])
    engine = Engine(Settings.from_mapping({"store": p["store"], "embedder": p["embedder"]}))
    engine.warm_up()
    totals, retrieve = [], []
    for g in gold:
        a = engine.ask(g.question)
        totals.append(a.timings_ms.get("total", 0.0))
        retrieve.append(a.timings_ms.get("retrieve", 0.0))
    out = {"questions": len(gold), "ask_p50_ms": percentile(totals, 50), "ask_p95_ms": percentile(totals, 95),
           "retrieve_p50_ms": percentile(retrieve, 50), "retrieve_p95_ms": percentile(retrieve, 95)}

    def tops(eng, mode):
        return [eng.search(g.question, k=5, mode=mode) for g in gold]

    def ev(hit_lists):
        flags = [evidence_hit([{"text": h.chunk.text, "article_id": h.chunk.article_id} for h in hits], g, 5)
                 for hits, g in zip(hit_lists, gold)]
        known = [f for f in flags if f is not None]
        return round(sum(known) / len(known), 3) if known else None

    mine = {m: tops(engine, m) for m in ("hybrid", "dense")}
    out.update({f"evidence_at_5_{m}": ev(v) for m, v in mine.items()})
    if p.get("ref_store"):
        from index import embedders
        from index.store import Store

        # The reference index may carry the name "e5-small" (built in fp32 before the bf16 runtime):
        # query it under its own name, with the reference (fp32) runtime.
        ref_name = Store(p["ref_store"]).require_manifest().embedder
        if ref_name != p["ref_embedder"]:
            embedders._CACHE.pop(ref_name, None)
            embedders._CACHE[ref_name] = embedders.get_embedder(p["ref_embedder"])
        ref = Engine(Settings.from_mapping({"store": p["ref_store"], "embedder": ref_name}))
        for m in ("hybrid", "dense"):
            theirs = tops(ref, m)
            same_set = sum({h.chunk.id for h in a} == {h.chunk.id for h in b} for a, b in zip(mine[m], theirs))
            same_order = sum([h.chunk.id for h in a] == [h.chunk.id for h in b] for a, b in zip(mine[m], theirs))
            out[f"same_top5_{m}"] = f"{same_set}/{len(gold)}"
            out[f"same_top5_order_{m}"] = f"{same_order}/{len(gold)}"
            out[f"ref_evidence_at_5_{m}"] = ev(theirs)
    return out


def child_scale_build(p: dict) -> dict:
    import eval.bench_scale  # noqa: F401  (registers the stand-in embedder)
    from depeche.settings import Settings
    from eval.bench_scale import STANDIN, dir_bytes
    from index.builder import build_index

    settings = Settings.from_mapping({"store": p["store"], "corpus": p["corpus"], "embedder": STANDIN})
    t0 = time.perf_counter()
    s = build_index(settings, rebuild=True, progress=False)
    out = {"seconds": time.perf_counter() - t0, "chunks": s.chunks, "articles": s.articles}
    store = Path(p["store"])
    out["chroma_mb"] = round(dir_bytes(store / "chroma") / 2**20, 1)
    out["local_mb"] = round(sum(dir_bytes(d) for d in store.glob("gen-*")) / 2**20, 1)
    return out


def child_scale_update(p: dict) -> dict:
    import eval.bench_scale  # noqa: F401
    from depeche.settings import Settings
    from eval.bench_scale import STANDIN
    from index.builder import build_index

    settings = Settings.from_mapping({"store": p["store"], "corpus": p["corpus"], "embedder": STANDIN})
    t0 = time.perf_counter()
    s = build_index(settings, progress=False)
    out = {"nochange_s": time.perf_counter() - t0, "unchanged": s.unchanged}
    t0 = time.perf_counter()
    s = build_index(settings, corpus=p["corpus"] + [p["extra"]], progress=False)
    out.update({"add10_s": time.perf_counter() - t0, "added": s.added})
    return out


def child_scale_query(p: dict) -> dict:
    import eval.bench_scale  # noqa: F401
    from depeche.settings import Settings
    from eval.bench_scale import STANDIN
    from eval.metrics import percentile
    from rag.engine import Engine

    engine = Engine(Settings.from_mapping({"store": p["store"], "embedder": STANDIN}))
    t0 = time.perf_counter()
    engine.retriever  # noqa: B018  (loads chunk table, BM25, Chroma)
    out = {"load_s": time.perf_counter() - t0, "rss_after_load_mb": bench_child.usage()["peak_rss_mb"]}
    questions = p["questions"]
    for mode in ("hybrid", "bm25", "dense"):
        engine.search(questions[0], k=5, mode=mode)
        times = []
        for q in questions:
            t = time.perf_counter()
            engine.search(q, k=5, mode=mode)
            times.append((time.perf_counter() - t) * 1000)
        out[f"{mode}_p50_ms"] = percentile(times, 50)
        out[f"{mode}_p95_ms"] = percentile(times, 95)
    return out


CHILDREN = {"ours": child_ours, "starter": child_starter, "ask": child_ask, "scale-build": child_scale_build,
            "scale-update": child_scale_update, "scale-query": child_scale_query}


def spawn(kind: str, params: dict, log_dir: Path, name: str | None = None, resume: bool = False) -> dict:
    return bench_child.spawn("eval.bench_index", kind, params, log_dir, name, resume)


# ---- orchestration ---------------------------------------------------------------------------------
def cli_reindex(store: Path, corpus: list[str]) -> dict:
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "depeche.cli", "index", "--store", str(store), "--quiet",
                        *sum((["--corpus", c] for c in corpus), [])], cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if r.returncode not in (0, 3):
        raise SystemExit(f"no-change re-index failed: {r.stderr.strip()}")
    return {"wall_s": wall, "summary": r.stdout.strip().splitlines()[0]}


def run(args) -> dict:
    out_dir = Path(args.out)
    work = out_dir / "work"
    work.mkdir(parents=True, exist_ok=True)
    logs = out_dir / "logs"
    logs.mkdir(exist_ok=True)
    if not WIKINEWS.exists():
        raise SystemExit(f"{WIKINEWS} is absent: the benchmark needs the shared data beside the repository.")
    corpus = [str(WIKINEWS), str(CORPUS)]
    if args.quick:  # a smoke run of the script itself: 60 articles, small scale sizes
        from eval.bench_scale import real_sentences  # noqa: F401

        small = work / "quick.jsonl"
        with open(WIKINEWS, encoding="utf-8") as src, open(small, "w", encoding="utf-8") as dst:
            for _, line in zip(range(60), src):
                dst.write(line)
        corpus = [str(small), str(CORPUS)]
    res: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                             "loadavg_start": os.getloadavg(), "started": time.strftime("%Y-%m-%d %H:%M:%S")},
                 "corpus": corpus}
    say = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731

    import shutil

    r = args.resume
    if not r:
        for name in ("ours", "ours-fp32", "starter"):
            shutil.rmtree(work / name, ignore_errors=True)
    say("full index: ours (default e5-small)…")
    res["ours"] = spawn("ours", {"store": str(work / "ours"), "corpus": corpus, "embedder": args.embedder},
                        logs, resume=r)
    say("no-change re-index…")
    res["reindex"] = cli_reindex(work / "ours", corpus)
    ref_store = args.reference_store
    if not args.skip_reference and not ref_store:
        say("full index: ours with the fp32 reference runtime (for the top-5 check)…")
        res["ours_fp32"] = spawn("ours", {"store": str(work / "ours-fp32"), "corpus": corpus,
                                          "embedder": args.reference}, logs, "ours-fp32", resume=r)
        ref_store = str(work / "ours-fp32")
    if not args.skip_starter:
        say("full index: llama-index starter pipeline…")
        res["starter"] = spawn("starter", {"store": str(work / "starter"), "corpus": corpus,
                                           "embedder": args.starter_embedder,
                                           "gold": str(GOLD) if GOLD.exists() else None}, logs, resume=r)
    if GOLD.exists():
        say("warm ask over the dev gold…")
        res["ask"] = spawn("ask", {"store": str(work / "ours"), "embedder": args.embedder, "gold": str(GOLD),
                                   "ref_store": None if args.skip_reference else ref_store,
                                   "ref_embedder": args.reference}, logs, resume=r)
    res["scale"] = scale(args, work, logs, say)
    res["machine"]["loadavg_end"] = os.getloadavg()
    return res


def scale(args, work: Path, logs: Path, say) -> dict:
    from eval.bench_scale import STANDIN_LABEL, real_sentences, synthetic_jsonl

    sizes = [int(x) for x in args.sizes.split(",") if x]
    if args.quick:
        sizes = [300, 900]
    sentences = real_sentences(WIKINEWS)
    rng_q = sentences[::max(1, len(sentences) // 100)][:100]
    questions = [" ".join(s.split()[:12]) + " ?" for s in rng_q]
    out = {"vectors": STANDIN_LABEL, "sentence_pool": len(sentences), "sizes": {}}
    for n in sizes:
        import shutil

        jsonl = synthetic_jsonl(sentences, n, work / f"syn-{n}.jsonl")
        extra = synthetic_jsonl(sentences, 10, work / f"syn-{n}-extra" / "extra.jsonl", seed=n + 1, prefix="new")
        store = work / f"scale-{n}"
        say(f"scale {n}: build…")
        r = args.resume and (logs / f"scale-update-{n}.json").exists()
        if not r:
            shutil.rmtree(store, ignore_errors=True)
        b = spawn("scale-build", {"store": str(store), "corpus": [str(jsonl)]}, logs, f"scale-build-{n}", r)
        say(f"scale {n}: queries…")
        q = spawn("scale-query", {"store": str(store), "questions": questions}, logs, f"scale-query-{n}", r)
        say(f"scale {n}: no-change and +10 articles…")
        u = spawn("scale-update", {"store": str(store), "corpus": [str(jsonl)], "extra": str(extra)}, logs,
                  f"scale-update-{n}", r)
        out["sizes"][n] = {"build": b, "query": q, "update": u}
    return out


def main(argv=None) -> int:
    from eval.bench_index_report import extrapolate, table

    ap = argparse.ArgumentParser(prog="python -m eval.bench_index", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="bench-out", help="folder for bench_index.json, logs and work stores")
    ap.add_argument("--quick", action="store_true", help="smoke run on 60 articles and tiny scale sizes")
    ap.add_argument("--sizes", default="10000,50000", help="synthetic corpus sizes (articles)")
    ap.add_argument("--embedder", default="e5-small", help="our indexing embedder (default e5-small)")
    ap.add_argument("--reference", default="e5-small-fp32", help="reference runtime for the top-5 check")
    ap.add_argument("--starter-embedder", default="e5-small-fp32",
                    help="embedder of the starter pipeline (default: the same model, stock fp32 torch)")
    ap.add_argument("--skip-starter", action="store_true")
    ap.add_argument("--skip-reference", action="store_true")
    ap.add_argument("--reference-store", help="an existing fp32 index of the same corpus to compare top-5 with "
                                              "(instead of building one)")
    ap.add_argument("--resume", action="store_true", help="reuse the results of children already run in --out")
    ap.add_argument("--from-json", help="re-render the table of a saved bench_index.json (no run)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--params", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    import depeche.offline  # noqa: F401

    if args.child:
        return bench_child.child_main(CHILDREN, args.child, args.params)
    if args.from_json:  # re-render a saved run
        res = json.loads(Path(args.from_json).read_text(encoding="utf-8"))
        res["scale"]["sizes"] = {int(k): v for k, v in res["scale"]["sizes"].items()}
    else:
        res = run(args)
    res["extrapolated"] = extrapolate(res)
    bench_child.write_results(Path(args.out), "bench_index", res, table(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
