"""`depeche index` in bounded memory: read, chunk, embed and write in batches.

Same lifecycle as index/builder.py (content-hash skip, --prune, --rebuild, resume after a kill, the
atomic manifest switch), same result (chunk ids, vectors, chunk table order, BM25 scores), but the
corpus is never held in memory:

1. pass 1 reads the corpus file by file and writes, per article, its id, hash and path (what the
   manifest holds) to a table and, for new and changed articles, the offsets of their chunks to a
   file (both on disk, read back in pass 2);
2. nothing changed: done, no model loaded (as before);
3. pass 2 reads the corpus again and streams each article to the new generation's article table,
   its chunks to the chunk table and the BM25 writer (index/bm25_stream.py), and the chunks to embed
   to a window that is embedded and written to Chroma block by block (``EMBED_WINDOW`` chunks are
   held at a time; blocks of ``builder.EMBED_BLOCK``, sorted by length inside the window).

Memory: one corpus file, one window, the vocabulary, the loader's set of the article ids seen
(index/idset.py: 16-byte slots, at most half full) and a byte an article (changed or not);
everything else is on disk, the tables' key hashes included (index/mmap_table.py). The embedding
step is pluggable: in this process, or on Ray (index/ray_embed.py).
"""
from __future__ import annotations

import gc
import os
import shutil
import time
from array import array
from typing import Callable, Iterable

import index.builder as builder
from depeche.errors import DepecheError
from depeche.settings import Settings
from depeche.types import Article, Chunk
from index.chunking import chunk_spans, embed_text
from index.loaders import Problem, iter_corpus
from index.entries import ENTRIES_DIR, ENTRY_COLUMNS, entry_row
from index.mmap_table import Table, TableWriter
from index.store import Manifest, Store
from index.tables import ARTICLE_COLUMNS, ARTICLES_DIR, CHUNKS_DIR, ChunkTable, ChunkTableWriter, article_row
from index.vectors import write_vectors

EMBED_WINDOW = 2048  # chunks held before they are embedded and written (in process)


def new_chunks(a: Article, spans: Iterable[tuple[int, int]]) -> list[Chunk]:
    """What index.chunking.chunk_article makes, from offsets computed before."""
    key = a.content_hash[:10]
    return [Chunk(id=f"{a.id}::{key}::{n}", article_id=a.id, title=a.title, date=a.date, url=a.url, path=a.path,
                  start=s, end=e, text=a.text[s:e]) for n, (s, e) in enumerate(spans)]


class InProcessEmbedding:
    """Embed windows of chunks with the configured embedder (loaded at the first chunk to embed)."""

    def __init__(self, settings: Settings) -> None:
        self.settings, self.embedder = settings, None

    def __call__(self, collection, chunks: list[Chunk], bar) -> None:
        if self.embedder is None:
            from index.embedders import get_embedder

            self.embedder = get_embedder(self.settings.embedder)
        chunks = sorted(chunks, key=lambda c: len(embed_text(c)))
        block = builder.EMBED_BLOCK
        for lo in range(0, len(chunks), block):
            part = chunks[lo:lo + block]
            builder._upsert(collection, part, self.embedder.embed_passages([embed_text(c) for c in part]))
            bar.tick(len(part))

    @property
    def runtime(self) -> str:
        return getattr(self.embedder, "runtime", "") if self.embedder else ""

    def close(self) -> None:
        pass


class Spool:
    """int64 values appended to a file (a block in memory), read back mapped: what pass 1 learns per
    chunk stays off the heap, whatever the corpus size."""

    BLOCK = 1 << 20

    def __init__(self, path) -> None:
        self.path, self._buf, self._out, self._map = path, array("q"), open(path, "wb"), None

    def add(self, s: int, e: int) -> None:
        self._buf.extend((s, e))
        if len(self._buf) >= self.BLOCK:
            self._buf.tofile(self._out)
            self._buf = array("q")

    def finish(self) -> None:
        self._buf.tofile(self._out)
        self._buf = array("q")
        self._out.close()
        import numpy as np

        size = self.path.stat().st_size // 8
        self._map = np.memmap(self.path, dtype="<i8", mode="r", shape=(size,)) if size else np.zeros(0, "<i8")

    def pairs(self, at: int, n: int) -> list[tuple[int, int]]:
        """The ``n`` (start, end) pairs from value ``at`` on."""
        v = self._map[at:at + 2 * n].tolist()
        return list(zip(v[0::2], v[1::2]))

    def remove(self) -> None:
        if not self._out.closed:
            self._out.close()
        self._map = None
        self.path.unlink(missing_ok=True)


