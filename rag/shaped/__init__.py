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
from rag.answerers import Draft, related_from
from rag.compose import not_found
from rag.shapes import CAUSE, LIST, MANNER, SAID, SUMMARY, TIMELINE, YESNO
from rag.shaped.corpus import Corpus, EngineCorpus, Sent, cite, is_debris
from rag.shaped.grounding import Grounding
from rag.shaped.story import Stories
from rag.shaped.text import BULLET, MAX_PARTS, Cites, article_day, event_when, excerpt_of, quoted, words
from rag.shaped.why import WhyHow

SAID_CLAIMS = 3  # at most this many of a speaker's sentences (the issue: ~5 cited sentences in all)

# Evidence below which the corpus is taken not to hold the answer (the fact answerer's "other"
# threshold, rag/extractive.py ABSTAIN_OTHER; English questions score lower, x0.8).
THRESHOLD = 0.38
TIMELINE_PASSAGES = 16
EN_SCALE = 0.8
READ_SHAPES = (LIST, CAUSE, MANNER)  # shapes whose sentences the reader re-ranks (rag/shaped/reading.py)
# shapes answered from the sentences of the articles that name what the question names, when some do
# (an answer from the others becomes "not found" at the end, rag/engine.named_or_abstain)
NAMING_SHAPES = (CAUSE, MANNER, SAID, SUMMARY)
# shapes answered only from articles that state the event the question asks about (rag/shaped/event.py)
EVENT_SHAPES = (CAUSE, MANNER)
# shapes whose sentences come from the best article's story: articles holding most of the question's
# words it holds, the period's aside (rag/shaped/story.Stories.holds)
STORY_SHAPES = (CAUSE, MANNER)


