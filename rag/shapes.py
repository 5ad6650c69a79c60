"""The shape of the answer a question asks for, French and English (pure functions, no model).

- ``fact``: one fact (qui, quand, combien…): today's short-answer path;
- ``list``: several items ("Quels dirigeants ont assisté au défilé ?", "Which countries…",
  "Who attended…");
- ``summary``: "Résume…", "Que sait-on de…", "What happened at…";
- ``cause``: "Pourquoi…", "Pour quelle raison…", "Why…";
- ``manner``: "Comment … a-t-il réagi ?", "How did…";
- ``said``: "Qu'a déclaré…", "What did … say?": quotations with their speaker;
- ``timeline``: "Chronologie de…", "Que s'est-il passé depuis…", "What happened since…";
- ``yesno``: "Trump a-t-il assisté au défilé ?", "Did Trump attend…?".

The shape decides which builder answers (rag/engine.py); ``fact`` keeps the configured answerer.
"""
from __future__ import annotations

import re

from index.french import STOPWORDS_FR, fold

FACT, LIST, SUMMARY, CAUSE, MANNER, SAID, TIMELINE, YESNO = (
    "fact", "list", "summary", "cause", "manner", "said", "timeline", "yesno")
SHAPES = (FACT, LIST, SUMMARY, CAUSE, MANNER, SAID, TIMELINE, YESNO)

_TIMELINE = re.compile(
    r"\b(?:chronologie|chronologique|chronology|chronological|timeline|^retrace[rz]?|dans quel ordre|in what order|"
    r"(?:succession|enchainement|suite) des (?:evenements|faits)|"
    r"walk (?:me|us) through|heure par heure|hour by hour|^dans l'ordre\b|le fil des (?:evenements|faits)|"
    r"que s'est-il passe\b[^?]*\bdepuis|qu'est-il arrive\b[^?]*\bdepuis|what (?:has )?happened\b[^?]*\bsince|"
    r"quelles (?:ont ete|sont|furent) les (?:\w+ )?(?:etapes|dates|phases)|"
    r"what (?:were|are) the (?:\w+ )?(?:steps|stages|milestones|phases)|evolu\w*\b[^?]*\bdepuis|"
    r"how (?:has|have|did) [^?]*\b(?:evolve|unfold)\w*|"
    # "étape par étape", "jour après jour", "au fil des semaines", "step by step", "day by day": in order of time
    r"etape (?:par|apres) etape|(?:jour|semaine|mois|annee|heure) (?:apres|par) (?:jour|semaine|mois|annee|heure)|"
    r"au fil des (?:jours|semaines|mois|annees|heures)|step by step|(?:day|week|month|year) (?:by|after) "
    r"(?:day|week|month|year)|over the (?:days|weeks|months|years)|"
    # "Comment la situation a-t-elle évolué…", "Comment s'est déroulée la prise d'otages…"
    r"comment\b[^?]*\b(?:evolue\w*|s'(?:est|sont) (?:deroule|enchaine)\w*|se sont(?:-ils|-elles)? (?:deroule|enchaine)\w*|"
    r"s'est-(?:il|elle) (?:deroule|enchaine)\w*)|"
    r"les grandes dates|key dates|sequence of events|deroulement|dates (?:cles|importantes|marquantes)|"
    r"dans l'ordre(?: chronologique)?(?=$|,)|in (?:chronological )?order(?=$|,)|historique (?:des|de|du|d')|key moments|moments cles|frise)\b")
