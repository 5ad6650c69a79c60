"""Sentence-level evidence: the top passages split into sentences (article offsets), each scored
against the question by e5 similarity, lexical overlap and (later, in rag/extractive.py) whether it
holds an answer of the expected type.

Lexical overlap is the idf-weighted share of the question's stems found in the sentence (idf from
the BM25 index's document frequencies). Only the sentences that lexical overlap and passage rank
keep as candidates are embedded (with the engine's own embedder; vectors cached by text), so a
question costs one small batch of short texts. A cross-encoder given by path
(``settings.reranker``) rescores the same candidates when configured.
"""
from __future__ import annotations

import bisect
import math
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from depeche.types import Chunk, Hit
from index.french import tokenize
from index.sentences import split_sentences


EMBED_CHARS = 256  # longer sentences are embedded by their start (e5 cost grows with length)
EN_EXTRA_EMBEDS = 3
EMBED_MIN, EMBED_REACH = 3, 0.5  # sentences embedded at least; share of the best word score to be embedded
# A photo caption left in a dispatch ("Le président américain Donald Trump dans le Bureau ovale …, le
# 3 septembre 2025 à Washington AFP") names people and dates but states nothing: it is not evidence.
CAPTION = re.compile(r"(?:\bAFP|\bReuters|\bAP|\bEPA|\bGetty Images|©[^.]*)\s*$")
CAPTION_WEIGHT = 0.6  # an English question's words barely pre-select French sentences: embed a few more


@dataclass(frozen=True)
class Sentence:
    chunk: Chunk  # a chunk holding it (for the citation's article metadata)
    start: int  # article offsets
    end: int
    text: str  # == article.text[start:end]
    rank: int  # rank of its best passage (0 = top)
    passage: float  # 1.0 for the top passage, decreasing with rank and score
    position: int = 0  # index of the sentence in its article's retrieved text (0 = first seen)
    prev: str = ""  # the sentence before it in the article (pronouns and "l'entreprise" point back)
    prev_start: int = -1  # its article offset (it ends just before ``start``)
    lexical: float = 0.0
    context: float = 0.0  # lexical overlap of this sentence together with the one before
    coverage: float = 0.0
    dense: float = 0.0
    rerank: float | None = None
    score: float = 0.0


def sentences_of(hits: Sequence[Hit], max_chars: int = 600) -> list[Sentence]:
    """Sentences of the retrieved passages, deduplicated (chunks overlap by a sentence)."""
    seen: dict[tuple[str, int, int], int] = {}
    out: list[Sentence] = []
    if not hits:
        return out
    top = max(h.score for h in hits) or 1.0
    for rank, h in enumerate(hits):
        c = h.chunk
        passage = max(0.0, h.score / top) if top > 0 else 0.0
        passage *= 1.0 / (1.0 + 0.15 * rank)
        for s, e in split_sentences(c.text):
            if e - s < 12 or not any(ch.isalpha() for ch in c.text[s:e]):
                continue
            e2 = e if e - s <= max_chars else s + max_chars  # a runaway "sentence" (tables, lists)
            key = (c.article_id, c.start + s, c.start + e2)
            if key in seen:
                continue
            seen[key] = len(out)
            out.append(Sentence(c, c.start + s, c.start + e2, c.text[s:e2], rank, passage, position=s))
    return out


class _LRU:
    def __init__(self, size: int = 20_000) -> None:
        self.size, self.data, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            v = self.data.get(key)
            if v is not None:
                self.data.move_to_end(key)
            return v

    def put(self, key, value) -> None:
        with self.lock:
            self.data[key] = value
            if len(self.data) > self.size:
                self.data.popitem(last=False)


@dataclass(frozen=True)
class Weights:
    """Fitted on dev-gold + 200 PIAF questions (eval/tune_answers.py dump): the share of questions
    whose top sentence holds the answer, and how well the top score separates answerable from
    unanswerable questions, both change little around these values."""

    dense: float = 0.55
    lexical: float = 0.3  # share of the question's stems (idf-weighted) in the sentence …
    context: float = 0.5  # … half of it measured on the sentence together with the one before
    coverage: float = 0.1  # … in the sentence's whole article
    passage: float = 0.05
    dense_floor: float = 0.75  # e5 cosines live in ~[0.7, 0.95]: map floor..ceil to 0..1
    dense_ceil: float = 0.92


