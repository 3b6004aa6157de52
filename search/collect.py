"""Collecting hits from score lists at once, and scoring only what a filter allows.

Keyword queries are scored up front into sorted lists of documents and scores
(:mod:`.ranked_units`); Whoosh's collectors then walk those lists a document
at a time through the matchers around them (passages only, a filter), which
was most of a search at 100,000 passages. The collectors here take the lists
out of such a matcher tree and collect them in one go, with what Whoosh's
collectors give: the best ``limit`` by score, ties to the lower document
number, and an exact count. A tree made of anything else is collected by
Whoosh, document by document, as before.

A query ``And([query, CachedFilter(...)])`` (a filtered search) is matched
with ``context.allowed``, the filter's documents, so that the score lists
hold only those: a filtered search scores less than an unfiltered one
instead of scoring everything and dropping most of it.
"""

from __future__ import annotations

from heapq import heapify, heappush, heapreplace, nlargest

from whoosh.collectors import TopCollector, UnlimitedCollector
from whoosh.matching import NullMatcher
from whoosh.matching.binary import IntersectionMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And

from .matching import CachedFilter, all_have_text


def allowed_docs(query, searcher) -> frozenset | None:
    """The documents of ``searcher``'s segment that the cached filters of a
    filtered query (an ``And`` with :class:`~.matching.CachedFilter` parts)
    allow, or None for any other query."""
    if type(query) is not And:
        return None
    sets = [q.docs(searcher)[1] for q in query.subqueries if isinstance(q, CachedFilter)]
    if not sets:
        return None
    return frozenset.intersection(*sets) if len(sets) > 1 else sets[0]


def _kept(found: tuple[list, list], docs, keep: bool) -> tuple[list, list]:
    """``found`` with only the documents in ``docs`` (``keep``) or not in them."""
    pairs = [(d, s) for d, s in zip(*found) if (d in docs) == keep]
    return [d for d, _ in pairs], [s for _, s in pairs]


def matcher_lists(m) -> tuple[list[int], list[float]] | None:
    """``(docnums, scores)`` of everything ``m`` has yet to match, when it is a
    score list, maybe inside Whoosh's filter (``PassagesOnly``) and
    intersection with a cached filter; None for any other matcher."""
    if hasattr(m, "remaining"):
        return m.remaining()
    if not m.is_active():
        return [], []
    if isinstance(m, FilterMatcher):
        found = matcher_lists(m.child)
        return None if found is None else _kept(found, m._ids, keep=not m._exclude)
    if isinstance(m, IntersectionMatcher):
        for docs, other in ((m.a, m.b), (m.b, m.a)):
            if hasattr(docs, "docset"):  # a cached filter: score 0, so the sum is the other's score
                found = matcher_lists(other)
                return None if found is None else _kept(found, docs.docset, keep=True)
    return None


class _ListCollecting:
    """Mix-in for a Whoosh scored collector: matches a segment with the filter's
    documents in the context, and adds score lists at once (``_add``)."""

    def set_subsearcher(self, subsearcher, offset):
        self.subsearcher = subsearcher
        self.offset = offset
        allowed = allowed_docs(self.q, subsearcher)
        context = self.context if allowed is None else self.context.set(allowed=allowed)
        self.matcher = self.q.matcher(subsearcher, context)

    def collect_matches(self):
        found = None if self.final_fn else matcher_lists(self.matcher)
        if found is None:
            super().collect_matches()
            return
        docnums, scores = found
        offset = self.offset
        self._add([d + offset for d in docnums], scores)


def keyword_units(query):
    """The :class:`~.ranked_units.RankedUnits` of a keyword search --
    ``PassagesOnly(units)``, alone or in an ``And`` with cached filters --
    whose best k and count :mod:`.top_k` finds per segment; else None."""
    from .matching import PassagesOnly
    from .ranked_units import RankedUnits

    if type(query) is And:
        others = [q for q in query.subqueries if not isinstance(q, CachedFilter)]
        if len(others) != 1 or len(others) == len(query.subqueries) or query.boost != 1.0:
            return None
        query = others[0]
    if type(query) is PassagesOnly and type(query.child) is RankedUnits:
        return query.child
    return None