_SUMMARY = re.compile(
    r"^\s*(?:resume[rz]?|resumez-moi|resume-moi|fais(?:-moi)? (?:un )?(?:le )?resume|un resume|"
    r"summari[sz]e|give (?:me )?a summary|summary of|raconte[rz]?(?:-moi)?|decri[st](?:-moi)?|"
    r"de quoi parle|what is the (?:story|article) about)\b"
    r"|^\s*(?:peux-tu|pouvez-vous|pourrais-tu|pourriez-vous|tu peux|vous pouvez)\s+(?:me\s+|nous\s+)?"
    r"(?:resumer|raconter|decrire|faire le point)\b"
    r"|\b(?:fais|faites)(?:-moi|-nous)? le point\b|^\s*(?:le point sur|en resume|(?:un |petit )?brief)\b"
    r"|^\s*(?:(?:can you |could you |please )?(?:tell me|tell us) (?:about|what happened)|give (?:me |us )?an overview|"
    r"(?:an )?overview of|brief (?:me|us) on|fill (?:me|us) in on)\b"
    r"|\b(?:que sait-on|qu'est-ce qu'on sait|que savons-nous|what do we know|what is known)\b"
    # "Que faut-il retenir de…", "Qu'apprend-on sur…", "les grandes lignes", "un topo", "the gist", "key points"
    r"|\b(?:que faut-il retenir|qu'en retenir|qu'apprend-on|que nous apprend|qu'apprend|les grandes lignes|un topo|"
    r"en quelques (?:phrases|mots|lignes)|l'essentiel (?:de|du|des|sur)|quels sont les faits|"
    r"(?:les )?(?:informations|points|faits|elements) (?:principaux|principales|essentiel(?:le)?s|cles)|"
    r"(?:les )?(?:principales|principaux) (?:informations|points|faits|elements)|"
    r"sum (?:it |this |that )?up|the gist|key (?:points|facts)|main (?:points|facts)|in a nutshell|"
    r"(?:un |le |ton |petit )?recap(?:itulatif)?|c'est quoi (?:l'histoire|l'affaire)|quelle est l'histoire|"
    r"(?:a |an |quick |short |brief )+(?:overview|recap|rundown|summary)|catch (?:me|us) up|"
    # "Chiffres du chômage de novembre : l'essentiel ?", "yellow vests, 2 December: main events?"
    r"l'essentiel$|(?:the )?(?:main|key) events|(?:les )?(?:principaux|grands) evenements|highlights|"
    r"(?:bring|get) (?:me|us) up to speed|"
    # "Je voudrais un résumé…", "Peux-tu me faire un résumé…", "Can you summarize…", "un aperçu", "brief rapide sur…"
    r"un (?:petit |bref |court |rapide )?resume|resumer|summari[sz]e|sum up|(?:un |l')apercu|"
    r"c'est quoi (?:cette|l') ?(?:histoire|affaire)|l'essentiel a retenir|"
    # "Tu peux me faire un point sur…", "vue d'ensemble", "ce qui se passe avec…", "où en est…"
    r"un point (?:rapide |complet |bref )?sur|un point complet|vue d'ensemble|ce qui se passe (?:avec|a|au|aux|en|dans|autour)|^(?:et )?ou en (?:est|sont|etait)|"
    r"(?:histoire|affaire)\b[^?]*\bc'est quoi|"
    # "il s'est passé quoi à Mayotte", "quoi de neuf sur…", "les dernières nouvelles de…", "what's the latest on…"
    r"s'est passe quoi|quoi de neuf|dernieres (?:nouvelles|infos|informations)|qu'est-ce qu'il faut (?:en )?retenir|"
    r"what is the (?:latest|deal|news) (?:on|about|with|in|from)|"
    # "le contexte des tensions…", "the background to…", "Explain the story of…", "What is the X case about",
    # "Qu'y a-t-il à savoir sur…", "brièvement", "give me a brief on…"
    r"(?:le |un )?contexte (?:de|des|du|d')|^(?:the )?(?:background|context) (?:to|of|on|for)|"
    r"what is the (?:background|context)|explain the story|^what (?:is|was|are|were) [\w' -]+ about$|"
    r"qu'y a-t-il a savoir|que faut-il savoir|what (?:should i|do i need to|do we need to) know|brievement|briefly|"
    r"(?:give|send) (?:me |us )?a (?:quick |short )?brief\b|"
    r"what(?:'s| is) the story|what(?:'s| is) going on (?:with|in|at)|"
    r"(?:tell|show) (?:me|us) what the (?:articles?|dispatch(?:es)?|stor(?:y|ies)|reports?) (?:says?|said|reports?))\b"
    r"|^\s*(?:et\s+)?(?:que|qu'est-ce que) (?:dit|disent|raconte|racontent|rapporte|rapportent) (?:la|le|les|l'|cette|ces|"
    r"cet) ?(?:depeches?|articles?|presse|corpus|journaux|medias)\b"
    r"|^\s*(?:and\s+)?what (?:does|do|did) (?:the|this|these) (?:articles?|dispatch(?:es)?|stor(?:y|ies)|reports?|"
    r"press|corpus) (?:say|said|report|tell)\b"
    r"|\b(?:que s'est-il passe|qu'est-il arrive|qu'est-ce qui s'est passe|qu'est-ce qui est arrive|what happened|"
    r"what took place)\b"
    r"(?!\s+(?:depuis|since|ensuite|after|apres))")
