"""Markdown documents (docs sites, Hugo and MkDocs pages) to plain passages.

Markup is noise for a word index: links keep their text, images, code blocks,
HTML and front matter go, tables become "cell | cell" lines. Headings split the
document into sections, so a passage can say which section it comes from.
"""

from __future__ import annotations

import html
import re
from typing import NamedTuple

from .dates import parse_date
from .model import Document
from .passages import passage_kind, text_passages

_FRONT_MATTER = re.compile(r"\A(---|\+\+\+)[ \t]*\n(.*?)\n(?:---|\+\+\+|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_KEY_VALUE = re.compile(r"^([A-Za-z_][\w-]*)\s*[:=]\s*(.*)$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|(\d+[.)]))\s+(.*)$")
_ADMONITION = re.compile(r"^\s*(?:!!!|\?\?\?\+?|:::)\s*[\w-]*\s*(.*)$")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")

_INLINE = [
    (re.compile(r"`+([^`]*)`+"), r"\1"),  # inline code: keep the text
    (re.compile(r"!\[[^\]]*\](\((?:[^()]|\([^()]*\))*\)|\[[^\]]*\])?"), " "),  # images
    (re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)"), r"\1"),  # [text](url)
    (re.compile(r"\[([^\]]*)\]\[[^\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][^<>]*>"), " "),  # HTML tags
    (re.compile(r"\{\{[<%].*?[%>]\}\}"), " "),  # Hugo shortcodes
    (re.compile(r"\{\s*[:.#][^{}]*\}"), " "),  # MkDocs attribute lists
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *italic*
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),  # _italic_
    (re.compile(r"~~(.+?)~~"), r"\1"),  # strike-through
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])"), r"\1"),  # backslash escapes
]


def parse_markdown(text: str, stem: str, kind: str = "guidance") -> Document:
    """A markdown document; sections are cut at headings.

    The title comes from the front matter, else the first "# " heading, else
    ``stem``; the front matter's description opens the text.
    """
    meta, body = front_matter(text)
    sections = _sections(_COMMENT.sub("", body))
    if description := inline(meta.get("description", "")):
        if not sections or sections[0].heading:
            sections.insert(0, _Section(None, 0, []))
        sections[0].paragraphs.insert(0, description)
    level_one = [section.heading for section in sections if section.level == 1]
    passages = []
    for section in sections:
        parts = ([section.heading] if section.heading else []) + section.paragraphs
        passages += text_passages("\n\n".join(parts), passage_kind(kind), section=section.heading)
    return Document(
        doc_id=stem,
        kind=kind,
        title=inline(meta.get("title", "")) or (level_one[0] if level_one else stem),
        passages=passages,
        date=parse_date(meta.get("date")),
        extra={"description": description} if description else {},
    )


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """Simple ``key: value`` (or TOML ``key = value``) front matter, and the text after it.

    Only top-level scalar values are read; folded blocks (``key: >``) are
    joined into one line, lists and nested maps are ignored.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta: dict[str, str] = {}
    key = None
    for line in match[2].split("\n"):
        pair = _KEY_VALUE.match(line)
        if pair:
            key, value = pair[1].lower(), pair[2].strip()
            if value in ("|", ">", "|-", ">-", "|+", ">+", ""):
                meta[key] = ""
            else:
                meta[key] = _unquote(value)
                key = None
        elif key is not None and line.startswith((" ", "\t")) and not line.strip().startswith("- "):
            meta[key] = f"{meta[key]} {line.strip()}".strip()
    return {key: value for key, value in meta.items() if value}, text[match.end():]


def inline(text: str) -> str:
    """Inline markup reduced to its text, whitespace collapsed."""
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return " ".join(html.unescape(text).split())


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


class _Section(NamedTuple):
    heading: str | None
    level: int
    paragraphs: list[str]


def _sections(body: str) -> list[_Section]:
    """The body's sections in order; text before the first heading has none."""
    sections = [_Section(None, 0, [])]
    lines: list[str] = []  # the current paragraph; list items and table rows stay separate lines
    joinable = False  # whether a plain line continues the last line (hard wrap)
    fence = None

    def close_paragraph() -> None:
        nonlocal joinable
        if lines:
            sections[-1].paragraphs.append("\n".join(lines))
        lines.clear()
        joinable = False

    for raw in body.split("\n"):
        if fence:
            fence = None if raw.strip().startswith(fence) else fence
        elif match := _FENCE.match(raw):
            close_paragraph()
            fence = match[1]
        elif match := _ATX.match(raw):
            close_paragraph()
            if heading := inline(match[2]):
                sections.append(_Section(heading, len(match[1]), []))
        elif _SETEXT.match(raw) and joinable and len(lines) == 1:
            heading = lines.pop()
            close_paragraph()
            sections.append(_Section(heading, 1 if "=" in raw else 2, []))
        elif "|" in raw and _TABLE_SEPARATOR.match(raw):
            continue  # the |---|---| line under a table header
        elif not raw.strip() or _RULE.match(raw) or _LINK_DEFINITION.match(raw):
            close_paragraph()
        elif raw.lstrip().startswith("|") or " | " in raw:
            cells = (inline(cell) for cell in re.split(r"(?<!\\)\|", raw.strip().strip("|")))
            if row := " | ".join(cell for cell in cells if cell):
                lines.append(row)
            joinable = False
        else:
            line = re.sub(r"^\s*(>\s?)+", "", raw)
            item = _LIST_ITEM.match(line)
            if item:
                line = f"{item[1]} {item[2]}" if item[1] else item[2]
            elif admonition := _ADMONITION.match(line):
                line = _unquote(admonition[1].strip())
            text = inline(line)
            if not text:
                continue
            if joinable and not item:
                lines[-1] = f"{lines[-1]} {text}"
            else:
                lines.append(text)
            joinable = True
    close_paragraph()
    return [section for section in sections if section.heading or section.paragraphs]
