"""HTML of the chat: the conversation, the sources under each answer, the source panel, the filters.

Pure functions over plain values, no Gradio. Everything that comes from the corpus or the user
(article text, titles, quotes, URLs, questions) is HTML-escaped here, and nothing is ever read as
Markdown: a file holding ``<script>``, ``<img onerror=…>`` or ``[a](javascript:…)`` shows as that
text and runs nothing. The only markup is ours; the only attributes we generate from data are
integers (``data-turn``, ``data-cite``) and an http(s) URL, escaped.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Sequence

from depeche.types import Answer, Article, Citation
from rag.words import MONTHS_FR

SOURCE_WINDOW = 30_000  # characters of a very long article shown around the cited passage
_MARKER = re.compile(r"\[(\d{1,3})\]")
_TOKEN = re.compile(r"\S+\s*")


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def format_date(iso: str | None) -> str:
    """'2025-09-04' -> '4 septembre 2025'; None -> 'date inconnue'."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        return "date inconnue" if not iso else iso
    day = int(m.group(3))
    return f"{'1er' if day == 1 else day} {MONTHS_FR[int(m.group(2)) - 1]} {m.group(1)}"


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s), else None (never a javascript: or data: link)."""
    if url and re.match(r"https?://[^\s<>\"']+$", url.strip(), re.IGNORECASE):
        return url.strip()
    return None


# ---- one turn -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Turn:
    question: str
    answer: Answer | None = None  # None while the answer is being searched
    error: str | None = None  # what the user sees when the question could not be answered
    filters: str = ""  # the filters active when the question was asked, as a label
    shown: int | None = None  # characters of the answer text streamed so far; None = all


def stream_points(text: str, steps: int = 24) -> list[int]:
    """Prefix lengths to stream ``text`` in about ``steps`` parts, cut only between words."""
    ends = [m.end() for m in _TOKEN.finditer(text)]
    if not ends:
        return [len(text)]
    stride = max(1, len(ends) // steps)
    points = ends[stride - 1::stride]
    if points[-1] != len(text):
        points.append(len(text))
    return points


def marked_text(text: str, citations: Sequence[Citation], turn: int) -> str:
    """The answer text escaped, its [n] markers turned into buttons that open citation n."""
    by_n = {c.n: c for c in citations}
    out, last = [], 0
    for m in _MARKER.finditer(text):
        n = int(m.group(1))
        if n not in by_n:
            continue
        c = by_n[n]
        out.append(esc(text[last:m.start()]))
        label = f"Source {n} : {c.title} ({format_date(c.date)})"
        out.append(f'<a href="#" class="dp-cite" role="button" data-turn="{turn}" data-cite="{n}" '
                   f'title="{esc(label)}" aria-label="{esc(label)}">[{n}]</a>')
        last = m.end()
    out.append(esc(text[last:]))
    return "".join(out)


def shaped_text(text: str, citations: Sequence[Citation], turn: int, shape: str = "fact") -> str:
    """The answer text as HTML: a plain answer as before; a shaped one (rag/shaped) as paragraphs
    (blank-line separated: a summary, one per article) and lists (lines starting with "• ")."""
    if "\n" not in text and shape not in ("summary", "list", "timeline"):
        return marked_text(text, citations, turn)
    out = []
    for para in re.split(r"\n\s*\n", text):
        lines = [ln for ln in para.split("\n") if ln.strip()]
        if lines and all(ln.startswith("• ") for ln in lines):
            items = "".join(f"<li>{marked_text(ln[2:], citations, turn)}</li>" for ln in lines)
            out.append(f'<ul class="dp-list">{items}</ul>')
        elif lines:
            out.extend(f'<p class="dp-para">{marked_text(ln, citations, turn)}</p>' for ln in lines)
    return "".join(out)


def sources_list(citations: Sequence[Citation], turn: int) -> str:
    """Under an answer: one line per article (its markers, title, date), in order of first citation."""
    groups: dict[str, list[Citation]] = {}
    for c in citations:
        groups.setdefault(c.article_id, []).append(c)
    items = []
    for cits in groups.values():
        first = cits[0]
        markers = "".join(f'<a href="#" class="dp-cite" role="button" data-turn="{turn}" data-cite="{c.n}">'
                          f"[{c.n}]</a>" for c in cits)
        items.append(
            f'<li><span class="dp-src-markers">{markers}</span> '
            f'<a href="#" class="dp-src" role="button" data-turn="{turn}" data-cite="{first.n}">{esc(first.title)}</a>'
            f' <span class="dp-date">{esc(format_date(first.date))}</span></li>')
    return f'<ol class="dp-sources" aria-label="Sources">{"".join(items)}</ol>'


def related_of(a: Answer, limit: int = 3) -> tuple[Citation, ...]:
    """What to offer under an abstention: the answerer's related passages, else the retrieved ones."""
    if a.related:
        return tuple(a.related)
    return tuple(Citation(n=i, article_id=h.chunk.article_id, title=h.chunk.title, date=h.chunk.date,
                          start=h.chunk.start, end=h.chunk.end, quote=h.chunk.text, score=h.score,
                          url=h.chunk.url, path=h.chunk.path)
                 for i, h in enumerate(a.passages[:limit], 1))