_CAUSE = re.compile(
    r"\b(?:pourquoi|pour quelles? raisons?|quelles? (?:est|sont|etait|etaient|fut) (?:la|les) raisons?|"
    r"quelles? raisons?|pour quel motif|quel (?:est|etait) le motif|dans quel but|a quelle fin|"
    r"a cause de quoi|qu'est-ce qui (?:a|avait) (?:cause|provoque|motive|pousse|entraine)|"
    r"qu'est-ce qui (?:explique|expliquerait|justifie|motive)|comment (?:s')?expliquer|"
    r"quelles? (?:est|sont|etait|etaient|a ete|ont ete|fut) (?:la |les |l')(?:causes?|origines?|motifs?)|"
    r"d'ou (?:vient|viennent|venait|venaient|provient|proviennent)|what (?:explains|was behind|is behind|lies behind|lay behind)|"
    r"why|for what (?:reason|purpose)|what (?:was|is|were|are) the (?:reasons?|cause|causes|purpose|motive)|"
    r"what (?:caused|prompted|led to|motivated|triggered|sparked|drove)|how come|"
    r"what (?:led|drove|pushed|forced|made) \w[^?]*? to \w+|"
    # "Les raisons de l'annulation… ?", "Et le motif de la garde à vue… ?", "reason for the cancellation…",
    # "(je me demande) ce qui explique…"
    r"^(?:et )?(?:les |la |le |l')?(?:raisons?|motifs?|causes?|origines?|mobiles?) (?:de|du|des|d')|"
    r"^(?:and )?(?:the )?(?:reasons?|causes?|motives?) (?:for|of|behind)|"
    r"^ce qui (?:explique|expliquerait|justifie|motive|a (?:cause|provoque|motive|pousse|entraine))|"
    r"quel (?:est|etait|a ete) (?:le )?mobile|(?:what was|what is) the motive)\b")
# "Comment s'appelle / appelle-t-on / est surnommé…": asks for a name, a single fact, not a manner.
_NAME_Q = re.compile(r"\bcomment (?:s'ap+el+\w*|se nomm\w*|s'ecri\w*|dit-on|appel+e-t-on|nomme-t-on|tradui\w*|"
                     r"(?:\w+ )?(?:est|sont|etait|etaient|fut|furent|a ete|ont ete|peut etre) (?:\w+ )?"
                     r"(?:appele|nomme|surnomme|designe|baptise|qualifie|traduit)\w*)\b")
_MANNER = re.compile(
    r"(?:^|\s)(?:et\s+)?comment\b|\bde quelle (?:maniere|facon)\b|\bpar quels? moyens?\b|"
    r"\bhow (?!many|much|old|long|far|big|large|tall|high|often|soon|come)\w+|\bin what way\b|\bby what means\b|"
    r"\bquelles? (?:a ete|est|fut|etait|ont ete|sont) (?:la|les) reactions?\b|"
    r"\bwhat (?:was|is|were|are) [\w' -]*?\breactions?\b|"
    # "La réaction de Berlin à… ?", "Reactions to the verdict"
    r"^(?:et )?(?:la |les )?reactions? (?:de|du|des|d'|a|au|aux)|^(?:and )?(?:the )?reactions? (?:of|from|to)\b")
_PARTICIPATE = (r"(?:assiste|assister|participe|participer|pris part|prendre part|etaient presents?|"
                r"etait present|attend(?:ed|s)?|took part|take part|participated|were present|joined)")
