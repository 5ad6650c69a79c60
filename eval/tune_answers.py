"""Measure and tune the answer pipeline on gold questions: fusion, dates, evidence, abstention.

    python -m eval.tune_answers --store STORE --gold ../shared/data/dev-gold.jsonl \
        [--gold more.jsonl --limit 200]... [--out tune.json]

Gold files are in the dev-gold format (an optional ``spans`` list of [start, end) answer offsets
in the gold article is understood too, as written by ``depeche eval --squad``). Prints, per gold
file: evidence@5 of BM25, dense and several fusions on the same chunks (one retrieval per side,
fused offline), then the abstention trade-off of the extractive answerer's evidence threshold,
and answer accuracy at the configured threshold. Never point it at test questions.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

from depeche.settings import Settings
from eval.gold import GoldItem
from eval.metrics import answer_correct, contains, evidence_hit, short_answer_f1
from rag.fusion import blend, blend_minmax, weighted_rrf
from rag.retrieve import Filters

FUSIONS = {
    "bm25": lambda lex, den: lex,
    "dense": lambda lex, den: den,
    **{f"blend{w:.1f}": (lambda w: lambda lex, den: blend(lex, den, w))(w) for w in (0.3, 0.4, 0.5, 0.6, 0.7)},
    **{f"rrf{w:.1f}": (lambda w: lambda lex, den: weighted_rrf(
        [sorted(lex, key=lambda i: -lex[i]), sorted(den, key=lambda i: -den[i])], [w, 1 - w]))(w)
       for w in (0.3, 0.5, 0.7)},
    **{f"mm{w:.1f}": (lambda w: lambda lex, den: blend_minmax(lex, den, w))(w) for w in (0.3, 0.5, 0.7)},
}


def load_items(path: str, limit: int | None, seed: int = 0) -> list[GoldItem]:
    items = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        items.append(GoldItem(id=str(d["id"]), question=d["question"], answers=tuple(d.get("answers") or ()),
                              evidence=tuple(d.get("evidence") or ()), article=d.get("article"),
                              spans=tuple(tuple(s) for s in d.get("spans") or ())))
    if limit and len(items) > limit:
        items = random.Random(seed).sample(items, limit)
    return items


def passages_of(hits) -> list[dict]:
    return [{"article_id": h.chunk.article_id, "start": h.chunk.start, "end": h.chunk.end, "text": h.chunk.text}
            for h in hits]


def retrieval_table(engine, items: list[GoldItem], k: int = 5, pool: int = 40, gloss: bool = True) -> dict[str, float]:
    from depeche.types import Hit

    r = engine.retriever
    hits_by = {name: [] for name in FUSIONS}
    from rag.engine import is_english
    from rag.query import lexical_query

    for it in items:
        lexq = lexical_query(it.question, is_english(it.question)) if gloss else it.question
        lex = r.lexical_scores(lexq, Filters(), pool)
        den = r.dense_scores(it.question, Filters(), pool)
        for name, fuse in FUSIONS.items():
            fused = fuse(lex, den)
            top = sorted(fused.items(), key=lambda kv: -kv[1])[:k]
            ps = passages_of([Hit(r.chunks[i], s) for i, s in top])
            hits_by[name].append(evidence_hit(ps, it, k))
    out = {}
    for name, flags in hits_by.items():
        vals = [f for f in flags if f is not None]
        out[name] = sum(vals) / len(vals) if vals else float("nan")
    return out


def answer_features(engine, items: list[GoldItem]) -> list[dict]:
    """Per question: the answerer's evidence features and its answer at the configured threshold."""
    from rag.engine import is_english

    ans = engine.answerer
    rows = []
    for it in items:
        t0 = time.perf_counter()
        a = engine.ask(it.question)
        ms = (time.perf_counter() - t0) * 1000
        res = a.to_json()
        english = is_english(it.question)
        from rag.query import EVIDENCE_PASSAGES, search as planned_search

        hits = planned_search(engine.retriever, a.search_query or it.question, EVIDENCE_PASSAGES, Filters(),
                              english=english, bm25_weight=engine.settings.bm25_weight)
        ranked = ans.scorer.score(a.search_query or it.question, hits, english=english) if hits else []
        from rag.answer_types import detect

        atype = detect(it.question, english)
        cands = ans.candidates(it.question, atype, ranked) if ranked else []
        rows.append({
            "id": it.id, "question": it.question, "answerable": it.answerable, "kind": atype.kind,
            "english": english,
            "top_evidence": ranked[0].score if ranked else 0.0,
            "top_dense": max((s.dense for s in ranked), default=0.0),
            "top_lexical": max((s.lexical for s in ranked), default=0.0),
            "top_coverage": max((s.coverage for s in ranked), default=0.0),
            "top_candidate": cands[0].score if cands else 0.0,
            "cand_sentence": cands[0].sentence.score if cands else 0.0,
            "abstained": a.abstained, "answer": a.text, "short": a.short_answer,
            "correct": answer_correct(res, it) if it.answerable else None,
            "f1": short_answer_f1(res, it) if it.answerable else None,
            "cand_has_gold": bool(cands) and any(contains(cands[0].sentence.text, g) for g in it.answers),
            "evidence_hit5": evidence_hit(res["passages"], it, 5),
            "ms": ms,
        })
    return rows


