"""The table and the 1M-article extrapolation of eval/bench_index.py (pure functions on its JSON)."""
from __future__ import annotations

from pathlib import Path


def extrapolate(res: dict, target: int = 1_000_000) -> dict:
    from eval.bench_scale import fit_linear

    sizes = sorted(res["scale"]["sizes"].items())
    if len(sizes) < 2:
        return {}
    ns = [n for n, _ in sizes]

    def line(get):
        a, b = fit_linear(ns, [get(v) for _, v in sizes])
        return a + b * target

    chunks_per_article = sizes[-1][1]["build"]["chunks"] / ns[-1]
    ex = {"articles": target, "chunks": round(chunks_per_article * target),
          "chroma_gb": line(lambda v: v["build"]["chroma_mb"]) / 1024,
          "local_gb": line(lambda v: v["build"]["local_mb"]) / 1024,
          "serve_rss_gb": line(lambda v: v["query"]["peak_rss_mb"]) / 1024,
          "build_rss_gb": line(lambda v: v["build"]["peak_rss_mb"]) / 1024,
          "index_s_without_embedding": line(lambda v: v["build"]["seconds"]),
          "add10_s": line(lambda v: v["update"]["add10_s"]),
          "nochange_s": line(lambda v: v["update"]["nochange_s"])}
    from eval.bench_scale import power_trend

    (n1, v1), (n2, v2) = sizes[-2], sizes[-1]
    for mode in ("hybrid", "bm25", "dense"):
        key = f"{mode}_p50_ms"
        ex[key] = power_trend(n1, v1["query"][key], n2, v2["query"][key], target)
    ex["load_s"] = power_trend(n1, v1["query"]["load_s"], n2, v2["query"]["load_s"], target)
    ours = res.get("ours") or {}
    if ours.get("embedded") and ours.get("seconds"):
        rate = ours["embedded"] / ours["seconds"]
        ex["embed_rate_chunks_s"] = rate
        ex["embed_hours_2_cores"] = ex["chunks"] / rate / 3600
    ex["vectors_gb_fp32"] = ex["chunks"] * 384 * 4 / 2**30
    return ex


def fmt(v, unit="", nd=1):
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.{nd}f}{unit}"
    return f"{v}{unit}"


