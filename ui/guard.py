"""What the chat server refuses before any Dépêche code runs: big bodies, password guessing.

:class:`Guard` is a small ASGI middleware, given to Gradio's FastAPI app through ``app_kwargs``:

- a request body over ``MAX_BODY_BYTES`` gets 413 (a question is at most 1,000 characters; the page
  has no file input, and Gradio's own ``max_file_size`` caps ``/gradio_api/upload`` as well);
- after ``FREE_FAILURES`` wrong passwords from one client address, each further attempt from it is
  refused with 429 for a delay that doubles at every failure (1 s, 2 s, 4 s… up to 5 minutes); a
  right password clears the count. Other addresses are not affected, so nobody can lock the owner out
  from elsewhere.
"""
from __future__ import annotations

import json
import threading
import time
from typing import Any, Callable

MAX_BODY_BYTES = 1_000_000
MAX_UPLOAD = "1mb"  # Gradio's max_file_size; the chat accepts no file at all
FREE_FAILURES = 5
FIRST_DELAY_S = 1.0
MAX_DELAY_S = 300.0
MAX_CLIENTS = 10_000  # addresses remembered; the oldest are forgotten beyond this


class LoginThrottle:
    """Per-address count of failed logins and the time until which that address must wait."""

    def __init__(self, free: int | None = None, first: float | None = None, cap: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.free = FREE_FAILURES if free is None else free
        self.first = FIRST_DELAY_S if first is None else first
        self.cap = MAX_DELAY_S if cap is None else cap
        self.clock = clock
        self._state: dict[str, tuple[int, float]] = {}  # address -> (failures, blocked until)
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """Seconds this client must still wait before trying again (0 = may try now)."""
        with self._lock:
            _, until = self._state.get(client, (0, 0.0))
        return max(0.0, until - self.clock())

    def failed(self, client: str) -> None:
        with self._lock:
            n, _ = self._state.pop(client, (0, 0.0))
            n += 1
            delay = 0.0 if n < self.free else min(self.cap, self.first * 2 ** (n - self.free))
            self._state[client] = (n, self.clock() + delay)
            while len(self._state) > MAX_CLIENTS:
                self._state.pop(next(iter(self._state)))

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._state.pop(client, None)


def _is_login(scope: dict) -> bool:
    return scope.get("method") == "POST" and scope.get("path", "").rstrip("/").endswith("/login")


async def _refuse(send, status: int, detail: str, headers: list | None = None) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())] + (headers or [])})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """ASGI middleware: body-size cap and login throttling (see the module docstring)."""

    def __init__(self, app, max_body: int = MAX_BODY_BYTES, throttle: LoginThrottle | None = None) -> None:
        self.app = app
        self.max_body = max_body
        self.throttle = throttle or LoginThrottle()

    async def __call__(self, scope: dict, receive, send) -> None:
        if scope.get("type") != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        try:
            length = int(headers.get(b"content-length", b"0") or 0)
        except ValueError:
            length = 0
        if length > self.max_body:
            return await _refuse(send, 413, f"Requête trop grande ({length:,} octets ; au plus "
                                            f"{self.max_body:,}).")
        receive = self._counted(receive)
        if not _is_login(scope):
            return await self.app(scope, receive, send)
        client = (scope.get("client") or ("?", 0))[0]
        wait = self.throttle.wait(client)
        if wait > 0:
            return await _refuse(send, 429, f"Trop de tentatives de connexion ; réessayez dans {wait:.0f} s.",
                                 [(b"retry-after", str(int(wait) + 1).encode())])
        status: dict[str, Any] = {}

        async def watch(message: dict) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        await self.app(scope, receive, watch)
        if status.get("code") == 200:
            self.throttle.succeeded(client)
        elif status.get("code") in (400, 401, 403):
            self.throttle.failed(client)

    def _counted(self, receive):
        """A body sent without Content-Length is cut off (seen as a disconnect) past the cap."""
        seen = 0

        async def inner() -> dict:
            nonlocal seen
            message = await receive()
            if message.get("type") == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    return {"type": "http.disconnect"}
            return message

        return inner


_DATE_FIELD = None


def date_field(**kw):
    """A gr.DateTime whose API input may be any JSON value: a non-text one reaches our own checks
    (ui/chat.parse_day: a clear message) instead of failing inside Gradio with a traceback."""
    global _DATE_FIELD
    if _DATE_FIELD is None:
        import gradio as gr

        class DateField(gr.DateTime):
            is_template = True  # the browser shows it as the DateTime it is

            def preprocess(self, payload):
                if payload is not None and not isinstance(payload, str):
                    return payload
                return super().preprocess(payload)

        _DATE_FIELD = DateField
    return _DATE_FIELD(**kw)
