"""SQuAD-format QA sets (SQuAD v1, PIAF, FQuAD) -> a corpus of articles + gold questions (pure core).

One article per SQuAD article: its paragraphs (contexts) joined by blank lines, so each answer's
``answer_start`` maps into the article text at ``paragraph offset + answer_start``. Each question
becomes a gold item: answers = the answer texts, evidence = the answer spans' text as it stands in
the article, article = the article id, spans = the answer spans' offsets. Offsets that are off by a
little (PIAF has two) are moved to the nearest occurrence of the answer text in the paragraph.
SQuAD v2 unanswerable questions (``is_impossible``) become items with ``answers = []``.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from depeche.errors import DepecheError
from depeche.types import Article
from eval.gold import GoldItem

SEP = "\n\n"


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "-", text).strip("-").lower() or "squad"


def _locate(context: str, text: str, start: int) -> int | None:
    """Offset of ``text`` in ``context``: ``start`` if right, else the nearest occurrence."""
    if 0 <= start and context[start:start + len(text)] == text:
        return start
    found = [m.start() for m in re.finditer(re.escape(text), context)]
    if not found:
        return None
    return min(found, key=lambda i: abs(i - start))


def parse_squad(data: object, name: str = "squad") -> tuple[list[Article], list[GoldItem], list[str]]:
    """Articles, gold items and problems (one line each) of a decoded SQuAD JSON object."""
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise DepecheError(f"{name} is not a SQuAD file (no top-level \"data\" list); give a SQuAD v1 JSON file.")
    prefix = _slug(name)
    articles: list[Article] = []
    items: list[GoldItem] = []
    problems: list[str] = []
    seen_ids: set[str] = set()
    for ai, art in enumerate(data["data"]):
        where = f"{name}: data[{ai}]"
        if not isinstance(art, dict) or not isinstance(art.get("paragraphs"), list):
            problems.append(f"{where}: no \"paragraphs\" list; skipped")
            continue
        title = str(art.get("title") or f"Article {ai}").replace("_", " ").strip()
        article_id = f"{prefix}-{ai:04d}"
        parts: list[str] = []
        offset = 0
        pending: list[tuple[dict, str, int, int]] = []  # qa, context, paragraph offset, paragraph index
        for pi, para in enumerate(art["paragraphs"]):
            context = para.get("context") if isinstance(para, dict) else None
            if not isinstance(context, str) or not context.strip():
                problems.append(f"{where}.paragraphs[{pi}]: empty or missing context; skipped")
                continue
            context = context.replace("\r\n", "\n").replace("\r", "\n")
            if parts:
                offset += len(SEP)
            parts.append(context)
            for qa in para.get("qas") or []:
                pending.append((qa, context, offset, pi))
            offset += len(context)
        if not parts:
            continue
        text = SEP.join(parts)
        articles.append(Article(id=article_id, title=title, text=text))
        for qa, context, para_offset, pi in pending:
            qwhere = f"{where}.paragraphs[{pi}]"
            if not isinstance(qa, dict) or not isinstance(qa.get("question"), str) or not qa["question"].strip():
                problems.append(f"{qwhere}: a question without text; skipped")
                continue
            qid = str(qa.get("id") or f"{article_id}-q{len(items)}")
            if qid in seen_ids:
                problems.append(f"{qwhere}: duplicate question id '{qid}'; skipped")
                continue
            answers: list[str] = []
            evidence: list[str] = []
            spans: list[tuple[int, int]] = []
            impossible = bool(qa.get("is_impossible"))
            for ans in ([] if impossible else qa.get("answers") or []):
                atext = ans.get("text") if isinstance(ans, dict) else None
                if not isinstance(atext, str) or not atext.strip():
                    continue
                start = ans.get("answer_start")
                at = _locate(context, atext, start if isinstance(start, int) else -1)
                if at is None:
                    problems.append(f"{qwhere}: answer {atext!r} of question {qid} is not in its context; "
                                    "kept as an answer, without evidence")
                else:
                    span = (para_offset + at, para_offset + at + len(atext))
                    if span not in spans:
                        spans.append(span)
                        if text[span[0]:span[1]] not in evidence:
                            evidence.append(text[span[0]:span[1]])
                if atext.strip() not in answers:
                    answers.append(atext.strip())
            if not answers and not impossible:
                problems.append(f"{qwhere}: question {qid} has no answer and is not marked is_impossible; skipped")
                continue
            seen_ids.add(qid)
            items.append(GoldItem(id=qid, question=" ".join(qa["question"].split()), answers=tuple(answers),
                                  evidence=tuple(evidence), article=article_id, spans=tuple(spans)))
    if not articles:
        raise DepecheError(f"{name} holds no usable article (no non-empty context); check the file.")
    return articles, items, problems


def load_squad(path: str | Path) -> tuple[list[Article], list[GoldItem], list[str]]:
    p = Path(path)
    try:
        data = json.loads(p.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        raise DepecheError(f"SQuAD file {p} does not exist; give a SQuAD v1 JSON file.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DepecheError(f"Cannot read SQuAD file {p} ({exc}); give a UTF-8 SQuAD v1 JSON file.") from None
    except json.JSONDecodeError as exc:
        raise DepecheError(f"SQuAD file {p} is not valid JSON ({exc.msg}, line {exc.lineno}); fix it.") from None
    except (RecursionError, ValueError) as exc:  # nesting too deep, a number too long
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc).split("\n")[0][:80]
        raise DepecheError(f"SQuAD file {p} is not usable JSON ({reason}); fix it.") from None
    return parse_squad(data, p.stem)


def write_corpus(articles: list[Article], path: str | Path) -> Path:
    """The articles as a corpus JSONL file (id, title, text) that `depeche index` reads."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with open(p, "w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(json.dumps({"id": a.id, "title": a.title, "text": a.text}, ensure_ascii=False) + "\n")
    return p


def load_questions(path: str | Path) -> dict[str, str]:
    """Question texts by SQuAD question id from a JSONL file of ``{"id", "question"}`` lines (e.g.
    eval/gold/piaf-en.jsonl: PIAF's questions written in English, asked over its French contexts)."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DepecheError(f"Questions file {p} does not exist; give a JSONL file of id/question lines.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DepecheError(f"Cannot read questions file {p} ({exc}); give a UTF-8 JSONL file.") from None
    out: dict[str, str] = {}
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DepecheError(f"{p}:{n}: not valid JSON ({exc.msg}); fix the line.") from None
        if not isinstance(rec, dict) or not isinstance(rec.get("id"), str) or not isinstance(rec.get("question"), str) \
                or not rec["question"].strip():
            raise DepecheError(f"{p}:{n}: needs a string \"id\" and a non-empty string \"question\"; fix the line.")
        out[rec["id"]] = " ".join(rec["question"].split())
    return out


def with_questions(items: list[GoldItem], texts: dict[str, str]) -> list[GoldItem]:
    """The items that have a text in ``texts``, asked with that text instead (pure)."""
    import dataclasses

    return [dataclasses.replace(it, question=texts[it.id]) for it in items if it.id in texts]


def why_questions(items: list[GoldItem]) -> list[GoldItem]:
    """The items whose question asks why (rag/shapes.classify: pourquoi, pour quelle raison, why…),
    scored as answers of the cause shape: a gold answer must be in the answer or a cited sentence (pure)."""
    import dataclasses

    from rag.shapes import CAUSE, classify

    return [dataclasses.replace(it, shape=CAUSE, cause=it.answers) for it in items if classify(it.question) == CAUSE]
