"""Training pairs for the reader (SQuAD 2.0-style), built from PIAF v1.0 and the Wikinews corpus.

Every PIAF question of a split is paired with passages cut exactly as `depeche index` cuts articles
(index/chunking.py, 200 tokens, one sentence of overlap), so that training sees what the reader
reads at query time:

- positives: each chunk of its article that holds the gold answer span (target: the span);
- retrieved negatives: the best BM25 chunks, over other PIAF articles of the same split and the
  Wikinews articles, that do not contain any gold answer string (target: "no answer") — this is
  what teaches the reader to say "not here";
- same-article negatives: another chunk of its own article without the answer (same topic, wrong
  passage).

Pure given its inputs and the seed; ``python -m train.reader_data`` prints the counts.
"""
from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path

from eval.splits import split_of
from eval.squad import load_squad
from index.chunking import chunk_spans
from index.french import fold

PIAF = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "piaf-v1.0.json"
WIKINEWS = PIAF.with_name("wikinews-fr.jsonl")


@dataclass(frozen=True)
class Pair:
    qid: str
    question: str
    passage: str
    start: int  # answer span in the passage; (-1, -1) = no answer here
    end: int
    kind: str  # positive | retrieved | same_article


def _norm(s: str) -> str:
    return " ".join(fold(s).split())


def _chunks(text: str) -> list[tuple[int, int]]:
    return chunk_spans(text, 200, 1)


def wikinews_passages(path: Path = WIKINEWS, limit: int | None = None) -> list[str]:
    if not path.exists():
        return []
    out = []
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                break
            rec = json.loads(line)
            text = rec.get("text") or ""
            out.extend(text[s:e] for s, e in _chunks(text))
    return out


def _bm25_pool(pool: list[tuple[str | None, str]]):
    """A BM25 index of the passages of ``pool`` ((article id, text) pairs) and their normalised texts,
    for :func:`_retrieved_negatives`."""
    import bm25s

    from index.french import tokenize

    bm = bm25s.BM25(k1=1.2, b=0.75)
    bm.index([tokenize(t) or ["\u2205"] for _, t in pool], show_progress=False)
    return bm, [_norm(t) for _, t in pool]


def _retrieved_negatives(bm, pool, pool_norm, question: str, article, answers: list[str], n: int,
                         k: int) -> list[str]:
    """The ``n`` best BM25 passages of ``pool`` among the top ``k`` for ``question`` that are not
    from ``article`` and hold none of the (normalised) ``answers``."""
    from index.french import tokenize

    toks = [t for t in tokenize(question) if t in bm.vocab_dict]
    if not toks or not n:
        return []
    docs, _ = bm.retrieve([toks], k=min(len(pool), k), show_progress=False)
    out: list[str] = []
    for d in docs[0]:
        d = int(d)
        if pool[d][0] == article or any(a in pool_norm[d] for a in answers):
            continue
        out.append(pool[d][1])
        if len(out) >= n:
            break
    return out


