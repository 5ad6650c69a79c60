"""`depeche index`: bring the index in step with the corpus, cheaply and safely.

- unchanged articles (same content hash) are skipped: no model is even loaded when nothing changed;
- new and changed articles are chunked, embedded and upserted; a changed article's old chunks go;
- articles gone from the corpus are reported, and removed with ``prune``;
- ``rebuild`` builds a fresh collection and switches to it only once it is complete.
The switch is the atomic replacement of manifest.json; Chroma and BM25 always change together.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

from depeche.errors import IndexMismatchError
from depeche.settings import Settings
from depeche.types import Article, Chunk
from index.chunking import chunk_article, embed_text
from index.loaders import Problem, load_corpus
from index.store import Manifest, Store

UPSERT_BATCH = 256


@dataclass
class IndexSummary:
    articles: int = 0
    chunks: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    vanished: list[str] = field(default_factory=list)  # in the index, gone from the corpus, kept
    problems: list[Problem] = field(default_factory=list)
    embedded_chunks: int = 0
    seconds: float = 0.0
    store: str = ""

    @property
    def warnings(self) -> bool:
        return bool(self.problems or self.vanished)

    def line(self) -> str:
        parts = [f"{self.articles} articles, {self.chunks} chunks"]
        parts.append(f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, {self.removed} removed")
        if self.vanished:
            parts.append(f"{len(self.vanished)} no longer in the corpus (kept; --prune removes them)")
        parts.append(f"{len(self.problems)} skipped")
        return "Indexed " + "; ".join(parts) + f" in {self.seconds:.1f} s ({self.store})."


def chroma_metadata(c: Chunk) -> dict:
    return {
        "article_id": c.article_id,
        "title": c.title,
        "date": c.date or "",
        "date_int": int(c.date.replace("-", "")) if c.date else 0,
        "url": c.url or "",
        "path": c.path or "",
        "start": c.start,
        "end": c.end,
    }


def _upsert(collection, chunks: list[Chunk], vectors) -> None:
    # Upsert straight into the collection: llama-index's ChromaVectorStore.add() uses add(), which
    # fails on ids left behind by an interrupted run, and serialises each node into the metadata.
    for lo in range(0, len(chunks), UPSERT_BATCH):
        part = chunks[lo:lo + UPSERT_BATCH]
        collection.upsert(
            ids=[c.id for c in part],
            embeddings=[v.tolist() for v in vectors[lo:lo + UPSERT_BATCH]],
            documents=[c.text for c in part],
            metadatas=[chroma_metadata(c) for c in part],
        )


def build_index(settings: Settings, corpus: Iterable[str] | None = None, *, rebuild: bool = False,
                prune: bool = False, progress: bool = True,
                on_progress: Callable[[int, int], None] | None = None) -> IndexSummary:
    from index.bm25 import LexicalIndex

    t0 = time.perf_counter()
    store = Store(settings.store_path, settings.chroma_url)
    summary = IndexSummary(store=settings.chroma_url or str(store.path))
    articles, problems = load_corpus(list(corpus or settings.corpus))
    summary.problems = problems
    with store.lock():
        old = store.read_manifest()
        if old and not rebuild:
            if old.embedder != settings.embedder:
                raise IndexMismatchError(
                    f"The index in {store.path} was built with embedder '{old.embedder}', not "
                    f"'{settings.embedder}'; run `depeche index --rebuild`."
                )
            if (old.chunk_tokens, old.chunk_overlap) != (settings.chunk_tokens, settings.chunk_overlap):
                raise IndexMismatchError(
                    f"The index was chunked with chunk_tokens={old.chunk_tokens}, chunk_overlap={old.chunk_overlap}; "
                    "run `depeche index --rebuild` to use the new sizes."
                )
        incremental = old is not None and not rebuild
        old_chunks = store.read_chunks(old.generation) if incremental else []
        by_article: dict[str, list[Chunk]] = {}
        for c in old_chunks:
            by_article.setdefault(c.article_id, []).append(c)
        known = old.articles if incremental else {}

        current = {a.id for a in articles}
        to_embed: list[Article] = []
        keep: list[Chunk] = []
        for a in articles:
            entry = known.get(a.id)
            if entry and entry["hash"] == a.content_hash and a.id in by_article:
                summary.unchanged += 1
                keep.extend(by_article[a.id])
            else:
                to_embed.append(a)
                if entry:
                    summary.updated += 1
                else:
                    summary.added += 1
        gone = [aid for aid in known if aid not in current]
        if prune:
            summary.removed = len(gone)
        else:
            summary.vanished = gone
            for aid in gone:
                keep.extend(by_article.get(aid, []))

        if incremental and not to_embed and not (prune and gone):
            summary.articles = len(old.articles)
            summary.chunks = len(old_chunks)
            summary.seconds = time.perf_counter() - t0
            return summary

        new_chunks = [c for a in to_embed for c in chunk_article(a, settings.chunk_tokens, settings.chunk_overlap)]
        from index.embedders import get_embedder

        embedder = get_embedder(settings.embedder) if new_chunks or not incremental else None
        collection_name = old.collection if incremental else store.new_collection_name()
        collection = store.collection(collection_name, create=True)
        if new_chunks:
            vectors = _embed(embedder, new_chunks, progress, on_progress)
            _upsert(collection, new_chunks, vectors)
        summary.embedded_chunks = len(new_chunks)

        # Order the chunk table like the corpus, so BM25 ids are stable and readable.
        order = {aid: i for i, aid in enumerate([a.id for a in articles] + gone)}
        final = sorted(keep + new_chunks, key=lambda c: (order.get(c.article_id, 1 << 30), c.start))
        generation = (old.generation + 1) if old else 1
        lexical = LexicalIndex.build([embed_text(c) for c in final])
        kept_articles = [a for aid, a in (store.read_articles(old.generation).items() if old and gone and not prune else [])
                         if aid in gone]
        store.write_generation(generation, final, lexical, list(articles) + kept_articles)
        entries = {a.id: {"hash": a.content_hash, "path": a.path} for a in articles}
        if not prune:
            for aid in gone:
                entries[aid] = known[aid]
        counts: dict[str, int] = {}
        for c in final:
            counts[c.article_id] = counts.get(c.article_id, 0) + 1
        for aid, e in entries.items():
            e["chunks"] = counts.get(aid, 0)
        manifest = Manifest(
            embedder=settings.embedder,
            dim=int(embedder.dim) if embedder else (old.dim if old else 0),
            collection=collection_name,
            generation=generation,
            chunk_tokens=settings.chunk_tokens,
            chunk_overlap=settings.chunk_overlap,
            articles=entries,
            built_at=time.time(),
        )
        store.write_manifest(manifest)  # <- the switch

        # Clean-up after the switch: stale chunk ids, old collections, old generations.
        live = {c.id for c in final}
        stale = [i for i in collection.get(include=[])["ids"] if i not in live]
        for lo in range(0, len(stale), 1000):
            collection.delete(ids=stale[lo:lo + 1000])
        store.drop_collections(keep={collection_name})
        store.prune_generations(keep={generation, generation - 1})
        summary.articles = len(entries)
        summary.chunks = len(final)
        summary.seconds = time.perf_counter() - t0
        return summary


def _embed(embedder, chunks: list[Chunk], progress: bool, on_progress):
    total = len(chunks)
    bar = None
    if progress and sys.stderr.isatty() or progress == "always":
        from tqdm import tqdm

        bar = tqdm(total=total, unit="chunk", desc="Embedding", file=sys.stderr)
    elif progress:
        print(f"Embedding {total} chunks…", file=sys.stderr, flush=True)
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if bar:
            bar.update(n)
        if on_progress:
            on_progress(done, total)

    try:
        return embedder.embed_passages([embed_text(c) for c in chunks], progress=tick)
    finally:
        if bar:
            bar.close()
