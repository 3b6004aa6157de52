"""Output: search results, documents, statistics and index reports, for a terminal or as JSON.

Rendering is kept apart from the logic that produces results: every function
here takes plain data (``SearchResult``, ``Document``, ``IndexStats``,
``IndexReport``) and returns text. Matched words arrive as ``[[word]]``; on a
colour terminal they become bold yellow, otherwise the markers stay.
"""

from __future__ import annotations

import json
import os
import textwrap
from typing import IO

from .snippets import CLOSE, OPEN, shorten

BOLD, DIM, YELLOW, CYAN, RESET = "\x1b[1m", "\x1b[2m", "\x1b[33m", "\x1b[36m", "\x1b[0m"
HIGHLIGHT = BOLD + YELLOW
#: Lines of snippet per hit.
SNIPPET_LINES = 3
DEFAULT_WIDTH = 100
MAX_WIDTH = 120
#: Characters of the title always shown in a hit's header line.
MIN_TITLE = 40

KIND_LABELS = {"question": "vraag", "answer": "antwoord"}


# --------------------------------------------------------------------------
# Colour and width
# --------------------------------------------------------------------------


def use_color(choice: str = "auto", stream: IO | None = None) -> bool:
    """Colour for ``--color always``; for ``auto`` only on a terminal without ``NO_COLOR``."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):
        return False


def terminal_width(stream: IO | None = None) -> int:
    """The width to wrap to: the terminal's (at most :data:`MAX_WIDTH`), else 100."""
    try:
        if stream is not None and stream.isatty():
            import shutil  # only here: a search writing to a pipe never needs it

            return max(40, min(MAX_WIDTH, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns))
    except (AttributeError, ValueError, OSError):
        pass
    return DEFAULT_WIDTH


def style(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{RESET}" if color and text else text


def highlight(text: str, color: bool) -> str:
    """``[[word]]`` -> bold yellow when ``color``; markers kept otherwise."""
    if not color:
        return text
    return text.replace(OPEN, HIGHLIGHT).replace(CLOSE, RESET)


def wrap_marked(text: str, width: int, indent: str, max_lines: int | None, color: bool) -> list[str]:
    """Wrap text containing ``[[ ]]`` markers (never splitting a marker) and colour
    each line on its own, so a highlight spanning a line break stays closed."""
    if not text:
        return []
    wrapper = textwrap.TextWrapper(width=width, initial_indent=indent, subsequent_indent=indent,
                                   break_on_hyphens=False, break_long_words=True)
    lines = wrapper.wrap(text)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1].rstrip()
        if len(last) > width - 1:
            cut = last.rfind(" ", len(indent), width - 1)
            last = last[: cut if cut > len(indent) else width - 1].rstrip()
        lines[-1] = last.rstrip("…") + "…"
    out, inside = [], False
    for line in lines:
        # Close a marker left open by the wrap (or the cut) and reopen it on the next line.
        body = (OPEN if inside else "") + line[len(indent):]
        opens, closes = body.count(OPEN), body.count(CLOSE)
        inside = opens > closes
        if inside:
            body += CLOSE
        out.append(indent + (highlight(body, True) if color else _balance(body)))
    return out


def _balance(line: str) -> str:
    """Drop an empty ``[[]]`` pair left by wrapping."""
    return line.replace(OPEN + CLOSE, "")


# --------------------------------------------------------------------------
# Search results
# --------------------------------------------------------------------------


def _kind_label(hit) -> str:
    if hit.kind in ("question", "answer"):
        return f"{hit.kind} {hit.number}" if hit.number else hit.kind
    return hit.kind or hit.doc_kind or "passage"


def hit_header(hit, width: int, color: bool) -> str:
    """``rank. kind number · title · date · doc id`` on one line (title shortened)."""
    rank = f"{hit.rank:>2}."
    tail = [part for part in (hit.date, hit.doc_id) if part]
    fixed = len(rank) + 1 + len(_kind_label(hit)) + sum(len(p) + 3 for p in tail) + 3
    title = hit.title or "(untitled)"
    room = max(MIN_TITLE, width - fixed)  # a long doc id may push the line past the width
    if len(title) > room:
        title = title[: room - 1].rstrip() + "…"
    parts = [style(rank, BOLD, color), " ", style(_kind_label(hit), CYAN, color), " · ",
             style(title, BOLD, color)]
    for part in tail:
        parts += [" · ", style(part, DIM, color)]
    return "".join(parts)


def render_hit(hit, *, width: int = DEFAULT_WIDTH, color: bool = False, full: bool = False) -> str:
    """A hit's header line, the question an answer answers, and its snippet
    (with ``full``: the whole passage, paragraph by paragraph)."""
    lines = [hit_header(hit, width, color)]
    indent = "    "
    if hit.kind == "answer" and hit.question:
        label = f"antwoord op vraag {hit.number}: " if hit.number else "antwoord op: "
        question = shorten(hit.question, max(30, width - len(indent) - len(label)))
        lines.append(indent + style(label + question, DIM, color))
    if full:
        for paragraph in filter(None, (p.strip() for p in hit.snippet.split("\n"))):
            lines += wrap_marked(paragraph, width, indent, None, color)
    else:
        lines += wrap_marked(hit.snippet, width, indent, SNIPPET_LINES, color)
    return "\n".join(lines)