def table(res: dict) -> str:
    rows = [("measure", "value")]
    o, st, f32 = res.get("ours", {}), res.get("starter"), res.get("ours_fp32")
    m = res.get("machine", {})
    if m.get("loadavg_start"):
        rows.append(("machine", f"{m.get('cpus')} cores, load average {m['loadavg_start'][0]:.1f} at start, "
                                f"{m['loadavg_end'][0]:.1f} at end (shared: CPU seconds are the steadier figure)"))
    rows.append(("corpus", " + ".join(Path(c).name for c in res["corpus"])))
    rows.append((f"full index, ours ({o.get('runtime')})",
                 f"{fmt(o.get('seconds'), ' s')} ({fmt(o.get('process_wall_s'), ' s')} process, "
                 f"{fmt(o.get('cpu_s'), ' s')} CPU), {o.get('chunks')} chunks, peak {fmt(o.get('peak_rss_mb'), ' MB', 0)}"))
    if f32:
        rows.append((f"full index, ours ({f32.get('runtime')})",
                     f"{fmt(f32.get('seconds'), ' s')} ({fmt(f32.get('cpu_s'), ' s')} CPU), {f32.get('chunks')} chunks, "
                     f"peak {fmt(f32.get('peak_rss_mb'), ' MB', 0)}"))
    if st:
        rows.append(("full index, llama-index starter",
                     f"{fmt(st.get('seconds'), ' s')} ({fmt(st.get('process_wall_s'), ' s')} process, "
                     f"{fmt(st.get('cpu_s'), ' s')} CPU), {st.get('chunks')} chunks, peak "
                     f"{fmt(st.get('peak_rss_mb'), ' MB', 0)}, evidence@5 {fmt(st.get('evidence_at_5'), '', 3)}"))
        rows.append(("speed-up vs starter (wall / CPU)",
                     f"{st['seconds'] / o['seconds']:.2f}x / {st['cpu_s'] / o['cpu_s']:.2f}x"))
        if f32:
            rows.append(("  of which pipeline only (fp32 vs starter)",
                         f"{st['seconds'] / f32['seconds']:.2f}x / {st['cpu_s'] / f32['cpu_s']:.2f}x"))
    r = res.get("reindex", {})
    rows.append(("no-change re-index (CLI process)", f"{fmt(r.get('wall_s'), ' s', 2)} — {r.get('summary', '')}"))
    a = res.get("ask")
    if a:
        rows.append(("warm ask p50 / p95", f"{fmt(a['ask_p50_ms'], ' ms', 0)} / {fmt(a['ask_p95_ms'], ' ms', 0)} "
                     f"({a['questions']} dev gold questions; retrieve p50 {fmt(a['retrieve_p50_ms'], ' ms', 0)})"))
        rows.append(("evidence@5 hybrid / dense", f"{a.get('evidence_at_5_hybrid')} / {a.get('evidence_at_5_dense')}"
                     + (f" (fp32: {a.get('ref_evidence_at_5_hybrid')} / {a.get('ref_evidence_at_5_dense')})"
                        if "ref_evidence_at_5_hybrid" in a else "")))
        if "same_top5_hybrid" in a:
            rows.append(("same top-5 as fp32 (set; order)",
                         f"hybrid {a['same_top5_hybrid']}; {a['same_top5_order_hybrid']} — dense "
                         f"{a['same_top5_dense']}; {a['same_top5_order_dense']}"))
    sc = res.get("scale", {})
    rows.append(("scale vectors", sc.get("vectors", "")))
    for n, v in sorted(sc.get("sizes", {}).items()):
        b, q, u = v["build"], v["query"], v["update"]
        rows.append((f"{int(n):,} articles",
                     f"{b['chunks']:,} chunks; build {fmt(b['seconds'], ' s')} (peak {fmt(b['peak_rss_mb'], ' MB', 0)}); "
                     f"disk chroma {fmt(b['chroma_mb'], ' MB')} + local {fmt(b['local_mb'], ' MB')}; "
                     f"serve RSS {fmt(q['peak_rss_mb'], ' MB', 0)} after queries, load {fmt(q['load_s'], ' s')}"))
        rows.append(("  query p50/p95 hybrid · bm25 · dense",
                     " · ".join(f"{fmt(q[m + '_p50_ms'], '', 0)}/{fmt(q[m + '_p95_ms'], ' ms', 0)}"
                                for m in ("hybrid", "bm25", "dense"))))
        rows.append(("  no-change / +10 articles", f"{fmt(u['nochange_s'], ' s')} / {fmt(u['add10_s'], ' s')}"))
    ex = res.get("extrapolated") or {}
    if ex:
        rows.append(("1,000,000 articles (linear trend)",
                     f"~{ex['chunks']:,} chunks; chroma ~{ex['chroma_gb']:.1f} GB + local ~{ex['local_gb']:.1f} GB; "
                     f"serve RSS ~{ex['serve_rss_gb']:.1f} GB; hybrid p50 ~{ex['hybrid_p50_ms']:.0f} ms "
                     f"(bm25 ~{ex['bm25_p50_ms']:.0f}, dense ~{ex['dense_p50_ms']:.0f}); +10 articles ~{ex['add10_s']:.0f} s"))
        rows.append(("  build without embedding", f"~{ex['index_s_without_embedding'] / 3600:.1f} h, peak RSS "
                                                      f"~{ex['build_rss_gb']:.0f} GB (the builder holds the corpus in memory)"))
        if "embed_hours_2_cores" in ex:
            rows.append(("  embedding 1M articles", f"~{ex['embed_hours_2_cores']:.0f} h on this machine at "
                                                    f"{ex['embed_rate_chunks_s']:.1f} chunks/s"))
        rows.append(("  what it needs", f"vectors ~{ex['vectors_gb_fp32']:.1f} GB fp32 (+ HNSW, metadata: ~{ex['chroma_gb']:.0f} GB "
                     "on disk) -> a Chroma server with that much RAM rather than the embedded store in each serving "
                     f"process (~{ex['serve_rss_gb']:.0f} GB RSS with it embedded); chunk table + BM25 stay local, "
                     f"~{ex['local_gb']:.0f} GB on disk"))
    w = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{w}}  {v}" for k, v in rows)
