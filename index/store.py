"""Where the index lives: a Chroma store (embedded, or a server) plus local files.

Layout under the store directory::

    manifest.json      which collection and generation are live, which embedder built them,
                       and the content hash of every indexed article (switched atomically)
    chroma/            the embedded Chroma store (unused with --chroma-url)
    gen-<N>/           the chunk table (chunks/), the article table (articles/) and the French BM25
                       index (bm25/) of generation N, all read by memory mapping (index/tables.py)
    store_id           a random key prefixing this store's Chroma collections (a server may be shared)
    .lock              held while `depeche index` runs

A reader only ever follows manifest.json, which is replaced in one os.replace(): an interrupted
build leaves the previous generation serving. The generation before the live one, and its Chroma
collection, are kept until the next build, so that a question in flight when the switch happens
still finishes on the index it started with.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Iterator
from urllib.parse import urlparse

from depeche.errors import DepecheError, NoIndexError
from depeche.types import Article, Chunk

MANIFEST_VERSION = 1
COLLECTION_PREFIX = "depeche_"


@dataclass
class Manifest:
    embedder: str
    dim: int
    collection: str
    generation: int
    chunk_tokens: int
    chunk_overlap: int
    articles: dict[str, dict] = field(default_factory=dict)  # id -> {"hash", "chunks", "path"}
    built_at: float = 0.0
    version: int = MANIFEST_VERSION
    runtime: str = ""  # how the embedder ran (torch-bf16, torch-fp32…): informative only
    previous_collection: str = ""  # the collection of the generation before (kept for readers in flight)
    entries: str = ""  # folder (relative to the store) of the per-article entries table; "" = inline `articles`

    @classmethod
    def from_json(cls, d: dict) -> "Manifest":
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})


class Store:
    def __init__(self, path: str | os.PathLike, chroma_url: str = "") -> None:
        self.path = Path(path).expanduser()
        self.chroma_url = chroma_url
        self._client = None
        self._writing = False  # True while this process holds the build lock: never open a copy then

    # ---- manifest ---------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        return self.path / "manifest.json"

    def read_manifest(self) -> Manifest | None:
        try:
            m = Manifest.from_json(json.loads(self.manifest_path.read_text("utf-8")))
            if m.entries:
                from index.entries import EntryTable

                m.articles = EntryTable(self.path / m.entries)
            return m
        except FileNotFoundError:
            return None
        except (ValueError, TypeError, KeyError, OSError) as exc:
            raise DepecheError(
                f"The index manifest {self.manifest_path} is damaged ({exc}); run `depeche index --rebuild`."
            ) from None

    def require_manifest(self) -> Manifest:
        m = self.read_manifest()
        if m is None:
            raise NoIndexError(
                f"No index in {self.path}; build one with `depeche index` (or point --store/DEPECHE_STORE at it)."
            )
        return m

    def manifest_stamp(self) -> tuple[int, int] | None:
        try:
            st = self.manifest_path.stat()
            return (st.st_mtime_ns, st.st_ino)
        except FileNotFoundError:
            return None

    def write_manifest(self, m: Manifest) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        tmp = self.manifest_path.with_suffix(".json.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            # fields one level deep, not asdict(): that deep-copies every article's entry first
            json.dump({f.name: ({} if f.name == "articles" and m.entries else getattr(m, f.name))
                       for f in fields(m)}, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.manifest_path)

    # ---- generations (chunk table + BM25) --------------------------------
    def gen_dir(self, generation: int) -> Path:
        return self.path / f"gen-{generation}"

    def staging_dir(self, generation: int) -> Path:
        return self.path / f".gen-{generation}.tmp"

    def write_generation(self, generation: int, chunks: list[Chunk] | None, lexical, articles,
                         staged: Path | None = None) -> None:
        """Put generation N's files in place. ``staged``: written already (by the streaming build) in
        ``staging_dir(N)``; else written here from ``chunks``, ``lexical`` and ``articles``."""
        from index.mmap_table import write_table
        from index.tables import ARTICLE_COLUMNS, ARTICLES_DIR, CHUNKS_DIR, article_row, write_chunks

        final = self.gen_dir(generation)
        if staged is not None:
            shutil.rmtree(final, ignore_errors=True)
            os.replace(staged, final)
            return
        tmp = self.staging_dir(generation)
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        write_chunks(tmp / CHUNKS_DIR, chunks)
        write_table(tmp / ARTICLES_DIR, ARTICLE_COLUMNS, "id", (article_row(a) for a in articles))
        lexical.save(tmp / "bm25")
        shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)

    def read_chunks(self, generation: int, mmap: bool = True):
        """The chunk table (index/tables.py: a sequence of Chunk read from disk by memory mapping);
        a list for a generation written before the tables (chunks.jsonl)."""
        from index.tables import CHUNKS_DIR, ChunkTable

        folder = self.gen_dir(generation) / CHUNKS_DIR
        if (folder / "meta.json").exists():
            return ChunkTable(folder, mmap=mmap)
        path = self.gen_dir(generation) / "chunks.jsonl"
        try:
            with open(path, encoding="utf-8") as fh:
                return [Chunk.from_dict(json.loads(line)) for line in fh if line.strip()]
        except FileNotFoundError:
            raise DepecheError(f"The index in {self.path} is incomplete ({folder} is missing); "
                               "run `depeche index --rebuild`.") from None

    def read_articles(self, generation: int, mmap: bool = True):
        """article id -> Article (index/tables.py ArticleTable, or a dict for an older generation)."""
        from index.tables import ARTICLES_DIR, ArticleTable

        folder = self.gen_dir(generation) / ARTICLES_DIR
        if (folder / "meta.json").exists():
            return ArticleTable(folder, mmap=mmap)
        path = self.gen_dir(generation) / "articles.jsonl"
        try:
            with open(path, encoding="utf-8") as fh:
                return {a.id: a for a in (Article(**json.loads(line)) for line in fh if line.strip())}
        except FileNotFoundError:
            return {}

    def prune_generations(self, keep: set[int]) -> None:
        for p in self.path.glob("gen-*"):
            try:
                n = int(p.name.split("-", 1)[1])
            except ValueError:
                continue
            if n not in keep:
                shutil.rmtree(p, ignore_errors=True)
        for p in self.path.glob(".gen-*.tmp"):
            shutil.rmtree(p, ignore_errors=True)

    # ---- lock -------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self, wait_s: float = 0.0) -> Iterator[None]:
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / ".lock", "w") as fh:
            deadline = time.monotonic() + wait_s
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise DepecheError(
                            f"Another `depeche index` is running on {self.path}; wait for it to finish."
                        ) from None
                    time.sleep(0.2)
            self._writing = True
            try:
                yield
            finally:
                self._writing = False
                fcntl.flock(fh, fcntl.LOCK_UN)

    # ---- Chroma -----------------------------------------------------------
    def client(self):
        if self._client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            cs = ChromaSettings(anonymized_telemetry=False)
            if self.chroma_url:
                u = urlparse(self.chroma_url)
                if u.scheme not in ("http", "https") or not u.hostname:
                    raise DepecheError(f"--chroma-url {self.chroma_url!r} is not http://HOST:PORT; fix it.")
                try:
                    self._client = chromadb.HttpClient(host=u.hostname, port=u.port or 8000,
                                                       ssl=u.scheme == "https", settings=cs)
                    self._client.heartbeat()
                except Exception as exc:  # noqa: BLE001 - any connection failure
                    raise DepecheError(f"Cannot reach the Chroma server at {self.chroma_url} ({type(exc).__name__}); "
                                       "start it (chroma run --path DIR --port PORT) or fix --chroma-url.") from None
            else:
                self._client = self._embedded_client(chromadb, cs)
        return self._client

    def _embedded_client(self, chromadb, cs):
        """The embedded Chroma store. A reader of a store it cannot write (read-only, disk full) opens a
        temporary copy instead, since Chroma writes when it opens; a build never does."""
        from index import storage

        folder = self.path / "chroma"
        if not self._writing and folder.is_dir() and not storage.writable(folder):
            return chromadb.PersistentClient(path=str(storage.readable_copy(folder)), settings=cs)
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            return chromadb.PersistentClient(path=str(folder), settings=cs)
        except Exception as exc:  # noqa: BLE001 - chromadb's InternalError, OSError…
            if self._writing or not folder.is_dir() or storage.kind(exc) is None:
                raise
            return chromadb.PersistentClient(path=str(storage.readable_copy(folder)), settings=cs)

    def reset_client(self) -> None:
        """Forget the cached client so that the next use sees what another process wrote."""
        if self._client is not None and not self.chroma_url:
            from chromadb.api.shared_system_client import SharedSystemClient

            SharedSystemClient.clear_system_cache()
        self._client = None

    def collection(self, name: str, create: bool = False, metadata: dict | None = None):
        client = self.client()
        if create:
            return client.get_or_create_collection(name, metadata={"hnsw:space": "cosine", **(metadata or {})})
        try:
            return client.get_collection(name)
        except Exception:  # noqa: BLE001 - chromadb raises different types across versions
            raise DepecheError(f"The index collection '{name}' is missing from Chroma; "
                               "run `depeche index --rebuild`.") from None

    def vector_store(self, name: str, create: bool = False):
        """The collection as a llama-index vector store (for llama-index pipelines)."""
        from llama_index.vector_stores.chroma import ChromaVectorStore

        return ChromaVectorStore(chroma_collection=self.collection(name, create=create))

    def dense_index(self, name: str) -> "DenseIndex":
        """The collection for nearest-neighbour queries, without importing llama-index (~1.5 s cold)."""
        return DenseIndex(self.collection(name))

    @property
    def key(self) -> str:
        """A random id of this store, so that stores sharing one Chroma server never collide."""
        p = self.path / "store_id"
        try:
            return p.read_text().strip()
        except FileNotFoundError:
            import uuid

            self.path.mkdir(parents=True, exist_ok=True)
            p.write_text(uuid.uuid4().hex[:10])
            return p.read_text().strip()

    def new_collection_name(self) -> str:
        # A random tail: two builds in the same second of one process must not share a collection.
        import uuid

        return f"{COLLECTION_PREFIX}{self.key}_{time.strftime('%Y%m%d%H%M%S')}_{uuid.uuid4().hex[:8]}"

    def own_collections(self) -> list:
        """This store's collections (live, previous, and left-overs of interrupted builds)."""
        prefix = f"{COLLECTION_PREFIX}{self.key}_"
        out = []
        for col in self.client().list_collections():
            name = col if isinstance(col, str) else col.name
            if name.startswith(prefix):
                out.append(col if not isinstance(col, str) else self.client().get_collection(col))
        return out

    def resumable_collection(self, exclude: set[str], metadata: dict) -> str | None:
        """A collection left by an interrupted build with the same embedder and chunking, if any."""
        best = None
        for col in self.own_collections():
            meta = col.metadata or {}
            if col.name in exclude or any(meta.get(k) != v for k, v in metadata.items()):
                continue
            if best is None or col.name > best:  # names sort by creation time
                best = col.name
        return best

    @staticmethod
    def existing_documents(collection, ids: list[str], batch: int = 1000) -> dict[str, str]:
        """id -> stored document, for those of ``ids`` already in ``collection``."""
        out: dict[str, str] = {}
        for lo in range(0, len(ids), batch):
            got = collection.get(ids=ids[lo:lo + batch], include=["documents"])
            out.update(zip(got["ids"], got["documents"] or []))
        return out

    @staticmethod
    def iter_id_pages(collection, page: int = 5000):
        """The collection's ids, a page at a time (a build's clean-up holds one page, not every id:
        ~300 bytes an article at scale). Nothing may be deleted while the pages are read."""
        seen = 0
        while True:
            got = collection.get(include=[], limit=page, offset=seen)["ids"]
            if got:
                yield got
            seen += len(got)
            if len(got) < page:
                return

    @staticmethod
    def all_ids(collection, page: int = 5000) -> list[str]:
        return [i for ids in Store.iter_id_pages(collection, page) for i in ids]

    def drop_collections(self, keep: set[str]) -> list[str]:
        """Delete this store's collections other than ``keep`` (left-overs of interrupted builds)."""
        client = self.client()
        dropped = []
        for col in self.own_collections():
            if col.name not in keep:
                client.delete_collection(col.name)
                dropped.append(col.name)
        return dropped


class DenseIndex:
    """Cosine nearest neighbours of a query vector in one Chroma collection, with the filters of a
    question (dates as ``date_int`` YYYYMMDD, 0 = unknown; article ids). Same where-clauses and scores
    as llama-index's ChromaVectorStore, which the query path used before."""

    def __init__(self, collection) -> None:
        self.collection = collection

    def count(self) -> int:
        return self.collection.count()

    def search(self, vector, n: int, *, since: int = 0, until: int = 0,
               articles: tuple[str, ...] = ()) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity), best first."""
        conds: list[dict] = []
        if since:
            conds.append({"date_int": {"$gte": since}})
        if until:
            conds += [{"date_int": {"$lte": until}}, {"date_int": {"$gt": 0}}]
        if articles:
            conds.append({"article_id": {"$in": list(articles)}})
        where = conds[0] if len(conds) == 1 else ({"$and": conds} if conds else None)
        res = self.collection.query(query_embeddings=[list(map(float, vector))], n_results=n, where=where,
                                    include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])]
