"""What makes a question with no question word ask for items (pure): a plural noun opening it
("victimes de l'accident ?", "les candidats déclarés à la primaire ?") or the podium ("podium hommes
WTS ?"). Read by rag/shapes.py (the shape) and rag/list_question.py (the question the list builder
reads)."""
from __future__ import annotations

import re

from index.french import fold
from rag.typed import FOLDED_STOP
from rag.yesno_question import _has_qword_fr

_NOT_PLURAL = {"is", "was", "has", "does", "this", "its", "his", "hers", "its", "us", "news", "series", "process",
               "status", "campus", "virus", "bus", "address", "business", "success", "access", "loss", "press",
               "congress", "progress", "crisis", "basis", "analysis", "thesis", "species", "means", "always"}
_WH_EN = re.compile(r"\b(?:who|what|when|where|which|how|whose|whom|why)\b")
# "Les principaux lauréats des César 2024 ?", "les candidats déclarés à la primaire ?": the items, named by a
# plural noun and no question word
_NOMINAL_LIST = re.compile(r"^(?:et )?(?:les|tous les|toutes les) (?:principaux |principales |differents |differentes |"
                           r"autres |\w+ )?\w{3,}[sx]\b")
# "Le Louvre est rouvert ?", "Depardieu va faire appel ?": a French statement asked with a question mark
_FINITE_FR = re.compile(r"(?<![\w'’-])(?:est|sont|était|étaient|a|ont|avait|avaient|sera|seront|serait|va|vont|peut|"
                        r"peuvent|doit|doivent)(?![\w'’-])|(?<![\w-])s['’](?:est|était)\b|\bse sont\b")  # on the text as typed: "à" is no verb


# "les pays qui ont signé l'accord ?", "victimes de l'accident de car ?", "mesures annoncées contre
# l'inflation", "players injured before the final?", "Storm Ellis: roads closed?": the items asked for,
# named by a plural noun opening the question (after a colon: the question after its topic), and no
# verb of the main clause (one inside "qui …"/"that …" is the items' own)
_PRE = (r"(?:principaux|principales|differents|differentes|nouveaux|nouvelles|autres|grands|grandes|premiers|"
        r"premieres|derniers|dernieres|deux|trois|quatre|cinq|six|dix|main|new|other|top|key|major|\d+) ")
_NOMINAL_HEAD = re.compile(rf"^(?:et |and )?(?:(?:les|tous les|toutes les|des|the|all the|all) )?(?:{_PRE})?"
                           r"([a-z][a-z'-]{2,}[sx])(?: (.*))?$")
# plurals of events and of abstract things are asked to be told, not listed ("Les inondations dans le Nord ?")
_NOT_ITEMS = set("""inondations elections negociations manifestations greves emeutes attentats attaques incendies
    intemperies legislatives municipales europeennes regionales primaires pourparlers discussions tensions violences
    obseques funerailles debats travaux jeux championnats mondiaux chiffres resultats suites consequences
    news floods elections talks protests strikes riots attacks fires negotiations games championships results
    clashes""".split())
_AFTER_HEAD = re.compile(r"(?:qui|que|qu'|dont|ou|de|du|des|d'|a|au|aux|en|dans|par|pour|contre|sur|chez|apres|avant|"
                         r"lors|pendant|depuis|entre|avec|sans|vers|parmi|that|who|which|whose|where|in|at|on|of|for|from|"
                         r"to|with|by|after|before|during|against|under|over|near|about|out|without|off|being|"
                         r"[a-z'-]+(?:s|x|ing|ed))\b")
_MAIN_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|did|do|does|will|would|can|could)\b")  # French: _FINITE_FR
_NOT_HEADS = set("pres apres envers lors depuis dans sous vers selon parmi toutefois jamais besides perhaps sometimes "
                 "whereas towards afterwards thus unless less yes nevertheless regardless".split())
# a question word that is no relative pronoun ("contre qui s'incline…", "près de quelle ville…")
_ASKS = re.compile(r"\b(?:quel|quelle|quels|quelles|quand|combien|comment|pourquoi|lequel|laquelle|lesquels|lesquelles|"
                   r"quoi|what|when|where|why|how)\b|\b(?:a|de|pour|par|avec|contre|envers|chez|sur|to|with|for|by|from) qui\b")
_RELATIVE = re.compile(r"\b(?:qui|que|qu'|dont|that|who|which|whose)\b")


# "c'était qui le podium…", "men's podium?": three names ("Quand… sur le podium", "la troisième marche du podium": one fact);
# read where the rules see a single fact (rag/shapes.classify); "qui/who … podium" is a list in rag/shape_patterns._LIST already
_PODIUM = re.compile(r"^(?!.*\b(?:quand|ou|when|where|combien|how|pourquoi|why|comment|marche|step|first|premiers?)\b).*\bpodium\b")


def _nominal_list(q: str, typed: str) -> bool:
    """A nominal question asking for items (see _NOMINAL_HEAD): ``q`` normalised, ``typed`` the question
    as typed, lower-cased (where "à" is no verb) (pure)."""
    body = re.split(r": | [–—-] ", q)[-1]
    m = _NOMINAL_HEAD.match(body)
    if not m and ", " in body:  # "municipales Marseille, listes déposées ?": a topic without verb, then the question
        topic, body = body.rsplit(", ", 1)
        if _ASKS.search(topic) or _has_qword_fr(topic) or _WH_EN.search(topic) or _MAIN_VERB.search(topic) \
                or re.search(r"-(?:t-)?(?:il|elle|ils|elles|on)\b", topic) or re.search(r"\b(?:est|sont|a|ont)\b", topic):
            return False
        m = _NOMINAL_HEAD.match(body)
    head = m.group(1) if m else ""
    if not m or head in _NOT_ITEMS or head in _NOT_HEADS or head in _NOT_PLURAL or head in FOLDED_STOP \
            or head.endswith(("ss", "ous", "ais", "is")) or _ASKS.search(body) \
            or re.search(r"\b(?:il|elle|ils|elles|he|she|they|it)\b", body):
        return False
    rest = m.group(2) or ""
    if rest and not _AFTER_HEAD.match(rest):
        return False
    typed = re.split(r":| [–—-] |, ", typed)[-1] if body != q else typed
    verb = _MAIN_VERB.search(typed) or _FINITE_FR.search(typed)
    return not verb or bool(_RELATIVE.search(fold(typed[:verb.start()])))