def build_index_streaming(settings: Settings, corpus: Iterable[str] | None = None, *, rebuild: bool = False,
                          prune: bool = False, progress: bool | str = True,
                          on_progress: Callable[[int, int], None] | None = None,
                          embedding=None, window: int | None = None) -> builder.IndexSummary:
    """Like builder.build_index_in_memory, in bounded memory. ``embedding``: how windows of chunks are
    embedded and written (default: in this process); ``window``: chunks per window."""
    t0 = time.perf_counter()
    paths = list(corpus or settings.corpus)
    store = Store(settings.store_path, settings.chroma_url)
    summary = builder.IndexSummary(store=settings.chroma_url or str(store.path))
    with store.lock():
        old = store.read_manifest()
        if old and not rebuild:
            builder._check_compatible(old, settings, store)
        incremental = old is not None and not rebuild
        known = old.articles if incremental else {}

        # ---- pass 1: hashes, and chunk offsets of what must be embedded -------------------------
        # The per-article entries go to a table on disk (index/entries.py), in corpus order, and the
        # chunk offsets of what must be embedded to a spool file; what stays in memory is ~5 bytes
        # an article.
        problems: list[Problem] = []
        work = store.path / ".entries-pass1.tmp"  # under the build lock: one at a time
        shutil.rmtree(work, ignore_errors=True)
        fresh = bytearray()  # per article in corpus order: 1 = new or changed (its chunk count: the table's)
        spans = Spool(store.path / ".spans-pass1.tmp")  # chunk offsets, on disk: 16 bytes a chunk
        links = settings.follow_links_outside
        absolute: dict[str, str] = {}  # one string per corpus file, shared by its articles' entries
        try:
            with TableWriter(work, ENTRY_COLUMNS, "id") as ew:
                for a in iter_corpus(paths, problems, links):
                    entry = known.get(a.id)
                    h = a.content_hash
                    # Absolute paths: eval reloads articles from them, from whatever folder it is run in.
                    path = a.path and absolute.setdefault(a.path, os.path.abspath(a.path))
                    if entry and entry.get("hash") == h and entry.get("chunks", 1) > 0:
                        summary.unchanged += 1
                        fresh.append(0)
                        ew.append((a.id, h, path, int(entry.get("chunks", 0))))
                        continue
                    fresh.append(1)
                    if entry:
                        summary.updated += 1
                    else:
                        summary.added += 1
                    cut = chunk_spans(a.text, settings.chunk_tokens, settings.chunk_overlap)
                    ew.append((a.id, h, path, len(cut)))
                    for s, e in cut:
                        spans.add(s, e)
            absolute.clear()
            spans.finish()
            current = Table(work)
            summary.problems = problems
            if not len(current):
                raise builder.no_article_error(paths, problems)
            gone = [aid for aid in known if current.find(aid) is None]
            if prune:
                summary.removed = len(gone)
            else:
                summary.vanished = gone
            if rebuild and old:
                summary.removed = sum(1 for aid in old.articles if current.find(aid) is None)
            if incremental and not any(fresh) and not (prune and gone):
                shutil.rmtree(work, ignore_errors=True)
                return builder.unchanged(summary, old, t0)
            return _pass2(settings, store, summary, paths, old, known, incremental, prune, progress, on_progress,
                          embedding, window, fresh, spans, current, gone, t0)
        finally:
            spans.remove()
            shutil.rmtree(work, ignore_errors=True)


