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
from functools import lru_cache
from typing import Iterator

from rag.nominal_question import _FINITE_FR, _NOMINAL_LIST, _NOT_ITEMS, _NOT_PLURAL, _PODIUM, _WH_EN, _nominal_list
from rag.typed import OPENER, WHETHER, courtesy_span, normalised, strip_opener  # noqa: F401 (strip_opener: public here too)
from rag.yesno_question import (_INSERTED_RELATIVE, _LEADING, _YESNO_EN, _YESNO_FR, _asks_fr, _has_qword_fr,
                                _without_relatives)

FACT, LIST, SUMMARY, CAUSE, MANNER, SAID, TIMELINE, YESNO = (
    "fact", "list", "summary", "cause", "manner", "said", "timeline", "yesno")
SHAPES = (FACT, LIST, SUMMARY, CAUSE, MANNER, SAID, TIMELINE, YESNO)

_TIMELINE = re.compile(
    r"\b(?:chronologie|chronologique|chronology|chronological|timeline|^retrace[rz]?|dans quel ordre|in what order|"
    r"(?:succession|enchainement|suite) des (?:evenements|faits)|"
    r"(?:walk|take) (?:me|us) through|heure par heure|hour by hour|^dans l'ordre\b|le fil des (?:evenements|faits)|"
    r"que s'est-il passe\b[^?]*\bdepuis|qu'est-il arrive\b[^?]*\bdepuis|what (?:has )?happened\b[^?]*\bsince|"
    # "qu'est-ce qui s'est passé depuis…", "ya eu quoi depuis…", "Depuis la démission, il s'est passé quoi ?"
    r"(?:qu'est-ce qui s'est passe|s'est passe quoi|y a eu quoi)\b[^?]*\bdepuis|"
    r"^depuis\b[^?]*\b(?:s'est passe|s'est-il passe|y a eu|qu'est-il arrive)\b|what happened when$|"
    # what happened from one moment until another: "… jusqu'à la finale", "from the referendum to …"
    r"(?:que s'est-il passe|qu'est-ce qui s'est passe)\b[^?]*\bjusqu|"
    r"what (?:has )?happened\b[^?]*\bfrom\b[^?]*\b(?:to|until|up to)\b|"
    r"(?:refai[st]|fai[st]|donne|retrace)[sz]?(?:-moi|-nous)? le fil\b|"
    r"quelles (?:ont ete|sont|furent) les (?:\w+ )?(?:etapes|dates|phases)|^(?:et )?(?:les )?(?:\w+ )?etapes (?:de|des|du|d')|"
    r"what (?:were|are) the (?:\w+ )?(?:steps|stages|milestones|phases)|evolu\w*\b[^?]*\bdepuis|"
    r"how (?:has|have|did) [^?]*\b(?:evolve|unfold|develop|play(?:ed)? out)\w*|how\b[^?]*\b(?:unfolded|played out)\b|"
    # "lay out in order what happened", "raconte dans l'ordre ce qui s'est passé"
    r"in (?:chronological )?order (?:what|how)\b|dans l'ordre (?:chronologique )?(?:ce qu|comment)|"
    # "étape par étape", "jour après jour", "au fil des semaines", "step by step", "day by day": in order of time
    r"etape (?:par|apres) etape|\b(match|manche|round|tour) (?:par|apres) \1|(?:^|[:,] )les (?:grandes |principales )?etapes$|"
    r"(?:^|[:,] )(?:le|un) deroule\b|(?:jour|semaine|mois|annee|heure) (?:apres|par) (?:jour|semaine|mois|annee|heure)|"
    r"au fil des (?:jours|semaines|mois|annees|heures)|step by step|(?:day|week|month|year) (?:by|after) "
    r"(?:day|week|month|year)|over the (?:days|weeks|months|years)|"
    # "Comment la situation a-t-elle évolué…", "Comment s'est déroulée la prise d'otages…"
    r"comment\b[^?]*\b(?:evolue\w*|s'(?:est|sont) (?:deroule|enchaine)\w*|se sont(?:-ils|-elles)? (?:deroule|enchaine)\w*|"
    r"s'est-(?:il|elle) (?:deroule|enchaine)\w*)|s'(?:est|sont) enchaine\w*(?: comment)?\b|"
    # "les grandes étapes depuis son lancement", "the main stages of…"
    r"(?:grandes|principales) (?:etapes|phases)\b|(?:main|key) (?:stages|phases)\b|"
    r"les grandes dates|key dates|sequence of events|deroulement|dates (?:cles|importantes|marquantes)|"
    r"dans l'ordre(?: chronologique)?(?=$|,)|in (?:chronological )?order(?=$|,)|historique (?:des|de|du|d')|key moments|moments cles|frise)\b")