SORT_LABELS = {"date": "oldest first", "-date": "newest first"}
#: Values shown per facet in the terminal (JSON has them all).
FACET_VALUES = 10
FACET_LABEL_WIDTH = 10


def render_search(result, *, width: int = DEFAULT_WIDTH, color: bool = False) -> str:
    """The terminal view of a :class:`~.results.SearchResult`: a summary line,
    facets, the hits, what the per-document cap left out, a suggestion."""
    blocks = [style(_summary(result), DIM, color)]
    if result.facets and result.total:
        blocks.append(render_facets(result.facets, width=width, color=color))
    blocks += [render_hit(hit, width=width, color=color, full=result.full) for hit in result.hits]
    if result.collapsed:
        more = _plural(result.collapsed, "more passage")
        blocks.append(style(f"{more} of the documents above left out (at most {result.per_doc} "
                            f"per document; --per-doc 0 shows all)", DIM, color))
    if result.suggestion:
        blocks.append(f"Bedoelde u: {style(result.suggestion, BOLD, color)}")
    return "\n\n".join(blocks) + "\n"


def _summary(result) -> str:
    """"11–20 of 214 passages for "query" (newest first, 12 ms)"."""
    query = f'"{result.query}"'
    total = str(result.total)
    if not result.hits:
        if result.total:
            return f"no more passages for {query} (total {total})"
        return f"no passages found for {query}"
    first, last = result.hits[0].rank, result.hits[-1].rank
    noun = "passage" if result.total == 1 else "passages"
    shown = f"{first}–{last} of " if (first, last) != (1, result.total) else ""
    order = f"{SORT_LABELS[result.sort]}, " if result.sort in SORT_LABELS else ""
    return f"{shown}{total} {noun} for {query} ({order}{result.took_ms:.0f} ms)"


def render_facets(facets: dict, *, width: int = DEFAULT_WIDTH, color: bool = False) -> str:
    """One wrapped line per facet: ``party     SP: 49 · D66: 16 · …``."""
    lines = []
    indent = " " * FACET_LABEL_WIDTH
    for name, counts in facets.items():
        if not counts:
            continue
        items = [f"{value}: {count}" for value, count in list(counts.items())[:FACET_VALUES]]
        if len(counts) > FACET_VALUES:
            items.append(f"+{len(counts) - FACET_VALUES} more")
        # No-break spaces inside an item and before its "·": lines break only after a "·".
        wrapped = textwrap.wrap("\xa0· ".join(item.replace(" ", "\xa0") for item in items), width,
                                initial_indent=indent, subsequent_indent=indent,
                                break_on_hyphens=False, break_long_words=False)
        wrapped[0] = style(f"{name:<{FACET_LABEL_WIDTH}}", BOLD, color) + wrapped[0][FACET_LABEL_WIDTH:]
        lines += [line.replace("\xa0", " ") for line in wrapped]
    return "\n".join(lines)


def search_json(result) -> str:
    """One line of JSON (``search --json`` and each line of ``--queries``)."""
    return json.dumps(result.to_json(), ensure_ascii=False)


def error_json(query: str, message: str) -> str:
    """A ``--queries`` line for a query that could not be searched."""
    return json.dumps({"query": query, "error": message}, ensure_ascii=False)


def render_notes(result) -> list[str]:
    """Remarks for stderr: words left out of a long query, literal stop-word search."""
    notes = list(result.notes)
    if result.ignored:
        notes.append(f"left out very common words: {', '.join(result.ignored)}")
    return notes


# --------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------

_META_LABELS = (("submitted", "submitted"), ("answered", "answered"), ("date", "date"),
                ("submitters", "submitters"), ("answerers", "answerers"), ("topics", "topics"),
                ("categories", "categories"), ("source", "source"), ("path", "file"))


def _passage_label(passage) -> str | None:
    if passage.kind in KIND_LABELS:
        label = KIND_LABELS[passage.kind].capitalize()
        return f"{label} {passage.number}" if passage.number else label
    return passage.section


#: Lines shown of each neighbour around ``show --passage``.
NEIGHBOUR_LINES = 2


