"""Blog posts copied from a web page, as in the seed "Samen uit, samen thuis".

The layout: a first block of category lines ("Markt en overheid", "Blog"), the
title alone, then the paragraphs, with the site's buttons and comment prompts
mixed in. Those buttons must not become searchable text.
"""

from __future__ import annotations

import re

from .model import Document
from .passages import paragraphs, text_passages

#: Lines of site chrome (compared case-insensitively, without final punctuation).
CHROME = frozenset(
    line.lower()
    for line in (
        "Plaats een reactie",
        "U moet ingelogd zijn om een reactie te kunnen plaatsen",
        "Registreren",
        "Inloggen",
        "Reageer",
        "Reageren",
        "Deel dit artikel",
        "Deel deze pagina",
        "Deel dit bericht",
        "Delen",
        "Delen via",
        "Lees meer",
        "Lees verder",
        "Terug naar overzicht",
        "Cookies accepteren",
        "Alle cookies accepteren",
        "Cookies weigeren",
        "Cookie-instellingen",
        "Cookie instellingen",
        "Akkoord",
    )
)
_COOKIE_NOTICE = re.compile(r"\b(deze|onze) (web)?site (maakt gebruik van|gebruikt) cookies\b", re.IGNORECASE)
_MAX_CATEGORY_CHARS = 60


def is_chrome(line: str) -> bool:
    """Whether a line is a site button, prompt or cookie notice rather than text."""
    bare = line.strip().rstrip(".!:").strip().lower()
    return bare in CHROME or bool(_COOKIE_NOTICE.search(line) and len(line) < 300)


def drop_chrome(text: str) -> str:
    """The text without site-chrome lines, wherever they are."""
    return "\n".join(line for line in text.split("\n") if not is_chrome(line))


def looks_like_blog(text: str) -> bool:
    """A first block of several short category lines, then a one-line title, then text."""
    blocks = paragraphs(drop_chrome(text))
    if len(blocks) < 3:
        return False
    categories, title = blocks[0].split("\n"), blocks[1]
    return (
        len(categories) >= 2
        and all(len(line) <= _MAX_CATEGORY_CHARS and not line.rstrip().endswith((".", "?", "!")) for line in categories)
        and "\n" not in title
    )


def parse_blog(text: str, doc_id: str) -> Document:
    """A blog post in the seed's layout: categories, title, paragraphs."""
    blocks = paragraphs(drop_chrome(text))
    categories = [line.strip() for line in blocks[0].split("\n")]
    title = blocks[1]
    body = "\n\n".join(blocks[2:])
    return Document(
        doc_id=doc_id,
        kind="blog",
        title=title,
        categories=categories,
        passages=text_passages(f"{title}\n\n{body}", "blog"),
    )