def related_list(related: Sequence[Citation], turn: int) -> str:
    items = []
    for i, c in enumerate(related, 1):
        snippet = c.quote if len(c.quote) <= 220 else c.quote[:220].rsplit(" ", 1)[0] + "…"
        items.append(
            f'<li><a href="#" class="dp-src" role="button" data-turn="{turn}" data-related="{i}">'
            f'{esc(c.title)}</a> <span class="dp-date">{esc(format_date(c.date))}</span>'
            f'<div class="dp-snippet">{esc(snippet)}</div></li>')
    return ('<div class="dp-related"><div class="dp-related-title">Passages proches, à lire avec prudence '
            f'(ils ne contiennent pas la réponse) :</div><ul>{"".join(items)}</ul></div>')


def turn_html(t: Turn, i: int) -> str:
    parts = [f'<section class="dp-turn" data-turn="{i}">',
             f'<div class="dp-q"><span class="dp-q-text">{esc(t.question)}</span></div>']
    a = t.answer
    if t.error:
        parts.append(f'<div class="dp-a dp-error" role="alert">{esc(t.error)}</div>')
    elif a is None:
        parts.append('<div class="dp-a dp-pending" aria-busy="true"><span class="dp-dots">Recherche dans '
                     'les dépêches</span></div>')
    else:
        done = t.shown is None or t.shown >= len(a.text)
        cls = "dp-a" + (" dp-abstained" if a.abstained else "") + (" dp-done" if done else "") + \
            (f" dp-shape-{esc(a.shape)}" if getattr(a, "shape", "fact") != "fact" else "")
        busy = "" if done else ' aria-busy="true"'
        parts.append(f'<div class="{cls}"{busy}>')
        meta = []
        if a.search_query:
            meta.append(f'<div class="dp-search">Recherche : {esc(a.search_query)}</div>')
        if t.filters:
            meta.append(f'<div class="dp-search">Filtres : {esc(t.filters)}</div>')
        parts += meta
        if a.abstained:
            parts.append('<div class="dp-abstain-label">Pas de réponse dans le corpus</div>')
        text = a.text if done else a.text[:t.shown]
        caret = "" if done else '<span class="dp-caret" aria-hidden="true"></span>'
        parts.append(f'<div class="dp-text">{shaped_text(text, a.citations, i, getattr(a, "shape", "fact"))}{caret}</div>')
        if done and a.citations:
            parts.append(sources_list(a.citations, i))
        if done and a.abstained:
            rel = related_of(a)
            parts.append(related_list(rel, i) if rel else
                         '<div class="dp-related dp-related-title">Aucun passage proche à proposer '
                         '(vérifiez la période et les articles choisis).</div>')
        parts.append("</div>")
    parts.append("</section>")
    return "".join(parts)


