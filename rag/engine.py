"""The engine: one loaded index + models, answering questions. Used by the CLI, the chat and eval.

It follows the index's manifest: when `depeche index` switches to a new generation, the next
question is answered from the new one (never from a half-built one).
"""
from __future__ import annotations

import re
import threading
import time
from typing import Sequence

from depeche.errors import DepecheError, IndexMismatchError
from depeche.settings import Settings
from depeche.types import Answer, Article, Hit
from rag.question import is_english  # noqa: F401  (re-exported: eval and the UI use it)
from rag.retrieve import Filters, Retriever

MAX_QUESTION_CHARS = 1000


def check_question(question: str) -> str:
    """Clean a question or raise a one-line DepecheError saying what to do."""
    if not isinstance(question, str) or not question.strip():
        raise DepecheError("The question is empty; type a question about the corpus.")
    q = " ".join(question.split())
    if not re.search(r"\w", q):
        raise DepecheError("The question has no words, only punctuation; type a question about the corpus.")
    return q


def _one_torch_thread() -> None:
    """Questions are embedded one at a time: one torch thread. Measured on the 2-core machine
    under load (eval/bench_ask.py): 2 intra-op threads took ~940 ms per question embedding and
    ~1.5 s per 8 sentences, 1 thread 18 ms and 43 ms (threads wait for a busy core at every op)."""
    import sys

    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)


