"""What the chat does, without Gradio: ask (streamed), follow-up history, filters, the source panel.

One :class:`Chat` wraps the one loaded :class:`~rag.engine.Engine` shared by every browser session.
A session's conversation is a list of :class:`~ui.render.Turn` kept by the caller (Gradio state);
every method takes it and returns new values, so sessions never share mutable state.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import threading
import time
from dataclasses import replace
from typing import Iterator, Mapping, Sequence

from depeche.errors import DepecheError
from depeche.types import Article, Citation
from ui import render
from rag.engine import MAX_QUESTION_CHARS
from ui.errors import user_message
from ui.render import Turn

EXAMPLES = (
    "Qui a rencontré Kim Jong Un jeudi à Pékin ?",
    "Quand Kim Jong Un est-il arrivé à Pékin ?",
    "Combien le PSG a-t-il payé pour Neymar ?",
    "Who was elected president of Colombia?",
)
# CPU-bound work (embedding, scoring) runs at most this many at a time; more would only thrash 2 cores.
ENGINE_SLOTS = max(1, min(2, os.cpu_count() or 1))
SLOT_TIMEOUT_S = 120.0
STREAM_STEPS = 16
STREAM_DELAY_S = 0.02
HISTORY_TURNS = 2
MAX_TURNS = 50  # turns a session's conversation keeps (older ones are dropped from the page and state)
ARTICLE_MATCHES = 20  # articles offered by the filter for what is typed


def parse_day(value: object, which: str) -> str | None:
    """A date field's value -> 'YYYY-MM-DD' (None when empty); a bad value -> DepecheError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:  # a Unix timestamp, as gr.DateTime(type="timestamp") gives
            return dt.datetime.fromtimestamp(value).date().isoformat()
        except (OverflowError, OSError, ValueError):
            raise DepecheError(f"La date {which} ({str(value)[:40]}) n’est pas une date ; écrivez-la "
                               "AAAA-MM-JJ.") from None
    if not isinstance(value, str):
        raise DepecheError(f"La date {which} doit être un texte AAAA-MM-JJ ; corrigez-la ou videz le champ.")
    text = value.strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$", text)
    try:
        if not m:
            raise ValueError
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        raise DepecheError(f"La date {which} « {text[:40]} » n’est pas une date AAAA-MM-JJ ; "
                           "corrigez-la ou videz le champ.") from None


def parse_filters(since: object, until: object, articles: Sequence[str] | None,
                  known: Mapping[str, Article]) -> tuple[str | None, str | None, tuple[str, ...], str]:
    """(since, until, article ids, label) from the filter fields; bad input -> DepecheError."""
    s, u = parse_day(since, "de début"), parse_day(until, "de fin")
    if s and u and s > u:
        raise DepecheError("La date de début est après la date de fin ; inversez-les.")
    if articles is not None and not isinstance(articles, (list, tuple)):
        articles = [articles]
    if any(not isinstance(a, str) for a in articles or []):
        raise DepecheError("Le filtre d’articles attend des identifiants d’articles (du texte).")
    ids = tuple(dict.fromkeys(a for a in (articles or []) if a))
    missing = [a for a in ids if a not in known]
    if missing:
        raise DepecheError(f"L’article « {missing[0]} » n’est pas (ou plus) dans l’index ; retirez-le du filtre.")
    return s, u, ids, render.filters_label(s, u, [known[a].title for a in ids])


def _n(x: int) -> str:
    return f"{x:,}".replace(",", "\u202f")


def article_label(a: Article) -> str:
    return f"{a.title[:90]} — {a.date or 'sans date'}"


def search_articles(rows: Sequence[tuple[str, Article]], text: str, limit: int) -> list[Article]:
    """The first ``limit`` articles of ``rows`` (folded text, article) holding every typed word."""
    from index.french import fold

    words = fold(text or "").split()
    out = []
    for folded, a in rows:
        if all(w in folded for w in words):
            out.append(a)
            if len(out) >= limit:
                break
    return out


def history_of(turns: Sequence[Turn]) -> list[str]:
    """Earlier questions (as searched) and short answers, oldest first, for follow-up questions."""
    out: list[str] = []
    for t in [t for t in turns if t.answer is not None and not t.error][-HISTORY_TURNS:]:
        a = t.answer
        out.append(a.search_query or t.question)
        if not a.abstained:
            out.append(a.short_answer or _first_sentence(a.text))
    return out


def _first_sentence(text: str, limit: int = 300) -> str:
    m = re.match(r"(.+?[.!?])(?:\s|$)", text)
    return (m.group(1) if m else text)[:limit]


