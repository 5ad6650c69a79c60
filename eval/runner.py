"""Ask every gold question of every system, time it warm, and score it.

- ``depeche``: the product, through the same call as ``depeche ask --batch``:
  ``Engine.ask(question).to_json()``;
- ``rules``: the product with the previous answerer (hand-written rules, ``answerer = extractive``),
  kept as a baseline while the trained reader replaces it;
- ``bm25`` / ``dense``: retrieval alone over the same chunks (``Engine.search(mode=...)``); the
  "answer" is the top passage, cited whole, so answer metrics show what the answerer adds.
The articles the scorer checks citations against are reloaded from disk with ``index.loaders``.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from depeche.errors import DepecheError
from depeche.types import Answer, Article, Citation
from eval.gold import GoldItem
from eval.metrics import aggregate, find_spans, score_question

SYSTEMS = ("depeche", "rules", "bm25", "dense")


def parse_systems(spec: str) -> list[str]:
    names = [s.strip() for s in (spec or "").split(",") if s.strip()]
    bad = [s for s in names if s not in SYSTEMS]
    if not names or bad:
        raise DepecheError(f"--systems {spec!r}: use a comma-separated list of {', '.join(SYSTEMS)}.")
    return list(dict.fromkeys(names))


# ---- the systems ----------------------------------------------------------------------------
def baseline_answer(engine, question: str, mode: str, k: int | None = None) -> Answer:
    """Retrieval alone: the top passage is the answer and its only citation."""
    t0 = time.perf_counter()
    hits = engine.search(question, k=k, mode=mode)
    ms = (time.perf_counter() - t0) * 1000
    if not hits:
        return Answer(question=question, text="", citations=(), abstained=True, timings_ms={"total": ms})
    c = hits[0].chunk
    cite = Citation(n=1, article_id=c.article_id, title=c.title, date=c.date, start=c.start, end=c.end,
                    quote=c.text, score=hits[0].score, url=c.url, path=c.path)
    return Answer(question=question, text=c.text, citations=(cite,), abstained=False,
                  passages=tuple(hits), timings_ms={"retrieve": ms, "total": ms})


def asker(system: str, engine, k: int | None = None) -> Callable[[str], dict]:
    if system == "depeche":
        return lambda q: engine.ask(q, k=k).to_json()
    if system == "rules":
        from rag.engine import Engine

        rules = Engine(engine.settings.replace({"answerer": "extractive"}, "depeche eval --systems rules"))
        return lambda q: rules.ask(q, k=k).to_json()
    return lambda q: baseline_answer(engine, q, system, k).to_json()


_traceback_shown = False


def ask_timed(ask: Callable[[str], dict], question: str) -> dict:
    """The JSON result plus latency_ms. A DepecheError becomes ``error`` (as in ``ask --batch``);
    so does a crash (its first traceback is printed), so one bad question does not lose a long run."""
    global _traceback_shown
    t0 = time.perf_counter()
    try:
        out = ask(question)
    except Exception as exc:  # noqa: BLE001 - counted as an error, reported, exit status 3
        if not isinstance(exc, DepecheError) and not _traceback_shown:
            import traceback

            _traceback_shown = True
            print(f"error on question {question!r} (counted, the run goes on):", file=sys.stderr)
            traceback.print_exc(file=sys.stderr)
        msg = str(exc) if isinstance(exc, DepecheError) else f"{type(exc).__name__}: {exc}"
        return {"question": question, "error": msg, "answer": "", "abstained": False,
                "citations": [], "passages": [], "short_answer": None,
                "latency_ms": (time.perf_counter() - t0) * 1000}
    out["latency_ms"] = (time.perf_counter() - t0) * 1000
    return out


# ---- progress -------------------------------------------------------------------------------
class Progress:
    """A tqdm bar on a terminal; otherwise a line every ~10 % or minute, with the rate (logs stay readable)."""

    def __init__(self, total: int, desc: str, enabled: bool = True) -> None:
        self.total, self.desc, self.done = total, desc, 0
        self.bar = None
        self.enabled = enabled
        self._next = 0
        self._t0 = self._last = time.perf_counter()
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=desc, unit="q", file=sys.stderr)

    def update(self) -> None:
        self.done += 1
        if self.bar:
            self.bar.update(1)
            return
        now = time.perf_counter()
        if self.enabled and (self.done >= self._next or self.done == self.total or now - self._last >= 60):
            rate = self.done / max(now - self._t0, 1e-9)
            eta = (self.total - self.done) / rate if rate else 0
            print(f"{self.desc}: {self.done}/{self.total} questions ({rate:.1f}/s, about {eta / 60:.0f} min left)",
                  file=sys.stderr, flush=True)
            self._next = self.done + max(1, self.total // 10)
            self._last = now

    def close(self) -> None:
        if self.bar:
            self.bar.close()


# ---- running --------------------------------------------------------------------------------
@dataclass
class SystemRun:
    name: str
    results: list[dict] = field(default_factory=list)
    scores: list[dict] = field(default_factory=list)
    metrics: dict = field(default_factory=dict)
    seconds: float = 0.0


def run_system(engine, system: str, items: Sequence[GoldItem], articles: Mapping[str, str],
               k: int | None = None, progress: bool = True) -> SystemRun:
    ask = asker(system, engine, k)
    # warm: first-call caches are not latency, and each answer shape loads its own (spaCy for lists,
    # said, yes/no): one question of each shape the gold holds is asked once, untimed
    for warm in {getattr(g, "shape", None) or "fact": g for g in reversed(items)}.values():
        ask_timed(ask, warm.question)
    run = SystemRun(system)
    bar = Progress(len(items), system, progress)
    t0 = time.perf_counter()
    try:
        for gold in items:
            res = ask_timed(ask, gold.question)
            run.results.append(res)
            run.scores.append(score_question(res, gold, articles))
            bar.update()
    finally:
        bar.close()
    run.seconds = time.perf_counter() - t0
    run.metrics = aggregate(run.scores, items)
    return run


def run_all(engine, systems: Iterable[str], items: Sequence[GoldItem], articles: Mapping[str, str],
            k: int | None = None, progress: bool = True) -> dict[str, SystemRun]:
    systems = list(systems)
    if "depeche" in systems:
        engine.warm_up()
    else:
        engine.retriever.embedder.embed_query("warm up")  # baselines need no answerer
    return {s: run_system(engine, s, items, articles, k, progress) for s in systems}


# ---- reference articles ---------------------------------------------------------------------
def reference_articles(engine, corpora: Sequence[str] = (), extra: Iterable[Article] = ()) -> tuple[dict[str, str], list[str]]:
    """Article texts reloaded from disk (the corpora given, then the files the manifest names),
    and warnings (unreadable files, articles changed since they were indexed)."""
    from index.loaders import load_corpus, load_file

    manifest = engine.store.require_manifest()
    found: dict[str, Article] = {a.id: a for a in extra}
    if corpora:
        arts, _ = load_corpus(list(corpora))
        for a in arts:
            found.setdefault(a.id, a)
    warnings: list[str] = []
    missing_paths = sorted({e.get("path") for aid, e in manifest.articles.items()
                            if aid not in found and e.get("path")})
    for p in missing_paths:
        path = Path(p)
        if not path.is_file():
            warnings.append(f"cannot reload {p} (moved, or indexed from another folder); "
                            "its citations are counted as unverifiable")
            continue
        arts, _ = load_file(path)
        for a in arts:
            found.setdefault(a.id, a)
    changed = [aid for aid, e in manifest.articles.items() if aid in found and found[aid].content_hash != e.get("hash")]
    if changed:
        warnings.append(f"{len(changed)} article(s) changed on disk since they were indexed (e.g. {changed[0]}); "
                        "run `depeche index` so citations are checked against what was indexed")
    return {aid: a.text for aid, a in found.items() if aid in manifest.articles}, warnings


def gold_warnings(items: Sequence[GoldItem], articles: Mapping[str, str], limit: int = 10) -> list[str]:
    """Gold items that cannot score as intended: unknown article, evidence not in its article."""
    out: list[str] = []
    for g in items:
        if g.article and g.article not in articles:
            out.append(f"gold {g.id}: article '{g.article}' is not in the index; its retrieval and citation "
                       "checks will fail (index that corpus with --index-from)")
        elif g.article and not g.spans:
            for ev in g.evidence:
                if not find_spans(articles[g.article], ev):
                    out.append(f"gold {g.id}: evidence {ev[:60]!r} is not in article {g.article}; fix the gold line")
    if len(out) > limit:
        out = out[:limit] + [f"… and {len(out) - limit} more gold warnings"]
    return out