def render_document(doc, *, width: int = DEFAULT_WIDTH, color: bool = False, wrap: bool = True,
                    focus: frozenset[int] | None = None) -> str:
    """The terminal view of a document: title, metadata, then its passages.
    With ``focus`` (positions), the other passages are neighbours: dimmed and
    cut to :data:`NEIGHBOUR_LINES` lines."""
    lines = [style(doc.title or "(untitled)", BOLD, color)]
    ident = " ".join(part for part in (doc.kind, doc.number) if part)
    lines.append(style(f"{ident} · id {doc.doc_id}", DIM, color))
    lines.append("")
    label_width = max(len(label) for _, label in _META_LABELS) + 2
    for name, label in _META_LABELS:
        value = getattr(doc, name, None)
        if name == "date" and (doc.submitted or doc.answered):
            continue
        if isinstance(value, list):
            value = ", ".join(value)
        if value:
            lines.append(f"  {label:<{label_width}}{value}")
    previous_section = None
    for passage in doc.passages:
        neighbour = focus is not None and passage.position not in focus
        label = _passage_label(passage)
        if label and label != previous_section:
            lines.append("")
            lines.append(style(label, DIM if neighbour else BOLD, color))
            if passage.kind not in KIND_LABELS:
                previous_section = label
        else:
            lines.append("")
        if not neighbour:
            lines += _paragraph_lines(passage.text, width, wrap)
        elif wrap:
            lines += [style(line, DIM, color)
                      for line in _cut(_paragraph_lines(passage.text, width, True), NEIGHBOUR_LINES, width)]
        else:  # a pipe gets one line per neighbour
            lines.append(style("  " + shorten(passage.text, NEIGHBOUR_LINES * width), DIM, color))
    return "\n".join(lines) + "\n"


def _paragraph_lines(text: str, width: int, wrap: bool) -> list[str]:
    lines = []
    for paragraph in filter(None, (p.strip() for p in text.split("\n"))):
        if wrap:
            lines.extend(textwrap.wrap(paragraph, width=width, initial_indent="  ",
                                       subsequent_indent="  ", break_on_hyphens=False))
        else:
            lines.append("  " + paragraph)
    return lines


def _cut(lines: list[str], count: int, width: int) -> list[str]:
    if len(lines) <= count:
        return lines
    kept = lines[:count]
    kept[-1] = kept[-1][: width - 1].rstrip() + "…"
    return kept


def document_json(doc, focus: frozenset[int] | None = None) -> str:
    from .documents import document_json as as_dict

    return json.dumps(as_dict(doc, focus), ensure_ascii=False, indent=2)


# --------------------------------------------------------------------------
# Statistics
# --------------------------------------------------------------------------


def human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover


def render_stats(stats, *, color: bool = False) -> str:
    lines = [style(f"index {stats.index_dir}", BOLD, color),
             f"  documents  {stats.documents}",
             f"  passages   {stats.passages}",
             f"  files      {stats.files}",
             f"  size       {human_bytes(stats.size_bytes)} ({stats.size_bytes} bytes)",
             f"  analyzer   {stats.analyzer}", ""]

    def table(title: str, columns: list[tuple[str, dict]]) -> None:
        keys = list(dict.fromkeys(key for _, counts in columns for key in counts))
        width = max([len(title)] + [len(k) for k in keys]) + 2
        head = title.ljust(width) + "".join(f"{name:>11}" for name, _ in columns)
        lines.append(style(head, BOLD, color))
        for key in keys:
            lines.append(key.ljust(width) + "".join(f"{counts.get(key, ''):>11}" for _, counts in columns))
        lines.append("")

    table("document kind", [("documents", stats.documents_by_kind)])
    table("passage kind", [("passages", stats.passages_by_kind)])
    table("year", [("documents", stats.documents_by_year), ("passages", stats.passages_by_year)])
    return "\n".join(lines)


def stats_json(stats) -> str:
    return json.dumps(stats.to_json(), ensure_ascii=False, indent=2)


# --------------------------------------------------------------------------
# Index reports
# --------------------------------------------------------------------------


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def index_report_lines(report, index_dir) -> list[str]:
    """The summary ``beleidzoek index`` writes to stderr: one line of counts,
    then one line per notice and per skipped file (with the reason)."""
    parts = [f"indexed {_plural(report.documents, 'document')} "
             f"({_plural(report.passages, 'passage')}) from {_plural(report.files_indexed, 'file')}"]
    parts.append(f"{_plural(report.files_unchanged, 'file')} unchanged")
    if report.files_removed:
        parts.append(f"{_plural(report.files_removed, 'file')} removed")
    if report.skipped:
        parts.append(f"{len(report.skipped)} skipped")
    lines = [f"{', '.join(parts)} in {report.seconds:.1f} s ({index_dir})"]
    lines += [f"note: {notice}" for notice in report.notices]
    lines += [f"skipped {item}" for item in report.skipped]
    return lines


def index_report_json(report, index_dir) -> str:
    data = {
        "index": str(index_dir), "documents": report.documents, "passages": report.passages,
        "files_indexed": report.files_indexed, "files_unchanged": report.files_unchanged,
        "files_removed": report.files_removed,
        "skipped": [{"path": s.path, "line": s.line, "reason": s.reason} for s in report.skipped],
        "notices": list(report.notices), "seconds": round(report.seconds, 3),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
