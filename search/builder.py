"""Syntax tree -> Whoosh query: operators, word groups, filters and the pruning
of long queries, on top of the leaves of :mod:`.leaves`.

A group of words side by side is a soft OR ranked by :func:`.ranking.combine`;
``+`` items must match; filter fields restrict without ranking; ``NOT`` and
``-`` items are collected and excluded at the level where they stand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from . import expansion
from .leaves import LeafCompiler
from .syntax import (
    FILTER_FIELDS, MAX_QUERY_CHARS, TEXT_FIELDS, WILDCARDS, BoolNode, FieldNode, NotNode, PhraseNode,
    QueryError, Required, Seq, Word, clean_query_text, node_text, parse_syntax,
)

#: Keyword units kept from a long query (the rarest ones).
MAX_UNITS = 32
#: From this many keyword units on, very common words are dropped ...
LONG_QUERY_UNITS = 8
#: ... namely words occurring in more than this share of the passages.
COMMON_SHARE = 0.2


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


@dataclass
class _Compiled:
    """A compiled part of a query: what it ranks by and what it excludes."""

    pos: object | None  # a query that ranks/selects, or None
    negs: list = field(default_factory=list)  # queries to exclude


class QueryBuilder(LeafCompiler):
    """Compiles query text for one index (analysis config and, optionally, its reader).

    With a ``reader``, long queries lose their very common words and keep at most
    :data:`MAX_UNITS` keyword units (the rarest).
    """

    _passages: int | None = None  # passages in the index, counted on first use

    def parse(self, text: str, *, expand: bool = True, phrases: Iterable[str] = (),
              fuzzy: bool = False) -> ParsedQuery:
        """Compile ``text`` (and extra required ``phrases``) into a ParsedQuery;
        ``fuzzy`` also matches index words a few typing errors away (needs a reader)."""
        from whoosh.query import Term

        from .matching import AndNot, ConstantScore, PassagesOnly, any_of

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

        self._expand_spans = expansion.expansion_spans if expand else expansion.no_expansion_spans
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
            query = AndNot(ConstantScore(Term("record", "passage"), 1.0), any_of(compiled.negs))
        else:
            query = PassagesOnly(compiled.pos)
            if compiled.negs:
                query = AndNot(query, any_of(compiled.negs))
        notes.extend(self._notes)
        return ParsedQuery(
            text=text, query=query, terms=frozenset(self._terms), phrases=tuple(self._phrases),
            wildcards=tuple(self._wildcards),
            dropped=tuple(dict.fromkeys(self._dropped_stops)),
            ignored=tuple(dict.fromkeys(self._dropped_common)),
            expansions=tuple(self._expansions), notes=tuple(notes))

    def _run(self, tree: Seq, keep_stops: bool) -> _Compiled:
        self._start(keep_stops)
        return self._compile(tree, None)

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

        from .matching import AndNot, ConstantScore, any_of

        if compiled.pos is None and not compiled.negs:
            return None
        if not compiled.negs:
            return compiled.pos
        base = compiled.pos if compiled.pos is not None else ConstantScore(Term("record", "passage"), 0.0)
        return AndNot(base, any_of(compiled.negs))

    def _and(self, parts: list[_Compiled]) -> _Compiled:
        from whoosh.query import And

        positives = [p.pos for p in parts if p.pos is not None]
        negs = [q for p in parts for q in p.negs]
        pos = None if not positives else positives[0] if len(positives) == 1 else And(positives)
        return _Compiled(pos, negs)

    def _or_parts(self, parts: list[_Compiled]) -> _Compiled:
        from .matching import any_of

        queries = [q for q in (self._materialize(p) for p in parts) if q is not None]
        if not queries:
            return _Compiled(None)
        return _Compiled(any_of(queries))

    def _seq(self, seq: Seq, fieldname: str | None) -> _Compiled:
        from whoosh.query import And, AndMaybe

        from .matching import ConstantScore, any_of

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
        constraints = [ConstantScore(any_of(qs), 0.0) for qs in filters.values()]
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
                     and not any(c in item.text for c in WILDCARDS))
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
            self._add_expansions(chunk, alternatives, options, weights)
            if options:
                units.append((options[0] if len(options) == 1 else BestOf(options, weights=weights),
                              PhraseNode(chunk)))
            i = end
        return units

    # -- long queries -------------------------------------------------------
    def _prune(self, optional: list):
        """Deduplicate units; for long queries drop very common words, keep the rarest."""
        seen, units = set(), []
        for query, node in optional:
            if query not in seen:
                seen.add(query)
                units.append((query, node))
        from .ranking import drop_function_words  # [ranking hook] function words of long queries

        units, dropped = drop_function_words(units, self.ranking)
        self._dropped_common.extend(node_text(n) for _, n in dropped)
        if self.reader is None or len(units) < LONG_QUERY_UNITS:
            return units[:MAX_UNITS] if len(units) > MAX_UNITS else units
        frequencies = [self._frequency(node) for _, node in units]
        passages = self._passage_count()
        if passages:
            keep = [(u, f) for u, f in zip(units, frequencies) if f is None or f <= COMMON_SHARE * passages]
            common = [u for u, f in zip(units, frequencies) if not (f is None or f <= COMMON_SHARE * passages)]
            if len(keep) >= 2 and common:
                self._dropped_common.extend(node_text(n) for _, n in common)
                units = [u for u, _ in keep]
                frequencies = [f for _, f in keep]
        if len(units) > MAX_UNITS:
            order = sorted(range(len(units)), key=lambda i: (frequencies[i] is None, frequencies[i] or 0))
            kept = set(order[:MAX_UNITS])
            self._dropped_common.extend(node_text(units[i][1]) for i in range(len(units)) if i not in kept)
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
