"""Fit the reader answerer's numbers (rag/tuned.py) on the PIAF calibration split — never on a
split that is reported.

    python -m eval.calibrate_reader --store .depeche-calib [--split calib] [--limit N] [--out calib-out]

The store indexes Wikinews + corpus/ + every PIAF article (incremental: a second run embeds
nothing). Each question of the split is asked twice: over the whole index (answerable), and with
its own article left out of the retrieved passages (the answer is not in the corpus: the reader
must abstain). The reader reads the passages once per question (cached in --out); then every
combination of passages read, retrieval weight and rank penalty is scored offline, with the
abstention threshold that maximises balanced accuracy, and the threshold that keeps false
abstention at or under 5 %.
"""
from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import pickle
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
POOL = 30
MAX_READ = 8


def _store(store: Path, quiet: bool):
    from depeche.settings import Settings
    from eval.squad import load_squad, write_corpus
    from index.builder import build_index

    articles, items, _ = load_squad(DATA / "piaf-v1.0.json")
    corpus = write_corpus(articles, store.parent / f"{store.name}-piaf.jsonl")
    settings = Settings.from_mapping({"store": str(store)})
    build_index(settings, corpus=[str(DATA / "wikinews-fr.jsonl"), str(ROOT / "corpus"), str(corpus)],
                progress=not quiet)
    return settings, articles, items


def _norm(s: str) -> str:
    from rag.citations import normalise

    return normalise(s)


def collect(engine, reader, items, keep, cache: Path) -> list[dict]:
    """Per question (those ``keep(item)`` accepts) and setting: the pool of passages and the reader's
    guesses on the first MAX_READ. A question without answers is asked in the "out" setting only."""
    from rag.question import Question
    from rag.query import search
    from rag.retrieve import Filters

    done = pickle.loads(cache.read_bytes()) if cache.exists() else {}
    todo = [it for it in items if keep(it) and it.id not in done]
    t0 = time.time()
    for n, it in enumerate(todo):
        q = Question.of(it.question)
        pool = search(engine.retriever, q.search, POOL, Filters(), english=q.english)
        settings = {"out": [h for h in pool if h.chunk.article_id != it.article][:MAX_READ]}
        if it.answers:
            settings["in"] = pool[:MAX_READ]
        union = list({h.chunk.id: h for hs in settings.values() for h in hs}.values())
        guesses = reader.read(q.search, [h.chunk.text for h in union])  # each passage read once
        rec = {}
        for setting, hits in settings.items():
            where = {h.chunk.id: i for i, h in enumerate(hits)}
            mine = [dataclasses.replace(g, passage=where[union[g.passage].chunk.id]) for g in guesses
                    if union[g.passage].chunk.id in where]
            rec[setting] = (hits, mine)
        done[it.id] = rec
        if n % 20 == 19 or n == len(todo) - 1:
            cache.write_bytes(pickle.dumps(done))
            print(f"{n + 1}/{len(todo)} questions read, {time.time() - t0:.0f} s", flush=True)
    return done


