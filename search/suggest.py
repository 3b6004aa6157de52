""""Did you mean": corrected query words from the index vocabulary.

A query word is suspect when its index term occurs in no passage. (Words
that are merely rare are left alone: measured on the corpus, correcting them
turned real words into commoner ones -- "aangeboren" into "aangeboden".) Its
correction is the index term closest to the word's term in edit distance (1,
else 2, same first letter), the most frequent of equally close ones, spelled
as a passage that has it spells it: terms are stems ("informatiebeveilig"),
so the surface word is read back from the stored text -- a vocabulary of
unstemmed words would cost a third more indexing time. Only free words are
corrected -- not field values, phrases or wildcards -- and the suggestion is
the query text with those words replaced, so it can be searched as it is.
"""

from __future__ import annotations

import re

from .matching import terms_within
from .syntax import BoolNode, FieldNode, NotNode, Required, Seq, Word, clean_query_text, parse_syntax

#: Words shorter than this are not corrected (too many near neighbours).
MIN_LETTERS = 4
MAX_DISTANCE = 2
#: Passages read for the ways a corrected term is written.
SPELLING_PASSAGES = 5


def suggestion(reader, analyzer, text: str) -> str | None:
    """``text`` with its unknown words corrected, or None when nothing needs (or can get) a correction."""
    corrected = text
    for word in dict.fromkeys(_plain_words(text)):
        if len(word) < MIN_LETTERS or not word.isalpha():
            continue
        terms = [token.text for token in analyzer(word, mode="query")]
        if len(terms) != 1 or any(reader.doc_frequency(field, terms[0]) for field in ("text", "title")):
            continue  # a word of parts, or a known word
        better = _closest(reader, analyzer, terms[0], word)
        if better:
            pattern = re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)")
            corrected = pattern.sub(_same_case(word, better), corrected)
    return corrected if corrected != text else None


def _plain_words(text: str) -> list[str]:
    """The free words of a query (not ``field:`` values, quoted phrases or wildcards),
    read as the query layer reads it: a pasted question as plain words (``as_prose``)."""
    from .ranking import as_prose

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

    walk(parse_syntax(as_prose(clean_query_text(text))))
    return words


def _closest(reader, analyzer, term: str, word: str) -> str | None:
    """The word, as written in the index, of the most frequent term nearest to ``term``."""
    for distance in range(1, MAX_DISTANCE + 1):
        near = [t for t in terms_within(reader, "text", term, distance, prefix=1) if t != term]
        if near:
            best = min(near, key=lambda t: (-reader.doc_frequency("text", t), t))
            return _spelling(reader, analyzer, best, word)
    return None


def _spelling(reader, analyzer, term: str, word: str) -> str | None:
    """How the index's passages write ``term`` (lower case): of the forms in the
    first :data:`SPELLING_PASSAGES` passages with it, the one closest to ``word``."""
    from itertools import islice

    from whoosh.support.levenshtein import distance

    forms = set()
    for docnum in islice(reader.postings("text", term).all_ids(), SPELLING_PASSAGES):
        text = reader.stored_fields(docnum).get("text", "")
        forms.update(text[token.startchar:token.endchar].lower()
                     for token in analyzer(text, mode="index", chars=True) if token.text == term)
    forms = [form for form in forms if form.isalpha()]
    return min(forms, key=lambda form: (distance(form, word.lower()), form)) if forms else None


def _same_case(original: str, word: str) -> str:
    """``word`` capitalised like ``original`` ("Informatiebeveliging" -> "Informatiebeveiliging")."""
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
