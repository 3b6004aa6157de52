"""A segment's best k for a keyword query, and how many passages it matches.

Every keyword search (:class:`~.ranked_units.RankedUnits`) goes through
:func:`top_scores`. In an index of :data:`DENSE_FROM` passages or more it is
scored in arrays (:mod:`.dense_scores`); below, or for a unit that is not
made of terms (a phrase, an acronym's expansion), in Python dicts
(:meth:`~.ranked_units.RankedUnits.top`). Both keep only the passages that
can reach the best k, add proximity to those alone, and give the same
passages with the same scores, and an exact count.

Until schema 7 a large index pruned instead (MaxScore and a proof by the
rarest word's passages), scoring in Python only what could make the top k
and estimating the total; scoring everything in arrays is faster at 1M
passages (``bench/README.md``, "Figures") and counts exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from .postings import CollectionStats
from .ranked_units import RankedUnits

#: Indexes of this many passages or more are scored in arrays: below it numpy's
#: import (about 40 ms) would cost a one-off search more than it saves.
DENSE_FROM = 200_000


@dataclass
class TopScores:
    """The scores of a segment's candidates for the top k, and its match count."""

    scores: dict
    total: int


def top_scores(query: RankedUnits, searcher, k: int, context=None, dense_from: int | None = None,
               floor: float | None = None) -> TopScores:
    """Scores of passages of the searcher's segment among which are the ``k``
    best for ``query`` that score ``floor`` or more (those with their exact
    scores), and how many passages it matches; in arrays when the index has
    ``dense_from`` passages or more (default :data:`DENSE_FROM`). ``floor`` is
    the ``k``-th best score of the segments before: a passage below it cannot
    make the best k, so proximity need not be added to it."""
    dense_from = DENSE_FROM if dense_from is None else dense_from
    if query.subqueries and CollectionStats.of(searcher).n >= dense_from:
        from .dense_scores import dense_scores

        found = dense_scores(query, searcher, k, context, floor)
        if found is not None:
            return TopScores(*found)
    return TopScores(*query.top(searcher, context, k, floor))
