"""The best k passages of a short keyword query without scoring every match.

A short keyword query scores a passage as the sum of its units' scores times
coordination, ``(matched units / units) ** 2`` for up to three words
(:class:`~.ranked_units.RankedUnits`). A passage without one of the words
loses at least a quarter of its score, so the best k almost always have the
rarest word. This module scores the passages of that word (the pivot) in
full, with every other word looked up only for them -- reading only the
posting blocks that hold one -- and then proves that no passage without the
pivot could have made the top k: its score is at most the other words'
ceilings (BM25 of a block's highest frequency and shortest length, the best
over the term's blocks: :func:`.postings.score_term_among`) times the
coordination of one word missing. When the proof fails, the next rarest word
joins the pivot; at last the query is scored in full, as without pruning.

The k best are exact: the same passages with the same scores as scoring
everything (:meth:`~.ranked_units.RankedUnits.combine` sums them in the same
order). What this costs is the count: matches in skipped blocks are estimated
from how many new passages the decoded blocks brought.

A long query (six words or more) has no coordination, so a passage without
its rarest word loses only that word's score; :func:`_pruned_long` prunes it
MaxScore-fashion instead, and in every segment of a large index. Both take a
``floor``, the k-th best score of the segments searched before, below which
no passage of this segment can make the page.

Every keyword search goes through :func:`top_scores`, pruned or not: it also
leaves out proximity where proximity cannot lift a passage into the top k.
"""

from __future__ import annotations

from dataclasses import dataclass
from heapq import nlargest

from .postings import CollectionStats, Coverage, score_term, score_term_among, term_bound
from .ranked_units import MARGIN, RankedUnits, boosted
from .term_blocks import term_info
from .word_queries import allowed_of

#: Indexes of fewer passages are scored in full, with an exact count: there
#: pruning saves little.
PRUNE_FROM = 200_000
#: The share of a long query's postings its pivots may hold: past it, pruning
#: saves less than it costs.
PIVOT_SHARE = 0.5


@dataclass
class TopScores:
    """The scores of a segment's candidates for the top k, and its match count."""

    scores: dict
    total: int
    exact: bool


def top_scores(query: RankedUnits, searcher, k: int, context=None, prune: bool = True,
               prune_from: int | None = None, floor: float = 0.0) -> TopScores:
    """Scores of passages of the searcher's segment among which are the ``k``
    best for ``query`` (those with their exact scores), and how many passages
    it matches. With ``prune``, a query in an index of ``prune_from`` passages
    or more (default :data:`PRUNE_FROM`) may skip passages that cannot make
    the top ``k`` or reach ``floor`` (the k-th best score of the segments
    searched before), and estimate the count."""
    units, parts = query.subqueries, query.scored_parts()
    n = len(units)
    prune_from = PRUNE_FROM if prune_from is None else prune_from
    coordinated = bool(n and query.config.exponent(n))
    # A short query's pivot pays in a large segment; a long query's scorers in any segment of a large index.
    size = searcher.reader().doc_count_all() if coordinated else CollectionStats.of(searcher).n
    if prune and n and size >= prune_from and all(hasattr(q, "sources") for q in (*units, *parts)):
        terms = _Terms(query, searcher, context)
        floor *= 1.0 - MARGIN
        return _pruned(terms, k, floor) if coordinated else _pruned_long(terms, k, floor)
    scores = query.scores(searcher, context, k)
    return TopScores(scores, len(scores), True)