# An English question over French text shares only names and glossary words with it.
WEIGHTS_FR = Weights()
WEIGHTS_EN = Weights(dense=0.6, lexical=0.2, coverage=0.1, passage=0.1)


class EvidenceScorer:
    """Scores the sentences of the retrieved passages for one engine (thread-safe)."""

    def __init__(self, engine, weights: Weights = WEIGHTS_FR, weights_en: Weights = WEIGHTS_EN,
                 embed_limit: int = 5) -> None:
        self.engine = engine
        self.weights = weights
        self.weights_en = weights_en
        self._articles = _LRU(2_000)
        self.embed_limit = embed_limit
        self._vecs = _LRU()
        self._cross = None
        self._cross_path = None

    # ---- features ----------------------------------------------------------------------
    def idf(self, stems: Sequence[str]) -> dict[str, float]:
        """BM25 idf of each stem from the index's document frequencies (unseen stems: the maximum)."""
        lexical = self.engine.retriever.lexical
        model = lexical.model
        n = int(model.scores.get("num_docs", 0)) or 1
        indptr = model.scores.get("indptr")
        out = {}
        for t in stems:
            tid = model.vocab_dict.get(t)
            df = int(indptr[tid + 1] - indptr[tid]) if tid is not None and indptr is not None else 0
            out[t] = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
        return out

    def article_sentences(self, article_id: str) -> tuple[str, list[tuple[int, int]]]:
        key = (getattr(self.engine, "_stamp", None), article_id)
        got = self._articles.get(key)
        if got is None:
            try:
                text = self.engine.article(article_id).text
            except Exception:  # noqa: BLE001 - no article: no neighbours
                text = ""
            got = (text, split_sentences(text))
            self._articles.put(key, got)
        return got

    def article_stems(self, article_id: str) -> list[str]:
        """The stems of an article's title and text, in order (for names that must occur side by side)."""
        key = ("stems", getattr(self.engine, "_stamp", None), article_id)
        got = self._articles.get(key)
        if got is None:
            try:
                a = self.engine.article(article_id)
                got = tokenize(f"{a.title}\n{a.text}")
            except Exception:  # noqa: BLE001 - no article: it names nothing
                got = []
            self._articles.put(key, got)
        return got

    def with_previous(self, sents: list[Sentence]) -> list[Sentence]:
        out = []
        for s in sents:
            text, spans = self.article_sentences(s.chunk.article_id)
            i = bisect.bisect_right([a for a, _ in spans], s.start - 1) - 1
            while i >= 0 and spans[i][1] > s.start:
                i -= 1
            if i >= 0 and s.start - spans[i][1] < 4:
                out.append(replace(s, prev=text[spans[i][0]:spans[i][1]], prev_start=spans[i][0]))
            else:
                out.append(s)
        return out

    def articles_with(self, stems) -> dict[str, set]:
        """For each stem, the articles whose indexed chunks contain it (from the BM25 postings:
        no article is re-tokenised at question time)."""
        retriever = self.engine.retriever
        model = retriever.lexical.model
        indptr, indices = model.scores.get("indptr"), model.scores.get("indices")
        out: dict[str, set] = {}
        for t in stems:
            tid = model.vocab_dict.get(t)
            if tid is None or indptr is None:
                out[t] = set()
                continue
            docs = indices[indptr[tid]:indptr[tid + 1]]
            out[t] = set(retriever.article_of[docs].tolist())
        return out

    def lexical(self, question: str, sentences: Sequence[Sentence]) -> tuple[list[float], list[float], list[float]]:
        """Per sentence: idf-weighted share of the question's stems in it, in it and the sentence
        before, and in its whole article."""
        q = list(dict.fromkeys(tokenize(question)))
        n = len(sentences)
        if not q:
            return [0.0] * n, [0.0] * n, [0.0] * n
        idf = self.idf(q)
        total = sum(idf.values()) or 1.0
        holders = self.articles_with(idf)
        lex, ctx, cov = [], [], []
        for s in sentences:
            toks = set(tokenize(s.text))
            lex.append(sum(w for t, w in idf.items() if t in toks) / total)
            if s.prev:
                toks = toks | set(tokenize(s.prev))
            ctx.append(sum(w for t, w in idf.items() if t in toks) / total)
            aid = s.chunk.article_id
            cov.append(sum(w for t, w in idf.items() if t in toks or aid in holders[t]) / total)
        return lex, ctx, cov

    def dense(self, question: str, texts: Sequence[str]) -> np.ndarray:
        retriever = self.engine.retriever
        qvec = retriever.query_vector(question)
        missing = [t for t in dict.fromkeys(texts) if self._vecs.get(t) is None]
        if missing:
            vecs = retriever.embedder.embed_passages(missing)
            for t, v in zip(missing, vecs):
                self._vecs.put(t, np.asarray(v, dtype=np.float32))
        mat = np.stack([self._vecs.get(t) for t in texts]) if texts else np.zeros((0, len(qvec)))
        return mat @ np.asarray(qvec, dtype=np.float32)

    def cross_encoder(self):
        path = getattr(self.engine.settings, "reranker", "") or ""
        if not path:
            return None
        if self._cross is None or self._cross_path != path:
            from pathlib import Path

            from depeche.errors import DepecheError

            if not Path(path).expanduser().is_dir():
                raise DepecheError(f"Reranker folder {path} does not exist; set DEPECHE_RERANKER to a "
                                   "sentence-transformers cross-encoder folder, or leave it empty.")
            from sentence_transformers import CrossEncoder

            self._cross = CrossEncoder(str(Path(path).expanduser()), device="cpu")
            self._cross_path = path
        return self._cross

    # ---- scoring ----------------------------------------------------------------------------
    def score(self, question: str, hits: Sequence[Hit], english: bool = False) -> list[Sentence]:
        """All sentences of the hits, best first; only the leading candidates carry a dense score."""
        sents = sentences_of(hits)
        if not sents:
            return []
        w = self.weights_en if english else self.weights
        if english:
            from rag.glossary import to_french

            question_fr = to_french(question)
        sents = self.with_previous(sents)
        lex, ctx, cov = self.lexical(question_fr if english else question, sents)
        sents = [replace(s, lexical=l, context=x, coverage=c) for s, l, x, c in zip(sents, lex, ctx, cov)]
        pre = sorted(range(len(sents)), key=lambda i: -(sents[i].lexical + 0.5 * sents[i].passage))
        limit = self.embed_limit + (EN_EXTRA_EMBEDS if english else 0)
        # The question's own words decide which sentences are worth embedding; the e5 vector then
        # ranks them (for the words it cannot see: paraphrase, English).
        # For a French question, only those within reach of the best one are embedded: a sentence
        # whose words score far below the best is rarely lifted to the top by its vector, and each
        # costs ~13 ms of e5 on one core (dev gold first pass: evidence p50 85 -> 64 ms, same answers).
        pre_score = [sents[i].lexical + 0.5 * sents[i].passage for i in pre[:limit]]
        keep = [i for i, p in zip(pre[:limit], pre_score) if p >= EMBED_REACH * pre_score[0]]
        chosen = pre[:limit] if english else keep if len(keep) >= EMBED_MIN else pre[:EMBED_MIN]
        cos = self.dense(question, [sents[i].text[:EMBED_CHARS] for i in chosen])
        dense = {i: float(c) for i, c in zip(chosen, cos)}
        cross = self.cross_encoder()
        rer = {}
        if cross is not None and chosen:
            raw = cross.predict([(question, sents[i].text) for i in chosen], show_progress_bar=False)
            rer = {i: 1.0 / (1.0 + math.exp(-float(r))) for i, r in zip(chosen, raw)}
        out = []
        span = max(1e-6, w.dense_ceil - w.dense_floor)
        for i, s in enumerate(sents):
            d = dense.get(i)
            dn = 0.0 if d is None else min(1.0, max(0.0, (d - w.dense_floor) / span))
            sc = w.dense * dn + w.lexical * ((1 - w.context) * s.lexical + w.context * s.context) + \
                w.coverage * s.coverage + w.passage * s.passage
            if i in rer:
                sc = 0.5 * sc + 0.5 * rer[i]
            if CAPTION.search(s.text):
                sc *= CAPTION_WEIGHT
            out.append(replace(s, dense=d if d is not None else 0.0, rerank=rer.get(i), score=sc))
        out.sort(key=lambda s: -s.score)
        return out