# between two moments of a dated story ("Que s'est-il passé au Zimbabwe en novembre 2017, entre
# l'intervention de l'armée et la fin de Mugabe ?"); undated, "between" names people or places
# ("the meeting between Xi and Kim"): a summary
_BETWEEN = re.compile(r"(?:que s'est-il passe|qu'est-ce qui s'est passe|what (?:has )?happened)\b[^?]*\b"
                      r"(?:entre\b[^?]*\bet|between\b[^?]*\band)\b")
_SUMMARY = re.compile(
    r"^\s*(?:resume[rz]?|resumez-moi|resume-moi|fais(?:-moi)? (?:un )?(?:le )?resume|un resume|"
    r"summari[sz]e|give (?:me )?a summary|summary of|raconte[rz]?(?:-moi)?|decri[st](?:-moi)?|"
    r"de quoi parle|what is the (?:[\w' -]+ )?(?:story|article|affair|case|scandal) about)\b"
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
    r"^en bref\b|se passe quoi|tl;?dr|what went on\b|(?:ca|cela) donne quoi|"
    r"what is the (?:latest |current )?situation (?:in|at|with|on|regarding)\b|"
    r"quelle (?:est|etait) la situation (?:a|au|aux|en|dans|sur)\b|(?:(?<=[:,] )|^)(?:le|un) point$|"
    # "Explique-moi ce qu'il se passe avec…", "tu peux m'expliquer où on en est ?", "jveux comprendre l'affaire…"
    r"(?:expliquer?|explique[sz]?(?:-moi|-nous)?|comprendre) (?:l'affaire|l'histoire|la situation|ce qu'il se passe|"
    r"ce qui se passe|ce qui s'est passe|ou (?:on|en) en (?:est|sont))|"
    r"(?:bring|get) (?:me|us) up to speed|"
    # "Je voudrais un résumé…", "Peux-tu me faire un résumé…", "Can you summarize…", "un aperçu", "brief rapide sur…"
    r"un (?:petit |bref |court |rapide )?resume|resumer|summari[sz]e|sum up|(?:un |l')apercu|"
    r"c'est quoi (?:cette|l') ?(?:histoire|affaire)|l'essentiel a retenir|ce qu'il se passe (?:avec|a|au|aux|en|dans|autour)|"
    # "Tu peux me faire un point sur…", "vue d'ensemble", "ce qui se passe avec…", "où en est…"
    r"un point (?:rapide |complet |bref )?sur|un point complet|vue d'ensemble|ce qui se passe (?:avec|a|au|aux|en|dans|autour)|^(?:et )?ou en (?:est|sont|etait)|"
    r"(?:histoire|affaire)\b[^?]*\bc'est quoi|situation\b[^?]*\bc'est quoi(?: au juste| exactement)?$|"
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
    r"what took place|what went down)\b"
    # "… : tu me résumes ?", "vous pouvez me résumer", "résume-moi ça"
    r"|\b(?:tu|vous) (?:me|nous) (?:le |la |les |l')?resume[sz]?\b|\bresume[sz]?(?:-moi|-nous)? (?:ca|cela|tout ca)\b"
    r"(?!\s+(?:depuis|since|ensuite|after|apres))")
