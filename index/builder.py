"""`depeche index`: bring the index in step with the corpus, cheaply and safely.

- unchanged articles (same content hash) are skipped: no model is even loaded when nothing changed;
- new and changed articles are chunked, embedded and upserted; a changed article's old chunks go;
- articles gone from the corpus are reported, and removed with ``prune``;
- ``rebuild`` builds a fresh collection and switches to it only once it is complete.
The switch is the atomic replacement of manifest.json; Chroma and BM25 always change together
(a reader only sees chunks listed in the live generation's chunk table).

Vectors are written block by block as they are computed, so an interrupted run (Ctrl-C, SIGKILL,
power cut) loses at most one block: the next run finds the rows already written (same chunk id,
same text) and does not embed them again. An interrupted ``--rebuild`` resumes into the collection
it left, if the embedder and chunking are the same.
"""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

from depeche.errors import DepecheError, IndexMismatchError
from depeche.settings import Settings
from depeche.types import Article, Chunk
from depeche.validate import printable
from index.chunking import chunk_article, embed_text
from index.loaders import Problem, load_corpus
from index.store import Manifest, Store
from index.entries import ENTRIES_DIR, EntryTable, chunks_total, write_entries

UPSERT_BATCH = 256
EMBED_BLOCK = 128  # chunks embedded then written together: the most an interruption can lose


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
    embedded_chunks: int = 0  # chunks whose vectors were computed by this run
    reused_chunks: int = 0  # chunks of new/changed articles found already written by an interrupted run
    seconds: float = 0.0
    store: str = ""
    generation: int = 0
    collection: str = ""

    @property
    def warnings(self) -> bool:
        return bool(self.problems or self.vanished)

    def line(self) -> str:
        parts = [f"{self.articles} articles, {self.chunks} chunks"]
        parts.append(f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, {self.removed} removed")
        if self.vanished:
            parts.append(f"{len(self.vanished)} no longer in the corpus (kept; --prune removes them)")
        if self.reused_chunks:
            parts.append(f"{self.reused_chunks} chunks reused from an interrupted run")
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


def collection_tags(settings: Settings) -> dict:
    """Stored on each collection: an interrupted build is resumed only with the same model and chunking."""
    return {"depeche_embedder": settings.embedder,
            "depeche_chunking": f"{settings.chunk_tokens}/{settings.chunk_overlap}"}


def _check_compatible(old: Manifest, settings: Settings, store: Store) -> None:
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


# ---- the steps both builders share (this one and index/streaming.py) -----------------------------
def no_article_error(paths: list, problems: list[Problem]) -> DepecheError:
    first = f": {printable(str(problems[0]), keep_newlines=False)}" if problems else ""
    return DepecheError(f"No readable article in {', '.join(map(str, paths))} ({len(problems)} file(s) or "
                        f"record(s) skipped{first}); check --corpus and the file formats (see README).")


def unchanged(summary: IndexSummary, old: Manifest, t0: float) -> IndexSummary:
    """Nothing new, changed or pruned: the summary of the index as it is (no model was loaded)."""
    summary.articles = len(old.articles)
    summary.chunks = chunks_total(old.articles)
    summary.generation, summary.collection = old.generation, old.collection
    summary.seconds = time.perf_counter() - t0
    return summary


def target_collection(store: Store, settings: Settings, old: Manifest | None, incremental: bool):
    """Where the vectors go: the live collection (incremental), else a fresh one -- or the one an
    interrupted --rebuild with the same model and chunking left behind, to resume it."""
    tags = collection_tags(settings)
    if incremental:
        name = old.collection
    else:
        in_use = {old.collection, old.previous_collection} if old else set()
        name = store.resumable_collection(in_use, tags) or store.new_collection_name()
    return name, store.collection(name, create=True, metadata=tags)


def switch_and_clean(store: Store, settings: Settings, summary: IndexSummary, *, old: Manifest | None,
                     entries: dict[str, dict] | None, counts: dict[str, int] | None, collection, collection_name: str,
                     generation: int, dim: int, runtime: str, listed: Callable[[list[str]], list[bool]],
                     t0: float) -> IndexSummary:
    """Write the manifest of ``generation`` (the atomic switch), then clean up. Rows of the collection
    that the live chunk table does not list (``listed``: old chunks of changed or pruned articles,
    left-overs of interrupted runs) go; the previous generation and its collection stay until the
    next build, for questions in flight. ``entries`` and ``counts``: the per-article entries and
    chunk counts, written here to the generation's entries table; None when the caller streamed that
    table to ``gen-N/entries`` already (index/streaming.py)."""
    rel = f"{store.gen_dir(generation).name}/{ENTRIES_DIR}"
    if entries is not None:
        for aid, e in entries.items():
            e["chunks"] = counts.get(aid, 0)
        write_entries(store.path / rel, entries)
    table = EntryTable(store.path / rel)
    store.write_manifest(Manifest(
        embedder=settings.embedder,
        dim=dim,
        collection=collection_name,
        generation=generation,
        chunk_tokens=settings.chunk_tokens,
        chunk_overlap=settings.chunk_overlap,
        entries=rel,
        built_at=time.time(),
        runtime=runtime or (old.runtime if old else ""),
        previous_collection=old.collection if old and old.collection != collection_name else "",
    ))  # <- the switch
    stale = [i for ids in store.iter_id_pages(collection) for i, ok in zip(ids, listed(ids)) if not ok]
    for lo in range(0, len(stale), 1000):
        collection.delete(ids=stale[lo:lo + 1000])
    store.drop_collections(keep={collection_name} | ({old.collection} if old else set()))
    store.prune_generations(keep={generation, generation - 1})
    summary.articles = len(table)
    summary.chunks = table.chunks_total()
    summary.generation, summary.collection = generation, collection_name
    summary.seconds = time.perf_counter() - t0
    return summary


def build_index(settings: Settings, corpus: Iterable[str] | None = None, *, rebuild: bool = False,
                prune: bool = False, progress: bool | str = True,
                on_progress: Callable[[int, int], None] | None = None) -> IndexSummary:
    """Bring the index at ``settings.store`` in step with ``corpus`` (default: settings.corpus).

    ``progress``: True = a bar on a terminal, else a line per block on stderr; "always" = the bar;
    False = silent. ``on_progress(done, total)`` is called after each block of vectors is written.
    The build streams in bounded memory (index/streaming.py); with ``settings.ray`` the chunks to
    embed go to Ray Data (index/ray_embed.py).
    """
    from index.streaming import build_index_streaming

    embedding = None
    if settings.ray:
        from index.ray_embed import RayEmbedding

        embedding = RayEmbedding(settings)
    return build_index_streaming(settings, corpus, rebuild=rebuild, prune=prune, progress=progress,
                                 on_progress=on_progress, embedding=embedding)


def build_index_in_memory(settings: Settings, corpus: Iterable[str] | None = None, *, rebuild: bool = False,
                          prune: bool = False, progress: bool | str = True,
                          on_progress: Callable[[int, int], None] | None = None) -> IndexSummary:
    """The builder before streaming (corpus, chunk table and BM25 tokens all in memory): kept as the
    reference that index/streaming.py must equal, and as the baseline of `make bench-scale`."""
    from index.bm25 import LexicalIndex

    t0 = time.perf_counter()
    paths = list(corpus or settings.corpus)
    store = Store(settings.store_path, settings.chroma_url)
    summary = IndexSummary(store=settings.chroma_url or str(store.path))
    articles, problems = load_corpus(paths, follow_links_outside=settings.follow_links_outside)
    summary.problems = problems
    if not articles:
        raise no_article_error(paths, problems)
    with store.lock():
        old = store.read_manifest()
        if old and not rebuild:
            _check_compatible(old, settings, store)
        incremental = old is not None and not rebuild
        known = old.articles if incremental else {}

        current = {a.id for a in articles}
        to_embed: list[Article] = []
        kept_ids: set[str] = set()
        for a in articles:
            entry = known.get(a.id)
            if entry and entry.get("hash") == a.content_hash and entry.get("chunks", 1) > 0:
                summary.unchanged += 1
                kept_ids.add(a.id)
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
            kept_ids.update(gone)
        if rebuild and old:  # a rebuild holds the corpus only: say what it leaves out
            summary.removed = sum(1 for aid in old.articles if aid not in current)

        if incremental and not to_embed and not (prune and gone):
            return unchanged(summary, old, t0)

        old_chunks = store.read_chunks(old.generation) if incremental else []
        keep = [c for c in old_chunks if c.article_id in kept_ids]
        new_chunks = [c for a in to_embed for c in chunk_article(a, settings.chunk_tokens, settings.chunk_overlap)]

        collection_name, collection = target_collection(store, settings, old, incremental)

        written = store.existing_documents(collection, [c.id for c in new_chunks]) if new_chunks else {}
        todo = [c for c in new_chunks if written.get(c.id) != c.text]
        summary.reused_chunks = len(new_chunks) - len(todo)
        embedder = None
        if todo:
            from index.embedders import get_embedder

            embedder = get_embedder(settings.embedder)
            _embed_and_write(embedder, collection, todo, progress, on_progress)
        summary.embedded_chunks = len(todo)

        # Order the chunk table like the corpus, so BM25 ids are stable and readable.
        order = {aid: i for i, aid in enumerate([a.id for a in articles] + gone)}
        final = sorted(keep + new_chunks, key=lambda c: (order.get(c.article_id, 1 << 30), c.start))
        generation = (old.generation + 1) if old else 1
        lexical = LexicalIndex.build([embed_text(c) for c in final])
        kept_articles = []
        if old and gone and not prune:
            previous = store.read_articles(old.generation)
            kept_articles = [previous[aid] for aid in gone if aid in previous]
        store.write_generation(generation, final, lexical, list(articles) + kept_articles)
        # Absolute paths: eval reloads articles from them, from whatever folder it is run in.
        entries = {a.id: {"hash": a.content_hash, "path": os.path.abspath(a.path) if a.path else a.path}
                   for a in articles}
        if not prune:
            for aid in gone:
                entries[aid] = dict(known[aid])
        counts: dict[str, int] = {}
        for c in final:
            counts[c.article_id] = counts.get(c.article_id, 0) + 1
        live = {c.id for c in final}
        return switch_and_clean(store, settings, summary, old=old, entries=entries, counts=counts,
                                collection=collection, collection_name=collection_name, generation=generation,
                                dim=_dim(embedder, old, collection),
                                runtime=getattr(embedder, "runtime", "") if embedder else "",
                                listed=lambda ids: [i in live for i in ids], t0=t0)


def _dim(embedder, old: Manifest | None, collection) -> int:
    if embedder is not None:
        return int(embedder.dim)
    if old is not None and old.dim:
        return old.dim
    got = collection.get(limit=1, include=["embeddings"])  # a fully resumed rebuild loaded no model
    embs = got.get("embeddings")
    return len(embs[0]) if embs is not None and len(embs) else 0


class _Progress:
    """A bar on a terminal; otherwise one flushed line per block (for logs, CI and the kill test)."""

    def __init__(self, total: int, mode: bool | str, on_progress) -> None:
        self.total, self.done, self.on_progress = total, 0, on_progress
        self.t0 = time.perf_counter()
        self.bar = None
        self.lines = False
        if mode == "always" or (mode and sys.stderr.isatty()):
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="chunk", desc="Embedding", file=sys.stderr)
        elif mode:
            self.lines = True
            print(f"Embedding {total} chunks…", file=sys.stderr, flush=True)

    def tick(self, n: int) -> None:
        self.done += n
        if self.bar:
            self.bar.update(n)
        elif self.lines:
            dt = time.perf_counter() - self.t0
            print(f"Embedded {self.done}/{self.total} chunks ({self.done / max(dt, 1e-9):.1f}/s), written.",
                  file=sys.stderr, flush=True)
        if self.on_progress:
            self.on_progress(self.done, self.total)

    def shrink(self, n: int) -> None:
        """``n`` chunks counted in the total need no embedding after all (written by an interrupted run)."""
        if n:
            self.total -= n
            if self.bar:
                self.bar.total = self.total
                self.bar.refresh()

    def close(self) -> None:
        if self.bar:
            self.bar.close()


def _embed_and_write(embedder, collection, chunks: list[Chunk], progress, on_progress) -> None:
    # Length-sorted blocks waste no padding inside a batch; each block is written as soon as it is
    # embedded, so progress survives an interruption.
    chunks = sorted(chunks, key=lambda c: len(embed_text(c)))
    bar = _Progress(len(chunks), progress, on_progress)
    try:
        for lo in range(0, len(chunks), EMBED_BLOCK):
            block = chunks[lo:lo + EMBED_BLOCK]
            vectors = embedder.embed_passages([embed_text(c) for c in block])
            _upsert(collection, block, vectors)
            bar.tick(len(block))
    finally:
        bar.close()
