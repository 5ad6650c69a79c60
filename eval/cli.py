"""`depeche eval`: arguments (light: imported by `depeche --help`) and the run itself.

    depeche eval GOLD.jsonl [GOLD.jsonl]... [--index-from CORPUS]... [--store PATH] [--out DIR]
                 [--systems depeche,bm25,dense] [--limit N] [--seed S] [--compare OLD.json]
                 [--min METRIC=FLOOR]... [--max METRIC=CEILING]... [-k K]
    depeche eval --squad FILE.json [...]

Exit status: 0 = done, 1 = error or a --min/--max bound not met, 3 = done but some questions
raised an error (listed in the report).
"""
from __future__ import annotations

import argparse

EXIT_OK, EXIT_FAILED, EXIT_WARNINGS = 0, 1, 3
DEFAULT_OUT = "eval-out"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("gold", nargs="*", metavar="GOLD.jsonl",
                   help="Gold questions, one JSON object a line: id, question, answers ([] = not in the "
                        "corpus), optional evidence and article. Several files are scored as one run "
                        "(ids unique across them), e.g. every held-out shaped file.")
    p.add_argument("--squad", metavar="FILE.json",
                   help="Evaluate a SQuAD v1 file instead (PIAF, FQuAD): its contexts become the corpus, "
                        "indexed into a temporary store unless --store is given.")
    p.add_argument("--split", choices=("train", "calib", "heldout"),
                   help="With --squad: only the questions of this split of the articles (eval/splits.py: "
                        "the reader trains on train, is calibrated on calib; report heldout).")
    p.add_argument("--leave-out", type=float, default=0.0, metavar="SHARE",
                   help="With --squad: leave this share of the (split's) articles out of the index; their "
                        "questions become questions the corpus cannot answer (the right answer is to abstain).")
    p.add_argument("--questions", metavar="FILE.jsonl",
                   help="With --squad: ask these texts instead of the file's questions (JSONL lines of id and "
                        "question, e.g. eval/gold/piaf-en.jsonl: PIAF in English); questions without a line are skipped.")
    p.add_argument("--why", action="store_true",
                   help="With --squad: only its why questions (pourquoi, pour quelle raison, why…), scored as "
                        "answers of the cause shape: a gold answer in the answer or in a cited sentence.")
    p.add_argument("--index-from", action="append", metavar="CORPUS", dest="index_from",
                   help="Build or update the index of this corpus into --store first (repeatable; "
                        "incremental, so a second run is cheap).")
    p.add_argument("--out", metavar="DIR", default=DEFAULT_OUT,
                   help=f"Where metrics.json, report.md and metrics.png go (default {DEFAULT_OUT}).")
    p.add_argument("--systems", default="depeche,bm25,dense", metavar="LIST",
                   help="Systems to score, comma-separated: depeche, rules (the previous rule-based answerer), bm25 (BM25 only), dense (dense only); "
                        "default all three.")
    p.add_argument("--limit", type=int, metavar="N", help="Evaluate a random sample of N questions.")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="Seed of the --limit sample (default 0).")
    p.add_argument("--compare", metavar="OLD.json", help="Print the change from an earlier run's metrics.json.")
    p.add_argument("--min", action="append", metavar="METRIC=FLOOR", dest="min",
                   help="Exit with status 1 if METRIC (of depeche, or SYSTEM:METRIC) is below FLOOR "
                        "(repeatable), e.g. --min answer_accuracy=0.8.")
    p.add_argument("--max", action="append", metavar="METRIC=CEILING", dest="max",
                   help="Exit with status 1 if METRIC is above CEILING (repeatable), e.g. --max latency_p95_ms=400.")
    p.add_argument("-k", type=int, metavar="K", help="Passages retrieved per question (default 5) [env DEPECHE_TOP_K].")
    p.add_argument("--quiet", action="store_true", help="No progress bars.")


