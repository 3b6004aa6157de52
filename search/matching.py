"""Whoosh query classes the query layer needs and Whoosh does not have.

* :class:`CoordinatedOr` -- a soft OR over the "units" of a keyword query (one
  unit per user word, phrase or expansion group): the score of a passage is the
  sum of the scores of the units it matches times ``(matched / units) ** exponent``,
  so passages containing more of the words rank first, without requiring all.
* :class:`BestOf` -- one unit: the best of its alternatives (the word in
  ``title``, in ``text``, in ``parts``, its synonyms), each with a weight, plus a
  small share of the others (a "disjunction max" with tie-breaker).
* :class:`ConstantScore` -- a filter that matches what its child matches with a
  fixed score (Whoosh's ``ConstantScoreQuery`` leaks the child's scores when the
  parent needs them).
* :class:`CachedFilter` -- a filter whose documents are listed once per open
  searcher and then applied as a sorted list.
* :class:`BoundedWildcard` -- a wildcard that expands to at most
  ``max_expansions`` index terms (the most frequent ones), never the whole lexicon.
* :class:`AndNot` -- Whoosh's ``AndNot`` without its first-match bug (see there).
* :class:`KeywordContains` -- a ``party``/``ministry``/``topic`` value that
  matches the keyword itself or any keyword containing it as a whole word
  (``ministry:justitie`` finds "justitie en veiligheid").

The first two preload the postings of their children into arrays: simple,
exact, and fast at the size of a policy-text index (tens of thousands of
passages). Everything here is importable only where Whoosh is wanted.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import chain

from whoosh import matching
from whoosh.matching.binary import AndNotMatcher
from whoosh.query import AndNot as WhooshAndNot
from whoosh.query import Or, Query
from whoosh.query.qcore import NullQuery
from whoosh.query.terms import MultiTerm, PatternQuery


def any_of(queries: list) -> Query:
    """The one query, or an ``Or`` of several."""
    return queries[0] if len(queries) == 1 else Or(queries)


def preload(query: Query, searcher, context) -> tuple[list[int], list[float]]:
    """Document numbers and scores of everything ``query`` matches."""
    m = query.matcher(searcher, context)
    if type(m) is _ScoredList:  # scores computed already: no walk through the matcher
        return list(m._ids[m._i:]), list(m._weights[m._i:])
    ids: list[int] = []
    scores: list[float] = []
    while m.is_active():
        ids.append(m.id())
        scores.append(m.score())
        m.next()
    return ids, scores


class _SortedList(matching.ListMatcher):
    """A list matcher that skips by bisection, not one id at a time."""

    def skip_to(self, id):
        if not self.is_active():
            raise matching.ReadTooFar
        self._i = bisect_left(self._ids, id, self._i)


class _ScoredList(_SortedList):
    """A list matcher over precomputed scores (no block-quality skipping)."""

    def __init__(self, ids, scores, position=0, best=None):
        matching.ListMatcher.__init__(self, ids, weights=scores, position=position)
        self._best = max(scores) if best is None else best

    def copy(self):
        return self.__class__(self._ids, self._weights, self._i, self._best)

    def max_quality(self):
        return self._best

    def block_max_weight(self):
        return self._best

    def replace(self, minquality=0):
        if not self.is_active() or (minquality and self._best < minquality):
            return matching.NullMatcher()
        return self

    def score(self):
        return self._weights[self._i]

    def weight(self):
        return self._weights[self._i]

    def remaining(self) -> tuple[list[int], list[float]]:
        """The documents and scores from the current one on (for :mod:`.collect`)."""
        return self._ids[self._i:], self._weights[self._i:]


def list_matcher(ids: list[int], scores: list[float]):
    """A matcher over ``ids`` with precomputed ``scores`` (a NullMatcher for none)."""
    if not ids:
        return matching.NullMatcher()
    return _ScoredList(ids, scores)


class SubquerySizes:
    """Size estimates of a query that matches wherever one of its ``subqueries`` does."""

    def estimate_size(self, ixreader):
        return sum(q.estimate_size(ixreader) for q in self.subqueries)

    def estimate_min_size(self, ixreader):
        return min((q.estimate_min_size(ixreader) for q in self.subqueries), default=0)


class _Preloading(SubquerySizes, Or):
    """Base of the preloading compound queries: subqueries plus per-child weights."""

    def __init__(self, subqueries, boost=1.0, weights=None):
        Or.__init__(self, subqueries, boost=boost)
        self.weights = tuple(weights) if weights is not None else (1.0,) * len(self.subqueries)

    def __eq__(self, other):
        return (other.__class__ is self.__class__ and self.subqueries == other.subqueries
                and self.boost == other.boost and self.weights == other.weights)

    def __hash__(self):
        return hash((self.__class__.__name__, tuple(self.subqueries), self.boost, self.weights))

    def __repr__(self):
        inner = ", ".join(repr(q) if w == 1 else f"{q!r}^{w:g}"
                          for q, w in zip(self.subqueries, self.weights))
        boost = f"^{self.boost:g}" if self.boost != 1 else ""
        return f"{self.__class__.__name__}([{inner}]){boost}"

    __str__ = __repr__

    def _copy(self, subqueries, weights, boost=None):
        return self.__class__(subqueries, boost=self.boost if boost is None else boost,
                              weights=weights)

    def with_boost(self, boost):
        return self._copy(list(self.subqueries), self.weights, boost)

    def apply(self, fn):
        return self._copy([fn(q) for q in self.subqueries], self.weights)

    def normalize(self):
        # Unlike Or.normalize: never merge nested instances (that would change
        # the unit count) and keep the weights with their subqueries.
        pairs = [(q.normalize(), w) for q, w in zip(self.subqueries, self.weights)]
        pairs = [(q, w) for q, w in pairs if q is not NullQuery]
        if not pairs:
            return NullQuery
        return self._copy([q for q, _ in pairs], [w for _, w in pairs])


class CoordinatedOr(_Preloading):
    """Soft OR: score = sum(unit score) * (units matched / units) ** exponent.

    Units that match nothing in the index still count in ``units``: a passage
    with two of three query words ranks below one with all three (all else
    being equal), but it is found.
    """

    exponent = 2.0

    def _matcher(self, subs, searcher, context):  # pragma: no cover - matcher() overrides
        raise NotImplementedError

    def matcher(self, searcher, context=None):
        n = len(self.subqueries)
        totals: dict[int, float] = {}
        counts: dict[int, int] = {}
        for query, weight in zip(self.subqueries, self.weights):
            ids, scores = preload(query, searcher, context)
            for docnum, score in zip(ids, scores):
                totals[docnum] = totals.get(docnum, 0.0) + score * weight
                counts[docnum] = counts.get(docnum, 0) + 1
        ids = sorted(totals)
        exponent, boost = self.exponent, self.boost
        scores = [totals[d] * (counts[d] / n) ** exponent * boost for d in ids]
        return list_matcher(ids, scores)


class BestOf(_Preloading):
    """Disjunction max: the best weighted alternative plus ``tiebreak`` times the rest."""

    tiebreak = 0.2

    def matcher(self, searcher, context=None):
        best: dict[int, float] = {}
        total: dict[int, float] = {}
        for query, weight in zip(self.subqueries, self.weights):
            ids, scores = preload(query, searcher, context)
            for docnum, score in zip(ids, scores):
                score *= weight
                total[docnum] = total.get(docnum, 0.0) + score
                if score > best.get(docnum, -1.0):
                    best[docnum] = score
        ids = sorted(best)
        tiebreak, boost = self.tiebreak, self.boost
        scores = [(best[d] + tiebreak * (total[d] - best[d])) * boost for d in ids]
        return list_matcher(ids, scores)


class _Wrapper(Query):
    """A query around one ``child``: sizes are the child's, and it has no field."""

    def __init__(self, child):
        self.child = child
        self.boost = 1.0

    def __eq__(self, other):
        return other.__class__ is self.__class__ and self.child == other.child

    def __hash__(self):
        return hash((self.__class__.__name__, self.child))

    def apply(self, fn):
        return self.__class__(fn(self.child))

    def normalize(self):
        child = self.child.normalize()
        return NullQuery if child is NullQuery else self.__class__(child)

    def children(self):
        yield self.child

    def is_leaf(self):
        return False

    def estimate_size(self, ixreader):
        return self.child.estimate_size(ixreader)

    def estimate_min_size(self, ixreader):
        return self.child.estimate_min_size(ixreader)

    def field(self):
        return None

    def __repr__(self):
        return f"{self.__class__.__name__}({self.child!r})"

    __str__ = __repr__