def welcome_html(examples: Sequence[str], corpus_line: str = "") -> str:
    buttons = "".join(f'<button type="button" class="dp-example" data-example="{esc(q)}">{esc(q)}</button>'
                      for q in examples)
    return ('<div class="dp-welcome"><h2>Que voulez-vous vérifier ?</h2>'
            '<p>Dépêche répond à partir des dépêches indexées, et chaque réponse renvoie aux phrases exactes '
            'qui la prouvent : cliquez sur un renvoi [1] pour lire l’article, passage surligné. '
            'Vous pouvez enchaîner avec une question de suivi (« Et qu’a répondu la Chine ? »).</p>'
            f'{f"<p class=dp-corpus>{esc(corpus_line)}</p>" if corpus_line else ""}'
            f'<div class="dp-examples" aria-label="Exemples de questions">{buttons}</div></div>')


def conversation_html(turns: Sequence[Turn], examples: Sequence[str] = (), corpus_line: str = "") -> str:
    if not turns:
        return f'<div class="dp-conv">{welcome_html(examples, corpus_line)}</div>'
    return f'<div class="dp-conv">{"".join(turn_html(t, i) for i, t in enumerate(turns))}</div>'


# ---- the source panel ---------------------------------------------------------------------------------
def source_placeholder() -> str:
    return ('<div class="dp-article dp-article-empty"><p>Cliquez sur un renvoi <b>[1]</b> ou sur une source '
            'pour lire ici l’article, le passage cité surligné.</p></div>')


def source_html(article: Article, start: int, end: int, label: str = "") -> str:
    """The article with text[start:end] highlighted; a very long text is cut around the passage."""
    text = article.text
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    lo, hi = 0, len(text)
    if len(text) > SOURCE_WINDOW:
        lo = max(0, start - SOURCE_WINDOW // 2)
        hi = min(len(text), max(end, lo + SOURCE_WINDOW))
    url = safe_url(article.url)
    if url:
        where = (f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer nofollow">{esc(url)}</a>')
    else:
        where = f'<span class="dp-path">{esc(article.url or article.path or article.id)}</span>'
    body = "".join([
        '<span class="dp-cut">[…] </span>' if lo > 0 else "",
        esc(text[lo:start]),
        f'<mark class="dp-hl">{esc(text[start:end])}</mark>' if end > start else "",
        esc(text[end:hi]),
        '<span class="dp-cut"> […]</span>' if hi < len(text) else "",
    ])
    return ('<article class="dp-article">'
            f'{f"<div class=dp-kicker>{esc(label)}</div>" if label else ""}'
            f'<h3 class="dp-article-title">{esc(article.title)}</h3>'
            f'<div class="dp-article-meta"><span class="dp-date">{esc(format_date(article.date))}</span>'
            f' · {where}</div>'
            f'<div class="dp-article-body" tabindex="0">{body}</div></article>')


def source_error(message: str) -> str:
    return f'<div class="dp-article dp-error" role="alert">{esc(message)}</div>'


# ---- filters -------------------------------------------------------------------------------------------
def filters_label(since: str | None, until: str | None, titles: Sequence[str]) -> str:
    """'du 4 septembre 2025 au … · 2 articles : « A », « B »'; '' when no filter is active."""
    parts = []
    if since and until:
        parts.append(f"du {format_date(since)} au {format_date(until)}")
    elif since:
        parts.append(f"depuis le {format_date(since)}")
    elif until:
        parts.append(f"jusqu’au {format_date(until)}")
    if titles:
        shown = ", ".join(f"« {t} »" for t in titles[:3]) + (f" et {len(titles) - 3} autres" if len(titles) > 3 else "")
        parts.append(f"{len(titles)} article{'s' if len(titles) > 1 else ''} : {shown}")
    return " · ".join(parts)


def filters_html(label: str, error: str = "", n_articles: int | None = None) -> str:
    if error:
        return f'<div class="dp-filters dp-filters-error" role="alert">{esc(error)}</div>'
    if label:
        return f'<div class="dp-filters dp-filters-on"><b>Filtres actifs</b> : {esc(label)}</div>'
    total = f" ({n_articles} articles)" if n_articles is not None else ""
    return f'<div class="dp-filters">Aucun filtre : tout le corpus{total}.</div>'
