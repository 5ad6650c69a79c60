"""The "reader" answerer: answers are spans the trained reader finds in the retrieved passages.

1. the top ``READ_PASSAGES`` passages of the retrieval pool are read by the reader (rag/reader.py),
   batched; every span gets the reader's margin over "no answer here" plus a share of the
   passage's retrieval score (both weights fitted on the PIAF calibration split, rag/tuned.py);
2. no span above the abstention threshold -> "Je ne trouve pas cette information dans le corpus."
   and the closest passages as related reading;
3. otherwise the best span is the answer; other spans are given too when they are different
   answers, nearly as strong (a list question, or the corpus gives several), each in its own
   sentence;
4. each answer cites the sentence(s) holding it, re-read from the article at their offsets and
   checked to contain the answer (rag/citations.check); a claim that fails is dropped;
5. passages are re-ranked by what the reader found in them.

Two rules are kept, both about dates, which the reader cannot see (an article's date is not in
its text): a weekday answer ("mardi") is dated from the article ("mardi 2 septembre 2025",
rag/span_rules.resolve_day); and when the question names a period ("en 2031"), only articles
dated in it (widened: reports follow events) or mentioning one of its years can answer (dev gold:
the period questions are answered and "en 2031" is refused; without it the reader answers
"en 2031" from a 2017 article).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Protocol, Sequence

from depeche.types import Article, Hit
from index.french import fold
from index.sentences import split_sentences
from rag import tuned
from rag.answerers import Draft, register_answerer, related_from
from rag.citations import check, make_citation, renumber
from rag.compose import Claim, compose, not_found
from rag.question import Question
from rag.reader import Reader
from rag.reader_encoding import SpanGuess


class Corpus(Protocol):
    """What the answerer needs of the index: an article's text by id."""

    def article(self, article_id: str) -> Article: ...


@dataclass(frozen=True)
class Found:
    hit: Hit
    rank: int  # rank of the passage in the retrieval pool
    start: int  # article offsets of the answer span
    end: int
    text: str
    score: float  # combined: reader margin + retrieval share


def combine(margin: float, retrieval: float, rank: int, dense: float = 0.0, english: bool = False) -> float:
    """The score of a span: the reader's margin over "no answer", plus its passage's retrieval
    score (min-max fused, 0..1, relative to the other passages), its rank, and the absolute cosine
    of question and passage (what tells a corpus that lacks the answer; an English question over
    French text has lower cosines, hence its own centre), pure; weights in rag/tuned.py."""
    centre = tuned.DENSE_CENTRE_EN if english else tuned.DENSE_CENTRE
    cos = (dense - centre) if dense else 0.0
    return margin + tuned.RETRIEVAL_WEIGHT * retrieval - tuned.RANK_PENALTY * rank + tuned.DENSE_WEIGHT * cos


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    """Offsets of a token span made whole words, without the spaces, quotes and punctuation it
    drags along (pure): "capitale chinois|e" -> "capitale chinoise"."""
    while s > 0 and text[s - 1].isalnum() and text[s].isalnum():
        s -= 1
    while e < len(text) and e > 0 and text[e - 1].isalnum() and text[e].isalnum():
        e += 1
    while s < e and (text[s].isspace() or text[s] in ",;:«»\"'(“”"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:«»\"(“”"):
        e -= 1
    if e - s > 1 and text[e - 1] == "." and (text[e - 2].islower() or text[e - 2].isdigit()):
        e -= 1  # "à Pékin." -> "à Pékin"; "J.-C." keeps its point
    return s, e


def reads_all(q: Question) -> bool:
    """No early stop for a question asking for several things or naming a period: its answers may
    lie further down (pure; also what eval/calibrate_reader.py simulates)."""
    return bool(q.plural or q.period)