class ConstantScore(_Wrapper):
    """Matches what ``child`` matches, always with ``score`` (0 = pure filter)."""

    def __init__(self, child, score=0.0):
        _Wrapper.__init__(self, child)
        self.score = score

    def __eq__(self, other):
        return (other.__class__ is self.__class__ and self.child == other.child
                and self.score == other.score)

    def __hash__(self):
        return hash((self.__class__.__name__, self.child, self.score))

    def __repr__(self):
        return f"{self.__class__.__name__}({self.child!r}, {self.score:g})"

    __str__ = __repr__

    def apply(self, fn):
        return self.__class__(fn(self.child), self.score)

    def normalize(self):
        child = self.child.normalize()
        if child is NullQuery:
            return NullQuery
        return self.__class__(child, self.score)

    def with_boost(self, boost):
        return self

    def matcher(self, searcher, context=None):
        from whoosh.matching.wrappers import ConstantScoreWrapperMatcher

        child = self.child.matcher(searcher, searcher.boolean_context())
        if not child.is_active():
            return matching.NullMatcher()
        return ConstantScoreWrapperMatcher(child, self.score)


class _FilterList(_SortedList):
    """The documents of a filter, each with score 0; ``docset`` holds them all."""

    def __init__(self, ids, docset: frozenset, position=0):
        _SortedList.__init__(self, ids, position=position)
        self.docset = docset

    def copy(self):
        return self.__class__(self._ids, self.docset, position=self._i)

    def score(self):
        return 0.0

    def weight(self):
        return 0.0

    def max_quality(self):
        return 0.0

    def block_max_weight(self):
        return 0.0