def score(done: dict, items, n_read: int, rw: float, rp: float, dw: float, centre: float | None = None) -> dict:
    from rag import tuned
    from rag.question import is_english
    from rag.read_answer import sentence_span, spans_from

    tuned.RETRIEVAL_WEIGHT, tuned.RANK_PENALTY, tuned.DENSE_WEIGHT = rw, rp, dw
    if centre is not None:
        tuned.DENSE_CENTRE = tuned.DENSE_CENTRE_EN = centre
    best_in, ok_in, best_out = [], [], []
    by_id = {it.id: it for it in items}
    for qid, rec in done.items():
        it = by_id[qid]
        golds = [_norm(a) for a in it.answers]
        for setting in ("in", "out"):
            if setting not in rec:
                continue
            hits, guesses = rec[setting]
            read = hits[:n_read]
            found = spans_from([g for g in guesses if g.passage < n_read], read, is_english(it.question))
            top = found[0] if found else None
            s = top.score if top else -99.0
            if setting == "in":
                correct = False
                if top:
                    text = top.hit.chunk.text
                    a, b = sentence_span(text, top.start - top.hit.chunk.start, top.end - top.hit.chunk.start)
                    sent = _norm(text[a:b])
                    correct = any(g in sent for g in golds)
                best_in.append(s)
                ok_in.append(correct)
            else:
                best_out.append(s)
    best_in, ok_in, best_out = np.array(best_in), np.array(ok_in), np.array(best_out)
    rows = []
    for t in np.unique(np.concatenate([best_in, best_out, [-99.0]])):
        acc = float(np.mean(ok_in & (best_in >= t)))
        fa = float(np.mean(best_in < t))
        ab = float(np.mean(best_out < t))
        rows.append((float(t), acc, fa, ab))
    balanced = max(rows, key=lambda r: (r[1] + r[3]) / 2)
    capped = max((r for r in rows if r[2] <= 0.05), key=lambda r: r[3], default=rows[0])
    return {"n_read": n_read, "retrieval_weight": rw, "rank_penalty": rp, "dense_weight": dw, "centre": centre,
            "balanced": dict(zip(("threshold", "answer_acc", "false_abst", "abstention"), balanced)),
            "fa<=0.05": dict(zip(("threshold", "answer_acc", "false_abst", "abstention"), capped)),
            "no_threshold_acc": float(np.mean(ok_in))}


def early(done: dict, items, first: int, margin: float, *, thr: float | None = None,
          n_all: int | None = None) -> dict:
    """Reading ``first`` passages, and the rest (up to rag/tuned.py's READ_PASSAGES) only when no span
    scores ``margin`` above the threshold: answer accuracy, false abstention, abstention and the
    passages read on average, with rag/tuned.py's weights and threshold (or ``thr``, ``n_all``)."""
    from rag import tuned
    from rag.question import Question
    from rag.read_answer import reads_all, sentence_span, spans_from

    by_id = {it.id: it for it in items}
    n_all = tuned.READ_PASSAGES if n_all is None else n_all
    thr = tuned.ABSTAIN if thr is None else thr
    ok, fa, ab, n_in, n_out, passages, passages_in = 0, 0, 0, 0, 0, [], []
    for qid, rec in done.items():
        it = by_id[qid]
        q = Question.of(it.question)
        golds = [_norm(a) for a in it.answers]
        for setting in ("in", "out"):
            if setting not in rec:
                continue
            hits, guesses = rec[setting]
            found = spans_from([g for g in guesses if g.passage < first], hits[:first], q.english)
            n = first
            if reads_all(q) or not found or found[0].score < thr + margin:
                found = spans_from([g for g in guesses if g.passage < n_all], hits[:n_all], q.english)
                n = n_all
            passages.append(min(n, len(hits)))
            if setting == "in":
                passages_in.append(min(n, len(hits)))
            top = found[0] if found and found[0].score >= thr else None
            if setting == "in":
                n_in += 1
                fa += top is None
                if top:
                    text = top.hit.chunk.text
                    a, b = sentence_span(text, top.start - top.hit.chunk.start, top.end - top.hit.chunk.start)
                    ok += any(g in _norm(text[a:b]) for g in golds)
            else:
                n_out += 1
                ab += top is None
    return {"first": first, "margin": margin, "answer_acc": ok / max(n_in, 1), "false_abst": fa / max(n_in, 1),
            "abstention": ab / max(n_out, 1), "passages_read": float(np.mean(passages)) if passages else 0.0,
            "passages_read_answerable": float(np.mean(passages_in)) if passages_in else 0.0,
            "answerable_read_first_only": float(np.mean([n == first for n in passages_in])) if passages_in else 0.0}


def _accs(r: dict) -> str:
    return f"{r['answer_acc']:.3f} {r['false_abst']:.3f} {r['abstention']:.3f}"


