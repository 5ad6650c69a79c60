"""Plain-text rendering of an answer for the terminal."""
from __future__ import annotations

from depeche.types import Answer


def render_text(ans: Answer) -> str:
    lines = [ans.text, ""]
    if ans.search_query:
        lines.insert(0, f"(Recherche : {ans.search_query})")
    if ans.citations:
        for c in ans.citations:
            lines.append(f"[{c.n}] {c.title} ({c.date or 'date inconnue'}) — {c.url or c.path or c.article_id}")
            lines.append(f"    « {c.quote} »")
    elif ans.related:
        lines.append("Passages proches (à lire, non cités) :")
        for c in ans.related:
            lines.append(f"  - {c.title} ({c.date or 'date inconnue'}): {c.quote[:160]}…")
    return "\n".join(lines).rstrip()
