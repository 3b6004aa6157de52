"""Plain-text documents: a title line, then paragraphs separated by blank lines.

This is how the shared corpus stores guidance, blogs, laws and news: the title
(unless the text already starts with it) followed by the text.
"""

from __future__ import annotations

import re

from .blog import drop_chrome, looks_like_blog, parse_blog
from .dates import parse_date
from .model import Document
from .passages import paragraphs, passage_kind, text_passages

_MAX_TITLE_CHARS = 500
_SHORT_TITLE_CHARS = 80
_STEM_DATE = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")


def parse_plaintext(text: str, doc_id: str, kind: str = "guidance") -> Document:
    """A plain-text document; the blog layout of the seed is recognised and read as a blog.

    The title is the first line; when that is a long sentence rather than a
    title, its first words. The title stays in the passages too: in most files
    it is the text's own heading.
    """
    if looks_like_blog(text):
        return parse_blog(text, doc_id)
    if kind == "blog":
        text = drop_chrome(text)
    blocks = paragraphs(text)
    first_line = blocks[0].split("\n")[0] if blocks else ""
    stem_date = _STEM_DATE.search(doc_id)
    return Document(
        doc_id=doc_id,
        kind=kind,
        title=short_title(first_line) or doc_id,
        passages=text_passages(text, passage_kind(kind)),
        date=parse_date(stem_date[0]) if stem_date else None,
    )


def short_title(line: str) -> str:
    """``line`` as a title: whole when short or shaped like a title, else its first words.

    A line without final punctuation (a law's long official title) is kept up
    to 500 characters; a sentence is cut at a word before 80 characters, with "…".
    """
    line = " ".join(line.split())
    if len(line) <= _SHORT_TITLE_CHARS or (len(line) <= _MAX_TITLE_CHARS and not line.endswith((".", "?", "!", ":"))):
        return line
    cut = line[:_SHORT_TITLE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