_LIST = re.compile(
    r"\b(?:quels|quelles|lesquels|lesquelles)\b"
    r"|\b(?:qui sont|qui etaient|qui ont ete) (?:les|ceux|celles)\b"
    r"|^\s*(?:cite[rz]?|liste[rz]?|enumere[rz]?|nomme[rz]?|name(?! of\b)|list)\b"
    rf"|^\s*(?:qui|who)\s+(?:a |ont |avait |avaient |had |has |have )?(?:ete |been |deja |already )?{_PARTICIPATE}"
    r"|\bwho (?:were|are) (?:the|all)\b"
    r"|^\s*(?:donne|donnez|fais|faites|dresse|dressez)(?:-moi|-nous)? (?:la |une )?liste\b"
    r"|^\s*(?:donne|donnez|cite|citez|indique|indiquez|nomme|nommez)(?:-moi|-nous)? (?:tous|toutes) (?:les|ceux|celles)\b"
    # "Donne-moi les clubs où…": the items themselves
    r"|^\s*(?:donne|donnez|cite|citez|indique|indiquez|nomme|nommez|enumere|enumerez|liste|listez|montre|montrez)"
    r"(?:-moi|-nous)? (?:les|tous les|toutes les)\b"
    # "Je voudrais la liste des otages…", "give me all the airlines…"
    r"|^\s*(?:(?:je )?(?:voudrais|veux|aimerais|souhaite|souhaiterais)|j'aimerais) (?:avoir |obtenir )?(?:la|une) liste\b"
    r"|^\s*(?:give|show|tell|find|get) (?:me |us )?(?:all|every)\b|^\s*(?:all|every) (?:the )?\w+s\b"
    r"|\b(?:ils|elles) (?:sont|etaient) qui\b|^\s*(?:la |une )?liste (?:des|de|du|d')|^\s*(?:the |a )?list of\b"
    r"|^\s*who (?:was|were|is|are) (?:on|in|among) the\b"
    # "Qui d'autre a été mis en examen…", "Who else was arrested…", "c'est quoi les revendications…",
    # "Give me the names of…"
    r"|^\s*(?:qui d'autre|who else)\b|\bc'est quoi les\b|^\s*(?:give|tell|send) (?:me |us )?the names\b"
    r"|^\s*(?:give|make) (?:me |us )?(?:the |a )?list\b"
    # "Peux-tu me donner la liste…", "Pouvez-vous lister…", "Donne-moi les noms des…"
    r"|^\s*(?:peux-tu|pouvez-vous|pourrais-tu|pourriez-vous|tu peux|vous pouvez|tu pourrais|vous pourriez)\s+"
    r"(?:me\s+|nous\s+)?(?:lister|enumerer|citer|nommer|(?:donner|faire|dresser|etablir) (?:la |une )?liste)\b"
    r"|^\s*(?:donne|donnez|indique|indiquez|cite|citez)(?:-moi|-nous)? les noms\b"
    r"|\b(?:which|what) (?:people|persons|children|men|women|police)\b"
    r"|^\s*(?:qui (?:figurent|figure|figuraient|figurait|etaient|sont|ont ete|comptent)|who (?:were|are)) (?:\w+ )?(?:parmi|among)\b"
    # "Qui occupe les trois premières places…", "Who were the two finalists…": a number of them
    r"|^\s*(?:qui|who)\b.*(?<!parmi )(?<!among )(?<!of )(?<!entre )\b(?:les|the|top)\s+(?:deux|trois|quatre|cinq|six|sept|huit|dix|two|three|four|five|six|"
    r"seven|eight|ten)\b"
    # "Qui compose le podium…", "Who made up the women's podium…": a podium is three names
    r"|^\s*(?:qui|who)\b.*\bpodiums?\b"
    # "Qui a remporté les épreuves masculine et féminine…", "Who won the men's and women's…": one a category
    r"|^\s*(?:qui|who)\b.*\b(?:masculin\w*|hommes|men'?s?) (?:et|and) (?:feminin\w*|femmes|women'?s?)\b")
