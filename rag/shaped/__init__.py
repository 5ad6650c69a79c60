"""Answers shaped like the question (lists, summaries, why/how, what was said, timelines, yes/no).

:class:`ShapedAnswerer` is called by the engine for every shape but ``fact`` (rag/shapes.py). Each
shape has its builder module; this one turns what they choose into a :class:`~rag.answerers.Draft`
whose every claim cites a sentence re-read from its article and checked (rag/shaped/corpus.cite).
It returns None when the shape finds nothing to build with (no item, no cause): the engine then
asks the configured answerer, so a shaped question is never answered worse than before.
"""
from __future__ import annotations

import time
from typing import Sequence

from depeche.types import Hit
from rag import tuned
from rag.answerers import Draft, related_from
from rag.compose import not_found
from rag.shapes import CAUSE, LIST, MANNER, SAID, SUMMARY, TIMELINE, YESNO
from rag.shaped.corpus import Corpus, EngineCorpus, Sent, cite, is_debris
from rag.shaped.story import Stories
from rag.shaped.text import BULLET, MAX_PARTS, Cites, article_day, event_when, excerpt_of, quoted, words

SAID_CLAIMS = 3  # at most this many of a speaker's sentences (the issue: ~5 cited sentences in all)

# Evidence below which the corpus is taken not to hold the answer (the fact answerer's "other"
# threshold, rag/extractive.py ABSTAIN_OTHER; English questions score lower, x0.8).
THRESHOLD = 0.38
TIMELINE_PASSAGES = 16
REASON_POOL, REASON_SHARE = 8, 0.5  # a why/how answer's candidates: the best sentences, and their share of the best
EXPLAINED_WITHIN = 4  # sentences after an event where one pointing back at it may explain it
EN_SCALE = 0.8
READ_SHAPES = (LIST, CAUSE, MANNER)  # shapes whose sentences the reader re-ranks (rag/shaped/reading.py)


