"""Why and how: the sentence that gives the cause, purpose or manner, not the one restating the event.

"Pourquoi Poutine a-t-il remercié Kim ?" -> « …Vladimir Poutine, qui l'a remercié pour l'envoi de
troupes nord-coréennes… »: the sentence carrying the question's verb *and* a connective of cause or
purpose (pour, afin de, en raison de, car, parce que, après que, à la suite de, purpose infinitives;
because, to, after, due to…) wins over a sentence that only says the event happened. The words from
the connective to the end of its clause are the short answer (verbatim in the cited sentence).
For "comment … a réagi", the reaction itself (a verb of reaction, a quotation) is the manner. Pure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from index.french import fold, tokenize
from rag.shaped.corpus import Sent, is_debris

CAUSE_RE = re.compile(
    # "car" the conjunction, not the coach ("un car transportant 31 enfants")
    r"\b(?:afin (?:de|d'|d’|que|qu)|en raison (?:de|du|des|d')|à cause (?:de|du|des|d')|"
    r"(?<!\bun )(?<!\ble )(?<!\bdu )(?<!\bau )(?<!\bce )(?<!\bl')(?<!\bl’)(?<!\bson )(?<!\bleur )car\b|parce (?:que|qu)|"
    r"puisqu|après (?:que|qu|avoir|être)|à la suite (?:de|du|des|d')|suite (?:à|aux|au)|(?:fait|font|faisait|faisaient|faire) suite (?:à|aux|au)|en réponse (?:à|aux|au)|en représailles|"
    r"faute (?:de|d')|en guise (?:de|d')|(?:en )?profitant (?:de|du|des|d')|du fait (?:de|du|des|d'|que|qu)|(?:dûe?|due|dus|dues) (?:à|aux|au)|grâce (?:à|aux|au)|motivée? par|pour (?!la première|"
    r"autant|l'instant|l’instant|le moment|sa part|leur part|son compte|cette raison|ces raisons|ce motif|cela|ça)(?:(?:se |s'|s’|me |m'|nous |vous )?(?!notre\b|votre\b)(?:\w+er|\w+ir|\w+re)|l'|l’|le |la |les |"
    r"un |une |avoir|être|son |sa |ses |leur |leurs |des |cette |ce |ces )|en signe (?:de|d')|"
    r"(?:sert|servent|servait|servir|destinée?s?|vise|visent|visant|visait) (?:au contraire |notamment |surtout )?(?:à|au|aux) |"
    r"dans le but (?:de|d')|en vue (?:de|d')|(?:a|avait|ont) pour (?:but|objectif|mission) |de (?:façon|manière) à |"
    r"au motif que|sous prétexte que|estimant que|jugeant que|considérant que|arguant que|"
    r"à la demande (?:de|du|des|d')|sur (?:ordre|décision|l'ordre) (?:de|du|des|d')|at the request of|"
    # the rest of French's connectives of cause and purpose
    r"dans la mesure où|étant donné (?:que|qu|le|la|les|l'|l’)|compte tenu (?:de|du|des|d')|vu (?:que|qu)|"
    r"par (?:crainte|peur) (?:de|d'|du|des|que|qu)|(?:craignant|redoutant) (?:de |d'|d’|du |des |que |qu|une? |la |le |les |l'|l’)|de (?:crainte|peur) (?:de|d'|du|des|que|qu)|pour cause (?:de|d')|"
    r"sous (?:l'effet|l’effet|la pression) (?:de|du|des|d')|en l['’]absence (?:de|du|des|d')|"
    r"en (?:hommage|réaction|riposte|protestation) (?:à|au|aux|contre)|en (?:mémoire|l['’]honneur) (?:de|du|des|d')|"
    r"résultant (?:de|du|des|d')|d'autant (?:plus |moins )?(?:que|qu)|"
    r"thanks to|for fear of|in protest|in memory of|in honou?r of|given that|in the absence of|"
    r"so that|so as|aimed at|intended to|in response to|"
    r"because|due to|owing to|in order to|so as to|as a result of|after|since|for (?:his|her|their|its|the)|"
    r"to (?!the|a|an|be)\w+)", re.IGNORECASE)
# Of what one died ("décédée des suites d'un cancer", "a succombé à un agent neurotoxique", "est mort
# d'un arrêt cardiaque"): a cause only when the question asks of a death ("De quoi est morte France Gall ?"
# is not answered by her daughter's "des suites d'une mucoviscidose" when asked why she ended her career).
DEATH_RE = re.compile(
    r"\b(?:des suites (?:de|du|des|d'|d’)|(?:a |ont |avait |avaient )?succombé (?:à|au|aux) |"
    r"décédée?s? (?:de |d'|d’|du |des )|(?:est|sont|était|étaient) morte?s? (?:de |d'|d’|du |des ))", re.IGNORECASE)
_DEATH_Q = re.compile(r"\b(?:morte?s?|mourir|meurt|meurent|mort|deces|decede\w*|succomb\w*|tue\w*|died|die|dies|"
                      r"death|killed|kill)\b")


def asks_death(question: str) -> bool:
    return bool(_DEATH_Q.search(fold(question)))


MANNER_RE = re.compile(
    r"\b(?:en (?:se |s'|s’)?\w+ant|grâce (?:à|aux|au)|au moyen (?:de|d')|à l'aide (?:de|d')|à l’aide (?:de|d')|par (?:le|la|les|un|une|des) |"
    r"avec (?:le|la|les|un|une|des) |sur (?:son|leur) (?:réseau|compte|site)|by \w+ing|using|through|with)\b",
    re.IGNORECASE)
REACTION_RE = re.compile(
    r"\b(?:a|ont|avait|avaient)(?:(?:-t)?-(?:il|elle|ils|elles))?\s+(?:aussi\s+|vivement\s+|immédiatement\s+)?"
    r"(?:réagi|répondu|rejeté|dénoncé|qualifié|condamné|salué|critiqué|démenti|protesté|appelé|"
    r"riposté|regretté|fustigé|estimé|affirmé|déclaré|écrit|annoncé|proposé|exprimé|demandé|promis|tweeté|publié)\b|"
    # the wire's present, and stances: "il annonce son soutien à…", "Ce dernier en appelle au pape", "s'est dit attristé"
    r"\b(?:réagit|répond|rejette|dénonce|condamne|salue|critique|dément|proteste|riposte|regrette|fustige|annonce|"
    r"propose|exprime|demande|promet|appelle|(?:en )?appelle (?:à|au|aux))\b|\bs['’](?:est|sont) (?:dite?s?|déclarée?s?|"
    r"montrée?s?|félicitée?s?|indignée?s?|insurgée?s?)\b|\bse (?:dit|disent|déclare|déclarent)\b|"
    r"[«\"“][^«»\"“”]{12,}[»\"”]", re.IGNORECASE)
# the one a reaction is asked of, named or taken up again ("Ce dernier en appelle…", "Il annonce…")
ANAPHOR = re.compile(r"^\W*(?:Il|Elle|Ils|Elles|Ce dernier|Cette dernière|Ces derniers|Celui-ci|Celle-ci|Ceux-ci|"
                     r"He|She|They)\b|^[^.,]{0,60},\s*(?:il|elle|ils|elles|he|she|they)\s")
_REACT_Q = re.compile(r"\b(?:reagi\w*|repondu|repond\w*|react\w*|respond\w*|repli\w*)\b")
_CLAUSE_END = re.compile(r"[,;:.!?»\"”]|\s(?:et|mais|alors|tandis|a indiqué|a déclaré|selon)\s")
# Words that name a cause ("Les raisons évoquées sont…", "… s'explique par…", "X est sans doute
# l'explication de cette hausse"): the sentence states the cause outright. After CAUSE_AHEAD the cause
# follows (its clause is the short answer); after CAUSE_BEHIND it is the subject before (the sentence
# is the answer).
CAUSE_AHEAD = re.compile(
    r"\b(?:(?:la|les|une|des) (?:principales? )?(?:raisons?|causes?|motifs?)(?: (?:de|du|des) (?:la |l['’])?[\w-]+| d['’][\w-]+| \w+)? (?:sont|est|étaient|était|serait|"
    r"seraient|tiennent|tient)|(?:la|les) (?:principales? )?(?:raisons?|causes?|motifs?)\s*:\s*|"
    # "… qui a été déclenché quand un excavateur a heurté le pont", "provoqué par", "was caused by"
    r"(?:déclench|provoqu|caus|occasionn)(?:é|ée|és|ées) (?:notamment |surtout |en partie )?(?:par|quand|lorsque|lorsqu)|"
    r"(?:was|were|is|are|been) (?:caused|triggered|sparked|prompted) by|the (?:main )?reasons?(?: was| is)?\s*:\s*|s['’]expliquer?(?:ait|aient|ent)? (?:notamment |surtout |avant tout |en partie )?par|"
    r"(?:est|sont|était|étaient|serait|seraient) (?:notamment |surtout |largement |en partie )?(?:d[uû]e?s?|liée?s?) (?:selon (?:eux|lui|elle|elles|les \w+) )?(?:à|au|aux)|"
    # "Cette hausse est directement une conséquence du budget 2017", "is a direct result of"
    r"(?:est|sont|était|étaient|serait|seraient) (?:\w+ )?(?:une|la|les) (?:conséquences?|résultats?) (?:directe?s? )?(?:de|du|des|d')|"
    r"(?:is|are|was|were) (?:\w+ )?(?:a|the) (?:direct )?(?:consequence|result) of|"
    # "En cause : la hausse des naissances", "Il faut dire que les deux candidats…", "Nissan a expliqué que…"
    r"en cause(?=\s*:)|il faut dire (?:que|qu)|(?:a|ont|avait|avaient) expliqué (?:que|qu)|explique (?:que|qu)|"
    # "La cause étant l'attraction de Jupiter", "la raison en est simple :"
    r"(?:la|les|une) (?:principales? )?(?:raisons?|causes?|motifs?) (?:étant|en est|en sont|en était)|"
    r"résult(?:e|ent|ait|aient) (?:de|du|des|d')|provien(?:t|nent|nait|naient) (?:de|du|des|d')|"
    r"the (?:main )?(?:reasons?|causes?) (?:\w+ )?(?:is|are|was|were)|(?:is|are|was|were) (?:largely |partly |mainly )?"
    r"(?:due|owing|attributed) to|(?:stems?|stemmed|resulted|results) from|(?:is|are|was|were) explained by)\b",
    re.IGNORECASE)
CAUSE_BEHIND = re.compile(
    r"\b(?:(?:est|sont|serait|seraient|était|étaient|(?:pourrai(?:t|ent)|peu(?:t|vent)) être) "
    r"(?:sans doute |probablement |notamment )?(?:l['’]explication|"
    r"la cause|les causes|à l['’]origine) (?:de|du|des|d')|expliqu(?:e|ent|erait|eraient|ait|aient) (?:en partie |notamment )?"
    r"(?:la|le|les|l['’]|cette|ce|ces|pourquoi)|explains?|(?:is|are|was|were) (?:behind|the reason for|the cause of))",
    re.IGNORECASE)
# the connectives of CAUSE_RE that give a purpose (a "comment" may be answered by one): "pour" with a
# verb ("pour protester", not "pour les premières sondes"), "afin de", "dans le but de", "in order to"…
PURPOSE = re.compile(
    r"(?:afin|dans le but|en vue|de (?:façon|manière) à|(?:a|avait|ont) pour (?:but|objectif)|"
    r"(?:sert|servent|servait|servir|destinée?s?|vise|visent|visant|visait) |pour (?:se |s'|s’|me |m'|nous |vous )?\w+(?:er|ir|re)$|"
    r"pour (?:avoir|être)|so that|so as|in order to|aimed at|intended to|to (?!the|a|an|be)\w+)", re.IGNORECASE)
CONNECTIVE_AFTER_VERB = 0.35
CONNECTIVE_ANYWHERE = 0.15
RESTATES = 0.6  # a sentence with no connective at all
# A sentence that names its cause as the sentence before ("pour cette raison, l'œuf est interdit"):
# the connective points back, so it is no cause itself; such a sentence is the answer's anchor (the
# event with its cause next to it), scored as if it held a connective.
_BACK = (r"pour (?:cette raison|ces raisons|ce motif)|c'est pour (?:cela|ça|cette raison)|c'est pourquoi|"
         r"c’est pourquoi|de ce fait|for (?:this|that|these) reasons?|that is why|this is why|that's why")
POINTS_BACK = re.compile(rf"\b(?:{_BACK})\b", re.IGNORECASE)
# "Le président devrait donc…": the cause is in the sentence before
CONSEQUENCE = re.compile(rf"\b(?:{_BACK}|donc|par conséquent|dès lors|en conséquence|s['’]ensui\w+|therefore|thus|hence)\b",
                         re.IGNORECASE)


# A sentence that opens by pointing back at something told before ("Cette mesure…", "Ces répressions…",
# "This decision…"), not at a time ("Ce jeudi…", "Cette année…"): what it says of it (a cause, a
# purpose) is said of the event told before.
POINTS_TO_EVENT = re.compile(
    r"^\W*(?:Cette|Ces|Cet|Ce|This|These)\s+(?!(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|matin|soir|"
    r"après-midi|jour|jours|nuit|semaine|week-end|mois|année|années|an|ans|heure|moment|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|morning|evening|afternoon|day|night|week|weekend|month|year|time)\b)"
    r"[^\W\d]\w+", re.IGNORECASE)


@dataclass(frozen=True)
class Reason:
    sent: Sent
    score: float
    surface: str | None  # the cause/manner clause, verbatim in sent.text
    at: int


def _question_stems(question: str, english: bool) -> set[str]:
    from rag.glossary import with_french

    q = with_french(question, english)
    return set(tokenize(q)) - set(tokenize("pourquoi raison comment manière façon why how reason"))


def _first_stem_at(text: str, stems: set[str]) -> int:
    """Character offset of the first word of ``text`` whose stem is in ``stems`` (-1 if none)."""
    for m in re.finditer(r"[\w'’-]+", text):
        if set(tokenize(m.group(0))) & stems:
            return m.start()
    return -1


SHORT_CLAUSE = 5  # words: a clause cut this short by "et" before a noun phrase was cut inside it
_NOUN_PHRASE = re.compile(r"(?:le|la|les|l['’]|un|une|des|du|de|d['’]|ses|sa|son|leur|leurs|ce|cette|ces)\b|[A-ZÀ-Ý]")


def clause(text: str, start: int) -> str:
    """text[start:] up to the end of its clause (verbatim); an "et" before a noun phrase within its
    first words joins its subject or object ("du fait que TF1 et ses chaînes « occupent… »"), not two
    clauses ("pour sa taille et avait huit ouvertures")."""
    at = start + 3
    while (m := _CLAUSE_END.search(text, at)) and m.group(0).strip() == "et" \
            and len(text[start:m.start()].split()) < SHORT_CLAUSE and _NOUN_PHRASE.match(text, m.end()):
        at = m.end()
    end = m.start() if m else len(text)
    return text[start:end].rstrip(" ,;:")


def asks_reaction(question: str) -> bool:
    return bool(_REACT_Q.search(fold(question)))


def _subject_words(question: str) -> set[str]:
    """The folded words of the names a reaction question asks about ("Comment les Farc ont-elles réagi…")."""
    from rag.answer_types import question_words

    return {fold(w) for n in question_words(question).names for w in n.split() if len(w) > 2}


def names_subject(text: str, subject: set[str]) -> bool:
    """The sentence names the one asked about (one of the folded ``subject`` words)."""
    return bool(subject & {fold(w) for w in re.findall(r"[\w'’-]+", text)})


def _of_subject(text: str, subject: set[str]) -> bool:
    """The sentence names the one asked about, or opens by taking them up again ("Ce dernier…")."""
    return bool(ANAPHOR.match(text)) or names_subject(text, subject)


def reasons(question: str, sentences: Sequence[Sent], manner: bool = False, english: bool = False,
            ranker=None) -> list[Reason]:
    """Candidate sentences rescored by whether they give the cause/purpose (or the manner), best first:
    by the rules' score, or in the order of ``ranker`` (rag/shaped/reason_model.ReasonRanker) if given."""
    stems = _question_stems(question, english)
    react = manner and asks_reaction(question)
    death = asks_death(question)
    subject = _subject_words(question) if react else set()
    out = []
    for s in sentences:
        if is_debris(s.text):
            continue
        verb_at = _first_stem_at(s.text, stems)
        best, surface, at = RESTATES, None, 0
        pattern = REACTION_RE if react else (MANNER_RE if manner else CAUSE_RE)
        of_subject = react and _of_subject(s.text, subject)
        found = list(pattern.finditer(s.text)) + (list(DEATH_RE.finditer(s.text)) if death and not react else [])
        for m in sorted(found, key=lambda m: m.start()):
            bonus = 1 + (CONNECTIVE_AFTER_VERB if 0 <= verb_at < m.start() or of_subject else CONNECTIVE_ANYWHERE)
            if bonus > best:
                best, at = bonus, m.start()
                surface = clause(s.text, m.start()) if not react else None
        ahead = None if manner else CAUSE_AHEAD.search(s.text)
        if not manner and (m := ahead or CAUSE_BEHIND.search(s.text)):
            if 1 + CONNECTIVE_AFTER_VERB > best or surface is None:  # the cause named outright
                best, at = 1 + CONNECTIVE_AFTER_VERB, m.start()
                surface = clause(s.text, m.end()).lstrip(" :") if ahead else None
        if not manner and surface is None and POINTS_BACK.search(s.text):
            best = 1 + CONNECTIVE_AFTER_VERB  # the caller cites the sentence before with it
        if manner and not react and surface is None:
            for m in CAUSE_RE.finditer(s.text):  # "comment" is often answered by a purpose too
                if not PURPOSE.match(m.group(0)):  # not by a time or a cause ("après avoir comblé l'écart")
                    continue
                best, at, surface = 1 + CONNECTIVE_ANYWHERE / 2, m.start(), clause(s.text, m.start())
                break
        out.append(Reason(s, s.score * best, surface if surface and len(surface) > 6 else None, at))
    out = sorted(out, key=lambda r: -r.score)
    return ranker.rank(question, out, manner, english) if ranker is not None else out