def filter_docs(searcher, query, within: set[int] | None = None) -> set[int]:
    """The documents of ``searcher``'s segment that ``query`` matches, ignoring
    scores; with ``within``, only those among these.

    And/Or over terms and ranges become set operations on postings read block by
    block; Whoosh's own matcher would stack one union node per term of a range
    and pay for all of them at every document (seconds per filter at 100k
    passages). The parts of an And go ranges last, each within what the others
    left: a date range's postings are looked up in the kind's few documents
    instead of making a set of their own. Anything else is asked for its documents.
    """
    from whoosh.query import And, Term
    from whoosh.query.ranges import NumericRange
    from whoosh.query.wrappers import WrappingQuery

    from .postings import posting_blocks

    if isinstance(query, (ConstantScore, WrappingQuery)):
        return filter_docs(searcher, query.child, within)
    if isinstance(query, NumericRange):
        return filter_docs(searcher, query._compile_query(searcher.reader()), within)
    if type(query) is And:
        for part in sorted(query.subqueries, key=lambda q: isinstance(q, NumericRange)):
            within = filter_docs(searcher, part, within)
        return set() if within is None else within
    if type(query) is Or:
        return set().union(*(filter_docs(searcher, q, within) for q in query.subqueries))
    reader = searcher.reader()
    if type(query) is Term or isinstance(query, MultiTerm):
        field = query.field()
        if field not in reader.schema:
            return set()
        texts = ([reader.schema[field].to_bytes(query.text)] if type(query) is Term
                 else query._btexts(reader))
        docs = chain.from_iterable(ids for text in texts
                                   for ids, _ in posting_blocks(reader, field, text))
    else:
        docs = query.docs(searcher)
    return set(docs) if within is None else within.intersection(docs)


