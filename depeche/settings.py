"""The one settings object: every knob has a name, a type, a default and a help line.

Values come, lowest priority first, from the defaults, a TOML file (``--config`` or
``DEPECHE_CONFIG``), ``DEPECHE_<NAME>`` environment variables, then CLI flags.
Unknown keys and values of the wrong type are rejected at start-up with a message
saying how to fix them.
"""
from __future__ import annotations

import dataclasses
import difflib
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

from depeche.errors import SettingsError

ENV_PREFIX = "DEPECHE_"
# Environment variables that are read directly rather than mapped onto a field.
EXTRA_ENV = {"DEPECHE_CONFIG", "DEPECHE_MODEL_CACHE", "DEPECHE_E5_RUNTIME"}


def _opt(default: Any, help: str, **kw: Any) -> Any:
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata={"help": help, **kw})
    return field(default=default, metadata={"help": help, **kw})


@dataclass(frozen=True)
class Settings:
    store: str = _opt(".depeche", "Directory holding the index (Chroma store, BM25, manifest).")
    chroma_url: str = _opt("", "URL of a Chroma server (http://HOST:PORT); empty = embedded store under --store.")
    corpus: list = _opt(["corpus"], "Corpus folders or files to index (os.pathsep-separated in the environment).")
    follow_links_outside: bool = _opt(False, "Read symbolic links whose target lies outside the corpus folders (default: skip and report them).")
    embedder: str = _opt("e5-small", "Embedder: a registered name (e5-small, e5-small-onnx-int8, e5-small-onnx-int8-all, e5-small-int8) or a sentence-transformers folder.")
    chunk_tokens: int = _opt(200, "Target chunk size in (approximate model) tokens.")
    chunk_overlap: int = _opt(1, "Sentences repeated between consecutive chunks.")
    ray: str = _opt("", "Embed new and changed chunks on Ray Data: auto (running cluster), local (start one here) or ray://HOST:10001; empty = in this process.")
    ray_batch_size: int = _opt(64, "Chunks per Ray Data batch (one embedder call on a worker).")
    ray_concurrency: int = _opt(2, "Ray embedding workers (actors, one embedder loaded in each; 1 CPU each).")
    mmap: bool = _opt(True, "Read the chunk table, article table and BM25 index by memory mapping (pages shared by serving processes); false = load them into memory.")
    top_k: int = _opt(5, "Passages returned by retrieval.")
    retriever: str = _opt("hybrid", "Retrieval: hybrid, bm25 or dense.")
    bm25_weight: float = _opt(0.5, "Weight of BM25 in the hybrid fusion (dense gets 1 - weight).")
    reranker: str = _opt("", "Optional cross-encoder folder used to rescore evidence sentences.")
    answerer: str = _opt("reader", "Answer builder: reader (spans found by the trained reader), extractive (the older "
                         "hand-written rules) or passages.")
    reader: str = _opt("", "Folder of the trained reader (reader.safetensors + config.json); empty = the one "
                       "shipped in models/reader.")
    reader_runtime: str = _opt("onnx-fp32", "How the reader runs: onnx-fp32 (no torch at query time; the scores "
                               "rag/tuned.py was fitted on), onnx-int8 (faster, scores moved by up to ~2) or torch.")
    shape_model: bool = _opt(True, "Read question shapes with the trained shape model (models/shapes) where the hand "
                             "rules read a single fact; false = the rules alone.")
    reason_model: bool = _opt(True, "Choose the sentence of a why/how answer with the trained reason ranker "
                              "(models/reasons); false = the hand rules alone.")
    yesno_model: bool = _opt(True, "Choose the sentences a yes/no answer shows with the trained chooser (models/yesno); "
                             "false = the hand rule's ordering.")
    timeline_model: bool = _opt(True, "Choose a timeline's events with the trained chooser (models/timeline); "
                                "false = the hand scoring.")
    list_model: bool = _opt(True, "Answer a list question the engine would refuse with the enumeration the trained "
                            "chooser picks (models/lists); false = refuse it, as before.")
    query_threads: int = _opt(0, "Threads for a question's batches (the reader's passages, sentence vectors): 0 = the "
                              "machine's cores (at most 8), 1 = one (a machine busy with other work).")
    abstain_threshold: float = _opt(0.0, "Evidence score below which Dépêche says the corpus does not hold the answer (0 = calibrated default).")
    host: str = _opt("127.0.0.1", "Address the chat binds to.")
    port: int = _opt(7860, "Port the chat listens on.")
    auth: str = _opt("", "Optional 'user:password' required by the chat.")

    # ---- construction -------------------------------------------------
    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def help(cls, name: str) -> str:
        return {f.name: f.metadata["help"] for f in fields(cls)}[name]

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], origin: str = "settings") -> "Settings":
        return cls().replace(values, origin)

    def replace(self, values: Mapping[str, Any], origin: str = "settings") -> "Settings":
        known = {f.name: f for f in fields(self)}
        clean: dict[str, Any] = {}
        for key, raw in values.items():
            name = key.replace("-", "_")
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                raise SettingsError(
                    f"Unknown setting '{key}' in {origin}.{hint} Known settings: {', '.join(known)}."
                )
            clean[name] = _coerce(name, known[name], raw, origin)
        return dataclasses.replace(self, **clean)

    @classmethod
    def load(cls, cli: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None,
             config: str | None = None) -> "Settings":
        """Defaults < config file < DEPECHE_* environment < CLI values (None = not given)."""
        env = os.environ if env is None else env
        s = cls()
        path = config or env.get("DEPECHE_CONFIG")
        if path:
            s = s.replace(_read_toml(path), f"config file {path}")
        from_env = {}
        for key, value in env.items():
            if not key.startswith(ENV_PREFIX) or key in EXTRA_ENV:
                continue
            name = key[len(ENV_PREFIX):].lower()
            if name not in cls.names():
                close = difflib.get_close_matches(name, cls.names(), n=1)
                hint = f" Did you mean {ENV_PREFIX}{close[0].upper()}?" if close else ""
                raise SettingsError(f"Unknown environment variable {key}.{hint} Unset it or fix its name.")
            from_env[name] = value
        s = s.replace(from_env, "the environment")
        if cli:
            s = s.replace({k: v for k, v in cli.items() if v is not None and v != ()}, "the command line")
        return s

    # ---- derived --------------------------------------------------------
    @property
    def store_path(self) -> Path:
        return Path(self.store).expanduser()