_CAUSE = re.compile(
    r"\b(?:pourquoi|pour quelles? raisons?|quelles? (?:est|sont|etait|etaient|fut) (?:la|les) raisons?|"
    r"quelles? raisons?|pour quel motif|quel (?:est|etait) le motif|dans quel but|a quelle fin|"
    r"a cause de quoi|qu'est-ce qui (?:a|avait) (?:cause|provoque|motive|pousse|entraine)|"
    r"qu'est-ce qui (?:explique|expliquerait|justifie|motive)|comment (?:s')?expliquer|"
    r"quelles? (?:est|sont|etait|etaient|a ete|ont ete|fut|serai(?:t|ent)|(?:pourrai(?:t|ent)|peu(?:t|vent)) etre) "
    r"(?:la |les |l')(?:causes?|origines?|motifs?|raisons?)|"
    r"d'ou (?:vient|viennent|venait|venaient|provient|proviennent)|what (?:explains|was behind|is behind|lies behind|lay behind)|"
    r"why|for what (?:reason|purpose)|what (?:was|is|were|are) the (?:reasons?|cause|causes|purpose|motive)|"
    r"what (?:caused|prompted|led to|motivated|triggered|sparked|drove)|how come|"
    r"what (?:led|drove|pushed|forced|made) \w[^?]*? to \w+|"
    # "Les raisons de l'annulation… ?", "Et le motif de la garde à vue… ?", "reason for the cancellation…",
    # "(je me demande) ce qui explique…"
    r"^(?:et )?(?:les |la |le |l')?(?:raisons?|motifs?|causes?|origines?|mobiles?) (?:de|du|des|d')|"
    r"^(?:and )?(?:the )?(?:reasons?|causes?|motives?) (?:for|of|behind)|"
    r"^ce qui (?:explique|expliquerait|justifie|motive|a (?:cause|provoque|motive|pousse|entraine))|"
    r"quel (?:est|etait|a ete) (?:le )?mobile|(?:what was|what is) the motive|"
    # "c'est quoi la raison de…", "l'accident est dû à quoi ?", "what's the point of…"
    r"c'est quoi (?:la |les )?(?:raisons?|causes?|motifs?)|\bdue?s? a quoi|what is the point of|"
    # "pour quoi faire ?", "de quoi sont morts…", "what reason…", "…: raison ?" ("à quoi sert": a fact, PIAF 10/16 vs 0)
    r"pour quoi faire|de quoi (?:est|sont|etait|etaient) (?:\w+ ){0,2}morte?s?|what reasons?|"
    # "il est mort de quoi ?", "Roger Moore est décédé de quoi ?", "what did he die of?"
    r"\b(?:morte?s?|decedee?s?|succombe) de quoi\b|\bwhat did (?:\w+ ){1,4}die (?:of|from)\b|"
    r"(?<=[:,.] )(?:la |les |quelles? |the )?(?:raisons?|causes?|motifs?|reasons?)$)")