def build_pairs(split: str, *, piaf: Path = PIAF, wikinews: Path = WIKINEWS, seed: int = 0,
                retrieved: int = 1, same_article: float = 0.5, limit: int | None = None) -> list[Pair]:
    """Pairs for the questions of ``split`` (train / calib / heldout, eval/splits.py)."""
    rng = random.Random(seed)
    articles, items, _ = load_squad(piaf)
    in_split = {a.id: a for a in articles if split_of(a.title) == split}
    art_chunks = {aid: _chunks(a.text) for aid, a in in_split.items()}
    pool: list[tuple[str | None, str]] = [(aid, a.text[s:e]) for aid, a in in_split.items()
                                          for s, e in art_chunks[aid]]
    pool += [(None, t) for t in wikinews_passages(wikinews)]
    bm, pool_norm = _bm25_pool(pool)

    chosen = [it for it in items if it.article in in_split and it.spans]
    if limit is not None:
        chosen = chosen[:limit]
    pairs: list[Pair] = []
    for it in chosen:
        art = in_split[it.article]
        a0, a1 = it.spans[0]
        answers = [_norm(x) for x in it.answers if x.strip()]
        for s, e in art_chunks[it.article]:
            if s <= a0 and a1 <= e:
                pairs.append(Pair(it.id, it.question, art.text[s:e], a0 - s, a1 - s, "positive"))
        for passage in _retrieved_negatives(bm, pool, pool_norm, it.question, it.article, answers, retrieved, 12):
            pairs.append(Pair(it.id, it.question, passage, -1, -1, "retrieved"))
        if rng.random() < same_article:
            others = [(s, e) for s, e in art_chunks[it.article]
                      if not any(a in _norm(art.text[s:e]) for a in answers)]
            if others:
                s, e = rng.choice(others)
                pairs.append(Pair(it.id, it.question, art.text[s:e], -1, -1, "same_article"))
    return pairs


def synth_pairs(per_article: int, *, piaf: Path = PIAF, wikinews: Path = WIKINEWS, seed: int = 0,
                retrieved: int = 1, same_article: float = 0.3, limit: int | None = None) -> list[Pair]:
    """Pairs for synthetic questions over Wikinews (train/synth_questions.py), built like PIAF's:
    the chunk holding the answer, the best BM25 chunk of another article without the answer, and
    sometimes a chunk of the same article without it. Articles of any gold file are never used."""
    from train.synth_questions import generate

    rng = random.Random(seed + 1)
    qs = generate(wikinews, per_article=per_article, seed=seed, limit=limit)
    articles, _, _ = load_squad(piaf)
    pool: list[tuple[str | None, str]] = [(None, a.text[s:e]) for a in articles if split_of(a.title) == "train"
                                          for s, e in _chunks(a.text)]
    texts = {q.article: t for q, t in qs}
    chunks = {aid: _chunks(t) for aid, t in texts.items()}
    pool += [(aid, t[s:e]) for aid, t in texts.items() for s, e in chunks[aid]]
    bm, pool_norm = _bm25_pool(pool)
    pairs: list[Pair] = []
    for q, text in qs:
        ans = _norm(q.answer)
        for s, e in chunks[q.article]:
            if s <= q.start and q.end <= e:
                pairs.append(Pair(q.qid, q.question, text[s:e], q.start - s, q.end - s, "synth_positive"))
                break
        for passage in _retrieved_negatives(bm, pool, pool_norm, q.question, q.article, [ans], retrieved, 8):
            pairs.append(Pair(q.qid, q.question, passage, -1, -1, "synth_retrieved"))
        if rng.random() < same_article:
            others = [(s, e) for s, e in chunks[q.article] if ans not in _norm(text[s:e])]
            if others:
                s, e = rng.choice(others)
                pairs.append(Pair(q.qid, q.question, text[s:e], -1, -1, "synth_same_article"))
    return pairs


# the fit gold files whose questions have an answer span in an article (dev and held-out files stay out)
GOLD_FIT = ("facts-fit.jsonl", "shapes-fit.jsonl", "shapes-fit3.jsonl", "shapes-fit4.jsonl", "shapes-fit5.jsonl",
            "shapes-fit6.jsonl", "shapes-fit7.jsonl", "shapes-fit8.jsonl", "shapes-fit9.jsonl",
            "shapes-cause-fit.jsonl", "shapes-list-fit.jsonl")
GOLD_DIR = Path(__file__).resolve().parent.parent / "eval" / "gold"
CORPUS = Path(__file__).resolve().parent.parent / "corpus"
# fit questions the corpus cannot answer: their best BM25 passages are negatives (the reader learns to
# refuse a passage of the right story that does not say what is asked)
GOLD_FIT_UNANSWERABLE = ("shapes-unanswerable-fit.jsonl", "shapes-unanswerable-fit2.jsonl")


