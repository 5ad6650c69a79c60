"""Pack sentences into chunks of about ``max_tokens`` tokens, with character offsets (pure).

Every chunk satisfies ``article.text[chunk.start:chunk.end] == chunk.text``.
"""
from __future__ import annotations

import math
import re

from depeche.types import Article, Chunk
from index.sentences import split_sentences

_WORD = re.compile(r"\w+")
_PUNCT = re.compile(r"[^\w\s]")


def approx_tokens(text: str) -> int:
    """A cheap estimate of XLM-R sub-word tokens (≈1.3 per French word, 1 per punctuation)."""
    # Every \w+ run starts with a letter, digit or "_" (a word); every other non-space is punctuation.
    # Two C-level scans: this runs on every sentence of the corpus at each build.
    words = sum(1 + len(w) // 9 for w in _WORD.findall(text))
    return math.ceil(words * 1.3) + len(_PUNCT.findall(text))


def _windows(text: str, s: int, e: int, max_tokens: int) -> list[tuple[int, int]]:
    """Cut one over-long sentence at spaces into pieces of at most ~max_tokens."""
    # One pass over the words (linear: a huge unpunctuated "sentence" must not take quadratic time).
    pieces = []
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[s:e])]
    i = 0
    while i < len(words):
        j, count = i, 0
        while j < len(words):
            count += approx_tokens(text[s + words[j][0]:s + words[j][1]])
            if count > max_tokens and j > i:
                break
            j += 1
        pieces.append((s + words[i][0], s + words[j - 1][1]))
        i = j
    return pieces


def chunk_spans(text: str, max_tokens: int = 200, overlap: int = 1) -> list[tuple[int, int]]:
    sents: list[tuple[int, int]] = []
    for s, e in split_sentences(text):
        if approx_tokens(text[s:e]) > max_tokens:
            sents.extend(_windows(text, s, e, max_tokens))
        else:
            sents.append((s, e))
    if not sents:
        return []
    sizes = [approx_tokens(text[s:e]) for s, e in sents]
    spans = []
    i = 0
    while i < len(sents):
        j, total = i, 0
        while j < len(sents) and (j == i or total + sizes[j] <= max_tokens):
            total += sizes[j]
            j += 1
        spans.append((sents[i][0], sents[j - 1][1]))
        if j >= len(sents):
            break
        i = max(j - overlap, i + 1) if overlap > 0 else j
    return spans


def chunk_article(article: Article, max_tokens: int = 200, overlap: int = 1) -> list[Chunk]:
    key = article.content_hash[:10]
    return [
        Chunk(
            id=f"{article.id}::{key}::{n}",
            article_id=article.id,
            title=article.title,
            date=article.date,
            url=article.url,
            path=article.path,
            start=s,
            end=e,
            text=article.text[s:e],
        )
        for n, (s, e) in enumerate(chunk_spans(article.text, max_tokens, overlap))
    ]


def embed_text(chunk: Chunk) -> str:
    """What is embedded and searched for a chunk: its article title, then its text."""
    return f"{chunk.title}\n{chunk.text}" if chunk.title else chunk.text