# "Comment s'appelle / appelle-t-on / est surnommé…": asks for a name, a single fact, not a manner.
_NAME_Q = re.compile(r"\b(?:il|elle|ils|elles|ca|on) s'ap+el+\w* comment\b|"
                     r"\bcomment (?:(?:il|elle|ils|elles|ca|on) )?(?:s'ap+el+\w*|se nomm\w*|s'ecri\w*|dit-on|appel+e-t-on|nomme-t-on|tradui\w*|"
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
    r"|^\s*(?:cite[rz]?|liste[rz]?|enumere[rz]?|nomme[rz]?|name(?! of\b)|list|listing|enumerate|enumerating|naming)\b"
    r"|^\s*who (?:the|all the) [a-z'-]+s (?:are|were)\b"
    # a plural verb after "qui" ("qui ont été arrêtés", "Qui sont partis…"), "who were arrested", the members
    # of a body ("qui composait le gouvernement", "qui faisait partie de l'équipage")
    r"|^\s*(?:et )?qui (?:ont|sont|etaient|avaient|seront|vont|furent)\b|^\s*(?:and )?who were [a-z]+(?:ed|en)\b"
    r"|^\s*(?:et )?qui (?:compos\w+|(?:fait|font|faisait|faisaient) partie)\b"
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
    # "c'est qui les ministres…", "les accusés, c'est qui ?", "y avait qui au sommet", "who all was…", "noms des otages…"
    r"|\bc'(?:est|etait) qui les\b|^(?:et )?les [^?]*\bc'(?:est|etait) qui$|^(?:et )?y (?:avait|a|aura) qui\b|^who all\b"
    r"|^(?:et )?(?:les )?noms (?:des|de|du|d')|^(?:and )?(?:the )?names of\b"
    r"|^\s*(?:tell|show|give) (?:me|us) (?:the |all the )?[a-z'-]{3,}s (?:that|who|which)\b"
    r"|^\s*(?:donner|citer|lister|nommer|indiquer|enumerer) (?:les|tous les|toutes les)\b"
    r"|\bquel(?:le)? [a-z'-]{3,}[sx] (?:ont|on|sont|etaient|avaient|vont)\b"
    r"|^\s*(?:give|make) (?:me |us )?(?:the |a )?list\b"
    # "Peux-tu me donner la liste…", "Pouvez-vous lister…", "Donne-moi les noms des…"
    r"|^\s*(?:peux-tu|pouvez-vous|pourrais-tu|pourriez-vous|tu peux|vous pouvez|tu pourrais|vous pourriez)\s+"
    r"(?:me\s+|nous\s+)?(?:lister|enumerer|citer|nommer|(?:donner|faire|dresser|etablir) (?:la |une )?liste)\b"
    r"|^\s*(?:donne|donnez|indique|indiquez|cite|citez)(?:-moi|-nous)? les noms\b"
    r"|\b(?:which|what) (?:people|persons|children|men|women|police)\b"
    r"|\bquoi comme [a-z'-]{3,}[sx]\b|^(?:the |le |les )?top[ -]?(?:[2-9]|10|trois|cinq|dix|three|five|ten)\b"
    r"|^\s*(?:qui (?:figurent|figure|figuraient|figurait|etaient|sont|ont ete|comptent)|who (?:were|are)) (?:\w+ )?(?:parmi|among)\b"
    # "Qui occupe les trois premières places…", "Who were the two finalists…": a number of them
    r"|^\s*(?:qui|who)\b.*(?<!parmi )(?<!among )(?<!of )(?<!entre )\b(?:les|the|top)\s+(?:deux|trois|quatre|cinq|six|sept|huit|dix|two|three|four|five|six|"
    r"seven|eight|ten|[2-9]|10)\b"
    # "Qui compose le podium…", "Who made up the women's podium…": a podium is three names
    r"|^\s*(?:qui|who)\b.*\bpodiums?\b"
    # "Qui a remporté les épreuves masculine et féminine…", "Who won the men's and women's…": one a category
    r"|^\s*(?:qui|who)\b.*\b(?:masculin\w*|hommes|men'?s?) (?:et|and) (?:feminin\w*|femmes|women'?s?)\b")
_EN_PLURAL_Q = re.compile(r"\b(?:which|what) ((?:[a-z0-9'-]+ ){0,2}?[a-z'-]{3,}s)\b"
                          r"(?! (?:the|a|an|its|his|her|their|this|that|these|those)\b)"
                          r"|\bwhat (?:were|are) the (?:[a-z'-]+ )?([a-z'-]{3,}s)\b")
