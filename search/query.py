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
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from ..index.errors import BeleidzoekError

# --------------------------------------------------------------------------
# Limits and weights
# --------------------------------------------------------------------------

#: Longer queries are refused (a pasted question is a few hundred characters).
MAX_QUERY_CHARS = 4000
#: Parentheses / NOT nesting limit.
MAX_DEPTH = 16
#: Keyword units kept from a long query (the rarest ones).
MAX_UNITS = 32
#: Terms allowed under explicit operators (AND/OR/NOT/+/-): these cannot be pruned.
MAX_OPERATOR_TERMS = 64
#: From this many keyword units on, very common words are dropped ...
LONG_QUERY_UNITS = 8
#: ... namely words occurring in more than this share of the passages.
COMMON_SHARE = 0.2
#: Wildcards: letters required before the first ``*``/``?``, and terms kept.
WILDCARD_MIN_PREFIX = 2
WILDCARD_MAX_EXPANSIONS = 64
#: Weight of the compound-parts field relative to an exact word match.
PARTS_WEIGHT = 0.4
#: Weight of a synonym/acronym expansion relative to the literal word.
EXPANSION_WEIGHT = 0.5
#: Weight of the loose "all parts anywhere" match of a hyphenated word.
LOOSE_PARTS_WEIGHT = 0.5
#: Words allowed between the words of a multi-word expansion ("Baseline
#: Informatiebeveiliging [voor] Gemeenten").
EXPANSION_SLOP = 1

#: ``--fuzzy``: words of this many letters also match index words one edit
#: away, from :data:`FUZZY_TWO_EDITS_LETTERS` letters two edits away; at most
#: :data:`FUZZY_MAX_EXPANSIONS` such words per query word, at this weight.
FUZZY_MIN_LETTERS = 6
FUZZY_TWO_EDITS_LETTERS = 8
FUZZY_MAX_EXPANSIONS = 8
FUZZY_WEIGHT = 0.6

#: Fields users may name in queries.
TEXT_FIELDS = ("title", "text")
FILTER_FIELDS = ("kind", "doc_kind", "doc_id", "number", "date", "year", "submitter", "party",
                 "ministry", "topic")
QUERY_FIELDS = FILTER_FIELDS + TEXT_FIELDS

PASSAGE_KINDS = ("question", "answer", "blog", "guidance", "law", "news")
DOCUMENT_KINDS = ("kamervraag", "guidance", "blog", "law", "news")
#: What ``--kind`` and ``kind:`` accept besides the passage kinds.
KIND_ALIASES = {
    "kamervraag": ("question", "answer"), "kamervragen": ("question", "answer"),
    "vraag": ("question",), "vragen": ("question",), "questions": ("question",),
    "antwoord": ("answer",), "antwoorden": ("answer",), "answers": ("answer",),
    "blogs": ("blog",), "wet": ("law",), "wetten": ("law",), "laws": ("law",),
    "nieuws": ("news",), "richtlijn": ("guidance",), "handreiking": ("guidance",),
}
DOC_KIND_ALIASES = {"kamervragen": "kamervraag", "blogs": "blog", "laws": "law", "wet": "law",
                    "wetten": "law", "nieuws": "news"}

_QUOTES = '"\u201c\u201d\u201e\u201f\u00ab\u00bb'
_OPERATORS = ("AND", "OR", "NOT")
_WILDCARDS = "*?"
_ZAAKNUMMER = re.compile(r"\d{4}Z\d{5}", re.I)


class QueryError(BeleidzoekError):
    """A query that cannot be searched; the message says what is wrong (exit code 2)."""

    exit_code = 2


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
    type: str  # WORD PHRASE LP RP AND OR NOT PLUS MINUS FIELD
    value: str = ""
    slop: int = 0


#: A "?" is a wildcard only inside a word ("organisati?"), else punctuation ("BIO?").
_QUESTION_MARKS = re.compile(r"(?<!\w)\?+|\?+(?!\w)")


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
                raise QueryError(f"'{tokens[-1].value}:' has no value; write e.g. "
                                 f"{_field_example(tokens[-1].value)}")
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
                raise QueryError(f"'{tokens[-1].value}:' has no value; write e.g. "
                                 f"{_field_example(tokens[-1].value)}")
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
                raise QueryError(f"'{tokens[-1].value}:' has no value; write e.g. "
                                 f"{_field_example(tokens[-1].value)}")
            i = end
            continue
        if after_field:
            tokens.append(_Tok("WORD", word))
            after_field = False
            i = end
            continue
        if word in _OPERATORS:
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
                    raise QueryError(f"'{name}:' has no value; write e.g. {_field_example(name.lower())}")
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
        raise QueryError(f"'{tokens[-1].value}:' has no value; write e.g. "
                         f"{_field_example(tokens[-1].value)}")
    return tokens


