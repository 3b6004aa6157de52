"""Query text -> syntax tree: cleaning, lexing and parsing the query language.

The language itself is described in :mod:`.query`. Nothing here knows about
Whoosh or an index; :mod:`.builder` turns the tree into a Whoosh query, and
:mod:`.suggest` walks it for did-you-mean.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..index.errors import BeleidzoekError

#: Longer queries are refused (a pasted question is a few hundred characters).
MAX_QUERY_CHARS = 4000
#: Parentheses / NOT nesting limit.
MAX_DEPTH = 16
#: Terms allowed under explicit operators (AND/OR/NOT/+/-): these cannot be pruned.
MAX_OPERATOR_TERMS = 64
#: Letters a wildcard needs before its first ``*``/``?`` (else it matches too much).
WILDCARD_MIN_PREFIX = 2

#: Fields users may name in queries.
TEXT_FIELDS = ("title", "text")
FILTER_FIELDS = ("kind", "doc_kind", "doc_id", "number", "date", "year", "submitter", "party",
                 "ministry", "topic")
QUERY_FIELDS = FILTER_FIELDS + TEXT_FIELDS

OPERATORS = ("AND", "OR", "NOT")
WILDCARDS = "*?"
_QUOTES = '"\u201c\u201d\u201e\u201f\u00ab\u00bb'
#: A "?" is a wildcard only inside a word ("organisati?"), else punctuation ("BIO?").
_QUESTION_MARKS = re.compile(r"(?<!\w)\?+|\?+(?!\w)")
_FIELD_EXAMPLES = {
    "kind": "kind:answer", "doc_kind": "doc_kind:kamervraag", "doc_id": "doc_id:2017Z07436",
    "number": "number:3", "date": "date:2017-06", "year": "year:2017",
    "submitter": "submitter:raak", "party": "party:SP", "ministry": "ministry:justitie",
    "topic": "topic:ict", "title": "title:groningen", "text": "text:privatisering",
}


class QueryError(BeleidzoekError):
    """A query that cannot be searched; the message says what is wrong (exit code 2)."""

    exit_code = 2


def field_example(name: str) -> str:
    """A valid ``name:value`` to show in error messages."""
    return _FIELD_EXAMPLES.get(name, f"{name}:value")


def missing_value(name: str) -> QueryError:
    """The error for ``name:`` written without a value (``name`` as the user wrote it)."""
    return QueryError(f"'{name}:' has no value; write e.g. {field_example(name.lower())}")


def check_wildcard_prefix(pattern: str, shown: str, unit: str = "letters") -> None:
    """Refuse a wildcard with fewer than :data:`WILDCARD_MIN_PREFIX` ``unit``
    before its first ``*``/``?``; the message quotes ``shown``."""
    prefix = re.match(r"[^*?]*", pattern).group()
    if len(prefix) < WILDCARD_MIN_PREFIX:
        raise QueryError(f"wildcard '{shown}' needs at least {WILDCARD_MIN_PREFIX} {unit} "
                         f"before the first * or ?")


# --------------------------------------------------------------------------
# Cleaning and lexing
# --------------------------------------------------------------------------


def clean_query_text(text: str) -> str:
    """NFC, control characters as spaces, invisible format characters removed."""
    if not isinstance(text, str):
        raise QueryError("query must be text")
    out = []
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if category == "Cc" or category == "Zl" or category == "Zp":
            out.append(" ")
        elif category in ("Cf", "Cs", "Co", "Cn"):
            continue  # soft hyphens, zero-width spaces, lone surrogates, unassigned
        else:
            out.append(char)
    return "".join(out).strip()


@dataclass(frozen=True)
class _Tok:
    """A token of query text, for the parser."""

    type: str  # WORD PHRASE LP RP AND OR NOT PLUS MINUS FIELD
    value: str = ""
    slop: int = 0


def _check_parentheses(tokens: list[_Tok]) -> None:
    depth = 0
    for tok in tokens:
        if tok.type == "LP":
            depth += 1
        elif tok.type == "RP":
            depth -= 1
            if depth < 0:
                raise QueryError("unmatched ')' in query")
    if depth > 0:
        raise QueryError("unclosed parenthesis in query")


def _is_break(char: str) -> bool:
    return char.isspace() or char in "()" or char in _QUOTES


def tokenize(text: str) -> list[_Tok]:
    """Lex a cleaned query. Raises QueryError for unclosed quotes and bad fields."""
    tokens: list[_Tok] = []
    i, n = 0, len(text)
    after_field = False
    while i < n:
        char = text[i]
        if char.isspace():
            if after_field:
                raise missing_value(tokens[-1].value)
            i += 1
            continue
        if char in _QUOTES:
            end = i + 1
            while end < n and text[end] not in _QUOTES:
                end += 1
            if end >= n:
                raise QueryError("unclosed quote in query")
            phrase = text[i + 1:end]
            i = end + 1
            slop = 0
            match = re.match(r"~(\d{1,3})", text[i:])
            if match:
                slop = int(match.group(1))
                i += match.end()
            tokens.append(_Tok("PHRASE", phrase, slop))
            after_field = False
            continue
        if char == "(":
            tokens.append(_Tok("LP"))
            after_field = False
            i += 1
            continue
        if char == ")":
            if after_field:
                raise missing_value(tokens[-1].value)
            tokens.append(_Tok("RP"))
            i += 1
            continue
        if char in "+-" and not after_field:
            nxt = text[i + 1] if i + 1 < n else " "
            if nxt.isspace() or nxt in "+-)":
                i += 1  # a lone + or - is punctuation
                continue
            tokens.append(_Tok("PLUS" if char == "+" else "MINUS"))
            i += 1
            continue
        end = i
        while end < n and not _is_break(text[end]):
            end += 1
        word = _QUESTION_MARKS.sub("", text[i:end])
        if not word:
            if after_field:
                raise missing_value(tokens[-1].value)
            i = end
            continue
        if after_field:
            tokens.append(_Tok("WORD", word))
            after_field = False
            i = end
            continue
        if word in OPERATORS:
            tokens.append(_Tok(word))
            i = end
            continue
        match = re.match(r"([A-Za-z_]+):", word)
        if match:
            name = match.group(1)
            rest = word[match.end():]
            following = text[end] if end < n else ""
            has_value = bool(rest) or (following in _QUOTES and following != "") or following == "("
            if name.lower() in QUERY_FIELDS:
                if not has_value:
                    raise missing_value(name)
                tokens.append(_Tok("FIELD", name.lower()))
                after_field = True
                i += match.end()
                continue
            if has_value and not rest.startswith("/"):
                raise QueryError(f"unknown field '{name}:' in query; fields are: "
                                 f"{', '.join(QUERY_FIELDS)}")
        tokens.append(_Tok("WORD", word))
        i = end
    if after_field:
        raise missing_value(tokens[-1].value)
    return tokens


# --------------------------------------------------------------------------
# Syntax tree and parser
# --------------------------------------------------------------------------


@dataclass
class Word:
    """A query word as typed."""

    text: str


@dataclass
class PhraseNode:
    """A quoted phrase, ``slop`` words of play (``"..."~2``)."""

    text: str
    slop: int = 0


@dataclass
class FieldNode:
    """``field:child``: the child searched in one field only."""

    field: str
    child: object  # Word, PhraseNode or Seq


@dataclass
class Seq:
    """Items side by side: a soft OR, with +required and -excluded items."""

    items: list


@dataclass
class BoolNode:
    """Children joined by an explicit AND or OR."""

    op: str  # "AND" | "OR"
    children: list


@dataclass
class NotNode:
    """NOT or -child: passages matching the child are left out."""

    child: object


@dataclass
class Required:
    """+child: only passages matching the child."""

    child: object


def node_text(node) -> str:
    """A word or phrase node as the user wrote it (for "ignored words" notes)."""
    if isinstance(node, Word):
        return node.text
    if isinstance(node, PhraseNode):
        return f'"{node.text}"'
    return str(node)


def _check_depth(depth: int) -> None:
    if depth + 1 > MAX_DEPTH:
        raise QueryError(f"query is nested too deeply (more than {MAX_DEPTH} levels)")


class _Parser:
    """Recursive descent: NOT binds tightest, then AND, then OR; side by side is a Seq."""

    def __init__(self, tokens: list[_Tok]):
        self.tokens = tokens
        self.i = 0

    def peek(self) -> _Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> Seq:
        seq = self.seq(0)
        if self.peek() is not None:  # only a stray ")" stops a top-level sequence
            raise QueryError("unmatched ')' in query")
        return seq

    def seq(self, depth: int) -> Seq:
        items = []
        while (tok := self.peek()) is not None and tok.type != "RP":
            items.append(self.or_expr(depth))
        return Seq(items)

    def or_expr(self, depth: int):
        return self._joined("OR", self.and_expr, depth)

    def and_expr(self, depth: int):
        return self._joined("AND", self.unary, depth)

    def _joined(self, op: str, operand, depth: int):
        """``operand (op operand)*`` as one BoolNode, or the lone operand."""
        children = [operand(depth)]
        while (tok := self.peek()) is not None and tok.type == op:
            self.take()
            self._operand_follows(op)
            children.append(operand(depth))
        return children[0] if len(children) == 1 else BoolNode(op, children)

    def _operand_follows(self, op: str) -> None:
        tok = self.peek()
        if tok is None or tok.type in ("RP", "AND", "OR"):
            raise QueryError(f"'{op}' needs a search term on both sides")

    def unary(self, depth: int):
        tok = self.peek()
        if tok is None:
            raise QueryError("query ends too early")
        if tok.type in ("NOT", "MINUS", "PLUS"):
            self.take()
            _check_depth(depth)
            label = {"NOT": "'NOT'", "MINUS": "'-'", "PLUS": "'+'"}[tok.type]
            nxt = self.peek()
            if nxt is None or nxt.type in ("RP", "AND", "OR"):
                raise QueryError(f"{label} needs a search term after it")
            child = self.unary(depth + 1)
            return Required(child) if tok.type == "PLUS" else NotNode(child)
        return self.atom(depth)

    def atom(self, depth: int):
        tok = self.take()
        if tok.type == "WORD":
            return Word(tok.value)
        if tok.type == "PHRASE":
            return PhraseNode(tok.value, tok.slop)
        if tok.type == "FIELD":
            value = self.peek()
            if value is None or value.type not in ("WORD", "PHRASE", "LP"):
                raise missing_value(tok.value)
            return FieldNode(tok.value, self.atom(depth))
        if tok.type == "LP":
            _check_depth(depth)
            seq = self.seq(depth + 1)
            if self.peek() is None:
                raise QueryError("unclosed parenthesis in query")
            self.take()
            if not seq.items:
                raise QueryError("empty parentheses in query")
            return seq
        if tok.type in ("AND", "OR"):
            raise QueryError(f"'{tok.type}' needs a search term on both sides")
        if tok.type == "RP":
            raise QueryError("unmatched ')' in query")
        raise QueryError(f"unexpected {tok.type} in query")  # pragma: no cover


def parse_syntax(text: str) -> Seq:
    """The syntax tree of a query (raises QueryError)."""
    text = clean_query_text(text)
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query is too long ({len(text)} characters; at most {MAX_QUERY_CHARS})")
    if not text:
        raise QueryError("empty query")
    tokens = tokenize(text)
    if not any(t.type in ("WORD", "PHRASE", "FIELD") for t in tokens):
        raise QueryError("query has no search terms")
    _check_parentheses(tokens)
    tree = _Parser(tokens).parse()
    count = _operator_terms(tree, in_seq=False)
    if count > MAX_OPERATOR_TERMS:
        raise QueryError(f"too many terms joined by AND/OR/NOT/+/- ({count}; at most "
                         f"{MAX_OPERATOR_TERMS}); plain words need no operators")
    return tree


def _operator_terms(node, in_seq: bool) -> int:
    """Search terms under operators (plain words side by side are pruned, not counted)."""
    if isinstance(node, Seq):
        return sum(_operator_terms(item, True) for item in node.items)
    if isinstance(node, BoolNode):
        return sum(_operator_terms(child, False) for child in node.children)
    if isinstance(node, (NotNode, Required)):
        return _operator_terms(node.child, False)
    if isinstance(node, FieldNode):
        return _operator_terms(node.child, in_seq)
    return 0 if in_seq else 1