_SAID = re.compile(
    r"^\s*(?:et\s+)?(?:qu'|que\s+|qu'est-ce\s+qu')(?:[\w' -]+?\s+)?(?:a|ont|avait|avaient)(?:-t-(?:il|elle|ils|elles))?"
    r"\s+(?:[\w' -]+?\s+)?(?:dit|declare|ecrit|repondu|reagi|affirme|explique|estime|annonce|ajoute|indique|"
    r"denonce|souligne|retorque|assure|promis|tweete|publie|confie|precise|raconte|temoigne|martele|avoue|"
    r"crie|scande|dementi|nie|averti|insiste)\b"
    r"|\bquels? (?:propos|declarations?|paroles|mots)\b|\bquelles? (?:declarations?|paroles)\b"
    r"|\bquel(?:le)?s? (?:ont ete|sont|etaient|a ete|est|etait|furent) (?:les|la|le) (?:propos|declarations?|paroles|mots)\b"
    r"|^\s*(?:et\s+)?(?:que pense(?:nt)?|qu'en pense(?:nt)?|qu'en disent|qu'en dit)\b"
    r"|^\s*(?:and\s+)?what (?:does|do|did) [\w' -]+? (?:think|make) (?:of|about)\b"
    r"|^\s*(?:and\s+)?what\s+(?:exactly\s+|precisely\s+)?(?:did|does|do|has|have)\s+(?:[\w' (),.-]+?\s+)?(?:say|said|write|wrote|reply|replied|post|posted|"
    r"answer|answered|tweet|tweeted|declare|declared|tell|told|shout|shouted|yell|yelled|scream|screamed|chant|chanted|"
    r"claim|claimed|argue|argued|deny|denied|admit|admitted|promise|promised|warn|warned|explain|explained|insist|insisted)\b"
    # "il pensait quoi du goût du public", "elle en pense quoi"
    r"|\b(?:il|elle|ils|elles|on) (?:en )?(?:pense|pensait|pensent|pensaient|disait|dit|disent|raconte|racontait|"
    r"racontent|racontaient|ecrit|ecrivait|repond|repondait) quoi\b"
    # "il a sorti quoi comme tweet", "X est venu dire", "what was Collomb's take on…"
    r"|\bquoi comme (?:tweets?|phrases?|messages?|declarations?|propos|commentaires?|reponses?|discours|mots)\b"
    r"|^\s*(?:et\s+)?(?:qu'|que\s+|qu'est-ce\s+qu')[\w' -]+?\s+(?:est|sont|etait|etaient) venue?s? "
    r"(?:dire|annoncer|expliquer|declarer)\b"
    r"|\bwhat (?:was|is|were|are) [\w' .-]+?'s? (?:take|view|views|stance|position|opinion|verdict) on\b"
    # "Que dit exactement le communiqué de l'Élysée…", "What were the minister's exact words…"
    r"|^\s*(?:et\s+)?que (?:dit|disait|disent) (?:exactement |precisement )?(?:le |la |les |l')(?:communique|"
    r"declaration|message|lettre|tweet|discours|texte|allocution|interview|entretien|rapport|etude)s?\b"
    # "Donne-moi les déclarations du porte-parole…", "Give me the exact quote from…"
    r"|^\s*(?:donne|donnez|cite|citez|rapporte|rapportez|montre|montrez|rapporter|citer|donner)(?:-moi|-nous)? (?:les|ses|leurs|la|sa) "
    r"(?:declarations?|propos|paroles|citations?|mots)\b"
    r"|^\s*(?:give|show|tell) (?:me|us) (?:the |a |his |her |their )?(?:exact |full )?(?:quotes?|statements?|words)\b"
    r"|^\s*(?:et )?qu'est-ce qu'(?:il|elle|ils|elles|on) (?:dit|disait|disaient|disent|ecrit|ecrivait|repond|repondait)\b"
    r"|\b(?:exact|full|complete) (?:words|quotes?|quotations?|wording)\b|^quote\b"
    r"|^\s*(?:and )?what (?:statements?|remarks|comments|message) did\b"
    r"|\bquelle (?:est|etait|a ete) la position (?:de|du|des|d')[^?]*\b(?:sur|concernant|a propos)\b"
    # "Les propos du ministre sur… ?", "les citations exactes du procureur", "ce qu'a écrit Musk", "il a dit quoi",
    # "the statement released by…"
    r"|^\s*(?:et )?(?:les |la |le )?(?:propos|declarations?|paroles|citations?|mots) (?:de|du|des|d'|exacte)"
    # "que répond la CGT aux accusations", "que disent les familles des victimes"
    r"|^\s*(?:et )?que (?:repond|repondent|disent|declare|declarent|affirme|affirment) (?:la|le|les|l')"
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
    r"|^\s*ce qu(?:e |')[\w' -]+? (?:a|ont|avait|avaient) (?:dit|ecrit|declare|repondu|affirme|annonce|tweete|"
    r"indique|explique|precise|souligne|raconte|estime|assure|confie|revele)\b"
    r"|\b(?:a|ont|avait|avaient) (?:dit|declare|ecrit|repondu|raconte) quoi\b"
    r"|^\s*(?:and )?(?:the )?(?:statements?|remarks|comments|quotes?) (?:of|from|by|released|issued|made|published)\b|^\s*(?:and\s+)?what (?:did|does) (?:the|this|his|her|their) (?:statement|letter|message|"
    r"speech|tweet|communique|press release) say\b")
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


