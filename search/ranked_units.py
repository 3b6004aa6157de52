"""The keyword units of a query side by side, with coordination and proximity.

:class:`RankedUnits` sums the scores of the units a passage matches (plus
the compound parts of query words), adds proximity for neighbouring words
and weights the sum by coordination; :mod:`.ranking` explains the model.
"""

from __future__ import annotations

from collections import Counter
from heapq import nlargest

from whoosh.query import Query
from whoosh.query.qcore import NullQuery

from .matching import SubquerySizes, preload
from .postings import CollectionStats, idf, length_norms, term_positions
from .ranking_config import RankingConfig, resolve
from .word_queries import ScoreMapQuery, allowed_of, score_map_matcher, word_of


#: Bounds are raised by this share, so that a rounding difference between a
#: bound and a score can never drop a passage that belongs in the top k.
MARGIN = 1e-9


def unit_scores(query, searcher, context) -> dict:
    """docnum -> score of everything one unit matches (of what a filter allows)."""
    allowed = allowed_of(context)
    if isinstance(query, ScoreMapQuery):
        return boosted(query.score_map(searcher, allowed), query.boost)
    ids, scores = preload(query, searcher, context)
    if allowed is None:  # a phrase or a Whoosh term scores every match
        return dict(zip(ids, scores))
    return {d: score for d, score in zip(ids, scores) if d in allowed}


def boosted(scores: dict, boost: float) -> dict:
    """``scores`` times ``boost``."""
    return scores if boost == 1.0 else {d: score * boost for d, score in scores.items()}


