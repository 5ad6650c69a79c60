"""What the shaped builders may use of the corpus, and how they cite (a narrow interface).

- :class:`Corpus`: an article by id, its sentences with offsets (index/sentences.py), and the
  retrieved sentences scored against the question (rag/evidence.EvidenceScorer for now);
- :func:`cite`: a citation of article offsets, re-read from the article and checked
  (rag/citations.check) — a claim whose check fails is never output;
- :func:`is_debris`: photo captions, headings and scraped leftovers ("Fichier vidéo"), which
  state nothing and are never summary, timeline or list sentences.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol, Sequence

from depeche.types import Article, Chunk, Citation, Hit
from rag.citations import check, make_citation
from rag.evidence import CAPTION


@dataclass(frozen=True)
class Sent:
    """One sentence of an article: offsets, text (== article.text[start:end]) and a score."""

    article_id: str
    start: int
    end: int
    text: str
    score: float = 0.0
    index: int = 0  # position of the sentence in its article
    margin: float | None = None  # the trained reader's best span margin inside it, when read (rag/shaped/reading.py)


class Corpus(Protocol):
    def article(self, article_id: str) -> Article | None: ...

    def sentences(self, article_id: str) -> list[Sent]: ...

    def scored(self, question: str, hits: Sequence[Hit], english: bool) -> list[Sent]: ...

    def search(self, question: str, k: int, english: bool) -> list[Hit]: ...

    def reread(self, question: str, hits: Sequence[Hit], ranked: list[Sent]) -> list[Sent]: ...


class EngineCorpus:
    """The :class:`Corpus` of a loaded engine: its articles, split and cached by the evidence scorer."""

    def __init__(self, engine) -> None:
        from rag.evidence import EvidenceScorer, _LRU

        self.engine = engine
        self.scorer = EvidenceScorer(engine)
        self._articles = _LRU(500)  # decoded from the memory-mapped table once, not at every citation

    def article(self, article_id: str) -> Article | None:
        key = (getattr(self.engine, "_stamp", None), article_id)  # a new index generation reads afresh
        got = self._articles.get(key)
        if got is None:
            try:
                got = self.engine.article(article_id)
            except Exception:  # noqa: BLE001 - an article gone from the index cites nothing
                return None
            self._articles.put(key, got)
        return got

    def sentences(self, article_id: str) -> list[Sent]:
        text, spans = self.scorer.article_sentences(article_id)
        return [Sent(article_id, s, e, text[s:e], 0.0, i) for i, (s, e) in enumerate(spans)]

    def search(self, question: str, k: int, english: bool) -> list[Hit]:
        """More passages than the engine's pool (a timeline spans several articles)."""
        from rag.query import search
        from rag.retrieve import Filters

        st = self.engine.settings
        return search(self.engine.retriever, question, k, Filters(None, None, ()), mode=st.retriever,
                      bm25_weight=st.bm25_weight, english=english)

    def reread(self, question: str, hits: Sequence[Hit], ranked: list[Sent]) -> list[Sent]:
        """``ranked`` re-ranked by the trained reader reading ``hits`` (rag/shaped/reading.py); as
        it is when the engine's answerer has no reader."""
        from rag.shaped.reading import read_sentences

        reader = getattr(self.engine.answerer, "reader", None)
        return read_sentences(reader, question, hits, ranked)

    def scored(self, question: str, hits: Sequence[Hit], english: bool) -> list[Sent]:
        out = []
        for s in self.scorer.score(question, hits, english=english):
            out.append(Sent(s.chunk.article_id, s.start, s.end, s.text, s.score, -1))
        return out


# "Fichier vidéo", "Photo", "Lire aussi" … and a line that does not end a sentence (a caption or a
# heading: "Le président chinois Xi Jinping (g) et … le 3 septembre 2025 à Pékin", "Irresponsables"), and
# the attribution line left of a pull quote whose text the scrape lost ("— Barack Obama, Président des
# États-Unis d'Amérique.": all 63 lines of the shared Wikinews corpus that open on an em dash are such).
_DEBRIS_START = re.compile(r"^\s*(?:Fichier (?:vidéo|audio|photo)|Vidéo|Photo|Lire aussi|Voir aussi|Source\s*:|"
                           r"Crédit|Copyright|Publicité|Illustration|\(Photo|Page actualisée|Article connexe)", re.IGNORECASE)
_BYLINE = re.compile(r"^—.{0,128}$", re.DOTALL)  # "— Barack Obama, Président des États-Unis d'Amérique."
_ENDS = re.compile(r"[.!?…][\"»”’')\]]*\s*$|[»”\"]\s*[.!?]?\s*$")


def is_debris(text: str) -> bool:
    t = text.strip()
    return (len(t) < 30 or bool(_DEBRIS_START.match(t)) or bool(_BYLINE.match(t)) or bool(CAPTION.search(t))
            or not _ENDS.search(t)
            or "(g)" in t or "(d)" in t or t.count('"') % 2 == 1 and t.startswith('"') and not t.endswith(('"', '."')))


def cite(corpus: Corpus, article_id: str, start: int, end: int, score: float = 0.0,
         surface: str | None = None) -> Citation | None:
    """A verified citation of article_id[start:end] (``surface`` must lie in it), else None."""
    art = corpus.article(article_id)
    if art is None or not 0 <= start < end <= len(art.text):
        return None
    quote = art.text[start:end]
    chunk = Chunk("", art.id, art.title, art.date, art.url, art.path, start, end, quote)
    c = make_citation(0, chunk, start, end, quote, score)
    return c if check(c, art.text, surface) else None


_OPENS, _CLOSES = "«“", "»”"


def is_fragment(text: str) -> bool:
    """The tail of a quotation cut by the sentence splitter ("Ils répondent à nos attentes », a
    reconnu Cao Junji"): it closes a quotation it never opened, so it does not stand alone."""
    for ch in text:
        if ch in _OPENS:
            return False
        if ch in _CLOSES:
            return True
    return False
