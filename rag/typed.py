"""How a question is typed in a chat box, and what of it is the question (pure functions).

Normalisation for the shape rules of rag/shapes.py (:func:`normalised`: accents and case folded,
hyphens and apostrophes dropped in typing restored, a mistyped question word read as typed right),
and the words around a question that are no part of it (:func:`strip_opener`: a greeting, a word of the
conversation, a polite or indirect opener, closing courtesy).
"""
from __future__ import annotations

import re

from index.french import STOPWORDS_FR, fold


def normalised(question: str) -> str:
    """``question`` folded and normalised for the shape rules (see the module doc)."""
    q = fold(question).replace("’", "'").replace("`", "'")
    q = re.sub(r"[?!.]+\s*$", "", q)
    q = re.sub(r"\b(\w+) t (il|elle|on|ils|elles)\b", r"\1-t-\2", q)  # "y a t il" as typed for "y a-t-il"
    q = re.sub(r"(?:(?<=\s)|^)(qu|[cdjlmnst]) (?=[aeiouyh])", r"\1'", q)  # "qu est ce que", "l arreter": the apostrophe dropped
    q = re.sub(r"\b(what|that|it|who|where|how)'s\b", r"\1 is", q)
    q = re.sub(r"\bwhats\b", "what is", q)
    q = re.sub(r"\bwhos\b", "who is", q)
    q = re.sub(r"\bwich\b", "which", q)
    q = re.sub(r"^(and )?wat\b", r"\1what", q)
    q = re.sub(r"^(et )?c (?=quoi|qui|vrai|exact)", r"\1c'est ", q)  # "c quoi les revendications", "c vrai que"
    q = re.sub(r"\bquest(?:-| )ce\b", "qu'est-ce", q)  # "quest ce qu'elle a écrit"
    q = re.sub(r"(?:^|(?<=\s))(?:ya|y'a)(?= )", "y a", q)  # "ya eu quoi depuis…", "y'a qui au sommet"
    q = re.sub(r"\b(how|who|what|where|when|why)'d\b", r"\1 did", q)  # "how'd the police catch him"
    q = re.sub(r"\b(qu'est|est) ce (?=qu)", r"\1-ce ", q)  # "qu'est ce qu'a dit", "est ce que" as typed
    # "les îles sont elles habitées", "est il parti": the inversion typed without its hyphen
    q = re.sub(r"\b(est|sont|etait|etaient|a|ont|avait|avaient|sera|seront|peut|peuvent|doit|doivent|va|vont|fait|font) "
               r"(il|elle|ils|elles|on)\b", r"\1-\2", q)
    q = re.sub(r"\b(donnez?|dis|dites|citez?|indiquez?|racontez?|fais|faites|expliquez?|resumez?|montrez?|rappelez?|"
               r"listez?|enumerez?|nommez?|decri[st]|decrivez) (moi|nous)\b", r"\1-\2", q)  # "donne moi"
    q = re.sub(r"\b(?:pourqoui|pouquoi|porquoi|pourquoit?|pk|pq)\b", "pourquoi", q)
    q = re.sub(r"\s+", " ", q).strip()
    m = re.match(r"(?:et )?([a-z]{4,})\b", q)  # "Qaund l'UNESCO s'est-elle…", "Comemnt…": the question word mistyped
    return q[:m.start(1)] + _mistyped_qword(m.group(1)) + q[m.end(1):] if m else q


_QWORDS_LONG = ("pourquoi", "comment", "combien", "quand", "quelle", "quelles", "quels", "lequel", "laquelle", "lesquels",
                "lesquelles")
_QWORDS_EN = ("which", "where", "whose")  # English: two letters swapped only ("there" is no "where" mistyped)
_NOT_MISTYPED = {"quant", "comme", "commun", "combine"}
FOLDED_STOP = frozenset(fold(w) for w in STOPWORDS_FR)


def _mistyped_qword(word: str) -> str:
    """The question word ``word`` is one letter off or two swapped letters from, else ``word`` (pure)."""
    from rag.names import one_edit, swapped

    if word in _QWORDS_LONG or word in _QWORDS_EN or word in _NOT_MISTYPED or word in FOLDED_STOP:
        return word
    # a letter added at the end makes another word ("comments", "commente"), not a typo
    return next((q for q in _QWORDS_LONG if (one_edit(word, q) and not word.startswith(q)) or swapped(word, q)), None) \
        or next((q for q in _QWORDS_EN if swapped(word, q)), word)


