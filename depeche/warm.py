"""The warm path: `depeche ask` hands its question to a `depeche chat` already serving the same store.

A serving chat writes ``<store>/serving.json`` (mode 0600): its URL, pid, a random token, the
store's id and the settings that shape an answer. ``depeche ask`` reads it and, when the process is
alive and the settings agree, POSTs the question to ``URL/depeche/ask`` with the token; the server
answers with ``Engine.ask(...).to_json()``, the very object an in-process ``ask --json`` prints.
Anything else (no file, dead pid, other settings, refused, timeout) falls back to answering in
process. Standard library only: the cold path imports nothing heavy to try it.
"""
from __future__ import annotations

import json
import os
import secrets
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Sequence

from depeche.errors import DepecheError

FILE = "serving.json"
ROUTE = "/depeche/ask"
TOKEN_HEADER = "X-Depeche-Token"
CONNECT_TIMEOUT_S = 2.0  # a server that does not even accept the request: answer in process
ANSWER_TIMEOUT_S = 120.0
# Settings that change an answer; the server must have the same ones (top_k travels with each question).
ANSWER_SETTINGS = ("embedder", "chroma_url", "retriever", "bm25_weight", "reranker", "answerer",
                   "abstain_threshold", "chunk_tokens", "chunk_overlap")


def fingerprint(settings) -> dict:
    return {name: getattr(settings, name) for name in ANSWER_SETTINGS}


def _store_id(store: Path) -> str:
    try:
        return (store / "store_id").read_text().strip()
    except OSError:
        return ""


def publish(settings, url: str) -> tuple[Path, str]:
    """Write the serving file of ``settings.store_path`` for ``url``; returns (path, token)."""
    store = Path(settings.store_path)
    token = secrets.token_urlsafe(24)
    record = {"url": url.rstrip("/"), "pid": os.getpid(), "token": token, "store_id": _store_id(store),
              "settings": fingerprint(settings), "started": time.time()}
    path = store / FILE
    tmp = store / f".{FILE}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(record, fh)
    os.replace(tmp, path)
    return path, token


def unpublish(path: Path, token: str) -> None:
    """Remove the serving file if it is still ours (another chat may have replaced it)."""
    try:
        if json.loads(path.read_text(encoding="utf-8")).get("token") == token:
            path.unlink()
    except (OSError, ValueError):
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def find_server(settings) -> dict | None:
    """The record of a live server for this store and these settings, else None."""
    store = Path(settings.store_path)
    try:
        rec = json.loads((store / FILE).read_text(encoding="utf-8"))
        pid, url, token = int(rec["pid"]), str(rec["url"]), str(rec["token"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if pid == os.getpid() or not _alive(pid) or not url.startswith("http"):
        return None
    if rec.get("store_id") != _store_id(store) or rec.get("settings") != fingerprint(settings):
        return None
    return rec


def ask_server(settings, question: str, *, k: int | None = None, since: str | None = None,
               until: str | None = None, articles: Sequence[str] = ()) -> dict | None:
    """The server's ``ask --json`` object for this question, or None when no server can answer.
    A question the server refuses (empty, bad filter) raises DepecheError with the server's words,
    as answering in process would."""
    rec = find_server(settings)
    if rec is None:
        return None
    try:  # a quick refusal when nothing listens any more (killed without removing its file)
        from urllib.parse import urlparse

        u = urlparse(rec["url"])
        socket.create_connection((u.hostname, u.port or 80), timeout=CONNECT_TIMEOUT_S).close()
    except (OSError, ValueError):
        return None
    body = json.dumps({"question": question, "k": k, "since": since, "until": until,
                       "articles": list(articles or ())}).encode("utf-8")
    req = urllib.request.Request(rec["url"] + ROUTE, data=body, method="POST", headers={
        "Content-Type": "application/json", TOKEN_HEADER: rec["token"]})
    try:
        with urllib.request.urlopen(req, timeout=ANSWER_TIMEOUT_S) as resp:
            out = json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        if exc.code == 422:  # the engine refused the question: the same words as in process
            try:
                raise DepecheError(json.loads(exc.read().decode("utf-8"))["error"]) from None
            except (ValueError, KeyError):
                return None
        return None
    except (OSError, ValueError):
        return None
    if not isinstance(out, dict) or out.get("store_id") != rec.get("store_id") or "answer" not in out:
        return None
    return out["answer"]


def handle(engine, token: str, given: str, body: bytes) -> tuple[int, dict]:
    """The server side of :data:`ROUTE` (``given``: the request's token header): (HTTP status, JSON)."""
    if not secrets.compare_digest(str(given or "").encode(), token.encode()):
        return 403, {"error": "bad token"}
    try:
        req = json.loads(body.decode("utf-8"))
        question = req["question"]
        k, since, until = req.get("k"), req.get("since"), req.get("until")
        articles = tuple(req.get("articles") or ())
    except (ValueError, KeyError, TypeError, AttributeError):
        return 400, {"error": "expected JSON {question, k, since, until, articles}"}
    try:
        answer = engine.ask(question, k=k, since=since, until=until, articles=articles).to_json()
    except DepecheError as exc:
        return 422, {"error": str(exc)}
    return 200, {"store_id": _store_id(Path(engine.settings.store_path)), "answer": answer}


def answer_for_text(obj: dict):
    """An Answer rebuilt from the server's JSON, enough for the terminal rendering (no passages)."""
    from depeche.types import Answer, Citation

    def cites(rows):
        return tuple(Citation(**{k: r.get(k) for k in Citation.__dataclass_fields__}) for r in rows)

    return Answer(question=obj["question"], text=obj["answer"], citations=cites(obj.get("citations", [])),
                  abstained=obj["abstained"], short_answer=obj.get("short_answer"),
                  related=cites(obj.get("related", [])), search_query=obj.get("search_query"),
                  timings_ms=obj.get("timings_ms", {}))