# "Le match Lyon-Nice a bien été reporté ?": a statement to confirm
_CONFIRM = re.compile(r"\b(?:a|ont|est|sont|etait|etaient|avait|avaient|sera|seront|va|vont)(?:-t-(?:il|elle|ils|elles))?"
                      r" (?:bien|vraiment|deja|finalement|toujours) ")


_TOPIC_COLON = re.compile(r"^[^:?]{3,}?\s*:\s+(?=\S)")


def _after_topic(question: str) -> str | None:
    """The question after a leading topic and a colon ("Sonde Juno : les grandes étapes… ?" -> "les
    grandes étapes… ?"), when there is one and it is more than a word or two; else None (pure)."""
    m = _TOPIC_COLON.match(question.strip())
    if not m:
        return None
    tail = question.strip()[m.end():]
    return tail if len(tail.split()) >= 3 else None


_RELATIVE_START = re.compile(r"(?:qui|dont|lequel|laquelle|lesquels|lesquelles|who|whom|which|that|where|when|"
                             r"whose|et|and|ou|or|mais|but|selon|according)\b", re.IGNORECASE)


TOPIC_COMMAS = 8  # commas a topic put first may hold: past them, a string of commas is no spoken topic


def _after_comma(question: str) -> Iterator[str]:
    """The questions after each comma of ``question`` whose part before holds no question word (a topic
    put first, as spoken: "Le maire qui avait refusé…, qu'a-t-il écrit ?", "the mayor of calais, is he
    running again"), when they are more than a word or two and do not open with a relative or a
    conjunction; "En quelle année, Yamina a été ministre ?" has none. Lazily, first comma first, the
    first ``TOPIC_COMMAS`` only (pure)."""
    for k, m in enumerate(re.finditer(r",\s*", question)):
        head, tail = normalised(question[:m.start()]), question[m.end():].strip()
        if k == TOPIC_COMMAS or _has_qword_fr(_without_relatives(head)) or _WH_EN.search(head) \
                or OPENER.match(head) or re.search(r"\bce qu", head):
            return
        if len(tail.split()) >= 3 and not _RELATIVE_START.match(tail):
            yield tail


def _last_sentence(question: str) -> str | None:
    """The last sentence of a question written in several ("What's the backstory of X? Take me
    through…"), when there are several and it is more than a word or two; else None (pure)."""
    parts = [p for p in re.split(r"(?<=[?!.])\s+(?=\S)", question.strip()) if p.strip()]
    return parts[-1] if len(parts) > 1 and len(parts[-1].split()) >= 3 else None


