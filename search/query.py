"""User query text -> Whoosh query.

The query language (documented for users in ``beleidzoek search --help``)::

    privatisering ICT gemeenten     words: passages with more of them rank first
    "Baseline Informatiebeveiliging Overheid"   a phrase: these words, in this order
    "cloud beleid"~2                a phrase with up to 2 other words in between
    privacy AND cloud               both required; also +privacy cloud
    privacy OR AVG                  either
    privacy NOT cloud               exclude; also privacy -cloud
    (AVG OR privacy) AND gemeente   parentheses group
    kind:answer  year:2017  date:2017-06..2017-09  party:SP  title:groningen ...
    informatiebevei*                prefix/wildcard (at least 2 letters before * or ?)

Precedence (as in Whoosh): NOT binds tightest, then AND, then OR; words next to
each other form a group that is a soft OR (see :class:`~.matching.CoordinatedOr`).
Operators are upper case only: "and", "or" and "not" are ordinary words.

Keyword words search ``title`` and ``text`` and, at lower weight, the compound
``parts`` field (so "beveiliging" finds "informatiebeveiliging", ranked below an
exact match). Stop words are dropped from keywords but kept inside phrases; a
query of nothing but stop words is searched literally, as a phrase.

Filter fields (kind, doc_kind, doc_id, number, date, year, submitter, party,
ministry, topic) restrict rather than rank: ``privacy kind:answer`` means answers
about privacy. Several values of one field in a group are alternatives
(``kind:question kind:answer``). Every query is restricted to passages.

Broken queries raise :class:`QueryError` with a one-line message; the choices:

* unclosed ``"``                      -> error "unclosed quote in query"
* unclosed ``(`` / stray ``)``        -> error "unclosed parenthesis ..." / "unmatched ')' ..."
* only operators (``AND OR NOT``)      -> error "query has no search terms"
* an operator without an operand      -> error naming the operator
* ``title:`` without a value          -> error; an unknown ``field:value`` -> error listing the fields
* ``*``, ``a*``, ``*beleid``           -> error: a wildcard needs 2 letters before it
* control characters                  -> treated as spaces (invisible format characters removed)
* more than :data:`MAX_QUERY_CHARS`    -> error "query is too long"
* nesting deeper than :data:`MAX_DEPTH` -> error
* more than :data:`MAX_OPERATOR_TERMS` terms under AND/OR/NOT -> error; a long
  run of plain words is repaired instead (very common words dropped, at most
  :data:`MAX_UNITS` rarest words kept)
* only punctuation                    -> error "query has no search terms"

This module is the public face; the work is done in :mod:`.syntax` (text ->
syntax tree), :mod:`.filters` (field values, kinds, dates), :mod:`.expansion`
(the synonym hook), :mod:`.leaves` (words, phrases, wildcards) and
:mod:`.builder` (the tree -> one Whoosh query).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

# The names query.py has always offered, wherever they live now.
from .builder import COMMON_SHARE, LONG_QUERY_UNITS, MAX_UNITS, ParsedQuery, QueryBuilder
from .filters import (
    DOC_KIND_ALIASES, DOCUMENT_KINDS, KIND_ALIASES, METADATA_FIELDS, PASSAGE_KINDS, date_range,
    filter_query, metadata_value, parse_date, parse_kinds,
)
from .leaves import (
    EXPANSION_SLOP, EXPANSION_WEIGHT, FUZZY_MAX_EXPANSIONS, FUZZY_MIN_LETTERS,
    FUZZY_TWO_EDITS_LETTERS, FUZZY_WEIGHT, LOOSE_PARTS_WEIGHT, PARTS_WEIGHT,
    WILDCARD_MAX_EXPANSIONS, expansion_weight,
)
from .syntax import (
    FILTER_FIELDS, MAX_DEPTH, MAX_OPERATOR_TERMS, MAX_QUERY_CHARS, QUERY_FIELDS, TEXT_FIELDS,
    WILDCARD_MIN_PREFIX, BoolNode, FieldNode, NotNode, PhraseNode, QueryError, Required, Seq, Word,
    clean_query_text, parse_syntax, tokenize,
)

if TYPE_CHECKING:
    from whoosh.query import Query

__all__ = [
    "COMMON_SHARE", "DOC_KIND_ALIASES", "DOCUMENT_KINDS", "EXPANSION_SLOP", "EXPANSION_WEIGHT",
    "FILTER_FIELDS", "FUZZY_MAX_EXPANSIONS", "FUZZY_MIN_LETTERS", "FUZZY_TWO_EDITS_LETTERS",
    "FUZZY_WEIGHT", "KIND_ALIASES", "LONG_QUERY_UNITS", "LOOSE_PARTS_WEIGHT", "MAX_DEPTH",
    "MAX_OPERATOR_TERMS", "MAX_QUERY_CHARS", "MAX_UNITS", "METADATA_FIELDS", "PARTS_WEIGHT",
    "PASSAGE_KINDS", "QUERY_FIELDS", "TEXT_FIELDS", "WILDCARD_MAX_EXPANSIONS",
    "WILDCARD_MIN_PREFIX", "BoolNode", "FieldNode", "NotNode", "ParsedQuery", "PhraseNode",
    "QueryBuilder", "QueryError", "Required", "Seq", "Word", "build_query", "clean_query_text",
    "date_range", "expansion_weight", "filter_query", "metadata_value", "parse_date",
    "parse_kinds", "parse_query", "parse_syntax", "tokenize",
]


def parse_query(text: str, config=None, *, expand: bool = True, phrases: Iterable[str] = (),
                reader=None) -> ParsedQuery:
    """Compile a user query (see the module docstring) into a :class:`ParsedQuery`."""
    return QueryBuilder(config, reader=reader).parse(text, expand=expand, phrases=phrases)


def build_query(text: str, config=None, *, expand: bool = True, phrases: Iterable[str] = (),
                reader=None) -> Query:
    """The Whoosh query for a user query (raises :class:`QueryError` only)."""
    return parse_query(text, config, expand=expand, phrases=phrases, reader=reader).query