def find_spans(reader: Reader, q: Question, hits: Sequence[Hit], n: int, first: int | None = None,
               enough: float | None = None) -> list[Found]:
    """Spans of the top ``n`` passages. With ``first`` and ``enough``: the top ``first`` are read,
    and the others only when no span there scores ``enough`` (unless the question reads all)."""
    read = list(hits[:n])
    if not read:
        return []
    if first is None or enough is None or first >= len(read) or reads_all(q):
        return spans_from(reader.read(q.search, [h.chunk.text for h in read]), read, q.english)
    guesses = list(reader.read(q.search, [h.chunk.text for h in read[:first]]))
    found = spans_from(guesses, read[:first], q.english)
    if found and found[0].score >= enough:
        return found
    more = reader.read(q.search, [h.chunk.text for h in read[first:]])
    guesses += [replace(g, passage=g.passage + first) for g in more]
    return spans_from(guesses, read, q.english)


def spans_from(guesses: Sequence[SpanGuess], read: Sequence[Hit], english: bool = False) -> list[Found]:
    """Reader guesses over the passages ``read`` -> answer spans with article offsets and combined
    scores, best first (pure)."""
    top = max((h.score for h in read), default=1.0) or 1.0
    out = []
    for g in guesses:
        if g.passage >= len(read):
            continue
        h = read[g.passage]
        s, e = _strip(h.chunk.text, g.start, g.end)
        if e <= s or "\n" in h.chunk.text[s:e]:
            continue  # an answer never runs across a line or paragraph break
        if in_caption(h.chunk.text, s, e):
            continue  # a photo caption ("… à Washington AFP") is debris, as for every shaped answer
        out.append(Found(h, g.passage, h.chunk.start + s, h.chunk.start + e, h.chunk.text[s:e],
                         combine(g.score, h.score / top if top > 0 else 0.0, g.passage, h.dense, english)))
    return sorted(out, key=lambda f: -f.score)


def in_caption(text: str, start: int, end: int) -> bool:
    """The span [start, end) of ``text`` lies in a paragraph that is a photo caption, ending with its
    credit ("… le 3 septembre 2025 à Washington AFP"; rag/evidence.CAPTION) (pure)."""
    from rag.evidence import CAPTION

    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    return bool(CAPTION.search(text[a:b if b >= 0 else len(text)]))


