""""Did you mean": corrected query words from the index vocabulary.

A query word is suspect when its index term occurs in no passage. (Words
that are merely rare are left alone: measured on the corpus, correcting them
turned real words into commoner ones -- "aangeboren" into "aangeboden".) The
correction is the unstemmed index word (``spell`` field) closest to it in
edit distance (1, else 2, same first letter), the most frequent of equally
close ones. Only free words are corrected -- not field values, phrases or
wildcards -- and the suggestion is the query text with those words
replaced, so it can be searched as it is.
"""

from __future__ import annotations

import re

from .matching import terms_within
from .query import BoolNode, FieldNode, NotNode, Required, Seq, Word, parse_syntax

#: Words shorter than this are not corrected (too many near neighbours).
MIN_LETTERS = 4
MAX_DISTANCE = 2


def suggestion(reader, analyzer, text: str) -> str | None:
    """``text`` with its unknown words corrected, or None when nothing needs (or can get) a correction."""
    from ..index.stemming import fold_accents

    corrected = text
    for word in dict.fromkeys(_plain_words(text)):
        if len(word) < MIN_LETTERS or not word.isalpha() or _known(reader, analyzer, word):
            continue
        better = _closest(reader, fold_accents(word).lower())
        if better:
            pattern = re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)")
            corrected = pattern.sub(_same_case(word, better), corrected)
    return corrected if corrected != text else None


def _plain_words(text: str) -> list[str]:
    """The free words of a query (not ``field:`` values, quoted phrases or wildcards)."""
    words: list[str] = []

    def walk(node) -> None:
        if isinstance(node, Word):
            words.append(node.text)
        elif isinstance(node, (Seq, BoolNode)):
            for child in node.items if isinstance(node, Seq) else node.children:
                walk(child)
        elif isinstance(node, (NotNode, Required)):
            walk(node.child)
        elif isinstance(node, FieldNode) and node.field in ("title", "text"):
            walk(node.child)

    walk(parse_syntax(text))
    return words


def _known(reader, analyzer, word: str) -> bool:
    terms = [token.text for token in analyzer(word, mode="query")]
    return not terms or all(reader.doc_frequency("text", term) for term in terms)


def _closest(reader, word: str) -> str | None:
    """The most frequent ``spell`` word nearest to ``word`` (edit distance 1, else 2)."""
    for distance in range(1, MAX_DISTANCE + 1):
        near = [w for w in terms_within(reader, "spell", word, distance, prefix=1) if w != word]
        if near:
            return min(near, key=lambda w: (-reader.doc_frequency("spell", w), w))
    return None


def _same_case(original: str, word: str) -> str:
    """``word`` capitalised like ``original`` ("Informatiebeveliging" -> "Informatiebeveiliging")."""
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
