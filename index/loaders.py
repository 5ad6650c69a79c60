"""Read articles from disk. Every unreadable file is reported (path + reason) and skipped.

Formats:
- the wire format of the seed dispatch: first line `` date YYYY-MM-DD <title>`` (leading space),
  an optional ``Source : URL`` line, then the body in paragraphs;
- ``.txt`` / ``.md`` without a date line: title from the first line, date unknown;
- ``.jsonl``: one record a line with ``id``, ``title``, ``date``, ``url``, ``text``;
- ``.html`` / ``.htm``: visible text (scripts and styles dropped), title from <title>/<h1>.
"""
from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Iterator

from depeche.types import Article
from depeche.validate import BadJSON, loads_line

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".jsonl"}
MAX_ARTICLE_CHARS = 2_000_000
MAX_FILE_BYTES = 200_000_000  # a .jsonl may be large; one article may not
MAX_TITLE_CHARS = 300  # a longer first line is text, not a title

_DATE_LINE = re.compile(r"^ ?date (\S+)[ \t]*(.*)$")
_SOURCE_LINE = re.compile(r"^\s*(?:source|url)\s*:\s*(\S+)\s*$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WORD = re.compile(r"[^\W_]")  # a letter or a digit: zero-width and punctuation-only files are not text
_FRONT_MATTER_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")


@dataclass(frozen=True)
class Problem:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class BadArticle(ValueError):
    """Raised for one article that cannot be used; the message is the reason."""


def parse_date(value: object) -> str | None:
    """'YYYY-MM-DD' -> the same string if it is a real calendar date; '' / None -> None."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
        raise BadArticle(f"date {value!r} is not YYYY-MM-DD")
    try:
        dt.date.fromisoformat(value.strip())
    except ValueError:
        raise BadArticle(f"date {value!r} does not exist in the calendar") from None
    return value.strip()


def decode(data: bytes) -> str:
    """Bytes -> text: UTF-8 (with or without BOM), or UTF-16/UTF-32 with a BOM; else BadArticle."""
    boms = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
            (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
    for bom, codec in boms:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise BadArticle(f"broken {codec.upper()} at byte {exc.start}; re-save the file as UTF-8") from None
            break
    else:
        if b"\x00" in data:
            raise BadArticle("binary data (NUL bytes), not a text article")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BadArticle(f"not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8") from None
    if "\x00" in text:
        raise BadArticle("binary data (NUL characters), not a text article")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def short_title(text: str, limit: int = 120) -> str:
    """The beginning of ``text`` as a title: at most ``limit`` characters, cut at a space."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut + "…"


def _check_text(text: str) -> None:
    if not text.strip():
        raise BadArticle("no text (empty or only whitespace)")
    if not _WORD.search(text):
        raise BadArticle("no words (only punctuation, symbols or invisible characters); not an article")
    if len(text) > MAX_ARTICLE_CHARS:
        raise BadArticle(
            f"article of {len(text):,} characters exceeds {MAX_ARTICLE_CHARS:,}; split it into several files"
        )


def parse_text_file(content: str, article_id: str, path: str) -> Article:
    """The wire format (date line) or a plain .txt/.md (title = first line)."""
    lines = content.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise BadArticle("no text (empty or only whitespace)")
    date = None
    url = None
    front, lines = _front_matter(lines)
    if front is not None:
        try:
            date = parse_date(front.get("date", "")[:10] or None)
        except BadArticle:
            date = None  # front matter dates come in many shapes: unknown rather than skipped
        url = front.get("url") or front.get("source") or None
        while lines and not lines[0].strip():
            lines.pop(0)
        if front.get("title"):
            lines.insert(0, front["title"])
        if not lines:
            raise BadArticle("no text after the front matter")
    while len(lines) > 1 and not _WORD.search(lines[0]):  # a rule (*** or ===) is not a title
        lines.pop(0)
    m = _DATE_LINE.match(lines[0])
    if m:
        date = parse_date(m.group(1))
        title = short_title(m.group(2).strip(), MAX_TITLE_CHARS)
        rest = lines[1:]
    elif len(lines[0].strip()) > MAX_TITLE_CHARS:
        # No title line, just text: the text starts at once, the title is its beginning.
        title = short_title(lines[0])
        rest = lines
    else:
        title = lines[0].strip().lstrip("#").strip()
        rest = lines[1:]
    if rest and _SOURCE_LINE.match(rest[0]):
        url = _SOURCE_LINE.match(rest[0]).group(1)
        rest = rest[1:]
    body = "\n".join(rest).strip("\n")
    if not body.strip():
        if not title:
            raise BadArticle("no text (empty or only whitespace)")
        body = title  # a one-line note: its only line is both title and text
    if not title:
        raise BadArticle("the date line has no title after the date")
    _check_text(body)
    return Article(id=article_id, title=title, text=body, date=date, url=url, path=path)


def _front_matter(lines: list[str]) -> tuple[dict[str, str] | None, list[str]]:
    """YAML front matter (``---`` ... ``---``) -> its simple ``key: value`` pairs and the lines after it."""
    if not lines or lines[0].strip() != "---":
        return None, lines
    for end in range(1, min(len(lines), 200)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        return None, lines[1:]  # an unclosed rule: not a title either
    front: dict[str, str] = {}
    for line in lines[1:end]:
        m = _FRONT_MATTER_KEY.match(line.strip())
        if m:
            front[m.group(1).lower()] = m.group(2).strip().strip("\"'").strip()
    return front, lines[end + 1:]


def _drop_unclosed_comment(html: str) -> str:
    """An ``<!--`` never closed hides the rest of the page, as in a browser."""
    pos = 0
    while True:
        i = html.find("<!--", pos)
        if i < 0:
            return html
        j = html.find("-->", i + 4)
        if j < 0:
            return html[:i]
        pos = j + 3


class _HTMLText(HTMLParser):
    _SKIP = {"script", "style", "noscript", "template", "head"}
    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "tr", "section", "article", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._stack.append(tag)
        if tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        while self._stack and self._stack.pop() != tag:
            pass
        if tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if "title" in self._stack and not self.title:
            self.title = data.strip()
            return
        if any(t in self._SKIP for t in self._stack):
            return
        if "h1" in self._stack and not self.title:
            self.title = data.strip()
        self.parts.append(data)


def parse_html(content: str, article_id: str, path: str) -> Article:
    p = _HTMLText()
    p.feed(_drop_unclosed_comment(content))
    p.close()
    raw = "".join(p.parts)
    paras = [re.sub(r"[ \t\n]+", " ", x).strip() for x in re.split(r"\n\s*\n", raw)]
    body = "\n\n".join(x for x in paras if x)
    title = short_title(p.title or (body.split("\n", 1)[0] if body else ""))
    _check_text(body)
    return Article(id=article_id, title=title, text=body, path=path)


def parse_record(rec: object, where: str, path: str) -> Article:
    if not isinstance(rec, dict):
        raise BadArticle("record is not a JSON object")
    missing = [k for k in ("id", "text") if not rec.get(k)]
    if missing:
        raise BadArticle(f"record lacks {', '.join(missing)} (each line needs a non-empty \"id\" and \"text\")")
    for key in ("id", "text", "title", "url"):
        if rec.get(key) is not None and not isinstance(rec[key], str):
            raise BadArticle(f"field '{key}' must be a string")
    if not rec["id"].strip():
        raise BadArticle("record lacks id (it is blank; each line needs a non-empty \"id\")")
    text = rec["text"].replace("\r\n", "\n")
    _check_text(text)
    title = short_title((rec.get("title") or "").strip() or text.strip().split("\n", 1)[0],
                        MAX_TITLE_CHARS if rec.get("title") else 120)
    return Article(
        id=rec["id"], title=title, text=text, date=parse_date(rec.get("date")),
        url=rec.get("url") or None, path=path,
    )


def _readable_name(path: Path) -> bool:
    try:
        str(path).encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def show_path(path: str | os.PathLike) -> str:
    """A path safe to print and store, even when its name is not valid UTF-8."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _inside(target: str, roots: list[str]) -> bool:
    return any(target == r or target.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _outside_link(path: str, roots: list[str]) -> str | None:
    """The target of a symbolic link ``path`` when it leaves the corpus roots, else None."""
    if not os.path.islink(path):
        return None
    try:
        target = os.path.realpath(path, strict=True)
    except OSError:  # a loop or a dangling link: reported when the file is read
        return None
    return None if _inside(target, roots) else target


def iter_files(paths: Iterable[str | os.PathLike], follow_links_outside: bool = False
               ) -> Iterator[tuple[Path | None, Problem | None]]:
    """Files under the given paths, sorted. Linked folders are followed once: a link back to a folder
    already walked (a loop) is reported, never walked again. A link whose target lies outside every
    corpus root is reported and not followed, unless ``follow_links_outside``. Folders that cannot be
    read are reported."""
    paths = list(paths)
    roots = [os.path.realpath(p) for p in paths]
    for root in paths:
        root = Path(root)
        if root.is_file():
            yield root, None  # named by the user: read wherever it points
            continue
        if not root.exists():
            yield None, Problem(show_path(root), "does not exist; check the --corpus path")
            continue
        seen: set[tuple[int, int]] = set()
        errors: list[OSError] = []

        def unreadable() -> Iterator[tuple[None, Problem]]:
            while errors:
                e = errors.pop(0)
                yield None, Problem(show_path(e.filename or root),
                                    f"folder cannot be read ({e.strerror or e}); its files were skipped")

        for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=errors.append):
            yield from unreadable()
            st = os.stat(dirpath)
            if (st.st_dev, st.st_ino) in seen:
                yield None, Problem(show_path(dirpath), "symbolic link loop (folder already read); not followed")
                dirnames[:] = []
                continue
            seen.add((st.st_dev, st.st_ino))
            keep = []
            for d in sorted(d for d in dirnames if not d.startswith(".")):
                target = None if follow_links_outside else _outside_link(os.path.join(dirpath, d), roots)
                if target is not None:
                    yield None, Problem(show_path(os.path.join(dirpath, d)),
                                        f"symbolic link to a folder outside the corpus ({show_path(target)}); "
                                        "not followed (--follow-links-outside allows it)")
                    continue
                keep.append(d)
            dirnames[:] = keep
            for name in sorted(filenames):
                if name.startswith(".") or name.upper().startswith("README"):
                    continue
                full = os.path.join(dirpath, name)
                target = None if follow_links_outside else _outside_link(full, roots)
                if target is not None:
                    yield None, Problem(show_path(full), f"symbolic link to a file outside the corpus "
                                                         f"({show_path(target)}); not read (--follow-links-outside "
                                                         "allows it)")
                    continue
                yield Path(full), None
        yield from unreadable()


def load_file(path: Path) -> tuple[list[Article], list[Problem]]:
    """Articles from one file, with the problems met (one per bad record or for the file)."""
    located, problems = _load_located(path)
    return [a for a, _ in located], problems


def _load_located(path: Path) -> tuple[list[tuple[Article, str]], list[Problem]]:
    """Like load_file, each article with where it was read (``path`` or ``path:line``)."""
    suffix = path.suffix.lower()
    where = show_path(path)
    if not _readable_name(path):
        return [], [Problem(where, "file name is not valid UTF-8; rename the file")]
    if suffix not in SUFFIXES:
        return [], [Problem(where, f"unsupported file type '{suffix or path.name}' (use .txt, .md, .jsonl or .html)")]
    try:
        st = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return [], [Problem(where, "symbolic link loop; remove the link")]
        if path.is_symlink():
            return [], [Problem(where, "broken symbolic link (its target does not exist)")]
        return [], [Problem(where, f"cannot be read ({exc.strerror or exc})")]
    if not stat.S_ISREG(st.st_mode):
        return [], [Problem(where, "not a regular file (a pipe, socket or device); remove it from the corpus")]
    if st.st_size > MAX_FILE_BYTES:
        return [], [Problem(where, f"file of {st.st_size:,} bytes is too large; split it")]
    try:
        data = _read_regular(path)
    except BadArticle as exc:
        return [], [Problem(where, str(exc))]
    except OSError as exc:
        return [], [Problem(where, f"cannot be read ({exc.strerror or exc})")]
    try:
        content = decode(data)
    except BadArticle as exc:
        return [], [Problem(where, str(exc))]
    if suffix == ".jsonl":
        return _load_jsonl(content, where)
    try:
        if suffix in HTML_SUFFIXES:
            return [(parse_html(content, path.stem, where), where)], []
        return [(parse_text_file(content, path.stem, where), where)], []
    except BadArticle as exc:
        return [], [Problem(where, str(exc))]


def _read_regular(path: Path) -> bytes:
    """The bytes of ``path`` if, once opened, it is a regular file. Opened without blocking and checked
    on the open descriptor, so a file swapped for a pipe after stat() cannot hang the run."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise BadArticle("not a regular file (a pipe, socket or device); remove it from the corpus")
        if st.st_size > MAX_FILE_BYTES:
            raise BadArticle(f"file of {st.st_size:,} bytes is too large; split it")
        parts = []
        while chunk := os.read(fd, 1 << 20):
            parts.append(chunk)
        return b"".join(parts)
    finally:
        os.close(fd)


def _load_jsonl(content: str, where: str) -> tuple[list[tuple[Article, str]], list[Problem]]:
    arts: list[tuple[Article, str]] = []
    probs: list[Problem] = []
    for lineno, line in enumerate(content.split("\n"), 1):
        if not line.strip():
            continue
        try:
            rec = loads_line(line)
        except BadJSON as exc:
            probs.append(Problem(f"{where}:{lineno}", f"{exc}; fix or remove the line"))
            continue
        try:
            arts.append((parse_record(rec, f"{where}:{lineno}", where), f"{where}:{lineno}"))
        except BadArticle as exc:
            probs.append(Problem(f"{where}:{lineno}", str(exc)))
    if not arts and not probs:
        probs.append(Problem(where, "no text (empty or only whitespace)"))
    return arts, probs


def load_corpus(paths: Iterable[str | os.PathLike], follow_links_outside: bool = False
                ) -> tuple[list[Article], list[Problem]]:
    """All articles under ``paths``; duplicates of an id are reported and the first one kept.
    Symbolic links out of the corpus roots are reported and skipped unless ``follow_links_outside``."""
    articles: list[Article] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path, problem in iter_files(paths, follow_links_outside):
        if problem:
            problems.append(problem)
            continue
        located, probs = _load_located(path)
        problems.extend(probs)
        for art, where in located:
            if art.id in seen:
                problems.append(Problem(where, f"duplicate article id '{art.id}' (first in {seen[art.id]}); "
                                               "give one of them another id"))
                continue
            seen[art.id] = where
            articles.append(art)
    return articles, problems
