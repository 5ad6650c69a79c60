"""How often a yes/no question putting someone in focus says "Oui" for the right one and for another.

    depeche eval --squad ../shared/data/piaf-v1.0.json --split heldout --store STORE --limit 1
    python -m eval.focus_probe --store STORE --split heldout [--questions eval/gold/piaf-en.jsonl] [--out probe.json]

From each French "Qui …?" question of the split whose gold answer is a name, two yes/no questions are
made by rule: "Est-ce bien {gold answer} qui … ?" (the right one: "Oui" is right) and "Est-ce bien
{another capitalised name of its paragraph} qui … ?" (another one: "Oui" is a false claim); with
``--form inverted``, "{name} a-t-il …" from the questions whose verb is an auxiliary or "être"; with
``--questions`` (PIAF in English), "Was it {name} who …?" from its "Who …?" questions; asked
of the engine over the split's index (built by the first command). Prints and saves the share of each
answered "Oui" (rag/shaped/focus.py; the rule of rag/shaped/yesno.py says "Oui" too). Calibration is
what the feature was checked on; report heldout.
"""
from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path


# "Qui a remporté…" -> "{X} a-t-il remporté…"; "Who has won…" -> "Has {X} won…"
_INVERTED_FR = re.compile(r"^(a|avait|aura|va|est|était|sera|fut|ont|sont)\s+(.+)$")
_INVERTED_EN = re.compile(r"^(has|had|was|is|were|are|will)\s+(.+)$")


def inverted(name: str, rest: str, english: bool) -> str | None:
    """The subject yes/no question "{name} a-t-il …" ("Has {name} …?") made of a "Qui …" ("Who …")
    question's ``rest`` whose verb is an auxiliary or "être"; None for another verb."""
    m = (_INVERTED_EN if english else _INVERTED_FR).match(rest)
    if not m:
        return None
    aux, tail = m.groups()
    if english:
        return f"{aux.capitalize()} {name} {tail}?"
    return f"{name} {aux}{'-t' if aux[-1] in 'ae' else ''}-il {tail} ?"


def probes(items, articles, split: str, seed: int = 0, form: str = "focus",
           near: bool = False) -> list[tuple[str, str]]:
    """(kind, question) pairs, kind "right" or "other", for the French "Qui" questions of ``split``;
    ``form`` "focus" ("Est-ce bien X qui…") or "inverted" ("X a-t-il…", only questions whose verb
    is an auxiliary or "être"); ``near``: the other name is taken from the sentence holding the
    right answer (the harder case: "Florian Philippot, qui est le bras droit de Marine Le Pen, …
    quitte"), and questions without such a name are left out."""
    from eval.splits import split_of
    from index.french import fold

    rng = random.Random(seed)
    byid = {a.id: a for a in articles}
    out = []
    for g in items:
        a = byid.get(g.article)
        m = re.match(r"^(?:Qui|Who) (.+?)\s*\?$", g.question.strip())
        if a is None or split_of(a.title) != split or not m or not g.answers:
            continue
        right = min(g.answers, key=len)
        if not right[:1].isupper() or len(right) > 40:
            continue
        where = a.text
        if near:
            where = next((x for x in re.split(r"(?<=[.!?])\s+", a.text) if right in x), "")
        names = sorted({x for x in re.findall(r"\b[A-Z][a-zéè]+(?: [A-Z][a-zéè]+)?\b", where) if len(x) > 3
                        and not any(fold(w) in fold(ans) for ans in g.answers for w in x.split())
                        and fold(x) not in fold(g.question)})
        english = g.question.startswith("Who")
        ask = (lambda x: f"Was it {x} who {m.group(1)}?") if english else (lambda x: f"Est-ce bien {x} qui {m.group(1)} ?")
        if form == "inverted":
            if inverted(right, m.group(1), english) is None:
                continue
            ask = (lambda x: inverted(x, m.group(1), english))
        if near and not names:
            continue
        out.append(("right", ask(right)))
        if names:
            out.append(("other", ask(rng.choice(names))))
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--squad", default="../shared/data/piaf-v1.0.json")
    p.add_argument("--split", choices=("calib", "heldout"), default="heldout")
    p.add_argument("--store", required=True, help="the split's index (depeche eval --squad … --store STORE)")
    p.add_argument("--questions", help="ask these texts instead (JSONL of id and question: eval/gold/piaf-en.jsonl)")
    p.add_argument("--form", choices=("focus", "inverted"), default="focus",
                   help="focus: 'Est-ce bien X qui …'; inverted: 'X a-t-il …' ('Has X …')")
    p.add_argument("--near", action="store_true",
                   help="take the other name from the sentence holding the right answer")
    p.add_argument("--out", help="write the figures and every answer's first words as JSON")
    args = p.parse_args(argv)
    from depeche.settings import Settings
    from eval.squad import load_questions, load_squad, with_questions
    from rag.engine import Engine

    articles, items, _ = load_squad(args.squad)
    if args.questions:
        items = with_questions(items, load_questions(args.questions))
    engine = Engine(Settings.from_mapping({"store": args.store}))
    got: dict[str, list[bool]] = {"right": [], "other": []}
    rows = []
    for kind, q in probes(items, articles, args.split, form=args.form, near=args.near):
        text = engine.ask(q).text
        got[kind].append(text.startswith(("Oui", "Yes")))
        rows.append({"kind": kind, "question": q, "answer": text[:160]})
    figures = {k: {"oui": sum(v), "asked": len(v)} for k, v in got.items()}
    for k, f in figures.items():
        print(f"{k:6s} said Oui/Yes {f['oui']}/{f['asked']}")
    if args.out:
        Path(args.out).write_text(json.dumps({"split": args.split, "figures": figures, "answers": rows},
                                             ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
