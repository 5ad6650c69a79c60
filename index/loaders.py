"""Read articles from disk. Every unreadable file is reported (path + reason) and skipped.

Formats (one module each):
- index/parse_text.py: the wire format of the seed dispatch (first line `` date YYYY-MM-DD <title>``,
  an optional ``Source : URL`` line, then the body in paragraphs), and ``.txt`` / ``.md`` without a
  date line (title from the first line, date unknown);
- index/parse_jsonl.py: ``.jsonl``, one record a line with ``id``, ``title``, ``date``, ``url``, ``text``;
- index/parse_html.py: ``.html`` / ``.htm``, visible text (scripts and styles dropped), title from <title>/<h1>.
This module walks the folders, reads and decodes each file and hands it to its format.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Iterable, Iterator

from depeche.types import Article
from index.parse_common import MAX_ARTICLE_CHARS, MAX_TITLE_CHARS, BadArticle, Problem, parse_date, short_title
from index.parse_html import parse_html
from index.parse_jsonl import load_jsonl, parse_record
from index.parse_text import parse_text_file

__all__ = ["MAX_ARTICLE_CHARS", "MAX_FILE_BYTES", "MAX_TITLE_CHARS", "SUFFIXES", "BadArticle", "Problem", "decode",
           "iter_corpus", "iter_files", "load_corpus", "load_file", "parse_date", "parse_html", "parse_record",
           "parse_text_file", "short_title", "show_path"]

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".jsonl"}
MAX_FILE_BYTES = 200_000_000  # a .jsonl may be large; one article may not


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
        return load_jsonl(content, where)
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


def iter_corpus(paths: Iterable[str | os.PathLike], problems: list[Problem] | None = None,
                follow_links_outside: bool = False) -> Iterator[Article]:
    """The articles under ``paths``, in order, one file in memory at a time; duplicates of an id are
    reported (in ``problems``) and the first one kept."""
    from index.idset import HashMap64
    from index.mmap_table import key_hash

    # id hash -> where it was first seen, as (file number << 32 | line): 24-48 bytes an article
    # instead of the id and a "file:line" string each, for corpora of millions.
    seen = HashMap64()
    files: list[str] = []
    for path, problem in iter_files(paths, follow_links_outside):
        if problem:
            if problems is not None:
                problems.append(problem)
            continue
        located, probs = _load_located(path)
        if problems is not None:
            problems.extend(probs)
        file_where = show_path(path)  # what _load_located puts before ":line" for a JSONL record
        for art, where in located:
            h = key_hash(art.id)
            if h in seen:
                if problems is not None:
                    first = files[seen[h] >> 32] + (f":{seen[h] & 0xFFFFFFFF}" if seen[h] & 0xFFFFFFFF else "")
                    problems.append(Problem(where, f"duplicate article id '{art.id}' (first in {first}); "
                                                   "give one of them another id"))
                continue
            line = where[len(file_where) + 1:] if where.startswith(file_where + ":") else ""
            if not files or files[-1] != file_where:
                files.append(file_where)
            seen[h] = (len(files) - 1) << 32 | (int(line) if line.isdigit() else 0)
            yield art


def load_corpus(paths: Iterable[str | os.PathLike], follow_links_outside: bool = False
                ) -> tuple[list[Article], list[Problem]]:
    """All articles under ``paths``; duplicates of an id are reported and the first one kept.
    Symbolic links out of the corpus roots are reported and skipped unless ``follow_links_outside``."""
    problems: list[Problem] = []
    return list(iter_corpus(paths, problems, follow_links_outside)), problems