_EN_PLURAL_Q = re.compile(r"\b(?:which|what) ((?:[a-z0-9'-]+ ){0,2}?[a-z'-]{3,}s)\b"
                          r"(?! (?:the|a|an|its|his|her|their|this|that|these|those)\b)"
                          r"|\bwhat (?:were|are) the (?:main |key |principal |other )?([a-z'-]{3,}s)\b")
_NOT_PLURAL = {"is", "was", "has", "does", "this", "its", "his", "hers", "its", "us", "news", "series", "process",
               "status", "campus", "virus", "bus", "address", "business", "success", "access", "loss", "press",
               "congress", "progress", "crisis", "basis", "analysis", "thesis", "species", "means", "always"}
_SAID = re.compile(
    r"^\s*(?:et\s+)?(?:qu'|que\s+|qu'est-ce\s+qu')(?:[\w' -]+?\s+)?(?:a|ont|avait|avaient)(?:-t-(?:il|elle|ils|elles))?"
    r"\s+(?:[\w' -]+?\s+)?(?:dit|declare|ecrit|repondu|reagi|affirme|explique|estime|annonce|ajoute|indique|"
    r"denonce|souligne|retorque|assure|promis|tweete|publie|confie|precise)\b"
    r"|\bquels? (?:propos|declarations?|paroles|mots)\b|\bquelles? (?:declarations?|paroles)\b"
    r"|\bquel(?:le)?s? (?:ont ete|sont|etaient|a ete|est|etait|furent) (?:les|la|le) (?:propos|declarations?|paroles|mots)\b"
    r"|^\s*(?:et\s+)?(?:que pense(?:nt)?|qu'en pense(?:nt)?|qu'en disent|qu'en dit)\b"
    r"|^\s*(?:and\s+)?what (?:does|do|did) [\w' -]+? (?:think|make) (?:of|about)\b"
    r"|^\s*(?:and\s+)?what\s+(?:exactly\s+|precisely\s+)?(?:did|does|do|has|have)\s+(?:[\w' -]+?\s+)?(?:say|said|write|wrote|reply|replied|post|posted|"
    r"answer|answered|tweet|tweeted|declare|declared|tell|told)\b"
    # "Que dit exactement le communiqué de l'Élysée…", "What were the minister's exact words…"
    r"|^\s*(?:et\s+)?que (?:dit|disait|disent) (?:exactement |precisement )?(?:le |la |les |l')(?:communique|"
    r"declaration|message|lettre|tweet|discours|texte|allocution|interview|entretien)s?\b"
    # "Donne-moi les déclarations du porte-parole…", "Give me the exact quote from…"
    r"|^\s*(?:donne|donnez|cite|citez|rapporte|rapportez|montre|montrez|rapporter|citer|donner)(?:-moi|-nous)? (?:les|ses|leurs|la|sa) "
    r"(?:declarations?|propos|paroles|citations?|mots)\b"
    r"|^\s*(?:give|show|tell) (?:me|us) (?:the |a |his |her |their )?(?:exact |full )?(?:quotes?|statements?|words)\b"
    r"|\bexact (?:words|quotes?|wording)\b|^quote\b"
    # "Les propos du ministre sur… ?", "les citations exactes du procureur", "ce qu'a écrit Musk", "il a dit quoi",
    # "the statement released by…"
    r"|^\s*(?:et )?(?:les |la |le )?(?:propos|declarations?|paroles|citations?) (?:de|du|des|d'|exacte)"
    r"|\bcitations? exactes?\b|\bles citations (?:de|du|des|d')"
    r"|^\s*(?:and )?what (?:is|are|was|were) [\w' -]+? (?:saying|telling)\b"
    # "les termes employés par…", "la déclaration exacte de…", "What was Zelensky's answer…", "How did he put it"
    r"|\bles (?:termes|mots) (?:employes|utilises|choisis)\b|\bwords used by\b"
    r"|\b(?:declarations?|propos|paroles|mots) exacte?s?\b"
    r"|^\s*(?:and )?what (?:was|is|were) [\w' -]+? (?:answer|reply|response|statement|message|words)\b"
    r"|^\s*(?:and )?how did [\w' -]+? put it\b"
    r"|^\s*(?:find|show|get|tell) (?:me|us) what [\w' -]+? (?:said|says|wrote|writes|declared|tweeted|posted|told)\b"
    r"|^\s*what [\w' -]+? (?:said|wrote|declared|tweeted|posted) (?:about|on|of|after|when)\b"  # (any idea) what X said about
    r"|\bce qu'(?:a|ont|avait|avaient) (?:dit|ecrit|declare|repondu|tweete|publie|poste|affirme|annonce)\b"
    # "(Je voudrais savoir) ce qu'Ankara a dit pour justifier…", "ce que le maire a répondu"
    r"|^\s*ce qu(?:e |')[\w' -]+? (?:a|ont|avait|avaient) (?:dit|ecrit|declare|repondu|affirme|annonce|tweete)\b"
    r"|\b(?:a|ont|avait|avaient) (?:dit|declare|ecrit|repondu|raconte) quoi\b"
    r"|^\s*(?:and )?(?:the )?(?:statements?|remarks|comments|quotes?) (?:of|from|by|released|issued|made|published)\b|^\s*(?:and\s+)?what (?:did|does) (?:the|this|his|her|their) (?:statement|letter|message|"
    r"speech|tweet|communique|press release) say\b")
