"""Split running text into passages of about 50-250 words.

A search hit should point at a piece of text small enough to read at a glance
and large enough to carry context: paragraphs are the natural unit, long ones
are cut at sentence ends, runs of short ones (headings, list items) are merged.
"""

from __future__ import annotations

import math
import re

from .model import Passage

MIN_WORDS = 50
MAX_WORDS = 250

_ABBREVIATIONS = frozenset(
    """nr nrs art artt bijv bv o.a e.d e.a enz etc jl jo mr dr drs ir ing prof mw mevr dhr blz pag p resp ca
    incl excl max min stb stcrt vgl zgn z.g.a.n evt m.b.t t.a.v i.v.m d.w.z m.u.v i.p.v a.s bijl hfdst par
    afd tel vs jan feb febr mrt apr jun jul aug sep sept okt nov dec st ter""".split()
)
# A sentence ends at a line break, or at . ! ? (plus closing quotes) followed by
# a space and something that can start a sentence.
_BOUNDARY = re.compile(r"\n\s*|(?<=[.!?…])[\"'»”’)\]]*[ \t]+(?=[\"'«“‘(\[]?[A-ZÀ-Ý0-9])")
# "1." and "2.3." number list items; "a.", "J." and "e.g." are letters with stops.
_ENUMERATION = re.compile(r"^\(?\d{1,3}(\.\d+)*\.$|^([^\W\d_]\.)+$")


def passage_kind(document_kind: str) -> str:
    """The passage kind for running text of a document kind (Kamervraag text reads as questions)."""
    return "question" if document_kind == "kamervraag" else document_kind


def text_passages(text: str, kind: str, section: str | None = None) -> list[Passage]:
    """Passages of one kind (and section) for running text."""
    return [Passage(kind=kind, text=piece, section=section) for piece in split_passages(text)]


def split_passages(text: str, min_words: int = MIN_WORDS, max_words: int = MAX_WORDS) -> list[str]:
    """Passages of ``min_words``-``max_words`` words, keeping every word of ``text`` in order.

    Paragraphs (blank-line separated) are passages; a paragraph over
    ``max_words`` is cut at sentence ends; paragraphs under ``min_words`` are
    merged with the following ones. Only a text shorter than ``min_words`` in
    all gives a shorter passage.
    """
    passages: list[str] = []
    buffer = ""
    for paragraph in paragraphs(text):
        for unit in _cut(_sentences(paragraph), min_words, max_words):
            if not buffer:
                buffer = unit
            elif _words(buffer) >= min_words:
                passages.append(buffer)
                buffer = unit
            elif _words(buffer) + _words(unit) <= max_words:
                buffer = f"{buffer}\n\n{unit}"
            else:
                *done, buffer = _cut(_sentences(f"{buffer}\n\n{unit}"), min_words, max_words)
                passages.extend(done)
    if buffer:
        if passages and _words(buffer) < min_words:
            passages.extend(_cut(_sentences(f"{passages.pop()}\n\n{buffer}"), min_words, max_words))
        else:
            passages.append(buffer)
    return passages


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, stripped, empty ones dropped."""
    return [part.strip() for part in re.split(r"\n[ \t\f\v\r]*\n", text) if part.strip()]


def _words(text: str) -> int:
    return len(text.split())


def _sentences(text: str) -> list[str]:
    """Sentences with their trailing whitespace; joined they give ``text`` back."""
    pieces, start = [], 0
    for match in _BOUNDARY.finditer(text):
        if not match.group().startswith("\n") and _is_abbreviation(text[max(start, match.start() - 40):match.start()]):
            continue
        pieces.append(text[start:match.end()])
        start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _is_abbreviation(before: str) -> bool:
    """Whether the full stop ending ``before`` belongs to an abbreviation or a list number."""
    words = before.split()
    if not words:
        return True
    last = words[-1].rstrip("\"'»”’)]")
    if not last.endswith("."):
        return False
    bare = last.lstrip("(«“\"'").lower()[:-1]
    return bare in _ABBREVIATIONS or bool(_ENUMERATION.match(last.lstrip("(«“\"'")))


def _cut(pieces: list[str], min_words: int, max_words: int) -> list[str]:
    """Group consecutive pieces into chunks of about equal size within the bounds.

    Pieces longer than ``max_words`` (a sentence without full stops) are cut at
    spaces; a chunk that still ends up short is merged with its neighbour.
    """
    units = []
    for piece in pieces:
        units.extend(re.findall(r"\S+\s*", piece) if _words(piece) > max_words else [piece])
    chunks = _greedy(units, min_words, max_words)
    fixed: list[str] = []
    for chunk in chunks:
        if fixed and (_words(chunk) < min_words or _words(fixed[-1]) < min_words):
            merged = fixed.pop() + chunk
            if _words(merged) <= max_words:
                fixed.append(merged)
            else:
                fixed.extend(_greedy(re.findall(r"\S+\s*", merged), min_words, max_words))
        else:
            fixed.append(chunk)
    return [chunk.strip() for chunk in fixed if chunk.strip()]


def _greedy(units: list[str], min_words: int, max_words: int) -> list[str]:
    """Fill chunks up to the size that splits the remaining words evenly."""
    chunks: list[str] = []
    current, count = "", 0
    left = sum(_words(unit) for unit in units)
    for unit in units:
        size = _words(unit)
        if count:
            target = left / math.ceil(left / max_words)
            if count + size > max_words or (count >= min_words and count + size / 2 > target):
                chunks.append(current)
                left -= count
                current, count = "", 0
        current += unit
        count += size
    if current:
        chunks.append(current)
    return chunks
