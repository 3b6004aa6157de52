"""Output of ``beleidzoek similar``: per new question, the earlier questions with their answers.

Terminal: the new question, then per pair a header line (as a search hit),
who asked and who answered, and snippets of the question and the answer.
JSON: one line per new question (see :meth:`~.similar.SimilarResult.to_json`).
"""

from __future__ import annotations

import json

from .render import BOLD, DEFAULT_WIDTH, DIM, hit_header, style, wrap_marked
from .snippets import shorten

QUESTION_LINES = 2
ANSWER_LINES = 3
INDENT = "    "


def render_similar(result, *, width: int = DEFAULT_WIDTH, color: bool = False) -> str:
    """The terminal view of a :class:`~.similar.SimilarResult`."""
    lead = f"similar to ({result.label}): " if result.label else "similar to: "
    head = style(lead, DIM, color) + style(shorten(result.query, max(30, width - len(lead))), BOLD, color)
    if not result.pairs:
        return f"{head}\n{INDENT}no similar questions found\n"
    blocks = [head] + [_pair(pair, width, color) for pair in result.pairs]
    return "\n\n".join(blocks) + "\n"


def _pair(pair, width: int, color: bool) -> str:
    lines = [hit_header(pair.question or pair.answer, width, color)]
    byline = _byline(pair.doc)
    if byline:
        lines.append(INDENT + style(shorten(byline, width - len(INDENT)), DIM, color))
    for label, hit, count in (("vraag", pair.question, QUESTION_LINES),
                              ("antwoord", pair.answer, ANSWER_LINES)):
        if hit is None:
            lines.append(INDENT + style(f"{label}: (geen)", DIM, color))
            continue
        lines += wrap_marked(f"{label}: {hit.snippet}", width, INDENT, count, color)
    return "\n".join(lines)


def _byline(doc: dict) -> str:
    """"2024Z01234 · gesteld door A (SP) · beantwoord door B (minister X)"."""
    parts = []
    if doc.get("number"):
        parts.append(doc["number"])
    if doc.get("submitters"):
        parts.append("gesteld door " + ", ".join(doc["submitters"]))
    if doc.get("answerers"):
        parts.append("beantwoord door " + ", ".join(doc["answerers"]))
    return " · ".join(parts)


def similar_json(result) -> str:
    """One line of JSON for one new question."""
    return json.dumps(result.to_json(), ensure_ascii=False)