class CachedFilter(_Wrapper):
    """A filter (score 0) whose documents are listed once per (sub)searcher and
    kept on it: a session that filters the same way again (paging,
    ``--queries``, a service) intersects with a sorted list instead of
    evaluating the filter. A searcher keeps its ``CACHED_FILTERS`` most
    recently computed lists.
    """

    CACHED_FILTERS = 32

    def with_boost(self, boost):
        return self

    def estimate_size(self, ixreader):
        # Whoosh asks only to order an intersection, and a range's estimate
        # looks up every one of its terms in every segment, at every search.
        return ixreader.doc_count_all()

    def docs(self, searcher) -> tuple[list[int], frozenset]:
        """The filter's documents in ``searcher``'s segment: sorted, and as a set."""
        cache = getattr(searcher, "_beleidzoek_filters", None)
        if cache is None:
            cache = searcher._beleidzoek_filters = {}
        found = cache.get(self.child)
        if found is None:
            docset = frozenset(filter_docs(searcher, self.child))
            found = (sorted(docset), docset)
            if len(cache) >= self.CACHED_FILTERS:
                del cache[next(iter(cache))]
            cache[self.child] = found
        return found

    def matcher(self, searcher, context=None):
        ids, docset = self.docs(searcher)
        return _FilterList(ids, docset) if ids else matching.NullMatcher()


class _AndNotMatcher(AndNotMatcher):
    """Whoosh's matcher checks the first positive document against the negative
    only when both start on the same document: a negative starting earlier
    (say on a document record) let the first positive through unfiltered."""

    def _find_first(self):
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class AndNot(WhooshAndNot):
    """``a ANDNOT b``: what ``a`` matches except what ``b`` matches, always."""

    def matcher(self, searcher, context=None):
        return _AndNotMatcher(self.a.matcher(searcher, context),
                              self.b.matcher(searcher, searcher.boolean_context()))


def terms_within(reader, fieldname: str, text: str, maxdist: int, prefix: int) -> set[str]:
    """Terms of ``fieldname`` within edit distance ``maxdist`` of ``text`` that
    share its first ``prefix`` letters. Asked per segment: a segment walks its
    lexicon with a Levenshtein automaton, while Whoosh's multi-segment reader
    computes the distance to every term with the prefix."""
    return {term for leaf, _ in reader.leaf_readers()
            for term in leaf.terms_within(fieldname, text, maxdist, prefix=prefix)}


def wildcard_regex(pattern: str) -> re.Pattern:
    """A glob with ``*`` and ``?`` (nothing else is special) as an anchored regex."""
    parts = []
    for char in pattern:
        parts.append(".*" if char == "*" else "." if char == "?" else re.escape(char))
    return re.compile("".join(parts) + r"\Z", re.S)


class _FieldTerms:
    """A multi-term query over one field that expands to the terms :meth:`_select`
    picks from it (none when the index lacks the field), and is never rewritten."""

    def normalize(self):
        return self

    def _btexts(self, ixreader):
        if self.fieldname not in ixreader.schema:
            return []
        return self._select(ixreader, ixreader.schema[self.fieldname])


class BoundedWildcard(_FieldTerms, PatternQuery):
    """``*``/``?`` glob over one field, expanded to at most ``max_expansions`` terms.

    The literal prefix before the first wildcard narrows the lexicon scan; when
    more terms match than allowed, the most frequent ones are kept.
    """

    SPECIAL_CHARS = frozenset("*?")
    max_expansions = 100
    max_scan = 50_000

    def __init__(self, fieldname, text, boost=1.0, max_expansions=None):
        PatternQuery.__init__(self, fieldname, text, boost=boost, constantscore=False)
        if max_expansions is not None:
            self.max_expansions = max_expansions

    def __unicode__(self):
        return f"{self.fieldname}:{self.text}"

    __str__ = __unicode__

    def _get_pattern(self):
        return wildcard_regex(self.text).pattern

    def _select(self, ixreader, field):
        regex = wildcard_regex(self.text)
        prefix = self._find_prefix(self.text) if set(self.text) & self.SPECIAL_CHARS else self.text
        found = []
        for scanned, btext in enumerate(ixreader.expand_prefix(self.fieldname, prefix)):
            if scanned >= self.max_scan:
                break
            if regex.match(field.from_bytes(btext)):
                found.append(btext)
        if len(found) > self.max_expansions:
            found.sort(key=lambda b: -ixreader.doc_frequency(self.fieldname, b))
            found = sorted(found[: self.max_expansions])
        return found

    def _find_prefix(self, text):
        match = re.match(r"[^*?]*", text)
        return match.group() if match else ""