class RankedUnits(SubquerySizes, Query):
    """The keyword units of a query side by side (a soft OR).

    ``units``: the unit queries in query order; ``positions``: each unit's
    word position in the query (None when it has none, e.g. a phrase) for
    proximity; ``extras``: compound parts of query words, added at
    ``query_parts_weight`` without counting as units.  Score of a passage:
    ``(sum of unit scores + parts + proximity) * (matched / units) ** exponent``.
    """

    def __init__(self, units, positions=None, extras=(), config: RankingConfig | None = None,
                 boost: float = 1.0):
        self.subqueries = list(units)
        self.positions = tuple(positions) if positions is not None else (None,) * len(self.subqueries)
        self.extras = tuple(extras)
        self.config = resolve(config)
        self.boost = boost

    def __eq__(self, other):
        return (other.__class__ is self.__class__ and self.subqueries == other.subqueries
                and self.positions == other.positions and self.extras == other.extras
                and self.config == other.config and self.boost == other.boost)

    def __hash__(self):
        return hash((self.__class__.__name__, tuple(self.subqueries), self.positions, self.extras))

    def __repr__(self):
        extras = f", parts={list(self.extras)!r}" if self.extras else ""
        return f"{self.__class__.__name__}({self.subqueries!r}{extras})"

    __str__ = __repr__

    def is_leaf(self):
        return False

    def children(self):
        return iter(self.subqueries)

    def field(self):
        return None

    def _copy(self, units, positions=None, extras=None, boost=None):
        return RankedUnits(units, self.positions if positions is None else positions,
                           self.extras if extras is None else extras, self.config,
                           self.boost if boost is None else boost)

    def with_boost(self, boost):
        return self._copy(self.subqueries, boost=boost)

    def apply(self, fn):
        return self._copy([fn(q) for q in self.subqueries])

    def normalize(self):
        pairs = [(q.normalize(), p) for q, p in zip(self.subqueries, self.positions)]
        pairs = [(q, p) for q, p in pairs if q is not NullQuery]
        if not pairs and not self.extras:
            return NullQuery
        return self._copy([q for q, _ in pairs], [p for _, p in pairs])

    def matcher(self, searcher, context=None):
        return score_map_matcher(self.scores(searcher, context), self.boost)

    def scores(self, searcher, context=None) -> dict:
        """docnum -> score (before ``boost``) of every match."""
        return self.combine(searcher, *self._unit_maps(searcher, context))[0]

    def top(self, searcher, context, k: int, floor: float | None = None) -> tuple[dict, int]:
        """``(scores, total)``: the passages that can be among the best ``k``
        and score ``floor`` or more (None: any), with their exact scores
        (before ``boost``), and how many passages match."""
        return self.combine(searcher, *self._unit_maps(searcher, context), k=k, floor=floor)

    def _unit_maps(self, searcher, context) -> tuple[list[dict], list[dict]]:
        allowed = allowed_of(context)
        maps = [unit_scores(query, searcher, context) for query in self.subqueries]
        parts = [part.score_map(searcher, allowed) for part in self.scored_parts()]
        return maps, parts

    def scored_parts(self) -> tuple:
        """The compound parts that add to the score (none when their weight is 0)."""
        return self.extras if self.config.query_parts_weight > 0 else ()

    def combine(self, searcher, maps: list[dict], part_maps: list[dict],
                k: int | None = None, floor: float | None = None) -> tuple[dict, int]:
        """``(scores, total)`` of the passages matched, from the scores of each
        unit (``maps``) and each of :meth:`scored_parts` (``part_maps``).

        With ``k``, ``scores`` holds only the passages that can be among the
        best ``k`` and reach ``floor`` (:meth:`_contenders`), so proximity is
        added to those alone; ``total`` counts every match."""
        config = self.config
        n = len(self.subqueries)
        exponent = config.exponent(n) if n else 0.0
        totals: dict[int, float] = dict(maps[0]) if maps else {}
        for scores in maps[1:]:
            get = totals.get
            for docnum, score in scores.items():
                totals[docnum] = get(docnum, 0.0) + score
        counts: Counter = Counter()  # matched units, for coordination (exponent > 0) only
        if exponent:
            for scores in maps:
                counts.update(scores.keys())
        if part_maps:
            # A passage with a part of a query word but not the word itself
            # counts as half a match of that word (for coordination).
            weight = config.query_parts_weight
            halves: dict[int, set] = {}
            for part, scores in zip(self.extras, part_maps):
                own = maps[part.unit] if part.unit < len(maps) else {}
                for docnum, score in scores.items():
                    totals[docnum] = totals.get(docnum, 0.0) + weight * score
                    if exponent and docnum not in own:
                        halves.setdefault(docnum, set()).add(part.unit)
            for docnum, words in halves.items():
                counts[docnum] += 0.5 * len(words)
        # Coordination by matched units: a passage's counts take few values.
        factors = {count: (count / n) ** exponent for count in set(counts.values())} if exponent else {}
        found = totals
        if k is not None and totals and (len(totals) > k or floor is not None):
            found = self._contenders(searcher, totals, counts, factors, k, floor)
        if config.proximity_weight > 0:
            self._add_proximity(searcher, found, maps, found)
        if exponent:
            found = {d: total * factors[counts[d]] for d, total in found.items()}
        return found, len(totals)

    def _contenders(self, searcher, totals: dict, counts: dict, factors: dict, k: int,
                    floor: float | None = None) -> dict:
        """The ``totals`` of the passages that can be among the best ``k``:
        those whose score without proximity, plus every pair's most, reaches
        the ``k``-th best score without it (both weighted by coordination,
        ``factors`` by matched units), and ``floor``."""
        most = sum(factor for _, _, factor in self.proximity_pairs(searcher)) * (1.0 + MARGIN) \
            if self.config.proximity_weight > 0 else 0.0
        if factors:
            scale = [factors[counts[d]] for d in totals]
            threshold = max(nlargest(k, [total * f for total, f in zip(totals.values(), scale)])[-1],
                            floor or 0.0)
            return {d: total for (d, total), f in zip(totals.items(), scale) if (total + most) * f >= threshold}
        threshold = max(nlargest(k, totals.values())[-1], floor or 0.0)
        return {d: total for d, total in totals.items() if total + most >= threshold}

    # -- proximity ------------------------------------------------------------
    def pairs(self) -> list[tuple[str, str]]:
        """Neighbouring single-term words (query order, at most ``proximity_max_gap`` apart)."""
        config = self.config
        words = [(p, word_of(q)) for q, p in zip(self.subqueries, self.positions)]
        words = [(p, w) for p, w in words if p is not None and w is not None and "text" in w.fields]
        out = []
        for (p1, a), (p2, b) in zip(words, words[1:]):
            if a.text != b.text and 0 < p2 - p1 <= config.proximity_max_gap:
                out.append((a.text, b.text))
        return list(dict.fromkeys(out))[:config.proximity_max_pairs]

    def proximity_pairs(self, searcher):
        """``(word, next word, factor)`` of each pair :meth:`_add_proximity` scores:
        a pair's score is at most its factor."""
        config = self.config
        stats = CollectionStats.of(searcher)
        limit = config.proximity_max_share * stats.n
        for a, b in self.pairs():
            da, db = stats.df("text", a), stats.df("text", b)
            if da and db and min(da, db) <= limit:
                rarer = min(idf(stats.n, da), idf(stats.n, db))
                yield a, b, config.proximity_weight * rarer * (config.k1 + 1.0)

    def _add_proximity(self, searcher, totals: dict, maps: list[dict], among, read: dict | None = None) -> None:
        """Add to ``totals`` the score of each pair's second word following
        its first within ``proximity_window`` words (BM25-saturated count), for
        the passages ``among`` only. ``maps`` (the units' scores) tell which
        passages can have both words. ``read``: the words' blocks read so far
        (see :func:`~.postings.term_positions`), for a caller that comes again."""
        config = self.config
        reader = searcher.reader()
        norms = None
        window = config.proximity_window
        units = {word.text: scores for word, scores in zip(map(word_of, self.subqueries), maps) if word}
        read = {} if read is None else read
        for a, b, factor in self.proximity_pairs(searcher):
            ma, mb = units.get(a, totals), units.get(b, totals)
            smaller, larger = (ma, mb) if len(ma) <= len(mb) else (mb, ma)
            # Only passages already scored: a filtered search scores the allowed ones.
            candidates = sorted(d for d in smaller if d in larger and d in among)
            va, decode = term_positions(reader, "text", a, candidates, read)
            if not va:
                continue
            vb, _ = term_positions(reader, "text", b, sorted(va), read)
            both = [d for d in va if d in vb]
            if not both:
                continue
            if norms is None:
                norms = length_norms(searcher, "text", config, CollectionStats.of(searcher))
            table, lengths = norms.table, norms.bytes
            for docnum in both:
                follow = set(decode(vb[docnum]))
                count = 0
                for i in decode(va[docnum]):
                    for k in range(1, window + 1):
                        if i + k in follow:
                            count += 1
                            break
                if count:
                    totals[docnum] = totals.get(docnum, 0.0) + \
                        factor * count / (count + table[lengths[docnum]])