class ListTopCollector(_ListCollecting, TopCollector):
    """Whoosh's ``TopCollector`` (without block skipping), adding score lists at
    once; a keyword search's best ``limit`` come from :mod:`.top_k`."""

    def __init__(self, limit: int):
        TopCollector.__init__(self, limit, usequality=False, replace=0)

    def run(self):
        """Whoosh's, with the largest segment first: its ``limit``-th best is
        the highest floor one segment gives (:meth:`_floor`), so the others
        add proximity to fewer passages."""
        try:
            leaves = sorted(self.top_searcher.leaf_searchers(), key=lambda leaf: -leaf[0].doc_count_all())
            for subsearcher, offset in leaves:
                self.set_subsearcher(subsearcher, offset)
                self.collect_matches()
        finally:
            self.finish()

    def _collect(self, global_docnum: int, score: float):
        """Whoosh's, with a tie going to the lower docnum whatever the order of
        the segments (Whoosh keeps the first collected)."""
        items, item = self.items, (score, -global_docnum)
        self.total += 1
        if len(items) < self.limit:
            heappush(items, item)
        elif item > items[0]:
            heapreplace(items, item)
            self.minscore = items[0][0]
        else:
            return 0
        return -score

    def set_subsearcher(self, subsearcher, offset):
        units = keyword_units(self.q) if not self.final_fn else None
        top = None
        if units is not None:
            from .top_k import top_scores

            allowed = allowed_docs(self.q, subsearcher)
            context = self.context if allowed is None else self.context.set(allowed=allowed)
            top = top_scores(units, subsearcher, self.limit, context, floor=self._floor(units.boost))
            if not all_have_text(subsearcher, top.scores):
                top = None  # a record among them: score it all
        if top is None:
            super().set_subsearcher(subsearcher, offset)
            return
        self.subsearcher, self.offset, self.matcher = subsearcher, offset, NullMatcher()
        self._keep(_best_items(top.scores, self.limit, units.boost, offset), top.total)

    def _floor(self, boost: float) -> float | None:
        """The score (before ``boost``) a passage of the next segment must reach
        to enter the best ``limit`` so far; None while they are fewer. (It must
        beat it: a tie goes to the lower docnum, of an earlier segment.)"""
        if len(self.items) < self.limit or boost <= 0:
            return None
        return self.items[0][0] / boost

    def _add(self, docnums: list[int], scores: list[float]) -> None:
        self._keep(list(zip(scores, [-d for d in docnums])), len(docnums))

    def _keep(self, items: list[tuple[float, int]], count: int) -> None:
        """Merge ``(score, -docnum)`` items of ``count`` matches into the best ``limit``:
        ties go to the lower docnum."""
        self.total += count
        best = nlargest(self.limit, [*self.items, *items])
        heapify(best)
        self.items = best


def _best_items(scores: dict[int, float], limit: int, boost: float, offset: int) -> list[tuple[float, int]]:
    """The best ``limit`` ``(score * boost, -docnum)`` of a segment's scores,
    ties to the lower docnum. The ``limit``-th best score is found among the
    bare floats first, so that only the passages reaching it become tuples:
    a long query's contenders are thousands a segment."""
    if boost != 1.0:
        scores = {d: s * boost for d, s in scores.items()}
    if len(scores) > limit:
        floor = nlargest(limit, scores.values())[-1]
        scores = {d: s for d, s in scores.items() if s >= floor}
    return nlargest(limit, [(s, -(d + offset)) for d, s in scores.items()])


class ListUnlimitedCollector(_ListCollecting, UnlimitedCollector):
    """Whoosh's ``UnlimitedCollector``, adding score lists at once."""

    def _add(self, docnums: list[int], scores: list[float]) -> None:
        self.items.extend(zip(scores, docnums))
        self.docset.update(docnums)