class _Terms:
    """The terms of a query's units and parts (its scorers) in one segment,
    and their score maps as far as they have been scored."""

    def __init__(self, query: RankedUnits, searcher, context):
        self.query, self.searcher = query, searcher
        self.stats = CollectionStats.of(searcher)
        self.allowed = allowed_of(context)
        reader = searcher.reader()
        self.scorers = [*query.subqueries, *query.scored_parts()]
        self.n = len(query.subqueries)
        self.sources = [[(f, term, weight, _postings_in(reader, f, term)) for f, term, weight in q.sources(searcher)]
                        for q in self.scorers]
        #: Postings per scorer.
        self.sizes = [sum(df for *_, df in found) for found in self.sources]
        self.maps: list[dict] = [{} for _ in self.scorers]
        self.done: set = set()  # (scorer, source) scored in full

    def score_in_full(self, chosen) -> None:
        """Score ``(scorer, source)`` pairs for every passage."""
        for i, source in chosen:
            if (i, source) not in self.done:
                self.done.add((i, source))
                score_term(self.searcher, self.stats, self.scorers[i].config, *source[:3], self.maps[i],
                           self.allowed)

    def rest(self) -> list[list]:
        """Per scorer, the sources not scored in full."""
        return [[source for source in found if (i, source) not in self.done] for i, found in enumerate(self.sources)]

    def score_among(self, rest: list[list], candidates: list[int], coverage: Coverage) -> list[list[float]]:
        """Score the ``rest`` (sources per scorer) for the sorted ``candidates``;
        the most each source gives any passage."""
        return [self.score_scorer_among(i, found, candidates, coverage) for i, found in enumerate(rest)]

    def score_scorer_among(self, i: int, sources: list, candidates: list[int], coverage: Coverage) -> list[float]:
        """Score the ``sources`` of scorer ``i`` for the sorted ``candidates``."""
        return [score_term_among(self.searcher, self.stats, self.scorers[i].config, *source[:3], self.maps[i],
                                 candidates, coverage, self.allowed) for source in sources]

    def combined(self, k: int, docs=None) -> dict:
        """:meth:`~.ranked_units.RankedUnits.combine` of the maps, for ``docs`` (None: all)."""
        boosted_maps = [boosted(best, q.boost) for q, best in zip(self.scorers, self.maps)]
        return self.query.combine(self.searcher, boosted_maps[:self.n], boosted_maps[self.n:], docs, k)

    def in_full(self, k: int) -> TopScores:
        """Every match scored (a max over the same terms again changes nothing)."""
        self.score_in_full([(i, source) for i, found in enumerate(self.sources) for source in found])
        scores = self.combined(k)
        return TopScores(scores, len(scores), True)


def _pruned(terms: _Terms, k: int, floor: float) -> TopScores:
    """:func:`top_scores` of a short query (with coordination) from the rarest
    words' passages, as long as that is proven to hold the best ``k``; else
    from every match."""
    n, sizes = terms.n, terms.sizes
    order = sorted(range(n), key=sizes.__getitem__)
    for rounds in range(1, n):
        # Scored in full: the terms of the rarest units.
        chosen = [(i, source) for i in order[:rounds] for source in terms.sources[i]]
        if sum(source[3] for _, source in chosen) * 2 > sum(sizes[:n]):
            break  # pruning would save less than it costs
        terms.score_in_full(chosen)
        seen = set().union(*terms.maps)
        coverage = Coverage(seen)
        rest = terms.rest()
        ceilings = terms.score_among(rest, sorted(seen), coverage)
        scores = terms.combined(k)  # every map holds only passages of ``seen``
        threshold = max(_kth(scores.values(), k), floor)
        outside = _best_outside(terms.query, terms.searcher, rest, ceilings)
        if outside == 0.0 or outside < threshold:
            return TopScores(scores, _estimated_total(coverage, terms.searcher.reader().doc_count_all()),
                             not coverage.skipped)
    return terms.in_full(k)


