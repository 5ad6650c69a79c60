"""Embedding on Ray Data (`depeche index --ray ADDRESS`): the one heavy step, on as many workers as a
Ray cluster has.

Everything else stays in the `depeche index` process (the driver): reading and hashing the corpus,
chunking, the chunk table, BM25, the Chroma writes and the manifest switch (index/streaming.py).
The driver hands each window of new and changed chunks to Ray Data as a dataset of (id, text) rows;
``map_batches`` runs them through ``EmbedWorker``, an actor class that loads the embedder once per
worker (``ray_concurrency`` actors, 1 CPU each, ``ray_batch_size`` chunks a call); the vectors stream
back to the driver, which upserts them into Chroma (the server of --chroma-url, when set) batch by
batch as they arrive, so an interruption loses at most the batches in flight. Ray Data restarts a killed worker
and retries its batches; if the job fails anyway, the build stops with one line, the index in use
is untouched, and the next run reuses every vector already written.

ADDRESS: ``local`` starts a Ray instance in this process for this build; ``auto`` joins the cluster
running on this machine (``ray start --head``); ``ray://HOST:10001`` joins a remote cluster through
Ray Client. Ray is imported only here, only when --ray is given.
"""
from __future__ import annotations

import os
import sys

import numpy as np

import index.builder as builder
from depeche.errors import DepecheError
from depeche.settings import Settings
from depeche.types import Chunk
from index.chunking import embed_text

RAY_WINDOW = 32768  # chunks per Ray dataset (the driver holds their texts; the actors stay busy)


class EmbedWorker:
    """The ``map_batches`` callable class: one embedder per Ray worker, loaded in the constructor."""

    def __init__(self, embedder: str, modules: tuple[str, ...] = ()) -> None:
        import importlib

        import depeche.offline  # noqa: F401  (no download from a worker either)

        for m in modules:  # modules that register the embedder's name (e.g. a benchmark's stand-in)
            importlib.import_module(m)
        from index.embedders import get_embedder

        self.embedder = get_embedder(embedder)

    def __call__(self, batch: dict) -> dict:
        vectors = self.embedder.embed_passages([str(t) for t in batch["text"]])
        return {"id": batch["id"], "vector": np.asarray(vectors, dtype=np.float32),
                "runtime": np.array([getattr(self.embedder, "runtime", "")] * len(batch["id"]))}


def check_address(address: str) -> str:
    a = address.strip()
    if a in ("auto", "local") or (a.startswith("ray://") and len(a) > len("ray://")):
        return a
    raise DepecheError(f"--ray {address!r} is not auto, local or ray://HOST:PORT (Ray Client, usually port "
                       "10001); fix --ray or DEPECHE_RAY.")


class RayEmbedding:
    """The ``embedding`` of index/streaming.py: windows of chunks embedded on Ray, written here."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.address = check_address(settings.ray)
        if settings.ray_batch_size < 1 or settings.ray_concurrency < 1:
            raise DepecheError("ray_batch_size and ray_concurrency must be at least 1; fix the settings.")
        self.window = max(RAY_WINDOW, settings.ray_batch_size * settings.ray_concurrency)
        self.embedder = None  # never loaded in the driver
        self.dim, self.runtime = 0, ""
        self._ray = None
        self._started = False

    def _connect(self):
        if self._ray is not None:
            return self._ray
        try:
            import ray
        except ImportError:
            raise DepecheError("--ray needs Ray: pip install 'depeche[ray]' (or pip install 'ray[data]').") from None
        kw = dict(include_dashboard=False, log_to_driver=False, logging_level="ERROR")
        try:
            if ray.is_initialized():
                pass
            elif self.address == "local":
                # Workers import this project like the driver does (same interpreter, same path).
                env = {"PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
                ray.init(address="local", num_cpus=max(os.cpu_count() or 1, self.settings.ray_concurrency),
                         runtime_env={"env_vars": env}, **kw)
                self._started = True
            else:
                ray.init(address=self.address, **kw)
                self._started = True
        except Exception as exc:  # noqa: BLE001 - ConnectionError, RuntimeError... across Ray versions
            raise DepecheError(f"Cannot start or reach Ray at {self.address!r} ({type(exc).__name__}: "
                               f"{_first_line(exc)}); start the cluster (ray start --head) or fix --ray.") from None
        import logging

        logging.getLogger("ray.data").setLevel(logging.WARNING)
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False
        if hasattr(ctx, "print_on_execution_start"):
            ctx.print_on_execution_start = False
        self._ray = ray
        return ray

    def __call__(self, collection, chunks: list[Chunk], bar) -> None:
        ray = self._connect()
        from index.embedders import _REGISTRY

        name = self.settings.embedder
        factory = _REGISTRY.get(name)
        modules = (factory.__module__,) if factory is not None else ()
        chunks = sorted(chunks, key=lambda c: len(embed_text(c)))  # similar lengths share a batch
        by_id = {c.id: c for c in chunks}
        ds = ray.data.from_items([{"id": c.id, "text": embed_text(c)} for c in chunks])
        ds = ds.map_batches(EmbedWorker, fn_constructor_args=(name, modules), batch_size=self.settings.ray_batch_size,
                            batch_format="numpy", compute=ray.data.ActorPoolStrategy(size=self.settings.ray_concurrency),
                            num_cpus=1)
        try:
            # Each batch is written as soon as Ray returns it (ray_batch_size vectors): progress shows at
            # once, and an interruption loses only the batches in flight.
            for out in ds.iter_batches(batch_size=None, batch_format="numpy"):
                part = [by_id[str(i)] for i in out["id"]]
                vectors = np.asarray(out["vector"], dtype=np.float32)
                self.dim = self.dim or int(vectors.shape[1])
                self.runtime = self.runtime or f"ray: {out['runtime'][0]}"
                builder._upsert(collection, part, vectors)
                bar.tick(len(part))
        except (DepecheError, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - a Ray task or actor failure, whatever its class
            raise DepecheError(f"Embedding on Ray failed ({type(exc).__name__}: {_first_line(exc)}); the index "
                               "in use was left as it was and the vectors written so far are kept: run the same "
                               "`depeche index` again to finish.") from None

    def close(self) -> None:
        if self._ray is not None and self._started:
            self._ray.shutdown()
        self._ray = None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else "")[:200]