def distinct(found: Sequence[Found], threshold: float, plural: bool) -> list[Found]:
    """The best span, then other different answers strong enough to be given too (pure)."""
    if not found or found[0].score < threshold:
        return []
    best = found[0]
    chosen = [best]
    ratio = tuned.PLURAL_SECOND if plural else tuned.SECOND_ANSWER
    for f in found[1:]:
        if len(chosen) >= tuned.MAX_ANSWERS:
            break
        if f.score < threshold or f.score < best.score - ratio:
            continue
        a = fold(f.text)
        if any(a in fold(c.text) or fold(c.text) in a for c in chosen):
            continue
        chosen.append(f)
    return chosen


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Article offsets of the sentence(s) holding [start, end) (pure)."""
    spans = split_sentences(text)
    cover = [(a, b) for a, b in spans if a < end and start < b]
    if not cover:
        return start, end
    return cover[0][0], cover[-1][1]


def dated(answer: str, article_date: str | None, english: bool) -> str:
    """"mardi" in a dispatch of 2025-09-04 -> "mardi 2 septembre 2025" (the one kept rule)."""
    from rag.span_rules import render_date, resolve_day
    from rag.words import DAYS_FR

    words = fold(answer.lower()).split()
    if not words or words[0] not in DAYS_FR or len(words) > 2 or not article_date:
        return answer
    d = resolve_day(answer, article_date)
    return render_date(d, english) if d else answer


class ReaderAnswerer:
    typed_question = True  # called with a rag.question.Question

    def __init__(self, corpus: Corpus, reader: Reader | None = None, *, threshold: float | None = None,
                 passages: int | None = None) -> None:
        self.corpus = corpus
        settings = getattr(corpus, "settings", None)
        self.reader = reader or Reader(getattr(settings, "reader", "") or None,
                                       getattr(settings, "reader_runtime", "onnx-fp32"),
                                       threads=getattr(settings, "query_threads", 1))
        t = float(getattr(settings, "abstain_threshold", 0.0) or 0.0)
        self.threshold = threshold if threshold is not None else (t or tuned.ABSTAIN)
        self.passages = passages or tuned.READ_PASSAGES

    def warm_up(self) -> None:
        self.reader.read("Qui ?", ["Le président a parlé."])

    def claims(self, chosen: Sequence[Found], english: bool) -> list[Claim]:
        out: list[Claim] = []
        for f in chosen:
            try:
                article = self.corpus.article(f.hit.chunk.article_id)
            except Exception:  # noqa: BLE001 - an article missing from the index fails the check
                continue
            a, b = sentence_span(article.text, f.start, f.end)
            cit = make_citation(0, f.hit.chunk, a, b, article.text[a:b], f.score)
            if not check(cit, article.text, f.text):
                continue
            out.append(Claim(cit, dated(f.text, f.hit.chunk.date, english), f.text, f.start - a))
        cits = renumber([c.citation for c in out])
        return [Claim(ct, c.answer, c.surface, c.at) for ct, c in zip(cits, out)]

    def speaks_of(self, f: Found, period: tuple[str, str]) -> bool:
        """The article of ``f`` can answer a question naming ``period``: dated in it (widened),
        or mentioning one of its years."""
        from rag.dates import widen
        from rag.query import DRIFT_DAYS

        lo, hi = widen(period, DRIFT_DAYS)
        date = f.hit.chunk.date
        if date and lo <= date <= hi:
            return True
        try:
            text = self.corpus.article(f.hit.chunk.article_id).text
        except Exception:  # noqa: BLE001 - an article missing from the index cannot answer
            return False
        return any(str(y) in text for y in range(int(period[0][:4]), int(period[1][:4]) + 1))

    reads_enumerations = True  # takes ``enumeration_floor`` (list questions, rag/engine.py)

    def spans(self, q: Question, hits: Sequence[Hit]) -> list[Found]:
        """Every span the reader finds in the passages it reads (all of them, no early stop), best
        first, those outside the period the question names left out: what the enumeration chooser
        (rag/shaped/enumeration_answer.py) weighs."""
        found = find_spans(self.reader, q, hits, self.passages)
        return [f for f in found if self.speaks_of(f, q.period)] if q.period else found

    def in_enumeration(self, f: Found) -> bool:
        """The span is one item of an enumeration of two or more, or the enumeration itself."""
        from rag.shaped.enumeration import items_of

        try:
            text = self.corpus.article(f.hit.chunk.article_id).text
        except Exception:  # noqa: BLE001 - an article missing from the index holds nothing
            return False
        return len(items_of(text, f.start, f.end)) >= 2

    def __call__(self, q: Question | str, hits: Sequence[Hit], *, english: bool | None = None,
                 enumeration_floor: float | None = None) -> Draft:
        """The answer; with ``enumeration_floor`` (a list question), when no span reaches the
        threshold, the best of the top three spans that scores the floor or more and lies in an
        enumeration: the sentence's own list is the evidence the reader's margin lacks."""
        if isinstance(q, str):
            q = Question.of(q)
        t0 = time.perf_counter()
        found = find_spans(self.reader, q, hits, self.passages, tuned.READ_FIRST, self.threshold + tuned.EARLY_MARGIN)
        if q.period:
            found = [f for f in found if self.speaks_of(f, q.period)]
        timings = {"read": (time.perf_counter() - t0) * 1000}
        chosen = distinct(found, self.threshold, q.plural)
        if not chosen and enumeration_floor is not None:
            chosen = [f for f in found[:3] if f.score >= enumeration_floor and self.in_enumeration(f)][:1]
        claims = self.claims(chosen, q.english) if chosen else []
        if not claims:
            return Draft(not_found(q.english), (), True, None, related_from(hits), timings)
        text = compose(claims, q.english)
        return Draft(text, tuple(c.citation for c in claims), False, claims[0].answer, (), timings,
                     reranked=rerank(hits, found), answers=tuple(c.answer for c in claims))


def rerank(hits: Sequence[Hit], found: Sequence[Found]) -> tuple[Hit, ...]:
    """Passages holding the reader's best spans first (in span order), then the rest as retrieved."""
    order: list[Hit] = []
    for f in found:
        if f.hit not in order:
            order.append(f.hit)
    return tuple(order + [h for h in hits if h not in order])


@register_answerer("reader")
def _factory(engine) -> ReaderAnswerer:
    return ReaderAnswerer(engine)