def _pruned_long(terms: _Terms, k: int, floor: float) -> TopScores:
    """:func:`top_scores` of a long query (no coordination: a score is a sum),
    MaxScore-fashion. The rarest scorers are scored in full, one by one, until
    the k-th best of their sums (a lower bound of the k-th best score) beats
    what a passage without any of them can score. Then the other scorers, rarest
    first, are scored only for the candidates: passages whose sum so far, plus
    the most the scorers left and proximity can add, reaches the k-th best sum
    (or ``floor``, when that is higher)."""
    query, searcher = terms.query, terms.searcher
    ceilings = [[term_bound(searcher, terms.stats, q.config, *source[:3]) for source in found]
                for q, found in zip(terms.scorers, terms.sources)]
    weights = [q.boost * (1.0 if i < terms.n else query.config.query_parts_weight)
               for i, q in enumerate(terms.scorers)]
    order = sorted(range(len(terms.scorers)), key=terms.sizes.__getitem__)
    sums: dict[int, float] = {}
    pivots: set[int] = set()
    scored, budget = 0, sum(terms.sizes) * PIVOT_SHARE
    for i in order:
        bound = max(_kth(sums.values(), k), floor)
        if bound > 0.0:
            rest = [[] if j in pivots else found for j, found in enumerate(terms.sources)]
            rest_ceilings = [[] if j in pivots else found for j, found in enumerate(ceilings)]
            if _best_outside(query, searcher, rest, rest_ceilings) < bound:
                break
        scored += terms.sizes[i]
        if scored > budget:
            return terms.in_full(k)
        terms.score_in_full([(i, source) for source in terms.sources[i]])
        pivots.add(i)
        _add_to(sums, terms.maps[i], weights[i])
    else:
        return terms.in_full(k)
    coverage = Coverage(set(sums))
    rest = [i for i in order if i not in pivots]
    headroom = sum(max(ceilings[i], default=0.0) * weights[i] for i in rest)
    headroom += sum(factor for *_, factor in query.proximity_pairs(searcher))
    candidates = sorted(sums)
    leaders = nlargest(k, sums, key=sums.__getitem__)  # the passages of the k best sums
    for i in rest:
        # Every sum that reaches the bound is a candidate, so the k best sums of
        # the candidates are those of all sums: the leaders'.
        bound = max(_kth([sums[d] for d in leaders], k), floor)
        candidates = [d for d in candidates if sums[d] + headroom * (1.0 + MARGIN) >= bound]
        terms.score_scorer_among(i, terms.sources[i], candidates, coverage)
        _add_to(sums, terms.maps[i], weights[i])  # scored for candidates alone
        # Sums only grow, and only those just scored: no other passage can overtake a leader.
        leaders = nlargest(k, {*leaders, *terms.maps[i]}, key=sums.__getitem__)
        headroom -= max(ceilings[i], default=0.0) * weights[i]
    scores = terms.combined(k, candidates)
    return TopScores(scores, _estimated_total(coverage, searcher.reader().doc_count_all()), False)


def _postings_in(reader, fieldname: str, term: str) -> int:
    """The term's postings in the segment, from the term info a query reads anyway."""
    info = term_info(reader, fieldname, term)
    return info.doc_frequency() if info is not None else 0


def _kth(values, k: int) -> float:
    """The ``k``-th largest of ``values``, lowered by :data:`MARGIN` (0.0 for fewer)."""
    best = nlargest(k, values)
    return best[-1] * (1.0 - MARGIN) if len(best) >= k else 0.0


def _add_to(sums: dict, scores: dict, weight: float) -> None:
    """Add ``weight`` times ``scores`` into ``sums``."""
    for docnum, score in scores.items():
        sums[docnum] = sums.get(docnum, 0.0) + score * weight


def _best_outside(query: RankedUnits, searcher, rest: list, ceilings: list) -> float:
    """The most a passage can score that has none of the terms scored in full,
    only the ``rest`` (per unit, then per part, with the most each term can
    give): those ceilings, times the coordination of the units they leave."""
    config = query.config
    n = len(query.subqueries)
    scorers = (*query.subqueries, *query.scored_parts())
    text_terms = {term for found in rest for f, term, *_ in found if f == "text"}
    ceilings = [max(found, default=0.0) * q.boost for q, found in zip(scorers, ceilings)]
    matched = sum(1 for c in ceilings[:n] if c)
    halves = {part.unit for part, c in zip(query.scored_parts(), ceilings[n:])
              if c and not ceilings[part.unit]}
    ceiling = sum(ceilings[:n]) + config.query_parts_weight * sum(ceilings[n:])
    if config.proximity_weight > 0:
        ceiling += sum(factor for a, b, factor in query.proximity_pairs(searcher)
                       if a in text_terms and b in text_terms)
    coordination = ((matched + 0.5 * len(halves)) / n) ** config.exponent(n)
    return ceiling * (1.0 + MARGIN) * coordination


def _estimated_total(coverage: Coverage, documents: int) -> int:
    """The passages seen, plus the new ones the skipped postings are likely to hold."""
    total = len(coverage.seen)
    if coverage.skipped:
        novelty = coverage.new / coverage.decoded if coverage.decoded else 1.0 - total / max(1, documents)
        total += round(coverage.skipped * max(0.0, novelty))
    return total