def _read_toml(path: str) -> dict[str, Any]:
    import tomllib

    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise SettingsError(f"Config file {path} does not exist; fix DEPECHE_CONFIG or --config.") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"Config file {path} is not valid TOML ({exc}); fix it.") from None
    return data.get("depeche", data)


def _coerce(name: str, f: dataclasses.Field, raw: Any, origin: str) -> Any:
    kind = type(f.default) if f.default is not dataclasses.MISSING else list
    bad = SettingsError(
        f"Setting '{name}' from {origin} must be {kind.__name__}, got {raw!r}. {f.metadata['help']}"
    )
    if kind is list:
        if isinstance(raw, str):
            return [p for p in raw.split(os.pathsep) if p]
        if isinstance(raw, (list, tuple)) and all(isinstance(x, str) for x in raw):
            return list(raw)
        raise bad
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.lower() in {"1", "true", "yes", "on", "0", "false", "no", "off"}:
            return raw.lower() in {"1", "true", "yes", "on"}
        raise bad
    if kind is int:
        if isinstance(raw, bool):
            raise bad
        if isinstance(raw, int):
            return raw
        if isinstance(raw, str):
            try:
                return int(raw)
            except ValueError:
                raise bad from None
        raise bad
    if kind is float:
        if isinstance(raw, bool):
            raise bad
        if isinstance(raw, (int, float)):
            return float(raw)
        if isinstance(raw, str):
            try:
                return float(raw)
            except ValueError:
                raise bad from None
        raise bad
    if not isinstance(raw, str):
        raise bad
    return raw