_QWORDS_FR = r"(?:qui|que|qu'|quoi|quand|ou|d'ou|quel|quelle|quels|quelles|combien|comment|pourquoi|lequel|laquelle)"
_YESNO_FR = re.compile(
    r"^\s*(?:et\s+)?(?:est-ce qu[e']|est-ce que|y a-t-il|y avait-il)"
    r"|^\s*(?:et\s+)?[\w' .-]+?\s+(?:[\w'-]+-t-(?:il|elle|on|ils|elles)|[\w'-]+-(?:il|elle|ils|elles|on))\s+[\w']"
    r"|^\s*(?:et\s+)?[\w']+-(?:t-)?(?:il|elle|ils|elles)\s+[\w']")
_YESNO_EN = re.compile(r"^\s*(?:and\s+)?(?:did|does|do|is|are|was|were|has|have|had|can|could|will|would|should)"
                       r"(?:n't|nt)?\s|^\s*(?:and\s+)?(?:isn't|aren't|wasn't|weren't|won't|can't|don't)\s")


def _text(question: str) -> str:
    q = fold(question).replace("’", "'").replace("`", "'")
    q = re.sub(r"[?!.]+\s*$", "", q)
    q = re.sub(r"\b(\w+) t (il|elle|on|ils|elles)\b", r"\1-t-\2", q)  # "y a t il" as typed for "y a-t-il"
    q = re.sub(r"(?:(?<=\s)|^)(qu|[cdjlmnst]) (?=[aeiouyh])", r"\1'", q)  # "qu est ce que", "l arreter": the apostrophe dropped
    q = re.sub(r"\b(what|that|it|who|where|how)'s\b", r"\1 is", q)
    q = re.sub(r"\bwhats\b", "what is", q)
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


_QWORDS_LONG = ("pourquoi", "comment", "combien", "quand", "quelle", "quelles", "quels", "lequel", "laquelle", "lesquels")
_NOT_MISTYPED = {"quant", "comme", "commun", "combine"}
_FOLDED_STOP = frozenset(fold(w) for w in STOPWORDS_FR)


def _mistyped_qword(word: str) -> str:
    """The question word ``word`` is one letter off or two swapped letters from, else ``word`` (pure)."""
    from rag.names import one_edit, swapped

    if word in _QWORDS_LONG or word in _NOT_MISTYPED or word in _FOLDED_STOP:
        return word
    return next((q for q in _QWORDS_LONG if one_edit(word, q) or swapped(word, q)), word)


def _has_qword_fr(q: str) -> bool:
    return bool(re.search(rf"(?:^|[\s,])(?:{_QWORDS_FR})(?=[\s,']|$)", q))


def _is_list(q: str) -> bool:
    if _LIST.search(q):
        # "Quelles sont les raisons…" is a cause; "quels" + a time or quantity asks for one fact
        if re.search(r"\bquel(?:le)?s (?:jours?|dates?|annees?|heures?)\b", q):
            return False
        return True
    m = _EN_PLURAL_Q.search(q)
    if m:
        last = (m.group(1) or m.group(2)).split()[-1]
        return last not in _NOT_PLURAL and not last.endswith("ss")
    return False


