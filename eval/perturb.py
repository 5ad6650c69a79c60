"""A gold file's questions asked the way people type them, to measure how much the answers depend on
the typing (eval/HISTORY.md, session 14). Each question is rewritten by rule; answers, items,
causes and key sentences stay as they are.

    python -m eval.perturb GOLD.jsonl... --way opener|bare|typo|greeting [--shapes list,cause,manner] --out OUT.jsonl

(session 14: the fit and dev sets' list, cause and manner questions, `eval/gold/shapes-fit*.jsonl` and
`shapes-dev.jsonl` with `--shapes list,cause,manner`; then `depeche eval OUT.jsonl` beside the
unchanged questions).

- ``opener``: "Je voudrais savoir " (French) or "Could you tell me " (English) before the question,
  its first letter lowered;
- ``bare``: lower case, accents dropped, no question mark (index.french.fold);
- ``typo``: French questions only: the first capitalised word of 6 letters or more after the first
  word loses its second-to-last letter ("Oddity" -> "Oddiy"); questions without one are left out;
- ``greeting``: "Bonjour, " before the question and " Merci" after it (English: "Hi, " and " Thanks"),
  its first letter lowered (session 15).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from index.french import fold

WAYS = ("opener", "bare", "typo", "greeting")
_NAME = re.compile(r"\b[A-ZÉÈ][a-zéèêëïîôûç]{5,}\b")


def rewrite(question: str, way: str, english: bool) -> str | None:
    """``question`` rewritten one way, or None when the way does not apply to it (pure)."""
    if way == "opener":
        head = "Could you tell me " if english else "Je voudrais savoir "
        return head + question[:1].lower() + question[1:]
    if way == "greeting":
        head, tail = ("Hi, ", " Thanks") if english else ("Bonjour, ", " Merci")
        return head + question[:1].lower() + question[1:] + tail
    if way == "bare":
        return fold(question).replace(" ?", "").replace("?", "")
    if way == "typo":
        names = [m for m in _NAME.finditer(question) if m.start() > 0]
        if english or not names:
            return None
        m = names[0]
        w = m.group(0)
        return question[:m.start()] + w[:-2] + w[-1] + question[m.end():]
    raise ValueError(f"unknown way {way!r}; use one of {', '.join(WAYS)}")


def main(argv: list[str] | None = None) -> int:
    from rag.question import is_english

    ap = argparse.ArgumentParser(prog="python -m eval.perturb", description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", nargs="+")
    ap.add_argument("--way", choices=WAYS, required=True)
    ap.add_argument("--shapes", default="", help="keep only these shapes (comma-separated)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    shapes = {x for x in a.shapes.split(",") if x}
    kept = 0
    with open(a.out, "w", encoding="utf-8") as out:
        for line in (ln for f in a.gold for ln in Path(f).read_text(encoding="utf-8").splitlines()):
            if not line.strip():
                continue
            g = json.loads(line)
            if shapes and g.get("shape") not in shapes:
                continue
            q = rewrite(g["question"], a.way, is_english(g["question"]))
            if q is None:
                continue
            out.write(json.dumps({**g, "question": q}, ensure_ascii=False) + "\n")
            kept += 1
    print(f"{kept} questions written to {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