def _table(rows: list[dict], path: Path, header: str, line) -> int:
    print(header)
    for r in rows:
        print(line(r))
    path.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", default=".depeche-calib")
    ap.add_argument("--split", default="calib")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--out", default="calib-out")
    ap.add_argument("--reader", default="", help="reader folder (default: the shipped one)")
    ap.add_argument("--questions", default="", help="JSONL of id/question asked instead (e.g. eval/gold/piaf-en.jsonl): "
                    "then only the cosine centre of that language is fitted, the other weights are rag/tuned.py's")
    ap.add_argument("--gold", default="", help="a gold JSONL (e.g. eval/gold/facts-fit.jsonl) asked over --store "
                    "(indexed from the Wikinews corpus and corpus/) instead of the PIAF split; grid only")
    ap.add_argument("--joint", action="store_true",
                    help="fit the threshold, rank penalty and passages read on the cached reads of the PIAF "
                         "calibration split (French and English) and of eval/gold/facts-fit.jsonl together")
    ap.add_argument("--early", action="store_true",
                    help="with rag/tuned.py's numbers: how an early stop after the first passages trades quality for reading")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.split == "heldout":
        raise SystemExit("The held-out split is reported, never fitted on; use --split calib.")
    import depeche.offline  # noqa: F401
    from rag.engine import Engine
    from rag.reader import Reader

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.gold:
        return fit_gold(args, out)
    if args.joint:
        return fit_joint(out)
    settings, articles, items = _store(Path(args.store), args.quiet)
    titles = {a.id: a.title for a in articles}
    tag = args.split
    if args.questions:
        from eval.squad import load_questions, with_questions

        items = with_questions(items, load_questions(args.questions))
        tag += "-" + Path(args.questions).stem
    if args.limit:
        import random

        from eval.splits import split_of

        pick = [it for it in items if split_of(titles[it.article]) == args.split]
        items = random.Random(0).sample(pick, min(args.limit, len(pick)))
    engine = Engine(settings)
    reader = Reader(args.reader or None)

    weights = hashlib.sha1((reader.files.folder / "reader.safetensors").read_bytes()).hexdigest()[:10]
    from eval.splits import split_of

    done = collect(engine, reader, items, lambda it: split_of(titles[it.article]) == args.split,
                   out / f"reads-{tag}-{weights}.pkl")
    done = {k: v for k, v in done.items() if k in {it.id for it in items}}
    if args.early:
        rows = [early(done, items, f, m) for f in (1, 2, 3) for m in (0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 99.0)]
        return _table(rows, out / f"early-{tag}.json",
                      "first margin | acc   f.abst abst  | passages read: all, answerable, share of answerable on the first only",
                      lambda r: f"{r['first']:>5} {r['margin']:>6} | {_accs(r)} | {r['passages_read']:.2f} "
                                f"{r['passages_read_answerable']:.2f} {r['answerable_read_first_only']:.2f}")
    if args.questions:
        # A centre for this language only shifts its scores: fitted at rag/tuned.py's threshold, by the
        # same criterion as that threshold (answer accuracy + abstention - false abstention).
        from rag import tuned

        rows = []
        for c in np.arange(0.55, 0.851, 0.01):
            tuned.DENSE_CENTRE_EN = round(float(c), 3)
            rows.append({"centre": tuned.DENSE_CENTRE_EN, **early(done, items, tuned.READ_PASSAGES, 0.0)})
        print(f"{len(done)} questions of the {tag} split, threshold {tuned.ABSTAIN}")
        return _table(rows, out / f"calibration-{tag}.json", "centre | acc   f.abst abst  | acc + abst - f.abst",
                      lambda r: f"{r['centre']:<6} | {_accs(r)} | {r['answer_acc'] + r['abstention'] - r['false_abst']:.3f}")
    return _grid(done, items, out, tag, f"{len(done)} questions of the {tag} split")


def fit_gold(args, out: Path) -> int:
    """The same grid over a gold file of natural questions (answerable ones asked with and without
    their article, unanswerable ones as they are), over an index of Wikinews + corpus/."""
    from depeche.settings import Settings
    from eval.gold import load_gold
    from index.builder import build_index
    from rag.engine import Engine
    from rag.reader import Reader

    settings = Settings.from_mapping({"store": args.store})
    build_index(settings, corpus=[str(DATA / "wikinews-fr.jsonl"), str(ROOT / "corpus")], progress=not args.quiet)
    items = load_gold(args.gold)
    reader = Reader(args.reader or None)
    weights = hashlib.sha1((reader.files.folder / "reader.safetensors").read_bytes()).hexdigest()[:10]
    tag = Path(args.gold).stem
    done = collect(Engine(settings), reader, items, lambda it: True, out / f"reads-{tag}-{weights}.pkl")
    return _grid(done, items, out, tag, f"{len(done)} questions of {args.gold}")