def run(args: argparse.Namespace, settings) -> int:
    import shutil
    import sys
    import tempfile
    import time
    from pathlib import Path

    from depeche.errors import DepecheError
    from eval.gold import GoldError
    from eval.metrics import parse_bound
    from eval.runner import parse_systems

    t0 = time.perf_counter()
    # Everything that can be wrong with the command line fails now, not after an hour of questions.
    if bool(args.gold) == bool(args.squad):
        raise DepecheError("Give either a gold file (depeche eval GOLD.jsonl) or --squad FILE.json, not both or neither.")
    if args.questions and not args.squad:
        raise DepecheError("--questions replaces the questions of a --squad file; give --squad FILE.json too.")
    if args.why and not args.squad:
        raise DepecheError("--why keeps the why questions of a --squad file; give --squad FILE.json too.")
    systems = parse_systems(args.systems)
    mins = [parse_bound(s, "--min") for s in args.min or []]
    maxs = [parse_bound(s, "--max") for s in args.max or []]
    for system, name, _ in mins + maxs:
        if system and system not in systems:
            raise DepecheError(f"Bound on '{system}:{name}', but --systems is {','.join(systems)}.")
    if args.limit is not None and args.limit < 1:
        raise DepecheError("--limit must be at least 1.")
    from depeche.validate import top_k

    top_k(args.k)
    previous = None
    if args.compare:
        from eval.report import load_previous

        previous = load_previous(args.compare)

    def say(msg: str) -> None:
        from depeche.validate import printable

        print(printable(msg), file=sys.stderr, flush=True)

    tmp = None
    try:
        corpora = list(args.index_from or [])
        if args.squad:
            from eval.squad import load_squad, write_corpus

            articles, items, problems = load_squad(args.squad)
            articles, items = squad_selection(articles, items, args.split, args.leave_out)
            if args.questions:
                from eval.squad import load_questions, with_questions

                items = with_questions(items, load_questions(args.questions))
            if args.why:
                from eval.squad import why_questions

                items = why_questions(items)
            for p in problems[:10]:
                say(f"warning: {p}")
            if len(problems) > 10:
                say(f"warning: … and {len(problems) - 10} more problems in {args.squad}")
            tmp = Path(tempfile.mkdtemp(prefix="depeche-eval-"))
            corpora.append(str(write_corpus(articles, tmp / f"{Path(args.squad).stem}.jsonl")))
            if not args.store:
                settings = settings.replace({"store": str(tmp / "store")}, "depeche eval --squad")
            source = args.squad
        else:
            from eval.gold import load_golds

            try:
                items = load_golds(args.gold)
            except GoldError as exc:
                for p in exc.problems:
                    say(p)
                raise
            source = ", ".join(args.gold)

        if corpora:
            from index.builder import build_index

            summary = build_index(settings, corpus=corpora, progress=not args.quiet)
            for p in summary.problems[:10]:
                say(f"skipped {p}")
            say(summary.line())
        return _evaluate(args, settings, systems, items, corpora, source, previous, mins, maxs, t0, say)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def squad_selection(articles, items, split: str | None, leave_out: float):
    """The questions of ``split`` and the articles to index: a ``leave_out`` share of the split's
    articles (chosen by a hash of the title, reproducible) is not indexed and its questions get no
    gold answer (pure)."""
    import dataclasses
    import hashlib

    from eval.splits import split_of

    if not 0.0 <= leave_out < 1.0:
        from depeche.errors import DepecheError

        raise DepecheError("--leave-out must be a share between 0 and 1 (e.g. 0.5).")
    title = {a.id: a.title for a in articles}
    if split:
        items = [it for it in items if split_of(title[it.article]) == split]

    def left_out(a) -> bool:
        h = int(hashlib.sha1(("leave-out:" + a.title).encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
        return (not split or split_of(a.title) == split) and h < leave_out

    gone = {a.id for a in articles if left_out(a)}
    items = [dataclasses.replace(it, answers=(), evidence=(), spans=(), article=None) if it.article in gone else it
             for it in items]
    return [a for a in articles if a.id not in gone], items


def _evaluate(args, settings, systems, all_items, corpora, source, previous, mins, maxs, t0, say) -> int:
    import datetime as dt
    import time

    from eval.gold import sample
    from eval.metrics import check_bounds
    from eval.report import compare_table, deltas, question_record, summary_table, write_outputs
    from eval.runner import gold_warnings, reference_articles, run_all
    from rag.engine import Engine

    engine = Engine(settings)
    articles, warnings = reference_articles(engine, corpora)
    items = sample(all_items, args.limit, args.seed)
    warnings += gold_warnings(items, articles)
    for w in warnings:
        say(f"warning: {w}")
    say(f"Evaluating {len(items)} question(s) with {', '.join(systems)} over {len(articles)} articles…")
    runs = run_all(engine, systems, items, articles, k=settings.top_k, progress=not args.quiet)

    metrics = {name: r.metrics for name, r in runs.items()}
    answerable = sum(g.answerable for g in items)
    payload = {
        "version": 1,
        "run": {
            "gold": str(source), "gold_files": [str(g) for g in args.gold or [args.squad]],
            "squad": bool(args.squad), "store": str(settings.store_path),
            "embedder": settings.embedder, "answerer": settings.answerer, "retriever": settings.retriever,
            "bm25_weight": settings.bm25_weight, "k": settings.top_k, "systems": list(runs),
            "questions": len(items), "questions_in_file": len(all_items), "answerable": answerable,
            "unanswerable": len(items) - answerable, "limit": args.limit, "seed": args.seed,
            "articles": len(articles), "chunks": len(engine.retriever.chunks),
            "seconds_per_system": {n: round(r.seconds, 1) for n, r in runs.items()},
            "wall_seconds": round(time.perf_counter() - t0, 1),
            "finished_at": dt.datetime.now().isoformat(timespec="seconds"),
        },
        "systems": metrics,
        "warnings": warnings,
        "questions": {name: [question_record(g, res, sc) for g, res, sc in zip(items, r.results, r.scores)]
                      for name, r in runs.items()},
    }
    if previous is not None:
        payload["compare"] = {"path": args.compare, "deltas": deltas(metrics, previous["systems"])}
    paths = write_outputs(args.out, payload)

    print(summary_table(metrics))
    for name, m in metrics.items():
        if m.get("shapes"):
            from eval.shaped import shapes_table

            print(f"\n{name}: answers by shape\n{shapes_table(m['shapes'])}")
    if previous is not None:
        print(f"\nChange since {args.compare}:")
        print(compare_table(payload["compare"]["deltas"]))
    print(f"\n{len(items)} questions in {payload['run']['wall_seconds']:.0f} s; "
          f"wrote {paths['metrics']}, {paths['report']}, {paths['chart']}")
    failures = check_bounds(metrics, mins, maxs, default_system="depeche" if "depeche" in runs else systems[0])
    for f in failures:
        say(f"depeche eval: {f}")
    if failures:
        return EXIT_FAILED
    if any(m["errors"]["value"] for m in metrics.values()):
        return EXIT_WARNINGS
    indexed = len(engine.store.require_manifest().articles)
    if len(articles) < indexed:  # some citations could not be checked against the article on disk
        say(f"depeche eval: {indexed - len(articles)} of {indexed} indexed article(s) could not be reloaded "
            "from disk; citation checks are incomplete (exit status 3)")
        return EXIT_WARNINGS
    return EXIT_OK