class ShapedAnswerer(WhyHow, Grounding):
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
        if shape in NAMING_SHAPES:  # "Comment le tireur de Fort Lauderdale…": not the Orlando shooter's weapon
            ranked = self.naming(question, ranked)
        if shape in EVENT_SHAPES:  # "Pourquoi Le Cléac'h a-t-il abandonné…", asked of his victory
            ranked = self.stating(question, ranked, english)
            if not ranked:
                return self._abstain(english, hits, timings, t0)
        if shape in STORY_SHAPES:  # "… autocar au Texas": not the station's arm "contrôlé depuis Houston au Texas"
            asked = self.stories.asked_of(question, ranked[0].article_id, english, dated=False)
            of_story = {aid: self.stories.holds(aid, asked) for aid in {s.article_id for s in ranked}}
            ranked = [s for s in ranked if of_story[s.article_id]]
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
        got = self.podium(question, ranked, english) or stated_list(self.corpus, question, pool, ranked, english)
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

    def race_report(self, question: str, ranked: Sequence[Sent], most: int = 5) -> str:
        """Of the best-scored articles (at most ``most``), the first dated in the period the question
        names ("Abou Dabi 2016": not the 2017 report, though its title is spelt like the question)
        whose title holds most of the question's names ("Ironman France à Nice": the report titled
        "Ironman France", not the one of Frankfurt that scores better and mentions Nice), else the
        best-scored one."""
        from index.french import tokenize
        from rag.dates import period_in, widen
        from rag.names import question_names

        names = {n[0] for n in question_names(question)}
        period = period_in(question)
        lo, hi = widen(period, 7) if period else ("", "9999")
        best, top = ranked[0].article_id, (False, 0)
        for aid in list(dict.fromkeys(s.article_id for s in ranked))[:most]:
            art = self.corpus.article(aid)
            if art is None:
                continue
            key = (bool(period) and lo <= (art.date or "") <= hi, len(names & set(tokenize(art.title))))
            if key > top:
                best, top = aid, key
        return best

    def podium(self, question: str, ranked: Sequence[Sent], english: bool):
        """A race's first three read off the report (:meth:`race_report`; rag/shaped/podium.py), each
        name cited by its sentence: (text, cites, first name, stated) or None."""
        from rag.shaped.lists import _label_set
        from rag.shaped.podium import asks_podium, podium

        if not asks_podium(question):
            return None
        aid = self.race_report(question, ranked)
        art = self.corpus.article(aid)
        if art is None:
            return None
        sents, year = self.corpus.sentences(aid), (art.date or "")[:4] or None
        found = podium(question, sents, year, _label_set(question, english)) or \
            podium(question, sents, year, {"LOC", "ORG"})  # a contest of countries ("c'était qui sur le podium")
        cites, lines = Cites(), []
        for s, a, b, name in found:
            c = cite(self.corpus, s.article_id, s.start, s.end, s.score, name)
            if c is None:
                continue
            n = cites.add(c)
            lines.append(f"{BULLET}{name} — {quoted(c.quote, a, b - a, 160)} [{n}]")
        if len(lines) < 2:
            return None
        return "\n".join(lines), cites, found[0][3], True

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

        # the sentences inside a quotation already shown are its own, not more of their words
        starts = {y.start for y in shown}
        sents = [x for x in self.corpus.sentences(first.article_id)
                 if x.start in starts or not any(y.start <= x.start < y.end for y in shown)]
        more = same_speaker(sents, shown, who[0], most, speaker_of)
        out, taken = [], [(y.start, y.end) for y in shown]
        for s in more:
            s = self.quotation_of(s)
            if any(a <= s.start < b or s.start <= a < s.end for a, b in taken):
                continue
            c = cite(self.corpus, s.article_id, s.start, s.end, first.score)
            if c is not None:
                out.append((None, None, c))
                taken.append((s.start, s.end))
        return out

    def quotation_of(self, s: Sent) -> Sent:
        """``s`` widened to the whole quotation it is part of (rag/shaped/said.whole_quotation), as
        one verbatim span of its article."""
        from rag.shaped.said import whole_quotation

        sents = self.corpus.sentences(s.article_id)
        i = next((k for k, x in enumerate(sents) if x.start == s.start), None)
        art = self.corpus.article(s.article_id)
        if i is None or art is None:
            return s
        a, b = whole_quotation(sents, i)
        if (a, b) == (i, i):
            return s
        start, end = sents[a].start, sents[b].end
        return Sent(s.article_id, start, end, art.text[start:end], s.score, sents[a].index)

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
                for p in self.earlier(s, 2):  # "…", a-t-il écrit: the one named just before, a person
                    got = speaker(parse([p.text])[0], p.text, people=True)  # (not "le nom « eSwatini »")
                    if got:
                        who = got
                        who_cite = cite(self.corpus, p.article_id, p.start, p.end, p.score, got[0])
                        break
            s = self.quotation_of(s)  # the whole quotation, when the splitter cut it
            c = cite(self.corpus, s.article_id, s.start, s.end, s.score, None if who_cite else (who[0] if who else None))
            if c is not None and not any(o[2].article_id == c.article_id and o[2].start <= c.start and c.end <= o[2].end
                                         for o in claims):
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

    def timeline_pool(self, question, hits, ranked, english) -> tuple[list[Sent], dict[str, str | None], frozenset]:
        """(the sentences a timeline chooses its events from, article id -> date, the (article,
        start) of those the evidence ranker scored): the evidence's sentences and the other
        sentences of the retrieved articles of the top article's story."""
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
        scored = [s for s in ranked if s.score >= 0.3 * top]
        pool = self.widened(scored, 4, 0.5, also=also)
        return [s for s in pool if of_story(s.article_id)], dates, frozenset((s.article_id, s.start) for s in scored)

    def timeline(self, shape, question, hits, ranked, english):
        from rag.shaped import timeline_model
        from rag.shaped.timeline import events_for

        pool, dates, scored = self.timeline_pool(question, hits, ranked, english)
        model = timeline_model.for_engine(getattr(self.corpus, "engine", None))
        events = events_for(question, pool, dates, english, MAX_PARTS, model, scored)
        cites, lines = Cites(), []
        for e in events:
            c = cite(self.corpus, e.sent.article_id, e.sent.start, e.sent.end, e.sent.score)
            if c is None:
                continue
            when = event_when(e.date, e.grain, english, e.hour) if e.date else ("date unknown" if english else "date inconnue")
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

        return yesno(self, question, ranked, english, max(len(hits), 5))