# A polite or indirect opener: what follows it is the question ("Do you know who replaced…" asks who,
# "Could you name the players…" asks for a list, "Je me demande si la grève est terminée" yes or no).
_OPENER = re.compile(
    r"^(?:(?:et|alors|bon|ok|okay|so|and|well)\b,?\s*)*"
    r"(?:je (?:me demande|voudrais savoir|veux savoir|souhaite savoir|souhaiterais savoir|cherche a savoir|"
    r"aimerais savoir|voudrais comprendre|aimerais comprendre)|j'aimerais (?:savoir|comprendre)|"
    r"(?:pourriez-vous|pourrais-tu|peux-tu|pouvez-vous|tu peux|vous pouvez|tu pourrais|vous pourriez|sais-tu|"
    r"savez-vous|sait-on|on sait)(?: (?:me|nous))?(?: (?:dire|indiquer|preciser|confirmer))?|"
    r"(?:do you know|does anyone know|(?:can|could|would) you (?:please )?tell (?:me|us)|i wonder|i'm wondering|"
    r"i am wondering|i'd like to know|i would like to know|i want to know|please tell (?:me|us)|i need|i'd like|"
    r"j'ai besoin (?:de|d')|il me faut|"
    r"(?:any|an) idea|(?:t'as |tu as |vous avez |t'aurais |vous auriez )?une idee|(?:est-ce que |est-ce qu')?(?:tu sais|vous savez|on sait)|"
    r"(?:can|could|would) you(?: please)?(?: (?:confirm|check))?))\b[, ]*")
_WHETHER = re.compile(r"^(?:si|s'il|s'ils|whether|if)\b")
_WH_EN = re.compile(r"\b(?:who|what|when|where|which|how|whose|whom|why)\b")
# "Les principaux lauréats des César 2024 ?", "les candidats déclarés à la primaire ?": the items, named by a
# plural noun and no question word
_NOMINAL_LIST = re.compile(r"^(?:et )?(?:les|tous les|toutes les) (?:principaux |principales |differents |differentes |"
                           r"autres |\w+ )?\w{3,}[sx]\b")
# "Le Louvre est rouvert ?", "Depardieu va faire appel ?": a French statement asked with a question mark
_FINITE_FR = re.compile(r"(?<![\w'’-])(?:est|sont|était|étaient|a|ont|avait|avaient|sera|seront|serait|va|vont|peut|"
                        r"peuvent|doit|doivent)(?![\w'’-])")  # on the text as typed: "à" is no verb
# "Le match Lyon-Nice a bien été reporté ?": a statement to confirm
_CONFIRM = re.compile(r"\b(?:a|ont|est|sont|etait|etaient|avait|avaient|sera|seront|va|vont)(?:-t-(?:il|elle|ils|elles))?"
                      r" (?:bien|vraiment|deja|finalement|toujours) ")


# A greeting before the question ("Bonjour, quels…", "Hi! why…") and courtesy after it ("… svp", "…? merci",
# "…? Thanks"): chat habits, no words of the topic (a capitalised "Bonjour" read as a name the articles
# lack made the answer a refusal)
_GREETING = re.compile(r"^\s*(?:(?:bonjour|bonsoir|salut|coucou|hello|hi|hey|good (?:morning|afternoon|evening))"
                       r"(?: (?:a tous|a vous|tout le monde|everyone|there|all))?(?:\s*[,.!:;-]+\s*|\s+))+(?=\S)")
_COURTESY = re.compile(r"(?:[\s,]*(?:s'il (?:vous|te) plait|svp|stp|please|pls|plz|thx|merci(?: d'avance| beaucoup| bien)?|"
                       r"thanks?(?: you)?(?: in advance)?)\b[\s.!]*)+$")
