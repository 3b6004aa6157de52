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

Every keyword search goes through :func:`top_scores`, pruned or not: it also
leaves out proximity where proximity cannot lift a passage into the top k.
"""

from __future__ import annotations

from dataclasses import dataclass
from heapq import nlargest

from .postings import CollectionStats, Coverage, score_term, score_term_among
from .ranked_units import MARGIN, RankedUnits, boosted
from .word_queries import allowed_of

#: Segments of fewer passages are scored in full, with an exact count: there
#: the pivot saves little.
PRUNE_FROM = 200_000


@dataclass
class TopScores:
    """The scores of a segment's candidates for the top k, and its match count."""

    scores: dict
    total: int
    exact: bool


def top_scores(query: RankedUnits, searcher, k: int, context=None, prune: bool = True,
               prune_from: int | None = None) -> TopScores:
    """Scores of passages of the searcher's segment among which are the ``k``
    best for ``query`` (those with their exact scores), and how many passages
    it matches. With ``prune``, a short query in a segment of ``prune_from``
    documents or more (default :data:`PRUNE_FROM`) may skip passages that
    cannot make the top ``k``, and estimate the count."""
    units, parts = query.subqueries, query.scored_parts()
    n = len(units)
    prune_from = PRUNE_FROM if prune_from is None else prune_from
    if (prune and n and query.config.exponent(n) and searcher.reader().doc_count_all() >= prune_from
            and all(hasattr(q, "sources") for q in (*units, *parts))):
        return _pruned(query, searcher, k, context)
    scores = query.scores(searcher, context, k)
    return TopScores(scores, len(scores), True)


def _pruned(query: RankedUnits, searcher, k: int, context) -> TopScores:
    """:func:`top_scores` from the rarest words' passages, as long as that is
    proven to hold the best ``k``; else from every match."""
    reader = searcher.reader()
    stats = CollectionStats.of(searcher)
    allowed = allowed_of(context)
    scorers = [*query.subqueries, *query.scored_parts()]
    n = len(query.subqueries)
    sources = [[(f, term, weight, reader.doc_frequency(f, term)) for f, term, weight in q.sources(searcher)]
               for q in scorers]
    sizes = [sum(df for *_, df in found) for found in sources[:n]]
    maps: list[dict] = [{} for _ in scorers]
    done: set = set()  # (scorer, source) scored in full

    def score_in_full(chosen) -> None:
        for i, source in chosen:
            if (i, source) not in done:
                done.add((i, source))
                score_term(searcher, stats, scorers[i].config, *source[:3], maps[i], allowed)

    order = sorted(range(n), key=sizes.__getitem__)
    for rounds in range(1, n):
        # Scored in full: the terms of the rarest units.
        pivots = set(order[:rounds])
        chosen = [(i, source) for i in pivots for source in sources[i]]
        if sum(source[3] for _, source in chosen) * 2 > sum(sizes):
            break  # pruning would save less than it costs
        score_in_full(chosen)
        seen = set().union(*maps)
        candidates = sorted(seen)
        coverage = Coverage(seen)
        rest = [[source for source in found if (i, source) not in done] for i, found in enumerate(sources)]
        ceilings = [[score_term_among(searcher, stats, scorers[i].config, *source[:3], maps[i],
                                      candidates, coverage, allowed) for source in found]
                    for i, found in enumerate(rest)]
        scores = query.combine(searcher, *_split(scorers, maps, n), candidates, k)
        threshold = nlargest(k, scores.values())[-1] * (1.0 - MARGIN) if len(scores) >= k else 0.0
        outside = _best_outside(query, searcher, rest, ceilings)
        if outside == 0.0 or outside < threshold:
            return TopScores(scores, _estimated_total(coverage, reader.doc_count_all()),
                             not coverage.skipped)
    # Not proven: score the rest in full too (a max over the same terms again changes nothing).
    score_in_full([(i, source) for i, found in enumerate(sources) for source in found])
    scores = query.combine(searcher, *_split(scorers, maps, n), k=k)
    return TopScores(scores, len(scores), True)


def _split(scorers: list, maps: list[dict], n: int) -> tuple[list[dict], list[dict]]:
    """The boosted score maps of the units and of the parts."""
    boosted_maps = [boosted(best, q.boost) for q, best in zip(scorers, maps)]
    return boosted_maps[:n], boosted_maps[n:]


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