@lru_cache(maxsize=4096)  # pure; a question is read again through its parts (after a colon, a comma, a sentence)
def classify(question: str, topic_commas: bool = True) -> str:
    """The shape of the answer ``question`` asks for (one of :data:`SHAPES`); ``topic_commas`` False:
    without reading what follows a comma as the question (:func:`_after_comma` reads each of them
    itself, so the part after a comma is not read through its own commas again)."""
    q = normalised(question)
    a, b = courtesy_span(q)
    q = q[a:b].strip(" ,") or q
    if not q:
        return FACT
    shape = _shape(q)
    if shape in (FACT, YESNO):  # "Could you…", "Je me demande…": the question after the opener decides
        m = OPENER.match(q)
        inner = q[m.end():] if m else q
        if inner != q and inner:
            if WHETHER.match(inner) or "confirm" in m.group(0) and re.match(r"(?:que|qu'|that)\b", inner):
                return YESNO
            shape, q = _shape(inner), inner
    if shape == FACT and (tail := _last_sentence(question)) is not None and (inner := classify(tail)) != FACT:
        return inner  # "C'est pas le premier incident, si ? Retrace-moi ceux d'avant": the request comes last
    if shape == MANNER and (tail := _last_sentence(question)) is not None \
            and (inner := classify(tail)) in (TIMELINE, SUMMARY):
        return inner  # "Comment on en est arrivé là ? Retrace les étapes.": the request decides
    if shape in (FACT, LIST) and (tail := _after_topic(question)) is not None:
        # "Mort de René Préval en mars 2017 : qu'ont écrit Temer et Moïse…": the question after the topic decides
        inner = classify(tail)
        if inner != FACT:
            return inner
    # "Le communiqué de l'Élysée, qu'est-ce qu'il disait ?": the question after the topic decides
    if shape == FACT and topic_commas:
        for tail in _after_comma(question):
            if (inner := classify(tail, False)) != FACT:
                return inner
    if shape == FACT and (_nominal_list(q, question.lower()) or _PODIUM.search(q)):
        return LIST
    asked = re.sub(r"\s*\([^()]*\)\s*$", "", question.rstrip())  # "… ? (annonce du 18 décembre)"
    if shape == FACT and asked.endswith("?") and not _has_qword_fr(_without_relatives(q)) and not _WH_EN.search(q):
        typed = _without_relatives(asked.lower())
        if _CONFIRM.search(q) or not re.match(r"(?:and |the |a |q)", q) and (_FINITE_FR.search(typed) or
                                                                           re.match(r"c'(?:est|était) ", typed)) \
                and not re.search(r"\bqu'", _without_relatives(q)):
            return YESNO
        if _NOMINAL_LIST.match(q) and not _NOT_ITEMS & set(q.split()[:4]) and not re.search(r"\b(?:il|elle|ils|elles)\b", q):
            return LIST
    if shape in (CAUSE, MANNER) and re.match(r"(?:et )?est-ce qu", q) and not re.search(r"\b(?:pourquoi|raisons?|motifs?|why)\b", q):
        return YESNO  # "Est-ce que la découverte explique d'où viennent ces galaxies ?": whether, not whence
    if shape == FACT and re.match(r"(?:any chance|est-il vrai que|is it true that|c'est (?:vrai|exact) que)\b", q):
        return YESNO
    if shape == FACT and re.match(r"(?:il )?y (?:a|avait) (?:eu )?(?:des|du|de la|un|une|quelqu)\b", q) and not _has_qword_fr(q):
        return YESNO  # "y a eu des bagarres entre supporters…": whether there were
    if shape == FACT and (m := _LEADING.match(question)) and not _has_qword_fr(normalised(m.group(0))) \
            and not _WH_EN.search(normalised(m.group(0))) and classify(question[m.end():]) == YESNO:
        return YESNO
    return shape


def _shape(q: str) -> str:
    """The shape of a normalised question (:func:`rag.typed.normalised`), openers included."""
    if _TIMELINE.search(q) or _BETWEEN.search(q) and re.search(r"\b(?:19|20)\d\d\b", q):
        return TIMELINE
    if _SUMMARY.search(q):
        return SUMMARY
    if _CAUSE.search(q):
        return CAUSE
    if _SAID.search(q):
        return SAID
    # "Did Washington comment on…": the English verb, not French "comment"
    if _MANNER.search(re.sub(r"\bcomment\b", "remark", q) if _YESNO_EN.match(q) else q) and not _NAME_Q.search(q):
        return MANNER
    if _is_list(q):
        return LIST
    if re.match(r"(?:et\s+)?(?:est-ce\b|y a-t-il|y avait-il)", q) or re.search(r"\b(?:ou pas|ou non|or not)$", q) or \
            re.search(r"\b(?:ou pas|ou non|or not)\b", q) and not _has_qword_fr(re.sub(r"\bou (?:pas|non)\b", "", q)) \
            and not _WH_EN.search(q):
        return YESNO
    if _YESNO_EN.match(q) or (_YESNO_FR.match(q) and not _asks_fr(q)):
        return YESNO
    bare = _INSERTED_RELATIVE.sub("", q)  # "le rover, qui a fêté…, fonctionne-t-il"
    if bare != q and _YESNO_FR.match(bare) and not _asks_fr(bare):
        return YESNO
    return FACT


if __name__ == "__main__":  # pragma: no cover
    import sys

    print(classify(" ".join(sys.argv[1:])))