def _field_example(name: str) -> str:
    return {"kind": "kind:answer", "doc_kind": "doc_kind:kamervraag", "doc_id": "doc_id:2017Z07436",
            "number": "number:3", "date": "date:2017-06", "year": "year:2017",
            "submitter": "submitter:raak", "party": "party:SP", "ministry": "ministry:justitie",
            "topic": "topic:ict", "title": "title:groningen", "text": "text:privatisering",
            }.get(name, f"{name}:value")


# --------------------------------------------------------------------------
# Syntax tree and parser
# --------------------------------------------------------------------------


@dataclass
class Word:
    text: str


@dataclass
class PhraseNode:
    text: str
    slop: int = 0


@dataclass
class FieldNode:
    field: str
    child: object  # Word, PhraseNode or Seq


@dataclass
class Seq:
    """Items side by side: a soft OR, with +required and -excluded items."""

    items: list


@dataclass
class BoolNode:
    op: str  # "AND" | "OR"
    children: list


@dataclass
class NotNode:
    child: object


@dataclass
class Required:
    child: object


class _Parser:
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
        children = [self.and_expr(depth)]
        while (tok := self.peek()) is not None and tok.type == "OR":
            self.take()
            self._operand_follows("OR")
            children.append(self.and_expr(depth))
        return children[0] if len(children) == 1 else BoolNode("OR", children)

    def and_expr(self, depth: int):
        children = [self.unary(depth)]
        while (tok := self.peek()) is not None and tok.type == "AND":
            self.take()
            self._operand_follows("AND")
            children.append(self.unary(depth))
        return children[0] if len(children) == 1 else BoolNode("AND", children)

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
            if depth + 1 > MAX_DEPTH:
                raise QueryError(f"query is nested too deeply (more than {MAX_DEPTH} levels)")
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
                raise QueryError(f"'{tok.value}:' has no value; write e.g. {_field_example(tok.value)}")
            if value.type == "LP":
                return FieldNode(tok.value, self.atom(depth))
            return FieldNode(tok.value, self.atom(depth))
        if tok.type == "LP":
            if depth + 1 > MAX_DEPTH:
                raise QueryError(f"query is nested too deeply (more than {MAX_DEPTH} levels)")
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


# --------------------------------------------------------------------------
# Filters: kinds and dates
# --------------------------------------------------------------------------