def sweep(rows: list[dict], key: str = "cand_sentence") -> list[tuple[float, float, float]]:
    """(threshold, abstention on unanswerable, false abstention on answerable)."""
    ans = [r for r in rows if r["answerable"]]
    una = [r for r in rows if not r["answerable"]]
    out = []
    for t in np.arange(0.1, 0.8, 0.025):
        ab = sum(r[key] < t for r in una) / max(1, len(una))
        fa = sum(r[key] < t for r in ans) / max(1, len(ans))
        out.append((round(float(t), 3), ab, fa))
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--store", required=True)
    p.add_argument("--gold", action="append", required=True)
    p.add_argument("--limit", type=int, action="append", default=[])
    p.add_argument("--skip-retrieval", action="store_true")
    p.add_argument("--skip-answers", action="store_true")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="settings overrides")
    p.add_argument("--out", default="")
    args = p.parse_args(argv)
    from rag.engine import Engine

    overrides = dict(kv.split("=", 1) for kv in args.set)
    engine = Engine(Settings.from_mapping({"store": args.store, **overrides}))
    engine.warm_up()
    engine.answerer(".", [], english=False)
    report = {}
    for gi, path in enumerate(args.gold):
        limit = args.limit[gi] if gi < len(args.limit) else None
        items = load_items(path, limit)
        name = Path(path).stem
        entry = {"n": len(items)}
        if not args.skip_retrieval and any(i.answerable for i in items):
            entry["evidence@5"] = retrieval_table(engine, [i for i in items if i.answerable])
            print(name, "evidence@5", json.dumps({k: round(v, 3) for k, v in entry["evidence@5"].items()}))
        if not args.skip_answers:
            rows = answer_features(engine, items)
            entry["rows"] = rows
            ans = [r for r in rows if r["answerable"]]
            una = [r for r in rows if not r["answerable"]]
            lat = sorted(r["ms"] for r in rows)
            summary = {
                "answer_accuracy": sum(bool(r["correct"]) for r in ans) / max(1, len(ans)),
                "short_f1": sum(r["f1"] or 0 for r in ans) / max(1, len(ans)),
                "false_abstention": sum(r["abstained"] for r in ans) / max(1, len(ans)),
                "abstention": sum(r["abstained"] for r in una) / max(1, len(una)) if una else None,
                "p50_ms": lat[len(lat) // 2] if lat else None,
                "n_answerable": len(ans), "n_unanswerable": len(una),
            }
            entry["summary"] = summary
            print(name, "answers", json.dumps({k: (round(v, 3) if isinstance(v, float) else v)
                                               for k, v in summary.items()}))
        report[name] = entry
    all_rows = [r for e in report.values() for r in e.get("rows", [])]
    if any(not r["answerable"] for r in all_rows) and any(r["answerable"] for r in all_rows):
        for key in ("cand_sentence", "top_evidence"):
            print(f"threshold sweep on {key}: t abstention false_abstention")
            for t, ab, fa in sweep(all_rows, key):
                print(f"  {t:.3f} {ab:.3f} {fa:.3f}")
    if args.out:
        Path(args.out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0




# ---- sentence-level dump, for fitting the evidence weights offline ---------------------------------
def sentence_dump(engine, items: list[GoldItem], k: int = 5) -> list[dict]:
    """Per question: every sentence of the top-k passages with its features (dense for all of them)
    and whether it contains a gold answer; plus question-level answerability features."""
    from index.french import fold, words
    from rag.answer_types import detect, question_words
    from rag.engine import is_english
    from rag.evidence import sentences_of
    from rag.glossary import to_french
    from rag.query import search as planned_search

    scorer = engine.answerer.scorer
    r = engine.retriever
    out = []
    for it in items:
        english = is_english(it.question)
        hits = planned_search(r, it.question, k, Filters(), english=english,
                              bm25_weight=engine.settings.bm25_weight)
        sents = scorer.with_previous(sentences_of(hits))
        lexq = f"{it.question} {to_french(it.question)}" if english else it.question
        lex, ctx, cov = scorer.lexical(lexq, sents)
        dense = scorer.dense(it.question, [s.text for s in sents]).tolist() if sents else []
        qw = question_words(lexq)
        names = set(qw.names)
        art_words = set()
        for h in hits:
            art_words |= {fold(w) for w in words(engine.article(h.chunk.article_id).text)}
        out.append({
            "id": it.id, "answerable": it.answerable, "english": english, "kind": detect(it.question, english).kind,
            "names": len(names), "names_found": sum(n in art_words for n in names),
            "hit_scores": [h.score for h in hits],
            "sentences": [{"lex": l, "ctx": x, "cov": c, "dense": d, "passage": s.passage, "rank": s.rank,
                           "len": len(s.text), "pos": s.position, "start": s.start,
                           "article": s.chunk.article_id,
                           "gold": any(contains(s.text, a) for a in it.answers)}
                          for s, l, x, c, d in zip(sents, lex, ctx, cov, dense)],
        })
    return out


def dump_main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--store", required=True)
    p.add_argument("--gold", action="append", required=True)
    p.add_argument("--limit", type=int, action="append", default=[])
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    from rag.engine import Engine

    engine = Engine(Settings.from_mapping({"store": args.store}))
    engine.warm_up()
    rows = []
    for gi, path in enumerate(args.gold):
        limit = args.limit[gi] if gi < len(args.limit) else None
        for row in sentence_dump(engine, load_items(path, limit)):
            row["set"] = Path(path).stem
            rows.append(row)
    Path(args.out).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {len(rows)} questions to {args.out}")
    return 0


def periods_main(argv=None) -> int:
    """Article hit@5 of questions naming a period, for each way of applying it (off/restrict/boost)."""
    import rag.query as rq

    p = argparse.ArgumentParser()
    p.add_argument("--store", required=True)
    p.add_argument("--gold", action="append", required=True)
    args = p.parse_args(argv)
    from rag.engine import Engine

    engine = Engine(Settings.from_mapping({"store": args.store}))
    r = engine.retriever
    for path in args.gold:
        items = load_items(path, None)
        line = []
        for mode, drift in (("off", 31), ("restrict", 31), ("restrict", 120), ("boost", 31), ("boost", 120)):
            rq.DRIFT_DAYS = drift
            hits = 0
            for it in items:
                got = rq.search(r, it.question, 5, Filters(), date_mode=mode, bm25_weight=engine.settings.bm25_weight)
                hits += any(h.chunk.article_id == it.article for h in got)
            line.append(f"{mode}/{drift}d {hits / len(items):.3f}")
        print(Path(path).stem, len(items), " ".join(line), flush=True)
    return 0


if __name__ == "__main__":
    cmd = sys.argv[1:2]
    sys.exit(dump_main(sys.argv[2:]) if cmd == ["dump"] else periods_main(sys.argv[2:]) if cmd == ["periods"]
             else main())