# A polite or indirect opener: what follows it is the question ("Do you know who replaced…" asks who,
# "Could you name the players…" asks for a list, "Je me demande si la grève est terminée" yes or no).
OPENER = re.compile(
    r"^(?:(?:et|alors|bon|ok|okay|so|and|well)\b,?\s*)*"
    r"(?:je (?:me demande|voudrais savoir|veux savoir|souhaite savoir|souhaiterais savoir|cherche a savoir|"
    r"aimerais savoir|voudrais comprendre|aimerais comprendre|voudrais connaitre|veux connaitre|cherche)|"
    r"j'aimerais (?:savoir|comprendre|connaitre)|merci de (?:me |m')?(?:dire|indiquer|donner|rappeler|citer|lister|preciser)|"
    r"(?:est-ce que |est-ce qu')?(?:pourriez-vous|pourrais-tu|peux-tu|pouvez-vous|tu peux|vous pouvez|tu pourrais|"
    r"vous pourriez|sais-tu|savez-vous|sait-on|on sait)(?: (?:me|nous|m'))?"
    r"(?: ?(?:dire|indiquer|preciser|confirmer|rappeler|donner|citer|lister|enumerer))?|"
    r"(?:do you know|does anyone know|(?:can|could|would) you (?:please )?tell (?:me|us)|i wonder|i'm wondering|"
    r"i am wondering|i'd like to know|i would like to know|i want to know|please tell (?:me|us)|i need|i'd like|"
    r"would you mind|i'm looking for|i am looking for|please|"
    # "I'm trying to remember who…", "je ne me souviens plus quels…": the question follows
    r"i'm trying to remember|i am trying to remember|i can't remember|i cannot remember|i forget|i forgot|"
    r"je (?:ne )?me (?:souviens|rappelle) (?:plus|pas)|j'ai oublie|"
    r"j'ai besoin (?:de|d')|il me faut|"
    r"(?:any|an) idea|(?:t'as |tu as |vous avez |t'aurais |vous auriez )?une idee|(?:est-ce que |est-ce qu')?(?:tu sais|vous savez|on sait)|"
    r"(?:can|could|would) you(?: please)?(?: (?:confirm|check))?))\b[, ]*")
WHETHER = re.compile(r"^(?:si|s'il|s'ils|whether|if)\b")


# A greeting before the question ("Bonjour, quels…", "Hi! why…") and courtesy after it ("… svp", "…? merci",
# "…? Thanks"): chat habits, no words of the topic (a capitalised "Bonjour" read as a name the articles
# lack made the answer a refusal)
_GREETING = re.compile(r"^\s*(?:(?:bonjour|bonsoir|salut|coucou|hello|hi|hey|good (?:morning|afternoon|evening))"
                       r"(?: (?:a tous|a vous|tout le monde|everyone|there|all))?(?:\s*[,.!:;-]+\s*|\s+))+(?=\S)")
_COURTESY = re.compile(r"(?:[\s,]*(?:s'il (?:vous|te) plait|svp|stp|please|pls|plz|thx|merci(?: d'avance| beaucoup| bien)?|"
                       r"thanks?(?: you)?(?: in advance)?)\b[\s.!]*)+$")
_THANKED = re.compile(r"\b(?:dit|dire|disent|dira|ecrit|lance|repondu|said|say|says|saying|wrote|written|tweeted)\s*$")
# "dis-moi pourquoi…" (or "dis moi"), "tell me why…": an imperative opener, when a question word follows it
_TELL = re.compile(r"^(?:dis|dites|explique|expliquez|raconte|racontez)[- ](?:moi|nous) (?=pourquoi|comment|qui|quand|ou|quel|"
                   r"combien|si|ce qu|what|why|how|who|when|where|which|whether|if)|^(?:tell|explain(?: to)?) (?:me|us) "
                   r"(?=what|why|how|who|when|where|which|whether|if)")
# "ok et la réaction de Pékin ?", "Alors, pourquoi…", "So, who…": a word of the conversation, no topic
# "(Salut,) petite question : le rover…", "quick question: did…": a chat filler announcing the question
_MARKER = re.compile(r"^(?:(?:ok|okay|d'accord|alors|bon|so|well|right)(?:\s*[,!.]+\s*|\s+(?=et |and ))|"
                     r"(?:juste |just )?(?:une |one |a )?(?:petite |toute petite |quick |small |little )?question\s*[:,!.]+\s*)(?=\S)")


def courtesy_span(q: str) -> tuple[int, int]:
    """Where the question lies in folded text ``q`` once a greeting, a word of the conversation and
    closing courtesy are left out."""
    g = _GREETING.match(q)
    a = g.end() if g else 0
    m = _MARKER.match(q[a:])
    a += m.end() if m else 0
    c = _COURTESY.search(q, a)
    b = c.start() if c and c.start() > a and not _THANKED.search(q, a, c.start()) else len(q)  # "Qui a dit merci"
    return a, b


def strip_opener(question: str) -> str:
    """``question`` without its greeting, polite or indirect opener and closing courtesy, as typed
    ("Bonjour, je voudrais savoir pourquoi… svp" -> "Pourquoi…", "Could you tell me which…" -> "Which…"):
    the words of the opener are no words of the topic, for retrieval nor for the answer builders.
    Unchanged without an opener, or with nothing after it (pure)."""
    folded, at = [], []
    for i, ch in enumerate(question):
        for f in fold(ch).replace("’", "'"):
            folded.append(f)
            at.append(i)
    text = "".join(folded)
    a, b = courtesy_span(text)
    m = OPENER.match(text[a:])
    if m and m.group(0).strip():
        a += m.end()
    else:
        t = _TELL.match(text[a:])
        a += t.end() if t else 0
    if a == 0 and b == len(text) or a >= b:
        return question
    rest = question[at[a]:at[b - 1] + 1].strip(" ,:")
    return rest[:1].upper() + rest[1:] if re.search(r"\w", rest) else question  # a question again