class ShapedAnswerer:
    def __init__(self, engine=None, corpus: Corpus | None = None) -> None:
        self.corpus = corpus or EngineCorpus(engine)
        t = float(getattr(getattr(engine, "settings", None), "abstain_threshold", 0.0) or 0.0)
        self.threshold = t or THRESHOLD
        self.stories = Stories(self.corpus)

    def warm_up(self) -> None:
        from rag.spans import parse

        parse(["Le président a rencontré jeudi son homologue à Paris."])

    # ---- helpers ----------------------------------------------------------------------------
    def before(self, s: Sent) -> tuple[Sent, Sent] | None:
        """The sentence before ``s`` in its article, and the span joining both (verbatim)."""
        art = self.corpus.article(s.article_id)
        if art is None:
            return None
        sents = self.corpus.sentences(s.article_id)
        prev = [x for x in sents if x.end <= s.start]
        if not prev or s.start - prev[-1].end > 3:
            return None
        p = prev[-1]
        return p, Sent(s.article_id, p.start, s.end, art.text[p.start:s.end], s.score, p.index)

    def widened(self, pool: list[Sent], articles: int, share: float = 0.3, also: Sequence[str] = ()) -> list[Sent]:
        """``pool`` and then every other sentence of its first ``articles`` articles, and of the
        articles ``also`` names (the scorer embeds only a few sentences; an item, a date or a
        deciding sentence may be in the others), scored ``share`` x the best."""
        if not pool:
            return pool
        top = pool[0].score
        seen = {(s.article_id, s.start) for s in pool}
        out = list(pool)
        ids = list(dict.fromkeys(s.article_id for s in pool))[:articles]
        for aid in dict.fromkeys([*ids, *also]):
            out += [Sent(x.article_id, x.start, x.end, x.text, share * top, x.index)
                    for x in self.corpus.sentences(aid) if (x.article_id, x.start) not in seen]
        return out

    def after(self, s: Sent, most: int) -> list[Sent]:
        """The ``most`` sentences after ``s`` (what a person said often follows the sentence naming them)."""
        nxt = [x for x in self.corpus.sentences(s.article_id) if x.start >= s.end][:most]
        return [Sent(x.article_id, x.start, x.end, x.text, 0.9 * s.score, x.index) for x in nxt]

    def earlier(self, s: Sent, most: int) -> list[Sent]:
        """Up to ``most`` stating sentences before ``s`` in its article, nearest first (captions skipped)."""
        prev = [x for x in self.corpus.sentences(s.article_id) if x.end <= s.start and not is_debris(x.text)]
        return prev[::-1][:most]

    def _abstain(self, english: bool, hits, timings, t0) -> Draft:
        timings["total"] = (time.perf_counter() - t0) * 1000
        return Draft(not_found(english), (), True, None, related_from(hits), timings)

    # ---- the answerer --------------------------------------------------------------------------
    def __call__(self, shape: str, question: str, hits: Sequence[Hit], *, english: bool = False) -> Draft | None:
        from rag.followup import without_context

        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        question = without_context(question) or question
        if not hits:
            return self._abstain(english, hits, timings, t0)
        hits = list(hits)
        if shape == TIMELINE and len(hits) < TIMELINE_PASSAGES:  # the events of a story lie in several
            hits = self.corpus.search(question, TIMELINE_PASSAGES, english) or hits  # articles: scored once
        ranked = self.corpus.scored(question, hits, english)
        timings["evidence"] = (time.perf_counter() - t0) * 1000
        threshold = self.threshold * (EN_SCALE if english else 1.0)
        if not ranked or ranked[0].score < threshold:
            return self._abstain(english, hits, timings, t0)
        if shape in READ_SHAPES and hasattr(self.corpus, "reread"):  # the reader says which sentences answer
            t1 = time.perf_counter()
            ranked = self.corpus.reread(question, hits, ranked)
            timings["reread"] = (time.perf_counter() - t1) * 1000
        build = {LIST: self.listed, SUMMARY: self.summary, CAUSE: self.reason, MANNER: self.reason,
                 SAID: self.said, TIMELINE: self.timeline, YESNO: self.yesno}[shape]
        t1 = time.perf_counter()
        got = build(shape, question, hits, ranked, english)
        timings["shape"] = (time.perf_counter() - t1) * 1000
        if got is None:
            return None
        text, cites, short, *stated = got
        if not cites.items:
            return None
        timings["total"] = (time.perf_counter() - t0) * 1000
        return Draft(text, tuple(cites.items), False, short, (), timings, shape=shape, stated=bool(stated))

    # ---- shapes ---------------------------------------------------------------------------------
    def listed(self, shape, question, hits, ranked, english):
        from rag.shaped.announced import stated_list
        from rag.shaped.lists import asks_for_names, asks_for_titles, list_items

        top, lead = ranked[0].score, ranked[0].article_id
        asked = self.stories.asked_of(question, lead, english)
        # an article that lacks most of the asked words the top one holds is of another story: its names
        # are not items ("rencontrer des dirigeants" in Beirut, asked of Sandhurst)
        story = {aid: self.stories.holds(aid, asked, least=1) for aid in dict.fromkeys(s.article_id for s in ranked[:10])}
        pool = self.widened([s for s in ranked[:10] if s.score >= 0.4 * top and story[s.article_id]], 2)
        got = stated_list(self.corpus, question, pool, ranked, english)
        if got is not None:
            return got
        if not asks_for_names(question, english) and not asks_for_titles(question):
            return None  # things, not names: the reader's answers, not entities
        items = list_items(question, pool, english, before=self.before)
        cites, lines, shown = Cites(), [], set()
        for it in items[:MAX_PARTS + 1]:
            c = cite(self.corpus, it.sent.article_id, it.sent.start, it.sent.end, it.sent.score, it.surface)
            if c is None:
                continue
            n = cites.add(c)
            tail = "" if n in shown else " — " + quoted(c.quote, it.at, len(it.surface), 160)
            shown.add(n)
            lines.append(f"{BULLET}{it.name}{tail} [{n}]")
            if len(lines) >= MAX_PARTS:
                break
        if not lines:
            return None
        return "\n".join(lines), cites, items[0].name

    def summary(self, shape, question, hits, ranked, english):
        from rag.shaped.summary import summarise

        cites, paras = Cites(), []
        for art, sents in summarise(question, hits, self.corpus, english, ranked=ranked):
            parts = []
            for s in sents:
                c = cite(self.corpus, art.id, s.start, s.end, s.score)
                if c is not None:
                    parts.append(f"{excerpt_of(c.quote)} [{cites.add(c)}]")
            if parts:
                paras.append(f"{art.title} ({article_day(art.date, english)}) : " + " ".join(parts))
        if not paras:
            return None
        return "\n\n".join(paras), cites, None

    def reason(self, shape, question, hits, ranked, english):
        from rag.shaped import reason_model
        from rag.shaped.reasons import ANAPHOR, asks_reaction, reasons

        top = ranked[0].score
        ranker = reason_model.for_engine(getattr(self.corpus, "engine", None))
        most, share = ranker.pool if ranker is not None else (REASON_POOL, REASON_SHARE)
        pool = [s for s in ranked[:most] if s.score >= share * top]
        if ranker is not None:  # the cause is often told just before or after the sentence of the event
            pool += self.beside_top(ranked, pool)
        if shape == MANNER and asks_reaction(question):  # "… Frédéric Lefebvre … tentaient de faire barrage.
            # Ce dernier en appelle au Pape François": the reaction follows the sentence naming who reacted
            seen = {(s.article_id, s.start) for s in pool}
            pool += [n for s in pool[:3] for n in self.after(s, 1)
                     if ANAPHOR.match(n.text) and (n.article_id, n.start) not in seen]
        found, sure = reasons(question, pool, manner=shape == MANNER, english=english), 1.0
        if ranker is not None:
            found, sure = ranker.order(question, found, shape == MANNER, english)
        if not found:
            return None
        best = found[0]
        from rag.shaped.reasons import CONSEQUENCE, POINTS_BACK
        from rag.shaped.said import PRONOUN_SPEAKER

        back = best.surface is None and shape == CAUSE and POINTS_BACK.search(best.sent.text)
        if best.surface is None and shape == CAUSE and not back:
            best = self._explained_next(question, best, english)
        s, at = best.sent, best.at
        surface = best.surface
        if best.surface is None and (CONSEQUENCE.search(s.text) or shape == MANNER and PRONOUN_SPEAKER.search(s.text)):
            pair = self.before(s)
            if pair:
                at += s.start - pair[1].start
                s = pair[1]
                if back:  # "… en raison de X. Pour cette raison, …": X is the cause
                    prev = reasons(question, [pair[0]], english=english)
                    if prev and prev[0].surface:
                        surface, at = prev[0].surface, prev[0].at
        c = cite(self.corpus, s.article_id, s.start, s.end, s.score, surface)
        if c is None:
            return None
        cites = Cites()
        n = cites.add(c)
        head = f"{surface} — " if surface else ""
        text = f"{head}{quoted(c.quote, at, len(surface or ''), 260)} [{n}]"
        named = self._cause_named(question, ranked, (s.start, s.end), english) if shape == CAUSE else None
        if named is not None:  # the article also names the cause outright: both are shown
            c2 = cite(self.corpus, named.sent.article_id, named.sent.start, named.sent.end, named.sent.score,
                      named.surface)
            if c2 is not None:
                head2 = f"{named.surface} — " if named.surface else ""
                text += f" ; {head2}{quoted(c2.quote, named.at, len(named.surface or ''), 260)} [{cites.add(c2)}]"
        elif shape == CAUSE and (nxt := self._goes_on(s)) is not None:  # the explanation often runs on
            c2 = cite(self.corpus, nxt.article_id, nxt.start, nxt.end, s.score)
            if c2 is not None:
                text += f" ; {quoted(c2.quote, 0, 0, 260)} [{cites.add(c2)}]"
        if sure < tuned.REASON_UNSURE:  # the ranker hesitates: its next candidate is shown too
            text += self._also(found[1:], cites, 1, english)
        return text, cites, surface

    def _also(self, found, cites: Cites, most: int, english: bool = False) -> str:
        """The ranker's next candidates not yet cited (a cause is often told in two places: "… afin de
        rétablir le courant" and "… en raison de la tempête"), up to ``most``, each cited and pointed to
        briefly after the answer ("voir aussi : en raison de la tempête [2]"; its marker opens the
        sentence), so the first answer stays the short one."""
        out, also = "", "see also" if english else "voir aussi"
        taken = [(c.article_id, c.start, c.end) for c in cites.items]
        for r in found:
            if most <= 0:
                break
            x = r.sent
            if any(a == x.article_id and x.start < e and b < x.end for a, b, e in taken):
                continue
            c = cite(self.corpus, x.article_id, x.start, x.end, x.score, r.surface)
            if c is None:
                continue
            colon = ":" if english else " :"
            clause = f"{colon} « {' '.join(excerpt_of(r.surface, 90).split())} »" if r.surface else ""
            out += f" ; {also}{clause} [{cites.add(c)}]"
            taken.append((x.article_id, x.start, x.end))
            most -= 1
        return out

    def beside_top(self, ranked: list[Sent], taken: Sequence[Sent] = ()) -> list[Sent]:
        """The sentences just before and just after the best-scored one in its article (not in ``taken``),
        with their evidence score when they were scored (0 otherwise): "Le festival a été annulé. Les
        organisateurs invoquent une alerte aux orages." The reason ranker weighs them by that position."""
        if not ranked:
            return []
        top, seen = ranked[0], {(s.article_id, s.start) for s in taken}
        score = {(s.article_id, s.start): s.score for s in ranked}
        pair = self.before(top)
        out = []
        for x in ([pair[0]] if pair else []) + self.after(top, 1)[:1]:
            if (x.article_id, x.start) not in seen and not is_debris(x.text):
                out.append(Sent(x.article_id, x.start, x.end, x.text, score.get((x.article_id, x.start), 0.0), x.index))
        return out

    def _goes_on(self, s: Sent) -> Sent | None:
        """The sentence after ``s`` in its paragraph, when there is one that states something."""
        art = self.corpus.article(s.article_id)
        nxt = self.after(s, 1)
        if art is None or not nxt or "\n" in art.text[s.end:nxt[0].start] or is_debris(nxt[0].text):
            return None
        return nxt[0]

    def _cause_named(self, question, ranked, taken: tuple[int, int], english):
        """A sentence of the top article that names the cause outright ("Les raisons évoquées sont…",
        "… s'explique par…", "X est l'explication de…"), however it scores against the question's
        words (it often shares few of them): the answer's second sentence, unless it is the first."""
        from rag.shaped.reasons import CAUSE_AHEAD, CAUSE_BEHIND, reasons

        lead = ranked[0].article_id
        marked = [x for x in ranked if x.article_id == lead and not (x.start < taken[1] and taken[0] < x.end)
                  and (CAUSE_AHEAD.search(x.text) or CAUSE_BEHIND.search(x.text))]
        found = reasons(question, marked, english=english)
        return found[0] if found else None

    def _more_words(self, claims, most: int) -> list:
        """What the first claim's speaker said elsewhere in its article (rag/shaped/said.same_speaker):
        a journalist asking what someone said wants all of it, not the best sentence alone."""
        from rag.shaped.said import same_speaker, speaker
        from rag.spans import parse

        if most <= 0 or not claims or not claims[0][0]:
            return []
        who, _, first = claims[0]
        shown = [Sent(c.article_id, c.start, c.end, c.quote) for _, _, c in claims if c.article_id == first.article_id]

        def speaker_of(text: str) -> str | None:
            got = speaker(parse([text])[0], text)
            return got[0] if got else None

        more = same_speaker(self.corpus.sentences(first.article_id), shown, who[0], most, speaker_of)
        out = []
        for s in more:
            c = cite(self.corpus, s.article_id, s.start, s.end, first.score)
            if c is not None:
                out.append((None, None, c))
        return out

    def _explained_next(self, question, best, english):
        """A sentence that only states the event is often explained by the next one ("Une cheminée se
        dresse à Xian. Elle sert à purifier l'air."): when that one holds a connective of cause or
        purpose, both are cited as one span, the cause from the connective on. A little further on,
        a sentence that points back to the event ("Cette mesure est prise pour des raisons de
        sécurité") explains it too: it is cited alone."""
        from rag.shaped.reasons import POINTS_TO_EVENT, Reason, reasons

        later = self.after(best.sent, EXPLAINED_WITHIN)
        nxt = reasons(question, later[:1], english=english)
        if nxt and nxt[0].surface:
            pair = self.before(nxt[0].sent)
            if pair is not None and pair[0].start == best.sent.start:
                joined = pair[1]
                return Reason(joined, best.score, nxt[0].surface, nxt[0].at + nxt[0].sent.start - joined.start)
        further = [x for x in later[1:] if POINTS_TO_EVENT.match(x.text)]
        found = [r for r in reasons(question, further, english=english) if r.surface]
        return Reason(found[0].sent, best.score, found[0].surface, found[0].at) if found else best

    def said(self, shape, question, hits, ranked, english):
        from rag.shaped.said import PRONOUN_SPEAKER, once_each, speaker, speech_score
        from rag.spans import parse

        top = ranked[0].score
        ranked = once_each(ranked[:8] + [n for s in ranked[:3] for n in self.after(s, 2)])
        pool = sorted(((s.score * speech_score(s.text), s) for s in ranked
                       if s.score >= 0.4 * top and speech_score(s.text) > 1.0 and not is_debris(s.text)),
                      key=lambda x: -x[0])
        if not pool:
            return None
        chosen = [s for sc, s in pool if sc >= 0.85 * pool[0][0]][:3]
        from rag.answer_types import question_words

        asked = set(question_words(question).names)
        claims = []
        for s, doc in zip(chosen, parse([s.text for s in chosen])):
            who, who_cite = speaker(doc, s.text), None
            if PRONOUN_SPEAKER.search(s.text) and (who is None or who[1] > 0):
                for p in self.earlier(s, 2):  # "…", a-t-il écrit: the one named just before
                    got = speaker(parse([p.text])[0], p.text)
                    if got:
                        who = got
                        who_cite = cite(self.corpus, p.article_id, p.start, p.end, p.score, got[0])
                        break
            c = cite(self.corpus, s.article_id, s.start, s.end, s.score, None if who_cite else (who[0] if who else None))
            if c is not None:
                claims.append((who, who_cite, c))
        named = [cl for cl in claims if cl[0] and {w.lower() for w in cl[0][0].split()} & asked]
        claims = named or claims  # "Qu'a écrit Trump ?": Trump's words, not Guo's reply
        from rag.shaped.said import in_reading_order

        claims = in_reading_order(claims + self._more_words(claims, SAID_CLAIMS - len(claims)))
        cites, parts = Cites(), []
        for who, who_cite, c in claims:  # the quotation is the claim: cited first; its speaker's sentence after
            head = f"{who[0]} — " if who else ""
            n = cites.add(c)
            tail = f" [{cites.add(who_cite)}]" if who_cite else ""
            parts.append(f"{head}{quoted(c.quote, 0, 0, 240)} [{n}]{tail}")
        if not parts:
            return None
        first = next((cl[0][0] for cl in claims if cl[0]), None)
        return " ; ".join(parts), cites, first

    def timeline(self, shape, question, hits, ranked, english):
        from dataclasses import replace

        from rag.dates import timeline_window
        from rag.shaped.timeline import MIN_EVENTS, best_of, since, timeline, within

        dates = {h.chunk.article_id: h.chunk.date for h in hits}
        top, lead = ranked[0].score, ranked[0].article_id
        story: dict[str, bool] = {}  # one check per article, not per sentence

        asked = self.stories.asked_of(question, lead, english)

        def of_story(aid: str) -> bool:
            if aid not in story:
                story[aid] = self.stories.same(aid, lead) and self.stories.holds(aid, asked)
            return story[aid]

        # the retrieved articles of the same story (checked on the articles' own words, so an
        # English question finds the French dispatches as well)
        also = [aid for aid in dict.fromkeys(h.chunk.article_id for h in hits) if of_story(aid)][:6]
        pool = self.widened([s for s in ranked if s.score >= 0.3 * top], 4, 0.5, also=also)
        pool = [s for s in pool if of_story(s.article_id)]
        window = timeline_window(question)
        # the period the question names: its events first, others only to reach three
        inside = timeline([s for s in pool if within(s.text, dates.get(s.article_id), window)], dates, most=8) \
            if window else []
        if sum(not e.extra for e in inside) >= MIN_EVENTS:
            events = inside
        else:
            got = {(e.sent.article_id, e.sent.start) for e in inside}
            rest = sorted((e for e in timeline(pool, dates, most=8) if (e.sent.article_id, e.sent.start) not in got),
                          key=lambda e: e.rank)
            events = [*inside, *(replace(e, rank=len(inside) + i) for i, e in enumerate(rest))]
        events = best_of(since(question, events, english), MAX_PARTS)
        cites, lines = Cites(), []
        for e in events:
            c = cite(self.corpus, e.sent.article_id, e.sent.start, e.sent.end, e.sent.score)
            if c is None:
                continue
            when = event_when(e.date, e.grain, english) if e.date else ("date unknown" if english else "date inconnue")
            lines.append(f"{BULLET}{when} — {quoted(c.quote, 0, 0, 200)} [{cites.add(c)}]")
        if not lines:
            return None
        return "\n".join(lines), cites, None

    def yesno_pool(self, ranked: list[Sent]) -> tuple[list[Sent], list[bool]]:
        """The sentences a yes/no answer decides from: the evidence ranker's first 20 and the other
        sentences of the top article (True for the ranked ones)."""
        pool = self.widened(ranked[:20], 1)
        return pool, [i < min(20, len(ranked)) for i in range(len(pool))]

    def yesno(self, shape, question, hits, ranked, english):
        from rag.shaped.yesno import yesno

        return yesno(self, question, ranked, english)