def gold_pairs(files=GOLD_FIT, unanswerable=GOLD_FIT_UNANSWERABLE, *, wikinews: Path = WIKINEWS, seed: int = 0,
               retrieved: int = 1, same_article: int = 2, refused: int = 3) -> list[Pair]:
    """Pairs for the fit gold questions typed as users type them (news, chat style, French and
    English): the why/how questions' causes, the list questions' items (the first one the chunk holds)
    and the fact questions' answers, each found in its gold article, with negatives as PIAF's (the best
    BM25 passage of another article without the answer, and up to ``same_article`` passages of its own
    article without it); and the ``refused`` best BM25 passages of each question of ``unanswerable``."""
    from eval.metrics import find_spans
    from index.loaders import iter_corpus

    rng = random.Random(seed + 2)
    texts: dict[str, str] = {}
    if wikinews.exists():
        with open(wikinews, encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                texts[rec["id"]] = rec.get("text") or ""
    texts.update({a.id: a.text for a in iter_corpus([str(CORPUS)])})
    chunks = {aid: _chunks(t) for aid, t in texts.items()}
    pool = [(aid, t[s:e]) for aid, t in texts.items() for s, e in chunks[aid]]
    bm, pool_norm = _bm25_pool(pool)
    pairs: list[Pair] = []
    for name in files:
        for line in (GOLD_DIR / name).read_text(encoding="utf-8").splitlines():
            rec = json.loads(line) if line.strip() else {}
            aid = rec.get("article")
            answers = [v.strip() for a in (rec.get("cause") or rec.get("items") or rec.get("answers") or [])
                       for v in a.split("|") if v.strip()]
            if not answers or aid not in texts:
                continue
            text, qid = texts[aid], f"{name}:{rec['id']}"
            found = sorted(sp for a in answers for sp in find_spans(text, a))
            got = False
            for s, e in chunks[aid]:
                inside = [(a0, a1) for a0, a1 in found if s <= a0 and a1 <= e]
                if inside:
                    a0, a1 = inside[0]
                    pairs.append(Pair(qid, rec["question"], text[s:e], a0 - s, a1 - s, "gold_positive"))
                    got = True
            if not got:
                continue
            normed = [_norm(a) for a in answers]
            for passage in _retrieved_negatives(bm, pool, pool_norm, rec["question"], aid, normed, retrieved, 12):
                pairs.append(Pair(qid, rec["question"], passage, -1, -1, "gold_retrieved"))
            others = [(s, e) for s, e in chunks[aid] if not any(a in _norm(text[s:e]) for a in normed)]
            for s, e in rng.sample(others, min(same_article, len(others))):
                pairs.append(Pair(qid, rec["question"], text[s:e], -1, -1, "gold_same_article"))
    for name in unanswerable:
        for line in (GOLD_DIR / name).read_text(encoding="utf-8").splitlines():
            rec = json.loads(line) if line.strip() else {}
            if not rec or rec.get("answers"):
                continue
            for passage in _retrieved_negatives(bm, pool, pool_norm, rec["question"], None, [], refused, 12):
                pairs.append(Pair(f"{name}:{rec['id']}", rec["question"], passage, -1, -1, "gold_refused"))
    return pairs


def save_pairs(pairs: list[Pair], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for p in pairs:
            fh.write(json.dumps(asdict(p), ensure_ascii=False) + "\n")
    tmp.replace(path)


def load_pairs(path: Path) -> list[Pair]:
    with open(path, encoding="utf-8") as fh:
        return [Pair(**json.loads(line)) for line in fh if line.strip()]


if __name__ == "__main__":  # pragma: no cover
    from collections import Counter

    for sp in ("train", "calib", "heldout"):
        ps = build_pairs(sp)
        print(sp, len({p.qid for p in ps}), "questions", dict(Counter(p.kind for p in ps)))
