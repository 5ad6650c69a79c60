"""The child processes of the benchmarks (eval/bench_index.py, eval/bench_scaleout.py): each measured
pipeline runs in its own process, so that peak memory is the child's ru_maxrss (tracemalloc does not
see torch's allocations) and one run cannot warm the next.

A benchmark module exposes its children as ``CHILDREN = {kind: fn(params) -> dict}`` and calls
``child_main`` when started with ``--child KIND --params JSON``; the parent calls ``spawn``, which runs
the child, saves its JSON result under ``logs`` (reused with ``resume``) and, when asked, stops it
if the shared machine runs out of memory.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def usage() -> dict:
    """This process's peak RSS (MB) and CPU seconds so far."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return {"peak_rss_mb": round(ru.ru_maxrss / 1024, 1), "cpu_s": round(ru.ru_utime + ru.ru_stime, 1)}


def proc_mem(pid: str | int = "self") -> dict:
    """MB: VmRSS, VmHWM (peak), RssAnon (private), RssFile (mapped files, shareable)."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                out[k] = round(int(v.split()[0]) / 1024, 1)
    except OSError:
        pass
    return out


def mem_available_mb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return float("inf")


def child_main(children: dict, kind: str, params: str) -> int:
    """In the child: run ``children[kind]`` and print its result, with usage(), as the last line."""
    p = json.loads(params)
    os.environ.update(p.get("env") or {})  # e.g. DEPECHE_E5_RUNTIME=torch (eval/bench_lean.py)
    out = children[kind](p)
    out.update(usage())
    print(json.dumps(out, ensure_ascii=False))
    return 0


def proc_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def partial_path(logs: Path, name: str) -> Path:
    """The checkpoint of a child that was cut before its end (see ``spawn``'s ``checkpoint``)."""
    return logs / f"{name}.partial.json"


def _earlier(part: Path) -> list[dict]:
    try:
        return json.loads(part.read_text(encoding="utf-8")).get("segments", [])
    except (OSError, ValueError):
        return []


def spawn(module: str, kind: str, params: dict, logs: Path, name: str | None = None, resume: bool = False,
          min_free_mb: float | None = None, checkpoint: bool = False) -> dict:
    """Run ``python -m module --child kind`` and return its result, saved as ``logs/NAME.json`` (its
    stderr in ``logs/NAME.log``). With ``min_free_mb``, a watchdog stops the child when the machine's
    available memory falls below it, and the result says so and how far the child got.

    ``checkpoint``: for a child that resumes its own work (a build reusing the vectors an interrupted
    build wrote), every 30 s the wall and CPU seconds and peak RSS of this run are saved in
    ``logs/NAME.partial.json``; a run cut short (the session ends, the machine restarts) is continued
    with ``resume``, and the result adds the earlier runs' seconds and keeps the highest peak
    (``resumed`` says how many runs and what they measured)."""
    name = name or kind
    saved = logs / f"{name}.json"
    if resume and saved.exists():
        return json.loads(saved.read_text(encoding="utf-8"))
    part = partial_path(logs, name)
    earlier = _earlier(part) if checkpoint and resume else []
    t0 = last = time.perf_counter()
    peak = cpu = anon = 0.0  # anon: peak private memory (RssAnon, sampled every 0.5 s): what the
    # page cache cannot take back; peak RSS also counts the mapped table pages a build reads back
    with open(logs / f"{name}.log", "a" if earlier else "w") as log, open(logs / f"{name}.out", "w+") as stdout:
        proc = subprocess.Popen([sys.executable, "-m", module, "--child", kind, "--params", json.dumps(params)],
                                cwd=ROOT, stdout=stdout, stderr=log, text=True)
        try:
            while proc.poll() is None:
                mem = proc_mem(proc.pid)
                peak = max(peak, mem.get("VmHWM", 0.0), mem.get("VmRSS", 0.0))
                anon = max(anon, mem.get("RssAnon", 0.0))
                cpu = max(cpu, proc_cpu_s(proc.pid))
                if checkpoint and time.perf_counter() - last > 30:
                    last = time.perf_counter()
                    now = {"wall_s": round(last - t0, 1), "cpu_s": round(cpu, 1), "peak_rss_mb": peak,
                           "peak_anon_mb": anon, "loadavg": os.getloadavg()[0], "ended": time.strftime("%Y-%m-%d %H:%M:%S")}
                    part.write_text(json.dumps({"segments": earlier + [now]}), encoding="utf-8")
                if min_free_mb is not None and mem_available_mb() < min_free_mb:
                    proc.kill()
                    proc.wait()
                    out = {"stopped": f"machine memory nearly exhausted (child RSS {peak:,.0f} MB); stopped",
                           "peak_rss_mb": peak, "seconds": time.perf_counter() - t0, "cpu_s": cpu}
                    if checkpoint:  # not final: --resume continues it
                        now = {"wall_s": round(out["seconds"], 1), "cpu_s": round(cpu, 1), "peak_rss_mb": peak,
                               "loadavg": os.getloadavg()[0], "ended": time.strftime("%Y-%m-%d %H:%M:%S"),
                               "stopped": out["stopped"]}
                        part.write_text(json.dumps({"segments": earlier + [now]}), encoding="utf-8")
                    else:
                        saved.write_text(json.dumps(out), encoding="utf-8")
                    return out
                time.sleep(0.5)
        finally:
            if proc.poll() is None:  # the parent was interrupted: no child outlives it
                proc.kill()
                proc.wait()
        stdout.seek(0)
        text = stdout.read()
    if proc.returncode != 0:
        raise SystemExit(f"bench child '{name}' failed (exit {proc.returncode}); see {logs / (name + '.log')}")
    out = json.loads(text.strip().splitlines()[-1])
    out["process_wall_s"] = time.perf_counter() - t0
    out["peak_anon_mb"] = anon
    out["loadavg"] = os.getloadavg()[0]
    if earlier:
        out["resumed"] = {"runs": len(earlier) + 1, "earlier": earlier}
        for key, field in (("seconds", "wall_s"), ("process_wall_s", "wall_s"), ("cpu_s", "cpu_s")):
            if key in out:
                out[key] += sum(e.get(field, 0.0) for e in earlier)
        out["peak_rss_mb"] = max([out.get("peak_rss_mb", 0.0)] + [e.get("peak_rss_mb", 0.0) for e in earlier])
        out["peak_anon_mb"] = max([anon] + [e.get("peak_anon_mb", 0.0) for e in earlier])
    saved.write_text(json.dumps(out), encoding="utf-8")
    part.unlink(missing_ok=True)
    return out


def write_results(out: Path, name: str, res: dict, text: str) -> Path:
    """The end of a benchmark run: print its table, save ``name``.json (the figures) and ``name``.txt
    (the table) in ``out``."""
    print(text)
    path = out / f"{name}.json"
    path.write_text(json.dumps(res, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    (out / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    print(f"\nwritten: {path}", file=sys.stderr)
    return path
