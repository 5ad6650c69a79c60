"""Small pure checks shared by the CLI, the engine, the loaders and eval: nothing here imports a model.

- :func:`loads_line`: ``json.loads`` for one line of an untrusted JSONL file; every way a line can
  break (huge numbers, deep nesting, NaN/Infinity, lone surrogates) is a :class:`BadJSON` with a
  short reason, never another exception;
- :func:`iter_lines`: the lines of a JSONL byte stream, split on ``\\n`` only (never on U+2028), each
  decoded on its own so that one line of invalid UTF-8 spoils only itself;
- :func:`day_bound`, :func:`period`, :func:`top_k`, :func:`article_ids`: the ``ask`` filters;
- :func:`printable`: titles and paths made safe for a terminal (no escape sequences).
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from typing import IO, Iterable, Iterator, Mapping, Sequence

from depeche.errors import DepecheError

MAX_TOP_K = 50  # passages per question; more is a scan of the corpus, not a question
MAX_JSON_DEPTH_HINT = "nested too deeply"
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


class BadJSON(ValueError):
    """One line that is not usable JSON; ``str()`` is the reason (no location)."""


def _reject_constant(name: str):
    raise BadJSON(f"{name} is not a JSON number")


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise BadJSON(f"the number {text[:20]} is too large")
    return value


_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_float)


def _has_surrogate(value: object) -> bool:
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False


def loads_line(line: str) -> object:
    """Decode one JSON line, or raise BadJSON with the reason."""
    try:
        value = _DECODER.decode(line)
    except json.JSONDecodeError as exc:
        raise BadJSON(f"broken JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise BadJSON(f"broken JSON ({MAX_JSON_DEPTH_HINT})") from None
    except BadJSON:
        raise
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        reason = "a number is too long" if "digits" in str(exc) else str(exc).split("\n")[0][:80]
        raise BadJSON(f"broken JSON ({reason})") from None
    if _SURROGATE_ESCAPE.search(line) and _has_surrogate(value):
        raise BadJSON("a string holds a lone surrogate escape (\\ud800-\\udfff), not a character")
    return value


def iter_lines(stream: IO[bytes] | bytes) -> Iterator[tuple[int, str | None, str]]:
    """(line number, text or None, reason) for each line; None + reason when it is not UTF-8.

    Lines are split on ``\\n`` only: U+2028 and U+2029 may appear raw inside JSON strings."""
    chunks: Iterable[bytes] = stream.split(b"\n") if isinstance(stream, bytes) else stream
    for lineno, raw in enumerate(chunks, 1):
        raw = raw.rstrip(b"\n")
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield lineno, raw.decode("utf-8").rstrip("\r"), ""
        except UnicodeDecodeError as exc:
            yield lineno, None, f"not valid UTF-8 (byte {exc.start} of the line); re-save the file as UTF-8"


def json_line(obj: object) -> str:
    """One JSON line: strict (no NaN/Infinity) and with U+2028/U+2029 escaped, so that readers that
    split on every Unicode line break (str.splitlines, JavaScript) still see one line."""
    return json.dumps(obj, ensure_ascii=False, allow_nan=False).replace("\u2028", "\\u2028").replace(
        "\u2029", "\\u2029")


# ---- ask filters ------------------------------------------------------------------------------
_DAY = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def day_bound(value: object, which: str) -> str | None:
    """'YYYY-MM-DD', 'YYYY-MM' or 'YYYY' -> the first (since) or last (until) day, as YYYY-MM-DD."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    flag = "--since" if which == "since" else "--until"
    if not isinstance(value, str):
        raise DepecheError(f"{flag} must be a date as text (YYYY-MM-DD, YYYY-MM or YYYY), not {type(value).__name__}.")
    text = value.strip()
    m = _DAY.match(text)
    if not m:
        raise DepecheError(f"{flag} {text[:40]!r} is not a date; use YYYY-MM-DD, YYYY-MM or YYYY.")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day:
            return dt.date(year, int(month), int(day)).isoformat()
        if month:
            first = dt.date(year, int(month), 1)
            if which == "since":
                return first.isoformat()
            nxt = dt.date(year + (first.month == 12), first.month % 12 + 1, 1)
            return (nxt - dt.timedelta(days=1)).isoformat()
        dt.date(year, 1, 1)
        return f"{year:04d}-01-01" if which == "since" else f"{year:04d}-12-31"
    except ValueError:
        raise DepecheError(f"{flag} {text!r} does not exist in the calendar; give a real date.") from None


def period(since: object, until: object) -> tuple[str | None, str | None]:
    """Both bounds normalised; since after until is an error."""
    s, u = day_bound(since, "since"), day_bound(until, "until")
    if s and u and s > u:
        raise DepecheError(f"--since {s} is after --until {u}; swap them.")
    return s, u


def top_k(k: object) -> int | None:
    """None (use the setting) or an int in 1..MAX_TOP_K."""
    if k is None:
        return None
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_TOP_K:
        raise DepecheError(f"-k (passages retrieved) must be a whole number from 1 to {MAX_TOP_K}, not {k!r}.")
    return k


def article_ids(ids: Sequence[str] | None, known: Mapping[str, object]) -> tuple[str, ...]:
    """The --article ids, each one in the index; an unknown id is an error naming it (and close ones)."""
    out = tuple(dict.fromkeys(i for i in (ids or ()) if i))
    for i in out:
        if not isinstance(i, str):
            raise DepecheError(f"--article must be an article id (text), not {i!r}.")
        if i not in known:
            close = difflib.get_close_matches(i, list(known), n=3, cutoff=0.6)
            hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise DepecheError(f"No article {printable(i)!r} in the index.{hint}")
    return out


# ---- terminal ------------------------------------------------------------------------------------
# C0 controls but newline and tab, DEL, C1 controls, and the bidirectional overrides/isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` with control characters shown as ``\\xNN``/``\\uNNNN``, so a title cannot drive the terminal."""
    def esc(m: re.Match) -> str:
        c = ord(m.group())
        return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"

    out = _UNSAFE.sub(esc, text)
    return out if keep_newlines else out.replace("\n", "\\n").replace("\t", "\\t")