def parse_kinds(values: str | Iterable[str] | None) -> tuple[str, ...]:
    """Passage kinds for ``--kind`` values ("answer", "kamervraag", "blog,law", ...)."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    kinds: list[str] = []
    for value in values:
        for part in re.split(r"[,\s]+", value.strip().lower()):
            if not part:
                continue
            if part in PASSAGE_KINDS:
                found = (part,)
            elif part in KIND_ALIASES:
                found = KIND_ALIASES[part]
            else:
                raise QueryError(f"unknown kind '{part}'; choose from "
                                 f"{', '.join(PASSAGE_KINDS)} or kamervraag")
            kinds.extend(k for k in found if k not in kinds)
    return tuple(kinds)


_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\Z")


def parse_date(value: str, *, end: bool = False, what: str = "date") -> str:
    """An ISO date from ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; with ``end`` the last
    day of a year or month is used. Raises QueryError naming ``what``."""
    text = str(value).strip()
    match = _DATE.match(text)
    if not match:
        raise QueryError(f"bad {what} '{text}': use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        y = int(year)
        if month is None:
            result = _dt.date(y, 12, 31) if end else _dt.date(y, 1, 1)
        elif day is None:
            m = int(month)
            first = _dt.date(y, m, 1)
            if end:
                following = _dt.date(y + (m == 12), m % 12 + 1, 1) if y < 9999 or m < 12 else None
                result = following - _dt.timedelta(days=1) if following else _dt.date(9999, 12, 31)
            else:
                result = first
        else:
            result = _dt.date(y, int(month), int(day))
    except ValueError:
        raise QueryError(f"bad {what} '{text}': no such date") from None
    return result.isoformat()


def date_range(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """Validated ``(start, end)`` ISO bounds for ``--since``/``--until``."""
    start = parse_date(since, what="--since date") if since not in (None, "") else None
    stop = parse_date(until, end=True, what="--until date") if until not in (None, "") else None
    if start and stop and start > stop:
        raise QueryError(f"--since {since} is after --until {until}")
    return start, stop


def day_range(start: str | None, stop: str | None):
    """Passages dated ``start``..``stop`` (ISO dates, both included; None: open),
    as a range over the numeric ``day`` field; undated passages have no ``day``."""
    from whoosh.query import NumericRange

    from ..index.schema import day_number

    return NumericRange("day", day_number(start) if start else None,
                        day_number(stop) if stop else None)


def filter_query(kind=None, since: str | None = None, until: str | None = None,
                 **metadata: str | Iterable[str] | None):
    """The constant-score filter for ``--kind``/``--since``/``--until`` and the
    :data:`METADATA_FIELDS` (``party="SP"``; several values of one field are
    alternatives), or None."""
    from whoosh.query import And, Or, Term

    from .matching import ConstantScore

    parts = []
    kinds = parse_kinds(kind)
    if kinds:
        parts.append(Or([Term("kind", k) for k in kinds]) if len(kinds) > 1 else Term("kind", kinds[0]))
    start, stop = date_range(since, until)
    if start or stop:
        parts.append(day_range(start, stop))
    for fieldname, values in metadata.items():
        if fieldname not in METADATA_FIELDS:
            raise TypeError(f"filter_query() got an unexpected filter {fieldname!r}")
        values = [values] if isinstance(values, str) else list(values or ())
        if values:
            parts.append(_or([metadata_value(fieldname, value) for value in values]))
    if not parts:
        return None
    return ConstantScore(parts[0] if len(parts) == 1 else And(parts), 0.0)


# --------------------------------------------------------------------------
# The expansion hook
# --------------------------------------------------------------------------


def expansion_spans(words: list[str], config=None) -> list[tuple[int, int, list[str]]]:
    """THE hook where query-time expansion comes from.

    For the user's plain query words (in order) it returns ``(start, end,
    alternatives)`` for each run ``words[start:end]`` that is an acronym or
    synonym group member, with the other members' texts ("AVG" ->
    "algemene verordening gegevensbescherming", "gdpr", ...). Backed by
    :func:`beleidzoek.index.synonyms.find_matches` (data in
    ``index/data/synonyms.txt``); without that module nothing is expanded.
    Expansion must never break a search, so errors in it count as "no expansion".
    """
    try:
        from ..index import synonyms
        from ..index.analysis import AnalysisConfig
    except ImportError:
        return []
    find = getattr(synonyms, "find_matches", None)
    if find is None or not words:
        return []
    try:
        matches = find(list(words), config or AnalysisConfig())
    except Exception:
        return []
    spans = []
    for match in matches:
        alternatives = [" ".join(words) for words in match.alternatives if words]
        if alternatives and 0 <= match.start < match.end <= len(words):
            spans.append((match.start, match.end, alternatives))
    return spans


def _no_expansion_spans(words, config=None) -> list:
    return []


# --------------------------------------------------------------------------
# Compiling the syntax tree
# --------------------------------------------------------------------------


@dataclass
class ParsedQuery:
    """A compiled query plus what the result layer needs to explain and highlight it."""

    text: str
    query: object  # whoosh.query.Query, restricted to passages
    #: Index terms of the positive keywords, phrases and expansions (``text`` field).
    terms: frozenset = frozenset()
    #: Term sequences of phrases (and hyphenated words), highlighted only where they occur in order.
    phrases: tuple = ()
    #: Wildcard patterns (lower-case globs) to highlight.
    wildcards: tuple = ()
    #: Stop words left out of the keywords.
    dropped: tuple = ()
    #: Very common words left out of a long query (and words beyond MAX_UNITS).
    ignored: tuple = ()
    #: Expansions used: (word, alternative) pairs.
    expansions: tuple = ()
    #: Notes worth telling the user (e.g. "searched stop words literally").
    notes: tuple = ()


@lru_cache(maxsize=8)
def _analyzers(config):
    from ..index.analysis import AnalysisConfig, stop_terms, text_analyzer

    config = config or AnalysisConfig()
    return text_analyzer(config), stop_terms(config)


def _fold_lower(text: str) -> str:
    from ..index.stemming import fold_accents

    return fold_accents(text).lower()


@dataclass
class _Compiled:
    pos: object | None  # a query that ranks/selects, or None
    negs: list = field(default_factory=list)  # queries to exclude


class QueryBuilder:
    """Compiles query text for one index (analysis config and, optionally, its reader).

    With a ``reader``, long queries lose their very common words and keep at most
    :data:`MAX_UNITS` keyword units (the rarest).
    """

    def __init__(self, config=None, *, reader=None, analyzer=None, stops=None, ranking=None):
        from .ranking import resolve  # [ranking hook] scoring model: search/ranking.py

        default_analyzer, default_stops = _analyzers(config)
        self.config = config
        self.ranking = resolve(ranking)
        self.analyzer = analyzer or default_analyzer
        self.stops = default_stops if stops is None else frozenset(stops)
        self.reader = reader
        self._passages = None
        self._fuzzy = False

    # -- public -----------------------------------------------------------
    def parse(self, text: str, *, expand: bool = True, phrases: Iterable[str] = (),
              fuzzy: bool = False) -> ParsedQuery:
        """Compile ``text`` (and extra required ``phrases``) into a ParsedQuery;
        ``fuzzy`` also matches index words a few typing errors away (needs a reader)."""
        from whoosh.query import Term

        from .matching import AndNot, ConstantScore, PassagesOnly

        phrases = [p for p in (clean_query_text(p).replace('"', " ").strip() for p in phrases) if p]
        text = "" if text is None else text
        if clean_query_text(text):
            from .ranking import as_prose  # [ranking hook] a pasted question is plain words

            tree = parse_syntax(as_prose(clean_query_text(text), self.ranking))
        elif phrases:
            tree = Seq([])
        else:
            raise QueryError("empty query")
        for phrase in phrases:
            tree.items.append(Required(PhraseNode(phrase)))
        if len(" ".join(phrases)) > MAX_QUERY_CHARS:
            raise QueryError(f"phrase is too long (at most {MAX_QUERY_CHARS} characters)")

        self._expand_spans = expansion_spans if expand else _no_expansion_spans
        self._fuzzy = fuzzy and self.reader is not None
        compiled = self._run(tree, keep_stops=False)
        notes = []
        if compiled.pos is None and self._dropped_stops:
            dropped = tuple(self._dropped_stops)
            compiled = self._run(tree, keep_stops=True)
            notes.append("only stop words: searched them literally")
            self._dropped_stops = list(dropped)
        if compiled.pos is None and not compiled.negs:
            raise QueryError("query has no search terms")
        if compiled.pos is None:  # NOT-only: every passage except ...
            query = AndNot(ConstantScore(Term("record", "passage"), 1.0), _or(compiled.negs))
        else:
            query = PassagesOnly(compiled.pos)
            if compiled.negs:
                query = AndNot(query, _or(compiled.negs))
        notes.extend(self._notes)
        return ParsedQuery(
            text=text, query=query, terms=frozenset(self._terms), phrases=tuple(self._phrases),
            wildcards=tuple(self._wildcards),
            dropped=tuple(dict.fromkeys(self._dropped_stops)),
            ignored=tuple(dict.fromkeys(self._dropped_common)),
            expansions=tuple(self._expansions), notes=tuple(notes))

    # -- state ------------------------------------------------------------
    def _run(self, tree: Seq, keep_stops: bool) -> _Compiled:
        self.keep_stops = keep_stops
        self._terms: set[str] = set()
        self._phrases: list[tuple[str, ...]] = []
        self._wildcards: list[str] = []
        self._dropped_stops: list[str] = []
        self._dropped_common: list[str] = []
        self._expansions: list[tuple[str, str]] = []
        self._notes: list[str] = []
        self._negative = 0
        return self._compile(tree, None)

    def _analyze(self, text: str) -> list[str]:
        """Query-mode terms of ``text``, one per position."""
        terms, last = [], None
        for token in self.analyzer(text, mode="query", positions=True):
            if token.pos != last:
                terms.append(token.text)
                last = token.pos
        return terms

    def _record_terms(self, terms) -> None:
        if not self._negative:
            self._terms.update(terms)

    def _record_phrase(self, terms) -> None:
        if not self._negative:
            self._phrases.append(tuple(terms))

    # -- compile ----------------------------------------------------------
    def _compile(self, node, fieldname: str | None) -> _Compiled:
        if isinstance(node, Seq):
            return self._seq(node, fieldname)
        if isinstance(node, BoolNode):
            parts = [self._compile(child, fieldname) for child in node.children]
            return self._and(parts) if node.op == "AND" else self._or_parts(parts)
        if isinstance(node, NotNode):
            self._negative += 1
            try:
                inner = self._compile(node.child, fieldname)
            finally:
                self._negative -= 1
            q = self._materialize(inner)
            return _Compiled(None, [q] if q is not None else [])
        if isinstance(node, Required):
            return self._compile(node.child, fieldname)
        if isinstance(node, FieldNode):
            return self._compile(node.child, node.field)
        if isinstance(node, Word):
            return _Compiled(self._word(node.text, fieldname, expand=fieldname is None))
        if isinstance(node, PhraseNode):
            return _Compiled(self._phrase(node.text, node.slop, fieldname))
        raise TypeError(node)  # pragma: no cover

    def _materialize(self, compiled: _Compiled):
        """One query for a compiled part, excluding its negatives."""
        from whoosh.query import Term

        from .matching import AndNot, ConstantScore

        if compiled.pos is None and not compiled.negs:
            return None
        if not compiled.negs:
            return compiled.pos
        base = compiled.pos if compiled.pos is not None else ConstantScore(Term("record", "passage"), 0.0)
        return AndNot(base, _or(compiled.negs))

    def _and(self, parts: list[_Compiled]) -> _Compiled:
        from whoosh.query import And

        positives = [p.pos for p in parts if p.pos is not None]
        negs = [q for p in parts for q in p.negs]
        pos = None if not positives else positives[0] if len(positives) == 1 else And(positives)
        return _Compiled(pos, negs)

    def _or_parts(self, parts: list[_Compiled]) -> _Compiled:
        from whoosh.query import Or

        queries = [q for q in (self._materialize(p) for p in parts) if q is not None]
        if not queries:
            return _Compiled(None)
        return _Compiled(queries[0] if len(queries) == 1 else Or(queries))

    def _seq(self, seq: Seq, fieldname: str | None) -> _Compiled:
        from whoosh.query import And, AndMaybe

        from .matching import ConstantScore, CoordinatedOr

        required, optional, negs = [], [], []
        filters: dict[str, list] = {}
        items = self._group_items(seq.items, fieldname)
        for kind, node, field_of_node in items:
            if kind == "span":
                optional.extend(self._span(node))
                continue
            compiled = self._compile(node, fieldname)
            negs.extend(compiled.negs)
            if compiled.pos is None:
                continue
            if kind == "filter":
                filters.setdefault(field_of_node, []).append(compiled.pos)
            elif kind == "required":
                required.append(compiled.pos)
            else:
                optional.append((compiled.pos, node))

        optional = self._prune(optional)
        constraints = [ConstantScore(_or(qs), 0.0) for qs in filters.values()]
        ranked = None
        if optional:
            units = [q for q, _ in optional]
            # [ranking hook] coordination, compound parts, proximity: search/ranking.py
            from .ranking import combine

            ranked = combine(units, [n for _, n in optional], seq.items, self.stops, self.ranking,
                             self.config)
        # +required items must match, the other words rank them (Lucene's "+a b");
        # without required items at least one word must match. Filters restrict.
        core = None
        if required:
            core = required[0] if len(required) == 1 else And(required)
            if ranked is not None:
                core = AndMaybe(core, ranked)
        else:
            core = ranked
        parts = constraints + ([core] if core is not None else [])
        pos = None if not parts else parts[0] if len(parts) == 1 else And(parts)
        return _Compiled(pos, negs)

    def _group_items(self, items: list, fieldname: str | None):
        """Classify sequence items as (kind, node, field): kind is "filter",
        "required", "optional" or "span" (a run of plain words, for expansions
        and for literal stop-word phrases)."""
        out = []
        run: list[Word] = []

        def flush():
            if run:
                out.append(("span", list(run), None))
                run.clear()

        for item in items:
            plain = (isinstance(item, Word) and fieldname is None
                     and not any(c in item.text for c in _WILDCARDS))
            if plain:
                run.append(item)
                continue
            flush()
            if isinstance(item, NotNode):
                out.append(("optional", item, None))
            elif _is_filter(item, fieldname):
                out.append(("filter", item, _filter_key(item, fieldname)))
            elif isinstance(item, Required):
                out.append(("required", item, None))
            else:
                out.append(("optional", item, None))
        flush()
        return out

    def _span(self, words: list[Word]) -> list:
        """(unit, node) pairs for a run of plain words: a word or a run of words
        with expansions becomes one unit (literal words ranked above their
        alternatives); in literal mode the whole run is one phrase."""
        from .matching import BestOf, CoordinatedOr

        texts = [w.text for w in words]
        if self.keep_stops:
            query = self._text_query(" ".join(texts), TEXT_FIELDS)
            return [] if query is None else [(query, PhraseNode(" ".join(texts)))]
        spans = {start: (end, alternatives)
                 for start, end, alternatives in self._expand_spans(texts, self.config)}
        units, i = [], 0
        while i < len(words):
            end, alternatives = spans.get(i, (i + 1, []))
            if end - i == 1:
                unit = self._word(texts[i], None, alternatives=alternatives)
                if unit is not None:
                    units.append((unit, words[i]))
                i += 1
                continue
            chunk = " ".join(texts[i:end])
            literal = [u for u in (self._word(t, None) for t in texts[i:end]) if u is not None]
            options = [literal[0] if len(literal) == 1 else CoordinatedOr(literal)] if literal else []
            weights = [1.0] * len(options)
            for alternative in alternatives:
                query = self._text_query(alternative, TEXT_FIELDS, EXPANSION_SLOP)
                if query is not None:
                    options.append(query)
                    weights.append(EXPANSION_WEIGHT)
                    if not self._negative:
                        self._expansions.append((chunk, alternative))
            if options:
                units.append((options[0] if len(options) == 1 else BestOf(options, weights=weights),
                              PhraseNode(chunk)))
            i = end
        return units

    def _prune(self, optional: list):
        """Deduplicate units; for long queries drop very common words, keep the rarest."""
        seen, units = set(), []
        for query, node in optional:
            if query not in seen:
                seen.add(query)
                units.append((query, node))
        from .ranking import drop_function_words  # [ranking hook] function words of long queries

        units, dropped = drop_function_words(units, self.ranking)
        self._dropped_common.extend(_node_text(n) for _, n in dropped)
        if self.reader is None or len(units) < LONG_QUERY_UNITS:
            return units[:MAX_UNITS] if len(units) > MAX_UNITS else units
        frequencies = [self._frequency(node) for _, node in units]
        passages = self._passage_count()
        if passages:
            keep = [(u, f) for u, f in zip(units, frequencies) if f is None or f <= COMMON_SHARE * passages]
            common = [u for u, f in zip(units, frequencies) if not (f is None or f <= COMMON_SHARE * passages)]
            if len(keep) >= 2 and common:
                self._dropped_common.extend(_node_text(n) for _, n in common)
                units = [u for u, _ in keep]
                frequencies = [f for _, f in keep]
        if len(units) > MAX_UNITS:
            order = sorted(range(len(units)), key=lambda i: (frequencies[i] is None, frequencies[i] or 0))
            kept = set(order[:MAX_UNITS])
            self._dropped_common.extend(_node_text(units[i][1]) for i in range(len(units)) if i not in kept)
            units = [units[i] for i in sorted(kept)]
        return units

    def _passage_count(self) -> int:
        if self._passages is None:
            try:
                self._passages = self.reader.doc_frequency("record", "passage")
            except Exception:
                self._passages = 0
        return self._passages

    def _frequency(self, node) -> int | None:
        if not isinstance(node, Word):
            return None
        terms = self._analyze(node.text)
        if len(terms) != 1:
            return None
        try:
            return self.reader.doc_frequency("text", terms[0])
        except Exception:
            return None

    # -- leaves -------------------------------------------------------------
    def _word(self, word: str, fieldname: str | None, expand: bool = False, alternatives=()):
        """A keyword (unfielded, or ``title:``/``text:``) or a filter-field value.
        ``expand`` looks up expansions of the word; ``alternatives`` gives them."""
        if fieldname in FILTER_FIELDS:
            return self._field_value(fieldname, word, quoted=False)
        fields = (fieldname,) if fieldname else TEXT_FIELDS
        if any(c in word for c in _WILDCARDS):
            return self._wildcard(word, fields)
        terms = self._analyze(word)
        if not terms:
            return None
        if not self.keep_stops and all(t in self.stops for t in terms):
            self._dropped_stops.append(word)
            return None
        if expand and fieldname is None and not alternatives:
            alternatives = [alt for start, end, alts in self._expand_spans([word], self.config)
                            if (start, end) == (0, 1) for alt in alts]
        return self._keyword_unit(word, terms, fields, parts=fieldname is None,
                                  alternatives=alternatives if fieldname is None else ())

    def _keyword_unit(self, word: str, terms: list[str], fields, parts: bool, alternatives=()):
        """One word: the best of its exact match in ``fields``, its compound
        parts (lower weight) and its expansions (lower still)."""
        from whoosh.query import And, Phrase, Term

        from .matching import BestOf

        options, weights = [], []
        if len(terms) == 1:
            term = terms[0]
            if self.ranking.scoring == "bm25":  # [ranking hook] fields, parts, variants: ranking.py
                from .ranking import WordQuery

                options.append(WordQuery(word, term, fields, parts, self.ranking))
                weights.append(1.0)
            else:
                for f in fields:
                    options.append(Term(f, term))
                    weights.append(1.0)
                if parts:
                    options.append(Term("parts", term))
                    weights.append(PARTS_WEIGHT)
            self._record_terms(terms)
            if self._fuzzy and len(word) >= FUZZY_MIN_LETTERS and word.isalpha():
                near = self._fuzzy_terms(term, len(word))
                options += [Term(f, t) for t in near for f in fields]
                weights += [FUZZY_WEIGHT] * (len(near) * len(fields))
                self._record_terms(near)
        else:  # a hyphenated word: its parts in order, or (weaker) anywhere
            for f in fields:
                options.append(Phrase(f, terms))
                weights.append(1.0)
            content = [t for t in terms if t not in self.stops] or terms
            if len(content) > 1:
                options.append(And([Term("text", t) for t in content]))
                weights.append(LOOSE_PARTS_WEIGHT)
            self._record_phrase(terms)
        for alternative in alternatives:
            query = self._text_query(alternative, TEXT_FIELDS, EXPANSION_SLOP)
            if query is not None:
                options.append(query)
                weights.append(EXPANSION_WEIGHT)
                if not self._negative:
                    self._expansions.append((word, alternative))
        query = options[0] if len(options) == 1 else BestOf(options, weights=weights)
        if len(terms) > 1 and self.ranking.scoring == "bm25":  # [ranking hook] see ranking.HyphenQuery
            from .ranking import HyphenQuery

            query = HyphenQuery(query, word, terms, fields, parts, self.stops, self.ranking)
        return query

    def _fuzzy_terms(self, term: str, letters: int) -> list[str]:
        """Index terms within edit distance 1 (words of 6-7 letters, same first
        letter) or 2 (8+ letters, same first two letters) of ``term``: the
        closest, then the most frequent, at most :data:`FUZZY_MAX_EXPANSIONS`."""
        from .matching import terms_within

        maxdist, prefix = (1, 1) if letters < FUZZY_TWO_EDITS_LETTERS else (2, 2)
        found: dict[str, int] = {}
        for distance in range(1, maxdist + 1):
            for near in terms_within(self.reader, "text", term, distance, prefix):
                found.setdefault(near, distance)
        found.pop(term, None)
        ranked = sorted(found, key=lambda t: (found[t], -self.reader.doc_frequency("text", t), t))
        return ranked[:FUZZY_MAX_EXPANSIONS]

    def _text_query(self, text: str, fields, slop: int = 0):
        """A term or phrase (all words, stop words kept) over ``fields``."""
        from whoosh.query import Phrase, Term

        from .matching import BestOf

        terms = self._analyze(text)
        if not terms:
            return None
        if len(terms) == 1:
            queries = [Term(f, terms[0]) for f in fields]
            self._record_terms(terms)
        else:
            queries = [Phrase(f, terms, slop=1 + slop) for f in fields]
            self._record_phrase(terms)
        return queries[0] if len(queries) == 1 else BestOf(queries)

    def _phrase(self, text: str, slop: int, fieldname: str | None):
        if fieldname in FILTER_FIELDS:
            return self._field_value(fieldname, text, quoted=True)
        fields = (fieldname,) if fieldname else TEXT_FIELDS
        query = self._text_query(text, fields, slop)
        if query is None:
            self._notes.append(f'phrase "{text}" has no words: ignored')
        return query

    def _wildcard(self, word: str, fields):
        from .matching import BestOf, BoundedWildcard

        pattern = re.sub(r"[^\w*?]", "", _fold_lower(word))
        prefix = re.match(r"[^*?]*", pattern).group()
        if len(prefix) < WILDCARD_MIN_PREFIX:
            raise QueryError(f"wildcard '{word}' needs at least {WILDCARD_MIN_PREFIX} letters "
                             f"before the first * or ?")
        queries = [BoundedWildcard(f, pattern, max_expansions=WILDCARD_MAX_EXPANSIONS) for f in fields]
        if not self._negative:
            self._wildcards.append(pattern)
        return queries[0] if len(queries) == 1 else BestOf(queries)

    def _field_value(self, fieldname: str, value: str, quoted: bool):
        from whoosh.query import NumericRange, Or, Term

        raw = value.strip()
        if not raw:
            raise QueryError(f"'{fieldname}:' has no value; write e.g. {_field_example(fieldname)}")
        if fieldname == "kind":
            kinds = parse_kinds(raw)
            return Or([Term("kind", k) for k in kinds]) if len(kinds) > 1 else Term("kind", kinds[0])
        if fieldname == "doc_kind":
            kind = DOC_KIND_ALIASES.get(raw.lower(), raw.lower())
            if kind not in DOCUMENT_KINDS:
                raise QueryError(f"unknown doc_kind '{raw}'; choose from {', '.join(DOCUMENT_KINDS)}")
            return Term("doc_kind", kind)
        if fieldname == "doc_id":
            if any(c in raw for c in _WILDCARDS):
                return _id_wildcard("doc_id", raw)
            if _ZAAKNUMMER.fullmatch(raw):
                number = raw.upper()
                return Or([Term("doc_id", raw), Term("doc_id", number),
                           Term("doc_id", f"kamervraag-{number}")])
            return Term("doc_id", raw)
        if fieldname == "number":
            return Term("number", raw)
        if fieldname == "date":
            return self._date_value(raw)
        if fieldname == "year":
            match = re.fullmatch(r"(\d{4})?(?:(\.\.)(\d{4})?)?", raw)
            if not match or not (match.group(1) or match.group(3)):
                raise QueryError(f"bad year '{raw}': use e.g. year:2017 or year:2016..2018")
            start, dots, end = match.groups()
            start = int(start) if start else None
            end = int(end) if end else (start if not dots else None)
            if start and end and start > end:
                raise QueryError(f"bad year range '{raw}': start is after end")
            return NumericRange("year", start, end)
        return metadata_value(fieldname, raw)

    def _date_value(self, raw: str):
        if ".." in raw:
            start, _, end = raw.partition("..")
            lo = parse_date(start, what="date") if start else None
            hi = parse_date(end, end=True, what="date") if end else None
            if not lo and not hi:
                raise QueryError(f"bad date range '{raw}': use e.g. date:2017-01..2017-06")
            if lo and hi and lo > hi:
                raise QueryError(f"bad date range '{raw}': start is after end")
            return day_range(lo, hi)
        return day_range(parse_date(raw, what="date"), parse_date(raw, end=True, what="date"))




#: Metadata fields ``--party`` and friends (and ``party:`` in queries) filter on.
METADATA_FIELDS = ("submitter", "party", "ministry", "topic")


def metadata_value(fieldname: str, raw: str):
    """The query for one ``submitter``/``party``/``ministry``/``topic`` value,
    case-insensitive; a keyword value also matches as a whole word inside a
    longer one ("justitie" finds "justitie en veiligheid")."""
    from whoosh.query import Phrase, Term

    from .matching import KeywordContains

    raw = " ".join(str(raw).split())
    if not raw:
        raise QueryError(f"'{fieldname}:' has no value; write e.g. {_field_example(fieldname)}")
    if fieldname == "submitter":
        words = re.findall(r"\w+", raw.lower())
        if not words:
            raise QueryError(f"'submitter:' needs a name, e.g. {_field_example('submitter')}")
        if len(words) == 1:
            if any(c in raw for c in _WILDCARDS):
                return _id_wildcard("submitter", raw.lower())
            return Term("submitter", words[0])
        return Phrase("submitter", words)
    text = raw.lower()
    if any(c in text for c in _WILDCARDS):
        return _id_wildcard(fieldname, text)
    return KeywordContains(fieldname, text)


def _id_wildcard(fieldname: str, raw: str):
    from .matching import BoundedWildcard

    prefix = re.match(r"[^*?]*", raw).group()
    if len(prefix) < WILDCARD_MIN_PREFIX:
        raise QueryError(f"wildcard '{raw}' needs at least {WILDCARD_MIN_PREFIX} characters "
                         f"before the first * or ?")
    return BoundedWildcard(fieldname, raw, max_expansions=1000)


def _is_filter(node, fieldname: str | None) -> bool:
    """Does this item only name filter fields (kind:, year:, ...)? Then it restricts
    the results instead of ranking them."""
    if isinstance(node, (Required, NotNode)):
        return _is_filter(node.child, fieldname)
    if isinstance(node, FieldNode):
        return _is_filter(node.child, node.field)
    if isinstance(node, (Word, PhraseNode)):
        return fieldname in FILTER_FIELDS
    if isinstance(node, BoolNode):
        return all(_is_filter(child, fieldname) for child in node.children)
    if isinstance(node, Seq):
        return bool(node.items) and all(_is_filter(child, fieldname) for child in node.items)
    return False


def _filter_key(node, fieldname: str | None) -> str:
    """Filters with the same key are alternatives (OR); different keys all apply."""
    if isinstance(node, Required):
        return _filter_key(node.child, fieldname)
    if isinstance(node, FieldNode) and isinstance(node.child, (Word, PhraseNode)):
        return node.field
    if isinstance(node, (Word, PhraseNode)) and fieldname:
        return fieldname
    return f"#{id(node)}"


def _node_text(node) -> str:
    if isinstance(node, Word):
        return node.text
    if isinstance(node, PhraseNode):
        return f'"{node.text}"'
    return str(node)


def _or(queries: list):
    from whoosh.query import Or

    return queries[0] if len(queries) == 1 else Or(queries)


# --------------------------------------------------------------------------
# Convenience entry points
# --------------------------------------------------------------------------


def parse_query(text: str, config=None, *, expand: bool = True, phrases: Iterable[str] = (),
                reader=None) -> ParsedQuery:
    """Compile a user query (see the module docstring) into a :class:`ParsedQuery`."""
    return QueryBuilder(config, reader=reader).parse(text, expand=expand, phrases=phrases)


def build_query(text: str, config=None, *, expand: bool = True, phrases: Iterable[str] = (),
                reader=None):
    """The Whoosh query for a user query (raises :class:`QueryError` only)."""
    return parse_query(text, config, expand=expand, phrases=phrases, reader=reader).query