class Chat:
    def __init__(self, engine, *, slots: int = ENGINE_SLOTS, examples: Sequence[str] = EXAMPLES,
                 stream_delay: float = STREAM_DELAY_S) -> None:
        self.engine = engine
        self.examples = tuple(examples)
        self.stream_delay = stream_delay
        self._slots = threading.BoundedSemaphore(slots)

    # ---- page ---------------------------------------------------------------------------------
    def corpus_line(self) -> str:
        arts = self.engine.articles()
        dates = sorted(a.date for a in arts.values() if a.date)
        span = f", du {render.format_date(dates[0])} au {render.format_date(dates[-1])}" if dates else ""
        return f"{len(arts)} article{'s' if len(arts) != 1 else ''} indexé{'s' if len(arts) != 1 else ''}{span}."

    def article_choices(self, text: str = "", selected: Sequence[str] | None = (),
                        limit: int = ARTICLE_MATCHES) -> list[tuple[str, str]]:
        """(label, id) for the article filter: the selected articles, then up to ``limit`` articles
        whose title (or id) holds every word typed, accents and case aside, newest first. Never the
        whole index: with 100,000 articles the page and the API schema stay small."""
        arts = self.engine.articles()
        picked = [a for a in dict.fromkeys(selected or ()) if a in arts]
        out = [(article_label(arts[a]), a) for a in picked]
        for a in search_articles(self._title_index(arts), text, limit + len(picked)):
            if a.id not in picked and len(out) < limit + len(picked):
                out.append((article_label(a), a.id))
        return out

    def _title_index(self, arts: Mapping[str, Article]) -> list[tuple[str, Article]]:
        """(folded title + id, article), newest first; rebuilt when the index changes."""
        cached = getattr(self, "_titles", None)
        if cached is None or cached[0] is not arts:
            from index.french import fold

            rows = sorted(arts.values(), key=lambda a: (a.date or "", a.title), reverse=True)
            cached = (arts, [(fold(f"{a.title} {a.id}"), a) for a in rows])
            self._titles = cached
        return cached[1]

    def answer_json(self, question: str, since: object = None, until: object = None,
                    articles: Sequence[str] | None = None) -> dict:
        """The API: exactly `depeche ask --json`'s object (Answer.to_json()); bad input -> DepecheError."""
        q = " ".join((question or "").split())
        s, u, ids, _label = parse_filters(since, until, articles, self.engine.articles())
        if not self._slots.acquire(timeout=SLOT_TIMEOUT_S):
            raise DepecheError("Le serveur est trop occupé ; réessayez dans un instant.")
        try:
            return self.engine.ask(q, since=s, until=u, articles=ids).to_json()
        finally:
            self._slots.release()

    def conversation(self, turns: Sequence[Turn]) -> str:
        return render.conversation_html(turns, self.examples, self.corpus_line() if not turns else "")

    def filters_view(self, since: object, until: object, articles: Sequence[str] | None) -> str:
        try:
            label = parse_filters(since, until, articles, self.engine.articles())[3]
        except Exception as exc:  # noqa: BLE001 - shown to the user, never raised into Gradio
            return render.filters_html("", error=user_message(exc))
        return render.filters_html(label, n_articles=len(self.engine.articles()))

    # ---- asking -----------------------------------------------------------------------------------
    def ask(self, question: str, turns: Sequence[Turn], since: object = None, until: object = None,
            articles: Sequence[str] | None = None) -> Iterator[list[Turn]]:
        """Successive states of the conversation: question pending, answer streaming, answer done."""
        turns = list(turns or [])[-(MAX_TURNS - 1):]  # a session keeps its last MAX_TURNS turns
        if question is not None and not isinstance(question, str):
            yield turns + [Turn("…", error="La question doit être un texte.")]
            return
        if len(question or "") > MAX_QUESTION_CHARS:  # refused before any work; the page caps it too
            yield turns + [Turn(question[:80] + "…", error=f"La question dépasse {_n(MAX_QUESTION_CHARS)} caractères "
                                f"({_n(len(question))}) ; raccourcissez-la.")]
            return
        q = " ".join((question or "").split())
        if not q:
            yield turns
            return
        try:
            s, u, ids, label = parse_filters(since, until, articles, self.engine.articles())
        except Exception as exc:  # noqa: BLE001
            yield turns + [Turn(q, error=user_message(exc))]
            return
        pending = Turn(q, filters=label)
        yield turns + [pending]
        try:
            if not self._slots.acquire(timeout=SLOT_TIMEOUT_S):
                raise TimeoutError("no engine slot")
            try:
                answer = self.engine.ask(q, since=s, until=u, articles=ids, history=history_of(turns))
            finally:
                self._slots.release()
        except Exception as exc:  # noqa: BLE001
            yield turns + [replace(pending, error=user_message(exc))]
            return
        points = render.stream_points(answer.text, STREAM_STEPS)
        for i, p in enumerate(points[:-1]):
            yield turns + [replace(pending, answer=answer, shown=p)]
            if self.stream_delay:
                time.sleep(self.stream_delay)
        yield turns + [replace(pending, answer=answer, shown=None)]

    # ---- the source panel ---------------------------------------------------------------------------
    def citation(self, turns: Sequence[Turn], turn: int, n: int = 0, related: int = 0) -> Citation:
        try:
            a = turns[int(turn)].answer
            if a is None:
                raise IndexError
            if related:
                return render.related_of(a)[int(related) - 1]
            return next(c for c in a.citations if c.n == int(n))
        except (IndexError, StopIteration, TypeError, ValueError):
            raise DepecheError("Ce renvoi ne correspond à aucune source de la conversation ; "
                               "reposez la question.") from None

    def source(self, turns: Sequence[Turn], turn: int, n: int = 0, related: int = 0) -> str:
        """The source panel for citation n (or related passage i) of a turn, passage highlighted."""
        try:
            c = self.citation(turns, turn, n, related)
            article = self.engine.article(c.article_id)
            start, end = c.start, c.end
            if article.text[start:end] != c.quote:  # the index was updated since the answer
                i = article.text.find(c.quote)
                start, end = (i, i + len(c.quote)) if i >= 0 else (0, 0)
            label = f"Passage proche {related}" if related else f"Source [{c.n}]"
            return render.source_html(article, start, end, label)
        except Exception as exc:  # noqa: BLE001
            return render.source_error(user_message(exc))
