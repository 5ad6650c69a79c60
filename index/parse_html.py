"""HTML articles (.html, .htm): the visible text (scripts and styles dropped), title from <title>/<h1>."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from depeche.types import Article
from index.parse_common import check_text, short_title


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
    check_text(body)
    return Article(id=article_id, title=title, text=body, path=path)