_THANKED = re.compile(r"\b(?:dit|dire|disent|dira|ecrit|lance|repondu|said|say|says|saying|wrote|written|tweeted)\s*$")
# "dis-moi pourquoi…", "tell me why…": an imperative opener, when a question word follows it
_TELL = re.compile(r"^(?:dis|dites|explique|expliquez|raconte|racontez)-(?:moi|nous) (?=pourquoi|comment|qui|quand|ou|quel|"
                   r"combien|si|ce qu|what|why|how|who|when|where|which|whether|if)|^(?:tell|explain(?: to)?) (?:me|us) "
                   r"(?=what|why|how|who|when|where|which|whether|if)")
# "ok et la réaction de Pékin ?", "Alors, pourquoi…", "So, who…": a word of the conversation, no topic
_MARKER = re.compile(r"^(?:ok|okay|d'accord|alors|bon|so|well|right)(?:\s*[,!.]+\s*|\s+(?=et |and ))(?=\S)")


def _courtesy_span(q: str) -> tuple[int, int]:
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
    a, b = _courtesy_span(text)
    m = _OPENER.match(text[a:])
    if m and m.group(0).strip():
        a += m.end()
    else:
        t = _TELL.match(re.sub(r"\b(dis|dites|explique|expliquez|raconte|racontez) (moi|nous)\b", r"\1-\2", text[a:]))
        a += t.end() if t else 0
    if a == 0 and b == len(text) or a >= b:
        return question
    rest = question[at[a]:at[b - 1] + 1].strip(" ,:")
    return rest[:1].upper() + rest[1:] if re.search(r"\w", rest) else question  # a question again


def classify(question: str) -> str:
    """The shape of the answer ``question`` asks for (one of :data:`SHAPES`)."""
    q = _text(question)
    a, b = _courtesy_span(q)
    q = q[a:b].strip(" ,") or q
    if not q:
        return FACT
    shape = _shape(q)
    if shape in (FACT, YESNO):  # "Could you…", "Je me demande…": the question after the opener decides
        m = _OPENER.match(q)
        inner = q[m.end():] if m else q
        if inner != q and inner:
            if _WHETHER.match(inner) or "confirm" in m.group(0) and re.match(r"(?:que|qu'|that)\b", inner):
                return YESNO
            shape = _shape(inner)
    if shape == FACT and question.rstrip().endswith("?") and not _has_qword_fr(q) and not _WH_EN.search(q):
        if _CONFIRM.search(q) or not re.match(r"(?:and |the |a |q)", q) and _FINITE_FR.search(question.lower()) \
                and not re.search(r"\bqu'", q):
            return YESNO
        if _NOMINAL_LIST.match(q) and not re.search(r"\b(?:il|elle|ils|elles)\b", q):
            return LIST
    if shape in (CAUSE, MANNER) and re.match(r"(?:et )?est-ce qu", q) and not re.search(r"\b(?:pourquoi|raisons?|motifs?|why)\b", q):
        return YESNO  # "Est-ce que la découverte explique d'où viennent ces galaxies ?": whether, not whence
    if shape == FACT and re.match(r"(?:any chance|est-il vrai que|is it true that)\b", q):
        return YESNO
    return shape


def _shape(q: str) -> str:
    """The shape of a normalised question (:func:`_text`), openers included."""
    if _TIMELINE.search(q):
        return TIMELINE
    if _SUMMARY.search(q):
        return SUMMARY
    if _CAUSE.search(q):
        return CAUSE
    if _SAID.search(q):
        return SAID
    if _MANNER.search(q) and not _NAME_Q.search(q):
        return MANNER
    if _is_list(q):
        return LIST
    if re.match(r"(?:et\s+)?(?:est-ce qu|y a-t-il|y avait-il)", q) or re.search(r"\b(?:ou pas|ou non|or not)$", q) or \
            re.search(r"\b(?:ou pas|ou non|or not)\b", q) and not _has_qword_fr(re.sub(r"\bou (?:pas|non)\b", "", q)) \
            and not _WH_EN.search(q):
        return YESNO
    if _YESNO_EN.match(q) or (_YESNO_FR.match(q) and not _has_qword_fr(q.split("-t-")[0].split("-il")[0])):
        return YESNO
    return FACT


if __name__ == "__main__":  # pragma: no cover
    import sys

    print(classify(" ".join(sys.argv[1:])))