class KeywordContains(_FieldTerms, MultiTerm):
    """A keyword equal to ``text`` or containing it as a whole word, ignoring case."""

    def __init__(self, fieldname, text, boost=1.0):
        self.fieldname = fieldname
        self.text = text
        self.boost = boost
        self.constantscore = True

    def __eq__(self, other):
        return (other.__class__ is self.__class__ and self.fieldname == other.fieldname
                and self.text == other.text and self.boost == other.boost)

    def __hash__(self):
        return hash((self.__class__.__name__, self.fieldname, self.text, self.boost))

    def __repr__(self):
        return f"{self.__class__.__name__}({self.fieldname!r}, {self.text!r})"

    def __unicode__(self):
        return f"{self.fieldname}:~{self.text}"

    __str__ = __unicode__

    def _select(self, ixreader, field):
        word = re.compile(r"(?<!\w)" + re.escape(self.text) + r"(?!\w)", re.IGNORECASE)
        return [btext for btext in ixreader.lexicon(self.fieldname)
                if word.search(field.from_bytes(btext))]


class PassagesOnly(_Wrapper):
    """Matches what ``child`` matches except ``document`` and ``file`` records.

    Document records carry filter fields too, so every query is wrapped in
    this. When the child's matches are a score list whose every document has
    text -- which only passages have (see :mod:`~beleidzoek.index.schema`) --
    there is nothing to drop; otherwise the non-passage records are collected
    once per (sub)searcher and skipped with a set lookup: much cheaper than
    intersecting with the ``record:passage`` posting list.
    """

    def with_boost(self, boost):
        return self.__class__(self.child.with_boost(boost))

    def matcher(self, searcher, context=None):
        from whoosh.matching.wrappers import FilterMatcher

        child = self.child.matcher(searcher, context)
        if not child.is_active() or _all_have_text(searcher, child):
            return child
        others = non_passage_docnums(searcher)
        return FilterMatcher(child, others, exclude=True) if others else child


def _all_have_text(searcher, m) -> bool:
    """Whether ``m`` is a score list of documents that all have text: a check
    of the list's documents, where collecting the non-passage records reads a
    posting for each of them."""
    return hasattr(m, "remaining") and all_have_text(searcher, m.remaining()[0])


def all_have_text(searcher, docnums) -> bool:
    """Whether all ``docnums`` have text (a length in the text field's length
    column), which only passages have (see :mod:`~beleidzoek.index.schema`)."""
    from .postings import length_bytes

    lengths = length_bytes(searcher.reader(), "text")
    return lengths is not None and all(map(lengths.__getitem__, docnums))


def non_passage_docnums(searcher) -> frozenset:
    """Document numbers of the non-passage records, cached on the searcher: the
    postings of ``record:document`` and ``record:file``, read block by block."""
    cached = getattr(searcher, "_beleidzoek_non_passages", None)
    if cached is None:
        from .postings import posting_blocks

        reader = searcher.reader()
        cached = frozenset(chain.from_iterable(
            ids for record in ("document", "file") for ids, _ in posting_blocks(reader, "record", record)))
        try:
            searcher._beleidzoek_non_passages = cached
        except AttributeError:  # pragma: no cover - a searcher without a __dict__
            pass
    return cached