def _pass2(settings, store, summary, paths, old, known, incremental, prune, progress, on_progress,
           embedding, window, fresh, spans, current, gone, t0):
    """Tables, BM25 and embedding, reading the corpus a second time; then the switch."""
    links = settings.follow_links_outside
    collection_name, collection = builder.target_collection(store, settings, old, incremental)
    generation = (old.generation + 1) if old else 1
    old_chunks = store.read_chunks(old.generation) if incremental else None
    old_rows = _rows_by_article(old_chunks)

    # ---- pass 2: tables, BM25, embedding ----------------------------------------------------
    from index.bm25_stream import BM25Writer
    from index.french import tokenize

    if embedding is None:
        embedding = InProcessEmbedding(settings)
    window = window or getattr(embedding, "window", EMBED_WINDOW)
    tmp = store.staging_dir(generation)
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    counts = current.ints("chunks")  # per article, mapped: for a new or changed one, its spans in the spool
    bar = builder._Progress(_fresh_chunks(fresh, counts), progress, on_progress)
    try:
        chunk_w = ChunkTableWriter(tmp / CHUNKS_DIR)
        entry_w = TableWriter(tmp / ENTRIES_DIR, ENTRY_COLUMNS, "id")
        art_w = TableWriter(tmp / ARTICLES_DIR, ARTICLE_COLUMNS, "id")
        lexical = BM25Writer(tmp / "bm25-work")
        pending: list[Chunk] = []
        live: set[str] | None = set() if old_chunks is not None else None

        def put(c: Chunk) -> None:
            chunk_w.append(c)
            lexical.add(tokenize(embed_text(c)))

        def flush() -> None:
            if not pending:
                return
            written = store.existing_documents(collection, [c.id for c in pending])
            todo = [c for c in pending if written.get(c.id) != c.text]
            reused = len(pending) - len(todo)
            summary.reused_chunks += reused
            bar.shrink(reused)
            if todo:
                embedding(collection, todo, bar)
            summary.embedded_chunks += len(todo)
            pending.clear()
            # The Chroma HTTP client leaves each request's body (~1 MB) in reference cycles that only a
            # full collection frees; left to the collector's own pace they pile up with the corpus
            # (~130 bytes a chunk, measured). One full collection a window keeps the build flat.
            gc.collect()

        sp = 0
        i = -1
        for i, a in enumerate(iter_corpus(paths, None, links)):
            if i >= len(fresh) or current.text("id", i) != a.id or current.text("hash", i) != a.content_hash:
                raise DepecheError("The corpus changed while it was being indexed; run `depeche index` again.")
            art_w.append(article_row(a))
            entry_w.append(current.row(i))
            if fresh[i]:
                n = int(counts[i])
                for c in new_chunks(a, spans.pairs(sp, n)):
                    put(c)
                    pending.append(c)
                sp += 2 * n
                if len(pending) >= window:
                    flush()
            else:
                for c in _old_chunks(old_chunks, old_rows, a.id):
                    put(c)
        if i + 1 != len(fresh):
            raise DepecheError("The corpus changed while it was being indexed; run `depeche index` again.")
        flush()
        if gone and not prune:
            previous = store.read_articles(old.generation)
            for aid in gone:
                if aid in previous:
                    art_w.append(article_row(previous[aid]))
                n = 0
                for c in _old_chunks(old_chunks, old_rows, aid):
                    put(c)
                    n += 1
                entry_w.append(entry_row(aid, {**known[aid], "chunks": n}))
        chunk_w.close()
        entry_w.close()
        art_w.close()
        lexical.close(tmp / "bm25")
        write_vectors(tmp, ChunkTable(tmp / CHUNKS_DIR), collection)  # queries then skip Chroma
        store.write_generation(generation, None, None, None, staged=tmp)
    finally:
        bar.close()
        embedding.close()
        shutil.rmtree(tmp, ignore_errors=True)

    table = store.read_chunks(generation)
    return builder.switch_and_clean(store, settings, summary, old=old, entries=None, counts=None,
                                    collection=collection, collection_name=collection_name,
                                    generation=generation, dim=_dim(embedding, settings, old, collection),
                                    runtime=embedding.runtime, listed=table.contains_many, t0=t0)


def _fresh_chunks(fresh: bytearray, counts) -> int:
    """How many chunks the new and changed articles have (to embed at most), block by block."""
    import numpy as np

    flags = np.frombuffer(fresh, dtype=np.uint8)
    step = 1 << 20
    return sum(int(np.asarray(counts[lo:lo + step])[flags[lo:lo + step] == 1].sum()) for lo in range(0, len(flags), step))


def _rows_by_article(old_chunks):
    """For a legacy (JSON lines) chunk table: article id -> its chunks. A mapped table needs nothing."""
    if old_chunks is None or hasattr(old_chunks, "article_rows"):
        return None
    out: dict[str, list[Chunk]] = {}
    for c in old_chunks:
        out.setdefault(c.article_id, []).append(c)
    for v in out.values():
        v.sort(key=lambda c: c.start)
    return out


def _old_chunks(old_chunks, old_rows, article_id: str) -> Iterable[Chunk]:
    if old_chunks is None:
        return ()
    if old_rows is not None:
        return old_rows.get(article_id, ())
    return sorted(old_chunks.chunks_of([article_id]), key=lambda c: c.start)


def _dim(embedding, settings: Settings, old: Manifest | None, collection) -> int:
    embedder = getattr(embedding, "embedder", None)
    if embedder is not None:
        return int(embedder.dim)
    dim = getattr(embedding, "dim", 0)
    if dim:
        return int(dim)
    return builder._dim(None, old, collection)