def fit_joint(out: Path) -> int:
    """Threshold, rank penalty and passages read (early stop as shipped) by acc + abstention - false
    abstention, averaged half over the natural questions of facts-fit.jsonl and half over the PIAF
    calibration split (French and English): PIAF questions were written looking at their paragraph, so
    the reader scores them higher than the questions people type, and a threshold fitted on PIAF alone
    refuses ~40 % of answerable natural questions. Needs the cached reads of the three runs
    (``--split calib``, ``--questions eval/gold/piaf-en.jsonl``, ``--gold eval/gold/facts-fit.jsonl``)."""
    from eval.gold import load_gold
    from eval.squad import load_questions, load_squad, with_questions
    from rag import tuned
    from rag.reader import Reader

    weights = hashlib.sha1((Reader().files.folder / "reader.safetensors").read_bytes()).hexdigest()[:10]
    _, piaf, _ = load_squad(DATA / "piaf-v1.0.json")
    sets = {"facts": (load_gold(ROOT / "eval" / "gold" / "facts-fit.jsonl"), "facts-fit"), "piaf-fr": (piaf, "calib"),
            "piaf-en": (with_questions(piaf, load_questions(ROOT / "eval" / "gold" / "piaf-en.jsonl")), "calib-piaf-en")}
    loaded = {}
    for k, (items, tag) in sets.items():
        cache = out / f"reads-{tag}-{weights}.pkl"
        if not cache.exists():
            raise SystemExit(f"{cache} is missing; run the calibration that reads {tag} first.")
        loaded[k] = (items, pickle.loads(cache.read_bytes()))
    rows = []
    for n_all in (2, 3, 5):
        for rp in (0.5, 1.0, 2.0):
            tuned.RANK_PENALTY = rp
            for thr in (-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0):
                r = {k: early(d, items, tuned.READ_FIRST, tuned.EARLY_MARGIN, thr=thr, n_all=n_all)
                     for k, (items, d) in loaded.items()}
                crit = {k: v["answer_acc"] + v["abstention"] - v["false_abst"] for k, v in r.items()}
                rows.append({"joint": 0.5 * crit["facts"] + 0.25 * (crit["piaf-fr"] + crit["piaf-en"]),
                             "n_read": n_all, "rank_penalty": rp, "threshold": thr, **r})
    rows.sort(key=lambda r: -r["joint"])
    return _table(rows, out / "calibration-joint.json", "joint | n  rp   thr  | facts acc f.abst abst | PIAF FR | PIAF EN",
                  lambda r: f"{r['joint']:.3f} | {r['n_read']} {r['rank_penalty']:<4} {r['threshold']:<5}| "
                            f"{_accs(r['facts'])} | {_accs(r['piaf-fr'])} | {_accs(r['piaf-en'])}")


def _grid(done: dict, items, out: Path, tag: str, header: str) -> int:
    results = [score(done, items, n, rw, rp, dw) for n in (2, 3, 4, 5, 6, 8) for rw in (0.0, 1.0, 2.0, 4.0)
               for rp in (0.0, 0.25, 0.5, 1.0, 2.0) for dw in (0.0, 10.0, 20.0, 40.0)]
    results.sort(key=lambda r: -(r["balanced"]["answer_acc"] + r["balanced"]["abstention"]))
    print(header)
    print("n_read rw   rp   dw  centre | balanced: thr   acc   f.abst abst | fa<=5%: thr   acc   abst | acc(no thr)")
    for r in results[:15]:
        b, c = r["balanced"], r["fa<=0.05"]
        print(f"{r['n_read']:>6} {r['retrieval_weight']:<4} {r['rank_penalty']:<4} {r['dense_weight']:<4} {r['centre'] or '-':<6} | {b['threshold']:>7.2f} "
              f"{b['answer_acc']:.3f} {b['false_abst']:.3f} {b['abstention']:.3f} | {c['threshold']:>6.2f} "
              f"{c['answer_acc']:.3f} {c['abstention']:.3f} | {r['no_threshold_acc']:.3f}")
    (out / f"calibration-{tag}.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
