"""The leaves of a query tree as Whoosh queries: words, phrases, wildcards and
field values, each over the right fields with its compound parts, expansions
and (``--fuzzy``) near spellings, while noting what the results should highlight.

:class:`~.builder.QueryBuilder` builds on :class:`LeafCompiler` and adds the
operators and word groups above the leaves.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .filters import field_value
from .syntax import FILTER_FIELDS, TEXT_FIELDS, WILDCARDS, check_wildcard_prefix

#: Terms a query wildcard may expand to.
WILDCARD_MAX_EXPANSIONS = 64
#: Weight of the compound-parts field relative to an exact word match.
PARTS_WEIGHT = 0.4
#: Weight of a synonym/acronym expansion relative to the literal word, shared
#: by the words of a multi-word expansion (see :func:`expansion_weight`).
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


def expansion_weight(alternative: str) -> float:
    """The weight of an expansion: a phrase of three words stands for one word,
    so its score -- the sum of three words' -- is shared out, and a passage
    that spells out "Algemene verordening gegevensbescherming" ranks below
    one that says "AVG" literally."""
    return EXPANSION_WEIGHT / max(1, len(alternative.split()))


@lru_cache(maxsize=8)
def _analyzers(config):
    from ..index.analysis import AnalysisConfig, stop_terms, text_analyzer

    config = config or AnalysisConfig()
    return text_analyzer(config), stop_terms(config)


def _fold_lower(text: str) -> str:
    from ..index.stemming import fold_accents

    return fold_accents(text).lower()


class LeafCompiler:
    """Compiles leaves for one index (analysis config and, optionally, its reader).

    Before compiling, :meth:`_start` resets what is noted and the caller sets
    ``_expand_spans`` (the expansion hook, :mod:`.expansion`).
    """

    def __init__(self, config=None, *, reader=None, analyzer=None, stops=None, ranking=None):
        from .ranking import resolve  # [ranking hook] scoring model: search/ranking.py

        default_analyzer, default_stops = _analyzers(config)
        self.config = config
        self.ranking = resolve(ranking)
        self.analyzer = analyzer or default_analyzer
        self.stops = default_stops if stops is None else frozenset(stops)
        self.reader = reader
        self._fuzzy = False

    def _start(self, keep_stops: bool) -> None:
        """Forget what an earlier compilation noted; ``keep_stops`` searches stop words."""
        self.keep_stops = keep_stops
        self._terms: set[str] = set()
        self._phrases: list[tuple[str, ...]] = []
        self._wildcards: list[str] = []
        self._dropped_stops: list[str] = []
        self._dropped_common: list[str] = []
        self._expansions: list[tuple[str, str]] = []
        self._notes: list[str] = []
        self._negative = 0

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

    def _add_expansions(self, shown: str, alternatives, options: list, weights: list) -> None:
        """Append the queries for ``alternatives`` of the words ``shown`` to ``options``."""
        for alternative in alternatives:
            query = self._text_query(alternative, TEXT_FIELDS, EXPANSION_SLOP)
            if query is not None:
                options.append(query)
                weights.append(expansion_weight(alternative))
                if not self._negative:
                    self._expansions.append((shown, alternative))

    def _word(self, word: str, fieldname: str | None, expand: bool = False, alternatives=()):
        """A keyword (unfielded, or ``title:``/``text:``) or a filter-field value.
        ``expand`` looks up expansions of the word; ``alternatives`` gives them."""
        if fieldname in FILTER_FIELDS:
            return field_value(fieldname, word)
        fields = (fieldname,) if fieldname else TEXT_FIELDS
        if any(c in word for c in WILDCARDS):
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
        from whoosh.query import And, Term

        from .matching import BestOf
        from .phrases import BlockPhrase

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
                options.append(BlockPhrase(f, terms))
                weights.append(1.0)
            content = [t for t in terms if t not in self.stops] or terms
            if len(content) > 1:
                options.append(And([Term("text", t) for t in content]))
                weights.append(LOOSE_PARTS_WEIGHT)
            self._record_phrase(terms)
        self._add_expansions(word, alternatives, options, weights)
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
        from whoosh.query import Term

        from .matching import BestOf
        from .phrases import BlockPhrase

        terms = self._analyze(text)
        if not terms:
            return None
        if len(terms) == 1:
            queries = [Term(f, terms[0]) for f in fields]
            self._record_terms(terms)
        else:
            queries = [BlockPhrase(f, terms, slop=1 + slop) for f in fields]
            self._record_phrase(terms)
        return queries[0] if len(queries) == 1 else BestOf(queries)

    def _phrase(self, text: str, slop: int, fieldname: str | None):
        if fieldname in FILTER_FIELDS:
            return field_value(fieldname, text)
        fields = (fieldname,) if fieldname else TEXT_FIELDS
        query = self._text_query(text, fields, slop)
        if query is None:
            self._notes.append(f'phrase "{text}" has no words: ignored')
        return query

    def _wildcard(self, word: str, fields):
        from .matching import BestOf, BoundedWildcard

        pattern = re.sub(r"[^\w*?]", "", _fold_lower(word))
        check_wildcard_prefix(pattern, word)
        queries = [BoundedWildcard(f, pattern, max_expansions=WILDCARD_MAX_EXPANSIONS) for f in fields]
        if not self._negative:
            self._wildcards.append(pattern)
        return queries[0] if len(queries) == 1 else BestOf(queries)