class Engine:
    def __init__(self, settings: Settings | None = None) -> None:
        from index.store import Store

        self.settings = settings or Settings.load()
        self.store = Store(self.settings.store_path, self.settings.chroma_url)
        self._lock = threading.RLock()
        self._stamp = None
        self._retriever: Retriever | None = None
        self._articles: dict[str, Article] | None = None
        self._answerer = None
        self.manifest = None

    # ---- loading ----------------------------------------------------------------
    def _current(self) -> Retriever:
        stamp = self.store.manifest_stamp()
        if self._retriever is not None and stamp == self._stamp:
            return self._retriever
        with self._lock:
            if self._retriever is not None and stamp == self._stamp:
                return self._retriever
            from index.bm25 import LexicalIndex
            from index.embedders import get_embedder

            manifest = self.store.require_manifest()
            if manifest.embedder != self.settings.embedder:
                raise IndexMismatchError(
                    f"The index in {self.store.path} was built with embedder '{manifest.embedder}' but "
                    f"'{self.settings.embedder}' is configured; run `depeche index --rebuild`."
                )
            if self._retriever is not None:
                self.store.reset_client()
            chunks = self.store.read_chunks(manifest.generation, mmap=self.settings.mmap)
            lexical = LexicalIndex.load(self.store.gen_dir(manifest.generation) / "bm25", mmap=self.settings.mmap)
            embedder = get_embedder(self.settings.embedder)
            _one_torch_thread()
            if hasattr(embedder, "serving"):  # ONNX: the small tokenizer, query_threads for batches
                from index.onnx_runtime import query_threads

                embedder.serving(query_threads(self.settings.query_threads))
            from index.vectors import VectorFile

            vs = (VectorFile.open(self.store.gen_dir(manifest.generation), chunks)
                  or self.store.dense_index(manifest.collection))
            self._retriever = Retriever(chunks, lexical, vs, embedder)
            self._articles = None
            self.manifest = manifest
            self._stamp = stamp
            return self._retriever

    def warm_up(self) -> None:
        """Load everything now (models, index) so that the first question is fast."""
        r = self._current()
        r.embedder.embed_query("warm up")
        getattr(self.answerer, "warm_up", lambda: None)()  # e.g. spaCy for the extractive answerer

    @property
    def answerer(self):
        if self._answerer is None:
            from rag.answerers import get_answerer

            self._answerer = get_answerer(self.settings.answerer, self)
        return self._answerer

    @property
    def retriever(self) -> Retriever:
        return self._current()

    # ---- articles -------------------------------------------------------------------
    def articles(self) -> dict[str, Article]:
        self._current()
        if self._articles is None:
            self._articles = self.store.read_articles(self.manifest.generation, mmap=self.settings.mmap)
        return self._articles

    def article(self, article_id: str) -> Article:
        try:
            return self.articles()[article_id]
        except KeyError:
            raise DepecheError(f"No article '{article_id}' in the index.") from None

    # ---- asking -----------------------------------------------------------------------
    def options(self, k, since, until, articles) -> tuple[int, Filters]:
        """k in 1..50, real dates (YYYY, YYYY-MM or YYYY-MM-DD; since <= until), known article ids."""
        from depeche import validate

        k = validate.top_k(k if k is not None else self.settings.top_k)
        since, until = validate.period(since, until)
        ids = validate.article_ids(articles, self.articles()) if articles else ()
        return k, Filters(since, until, ids)

    def search(self, question: str, k: int | None = None, since: str | None = None,
               until: str | None = None, articles: Sequence[str] = (), mode: str | None = None) -> list[Hit]:
        q = check_question(question)[:MAX_QUESTION_CHARS]
        k, f = self.options(k, since, until, articles)
        return self._current().search(
            q, k, f,
            mode=mode or self.settings.retriever, bm25_weight=self.settings.bm25_weight)

    def ask(self, question: str, *, k: int | None = None, since: str | None = None,
            until: str | None = None, articles: Sequence[str] = (), history: Sequence[str] = ()) -> Answer:
        t0 = time.perf_counter()
        q = check_question(question)
        from rag.list_question import list_question
        from rag.shapes import strip_opener

        search_q = strip_opener(q[:MAX_QUESTION_CHARS])  # "Je voudrais savoir pourquoi…": its words are no topic
        search_q = list_question(search_q) or search_q  # "victimes de l'accident ?": "Quelles victimes de l'accident ?"
        if history:
            from rag.followup import standalone_question

            search_q = standalone_question(search_q, list(history))
        k, filters = self.options(k, since, until, articles)
        timings: dict[str, float] = {}
        retriever = self._current()
        timings["load"] = (time.perf_counter() - t0) * 1000
        t1 = time.perf_counter()
        from rag.query import search as planned_search  # English gloss for BM25, period named in the question

        from rag.query import EVIDENCE_PASSAGES

        english = is_english(q)

        def retrieve(text: str) -> list[Hit]:
            return planned_search(retriever, text, max(k, EVIDENCE_PASSAGES), filters,
                                  mode=self.settings.retriever, bm25_weight=self.settings.bm25_weight,
                                  english=english)

        pool = retrieve(search_q)
        from rag.spelling import restore_forms

        typed = restore_forms(search_q, [h.chunk.text for h in pool], english=english)
        if typed != search_q:  # "xi jinping … defile": the names' capitals and the accents, as the corpus writes them
            search_q = typed
            pool = retrieve(search_q)
        hits = pool[:k]  # what is shown; the answerer reads a few more passages for its evidence
        timings["retrieve"] = (time.perf_counter() - t1) * 1000
        t2 = time.perf_counter()
        from rag.question import Question

        question_facts = Question.of(q, search_q)
        from rag.followup import without_context
        from rag.shapes import LIST

        shape = self.shape_of(without_context(q) or q, retriever)
        draft = self.shaped(shape, search_q, pool, question_facts.english)  # lists, summaries, why…; None = a fact
        if getattr(self.answerer, "typed_question", False) and shape == LIST and not (draft and draft.stated):
            from rag import tuned
            from rag.shaped.list_drafts import as_list, enumerated, merged
            from rag.shaped.lists import asks_for_names

            fact = self.answerer(question_facts, pool)  # the reader's answer, widened to its enumeration
            names = asks_for_names(q, question_facts.english)
            enum = enumerated(fact, names)
            if fact.abstained and getattr(self.answerer, "reads_enumerations", False):
                # a weaker span will do when it lies in an enumeration, which then gives the list
                weaker = self.answerer(question_facts, pool, enumeration_floor=tuned.LIST_ENUMERATION_FLOOR)
                if (widened := enumerated(weaker, names)) is not None:
                    fact, enum = weaker, widened
            draft = merged(enum, draft) or as_list(fact, names) or (names and as_list(fact)) or fact
            if draft.abstained:  # the trained chooser's enumeration, when one is likely enough
                from rag.shaped.enumeration_answer import answer as enumeration_answer

                draft = enumeration_answer(self, self._shaped.corpus, question_facts, pool, names) or draft
        if draft is not None and shape == LIST:  # "which cities…": no country; "which countries…": only countries
            from rag.answerers import related_from
            from rag.shaped.places import only_countries, without_countries

            draft = only_countries(without_countries(draft, q), q, question_facts.english, related_from(hits))
        if draft is not None and getattr(self.answerer, "typed_question", False):
            from rag.lead import LEADS, lead_with

            # the reader's short answer first, when it finds one; a yes/no the corpus decides starts
            # with its oui/non (the reader's span would push it aside)
            if draft.shape in LEADS and not (draft.shape == "yesno" and draft.short_answer):
                draft = lead_with(self.answerer(question_facts, pool), draft, q)
        if draft is None and getattr(self.answerer, "typed_question", False):
            from rag.shaped.list_drafts import several
            from rag.shaped.lists import asks_for_names

            draft = self.answerer(question_facts, pool)
            # "Qui a marqué les buts ?" answered "Artak Grigorian, Varazdat Haroyan et Georg Ghazarian": a list
            draft = several(draft, asks_for_names(q, question_facts.english), q) or draft
        elif draft is None:
            draft = self.answerer(search_q, pool, english=question_facts.english)
        draft = self.named_or_abstain(search_q, draft, hits)
        if draft.reranked:
            hits = list(draft.reranked[:k])
        timings["answer"] = (time.perf_counter() - t2) * 1000
        timings.update({f"answer_{k_}": v for k_, v in (draft.timings_ms or {}).items()})
        timings["total"] = (time.perf_counter() - t0) * 1000
        return Answer(
            question=question, text=draft.text, citations=draft.citations, abstained=draft.abstained,
            short_answer=draft.short_answer, passages=tuple(hits), related=draft.related,
            search_query=search_q if search_q != q else None, timings_ms=timings,
            # a list question the corpus cannot answer is still a list question
            shape=draft.shape or (shape if draft.abstained else "fact"),
        )

    def shape_of(self, question: str, retriever) -> str:
        """The hand rules' shape (rag/shapes.py); where they read a single fact, the trained shape
        model's, when it is sure (rag/shape_model.py; needs an e5-small index)."""
        from rag import shape_model
        from rag.shapes import classify

        model = shape_model.load() if self.settings.shape_model else None
        if model is None or getattr(retriever.embedder, "name", self.settings.embedder) not in shape_model.EMBEDDERS:
            return classify(question)
        return model.read(question, lambda q: retriever.query_vector(q, keep=False))

    def named_or_abstain(self, question: str, draft, hits):
        """A shaped answer (list, why, summary…) whose cited articles never name what the question
        names ("les Jeux olympiques de Lagos") answers another question: it becomes "not found"."""
        if not draft.shape or draft.shape == "fact" or draft.abstained or not draft.citations:
            return draft
        from rag.answerers import Draft, related_from
        from rag.compose import not_found
        from rag.names import absent_names

        texts = []
        for aid in dict.fromkeys(c.article_id for c in draft.citations):
            try:
                art = self.article(aid)
            except Exception:  # noqa: BLE001 - an article gone from the index names nothing
                continue
            texts.append(f"{art.title}\n{art.text}")
        if not absent_names(question, texts):
            return draft
        from rag.question import is_english

        return Draft(not_found(is_english(question)), (), True, None, related_from(hits), draft.timings_ms,
                     shape=draft.shape)

    def shaped(self, shape: str, search_q: str, pool, english: bool):
        """Lists, summaries, why/how, timelines…: rag/shaped; None = a single fact (the answerer's)."""
        from rag.shapes import FACT

        if shape == FACT:
            return None
        if getattr(self, "_shaped", None) is None:
            from rag.shaped import ShapedAnswerer

            self._shaped = ShapedAnswerer(self)
        return self._shaped(shape, search_q, pool, english=english)
