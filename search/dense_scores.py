"""Every match of a keyword query scored at once, in arrays, for large indexes.

In a segment of a million passages a keyword query has hundreds of thousands
of postings, and scoring them one by one into dicts (:mod:`.ranked_units`)
took most of a search, even when pruning skipped some. Here each term's
postings become two arrays (docnums, frequencies: from the term's columns,
:mod:`beleidzoek.index.term_columns`, or else its blocks without their
positions, :mod:`beleidzoek.index.block_codec`) and
:class:`~.ranked_units.RankedUnits`' model is computed over whole arrays with
numpy: BM25 per posting, the best source per unit, the sum in unit order,
coordination by matched units. The arithmetic is Python's, step for step,
so every score is the float :meth:`~.ranked_units.RankedUnits.combine`
gives; and the count is exact. Proximity, which reads positions, is added in
Python as before, for the passages it could lift into the best k only.

numpy costs about 40 ms to import, so only indexes from
:data:`.top_k.DENSE_FROM` passages come here.
"""

from __future__ import annotations

from heapq import nlargest

import numpy as np

from ..index.posting_blocks import COLUMNS_FROM
from ..index.term_columns import decoded as decoded_columns
from .postings import CollectionStats, length_bytes, length_norms, term_scoring
from .ranked_units import MARGIN, RankedUnits
from .term_blocks import TermBlocks, term_columns
from .word_queries import allowed_of


_DTYPES = {"H": "<u2", "I": "<u4"}
#: The share of a segment's documents from which a union of docnums is found by
#: a scan of the segment rather than by sorting them (measured crossover: 1/8 to 1/4).
SCAN_FROM = 1 / 8
#: No postings: docnums and scores (or frequencies).
_NONE = (np.zeros(0, dtype=np.int64), np.zeros(0))


class _Segment:
    """A segment's arrays, made once per reader: length norms per field, the
    passages (documents with text) that are not deleted, and scratch space
    for sums and match counts that every query leaves zeroed."""

    def __init__(self, reader):
        self.size = reader.doc_count_all()
        #: (field, k1, b) -> (length norm table, length byte per document), as arrays.
        self.norms: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self.totals = np.zeros(self.size)
        self.best = np.zeros(self.size)
        #: Matched units per document, in halves (a part of a word is half a match).
        self.halves = np.zeros(self.size, dtype=np.uint16)
        self.marks = np.zeros(self.size, dtype=bool)
        self.passages: np.ndarray | None = None
        #: The last filter's documents and their mask (a filter's set is cached, so it comes again).
        self.allowed: tuple[frozenset, np.ndarray] | None = None

    @classmethod
    def of(cls, reader) -> "_Segment":
        segment = reader.__dict__.get("_beleidzoek_dense")
        if segment is None:
            segment = reader.__dict__["_beleidzoek_dense"] = cls(reader)
        return segment


def dense_scores(query: RankedUnits, searcher, k: int, context=None,
                 floor: float | None = None) -> tuple[dict, int] | None:
    """``(scores, total)``: the passages of the searcher's segment that can be
    among the ``k`` best for ``query`` (of what ``context`` allows) and score
    ``floor`` or more (None: any), with their exact scores, and how many
    passages it matches. None when a unit is not made of terms, or the
    segment's lengths cannot be read as arrays."""
    scorers = [*query.subqueries, *query.scored_parts()]
    if not all(hasattr(q, "sources") for q in scorers):
        return None
    reader = searcher.reader()
    segment = _Segment.of(reader)
    stats = CollectionStats.of(searcher)
    n = len(query.subqueries)
    scored = []  # per scorer: (docnums, scores), boosted
    frequencies: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for q in scorers:
        found = _scorer(searcher, segment, stats, q, frequencies)
        if found is None:
            return None
        scored.append(found)
    valid = _valid(segment, reader, allowed_of(context))
    if valid is None:
        return None
    return _combined(query, searcher, segment, scored[:n], scored[n:], valid, k, floor, frequencies)


def _scorer(searcher, segment: _Segment, stats: CollectionStats, q,
            frequencies: dict) -> tuple[np.ndarray, np.ndarray] | None:
    """The docnums (sorted) and boosted scores of one unit or part: the best
    ``weight * BM25`` of its sources (:func:`.word_queries.best_of_sources`).
    Each text term's docnums and frequencies go into ``frequencies``, for
    :func:`_proximity_bounds`."""
    reader, best = searcher.reader(), segment.best
    found = []
    for fieldname, term, weight in q.sources(searcher):
        scoring = term_scoring(searcher, stats, q.config, fieldname, term, weight)
        if scoring is None:
            if fieldname == "text":
                frequencies[term] = _NONE
            continue
        norms = _norms(searcher, segment, fieldname, q.config, stats)
        if norms is None:
            return None
        table, lengths = norms
        docs, tfs = _postings(reader, fieldname, term)
        if fieldname == "text":
            frequencies[term] = (docs, tfs)
        if len(docs):
            found.append((docs, scoring[0] * tfs / (tfs + table[lengths[docs]])))
    if not found:
        return _NONE
    if len(found) == 1:
        docs, scores = found[0]
    else:
        for i, (docs, scores) in enumerate(found):
            best[docs] = np.maximum(best[docs], scores) if i else scores
        docs = _union(segment, [docs for docs, _ in found])
        scores = best[docs]
        best[docs] = 0.0
    return docs, scores * q.boost if q.boost != 1.0 else scores


def _union(segment: _Segment, arrays: list[np.ndarray]) -> np.ndarray:
    """The sorted docnums of any of the sorted ``arrays``. A scan of the
    segment's marks costs 0.6 ms in a segment of 1.5M documents however few
    are marked, but beats sorting from :data:`SCAN_FROM` of its documents on
    (a stable sort merges sorted runs)."""
    if len(arrays) <= 1:
        return arrays[0] if arrays else _NONE[0]
    if sum(map(len, arrays)) < SCAN_FROM * segment.size:
        docs = np.concatenate(arrays)
        docs.sort(kind="stable")
        first = np.ones(len(docs), dtype=bool)
        np.not_equal(docs[1:], docs[:-1], out=first[1:])
        return docs[first]
    marks = segment.marks
    for docs in arrays:
        marks[docs] = True
    found = np.flatnonzero(marks)
    marks[found] = False
    return found


def _postings(reader, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]:
    """A term's docnums and frequencies in the segment, deleted documents
    included (:func:`_valid` leaves them out)."""
    columns = term_columns(reader, fieldname, term)
    if columns is not None:
        return _column_arrays(columns)
    blocks = TermBlocks.of(reader, fieldname, term)
    if blocks is None:
        return _NONE
    if len(blocks) == 1 and blocks.size < COLUMNS_FROM:
        return _small_block_arrays(blocks)
    parts = blocks.columns()
    if not parts:
        return _NONE
    counts = np.array([len(gaps) // (2 if typecode == "H" else 4) for _, typecode, gaps, *_ in parts],
                      dtype=np.int64)  # gaps after each block's first docnum
    typecodes = {typecode for _, typecode, *_ in parts}
    if len(typecodes) == 1:
        rest = np.frombuffer(b"".join(gaps for _, _, gaps, *_ in parts), dtype=_DTYPES[typecodes.pop()])
    else:
        rest = np.concatenate([np.frombuffer(gaps, dtype=_DTYPES[typecode]) for _, typecode, gaps, *_ in parts])
    starts = np.cumsum(counts + 1) - counts - 1
    gaps = np.empty(len(rest) + len(parts), dtype=np.int64)
    others = np.ones(len(gaps), dtype=bool)
    others[starts] = False
    gaps[others] = rest
    firsts = np.array([first for first, *_ in parts], dtype=np.int64)
    lasts = np.array([last for *_, last in parts], dtype=np.int64)
    gaps[starts] = firsts - np.concatenate(([0], lasts[:-1]))
    frequencies = np.frombuffer(b"".join(weights for *_, weights, _ in parts), dtype="<f4")
    return np.cumsum(gaps), frequencies.astype(np.float64)


def _small_block_arrays(blocks: TermBlocks) -> tuple[np.ndarray, np.ndarray]:
    """The docnums and frequencies of a term's one block in Whoosh's layout
    (fewer than ``COLUMNS_FROM`` postings), or of its inlined postings. Most
    of a query's terms are rare and come here, and re-encoding their block as
    columns (:meth:`~.term_blocks.TermBlocks.columns`) to assemble it like a
    many-block term was 6% of a keyword query's instructions at 1M.
    Frequencies are rounded to 32 bits, as in the columns."""
    ids, weights, _ = blocks.block(0)
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float32).astype(np.float64)


def _column_arrays(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The docnums and frequencies of a term's columns (:mod:`beleidzoek.index.term_columns`)."""
    typecode, gaps, first, frequencies, frequency_size = decoded_columns(data)
    docs = np.empty(len(gaps) // (2 if typecode == "H" else 4) + 1, dtype=np.int64)
    docs[0] = first
    docs[1:] = np.frombuffer(gaps, dtype=_DTYPES[typecode])
    frequencies = np.frombuffer(frequencies, dtype="u1" if frequency_size == 1 else "<f4")
    return np.cumsum(docs, out=docs), frequencies.astype(np.float64)


def _norms(searcher, segment: _Segment, fieldname: str, config, stats) -> tuple[np.ndarray, np.ndarray] | None:
    """The field's BM25 length norm table and every document's length byte
    (:class:`~.postings.LengthNorms`) as arrays; None without a length column."""
    key = (fieldname, config.k1, config.b)
    if key not in segment.norms:
        norms = length_norms(searcher, fieldname, config, stats)
        if not isinstance(norms.bytes, (bytes, bytearray, memoryview)):
            return None
        segment.norms[key] = (np.asarray(norms.table), np.frombuffer(norms.bytes, dtype=np.uint8)[:segment.size])
    return segment.norms[key]


def _valid(segment: _Segment, reader, allowed: frozenset | None) -> np.ndarray | None:
    """Which documents may be returned: passages not deleted, of ``allowed`` (None: any)."""
    if segment.passages is None:
        text = length_bytes(reader, "text")
        if text is None:
            return None
        passages = np.frombuffer(text, dtype=np.uint8)[:segment.size] > 0  # only passages have text (index/schema.py)
        if reader.has_deletions():
            passages[np.fromiter(reader.deleted_docs_set, dtype=np.int64)] = False
        segment.passages = passages
    if allowed is None:
        return segment.passages
    if segment.allowed is None or segment.allowed[0] is not allowed:
        mask = np.zeros(segment.size, dtype=bool)
        mask[np.fromiter(allowed, dtype=np.int64, count=len(allowed))] = True
        segment.allowed = (allowed, mask & segment.passages)
    return segment.allowed[1]


def _combined(query: RankedUnits, searcher, segment: _Segment, units: list, parts: list,
              valid: np.ndarray, k: int, floor: float | None, frequencies: dict) -> tuple[dict, int]:
    """:meth:`~.ranked_units.RankedUnits.combine` over arrays, then proximity
    for the contenders alone (see :meth:`~.ranked_units.RankedUnits._contenders`)."""
    config = query.config
    n = len(query.subqueries)
    exponent = config.exponent(n) if n else 0.0
    totals, halves_of = segment.totals, segment.halves
    for docs, scores in units:
        totals[docs] += scores
        if exponent:
            halves_of[docs] += 2
    weight = config.query_parts_weight
    halves: dict[int, list] = {}
    for part, (docs, scores) in zip(query.scored_parts(), parts):
        totals[docs] += weight * scores
        halves.setdefault(part.unit, []).append(docs)
    if exponent:
        # A part of a query word without the word counts as half a match of it.
        for unit, found in halves.items():
            docs = found[0] if len(found) == 1 else _union(segment, found)
            if unit < n:
                docs = docs[~np.isin(docs, units[unit][0], assume_unique=True)]
            halves_of[docs] += 1
    every = _union(segment, [docs for docs, _ in units + parts if len(docs)])
    matched = every[valid[every]]
    sums = totals[matched]
    if exponent:  # by halves of matched units, a float each as combine's
        halves_matched = halves_of[matched]
        top = int(halves_matched.max()) if len(matched) else 0
        factor = np.array([(count / 2 / n) ** exponent for count in range(top + 1)])[halves_matched]
    totals[every] = 0.0
    if exponent:
        halves_of[every] = 0
    weighted = sums * factor if exponent else sums
    keep, bounds = np.ones(len(matched), dtype=bool), None
    if len(matched) > k or (floor is not None and len(matched)):
        threshold = max(np.partition(weighted, -k)[-k] if len(matched) > k else 0.0, floor or 0.0)
        keep, bounds = _contenders(query, searcher, segment, frequencies, matched, sums,
                                   factor if exponent else None, threshold)
        bounds = bounds[keep]
    found = _with_proximity(query, searcher, units, matched[keep], sums[keep],
                            factor[keep] if exponent else None, bounds, k)
    return found, len(matched)


def _with_proximity(query: RankedUnits, searcher, units: list, contenders: np.ndarray, sums: np.ndarray,
                    factor: np.ndarray | None, bounds: np.ndarray | None, k: int) -> dict:
    """``{docnum: score}`` of the sorted ``contenders`` that can be among the
    best ``k``, proximity and coordination (``factor``) applied. Proximity
    reads positions, so it goes first to the ``k`` with the highest
    ``bounds`` (None: to all), and then only to the others whose bound
    reaches the k-th best of those: in the 1M benchmark's large segment a
    keyword query has some 30 contenders for 10 places."""
    read: dict = {}  # the words' blocks, read once for both rounds

    def scored(chosen: np.ndarray) -> dict:
        found = dict(zip(contenders[chosen].tolist(), sums[chosen].tolist()))
        if query.config.proximity_weight > 0:
            maps = [_restricted(docs, scores, contenders[chosen]) for docs, scores in units]
            query._add_proximity(searcher, found, maps, found, read)
        if factor is None:
            return found
        return {d: total * f for (d, total), f in zip(found.items(), factor[chosen].tolist())}

    if bounds is None or len(contenders) <= k or query.config.proximity_weight <= 0:
        return scored(np.arange(len(contenders)))
    order = np.argsort(-bounds, kind="stable")
    found = scored(np.sort(order[:k]))
    rest = order[k:]
    rest = rest[bounds[rest] >= nlargest(k, found.values())[-1]]
    if len(rest):
        found.update(scored(np.sort(rest)))
    return found


def _contenders(query: RankedUnits, searcher, segment: _Segment, frequencies: dict, matched: np.ndarray,
                sums: np.ndarray, factor: np.ndarray | None, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Which ``matched`` passages can reach ``threshold`` with proximity added
    (``factor``: coordination per passage, None without), and the most each
    can score. The bound of
    :func:`_proximity_bounds` gathers each word's frequencies over the
    passages it is given, so it gets only those that pass a first, cheaper
    bound: every pair's whole factor, which is never below it."""
    pairs = list(query.proximity_pairs(searcher)) if query.config.proximity_weight > 0 else []
    whole = 0.0  # not sum(): from Python 3.12 it compensates, and this must round as the bound does
    for *_, pair_factor in pairs:
        whole += pair_factor
    whole *= 1.0 + MARGIN
    bounds = (sums + whole) * factor if factor is not None else sums + whole
    keep = bounds >= threshold
    if not pairs:
        return keep, bounds
    near = np.flatnonzero(keep)
    most = _proximity_bounds(query, searcher, segment, frequencies, matched[near], pairs)
    kept = sums[near] + most
    bounds[near] = kept * factor[near] if factor is not None else kept
    keep[near] = bounds[near] >= threshold
    return keep, bounds


def _proximity_bounds(query: RankedUnits, searcher, segment: _Segment, frequencies: dict,
                      matched: np.ndarray, pairs: list) -> np.ndarray:
    """The most proximity can add to each ``matched`` passage. A pair counts
    at most one follow per position of its first word and ``proximity_window``
    per position of its second, so its score, ``factor * count / (count +
    norm)``, is at most that of the smaller of those counts; a pair whose
    word has no text postings in hand gets its whole factor."""
    config = query.config
    table, lengths = _norms(searcher, segment, "text", config, CollectionStats.of(searcher))
    norms = table[lengths[matched]]
    scratch, counts = segment.best, {}
    bounds = np.zeros(len(matched))
    for a, b, factor in pairs:
        for word in (a, b):
            if word in frequencies and word not in counts:
                docs, tfs = frequencies[word]
                scratch[docs] = tfs
                counts[word] = scratch[matched]
                scratch[docs] = 0.0
        if a not in counts and b not in counts:
            bounds += factor
            continue
        most = np.minimum(counts[a], config.proximity_window * counts[b]) if a in counts and b in counts \
            else counts[a] if a in counts else config.proximity_window * counts[b]
        bounds += factor * most / (most + norms)
    return bounds * (1.0 + MARGIN)


def _restricted(docs: np.ndarray, scores: np.ndarray, wanted: np.ndarray) -> dict:
    """``{docnum: score}`` of the sorted ``docs`` that are among the sorted ``wanted``."""
    at = np.searchsorted(docs, wanted)
    at[at == len(docs)] = 0
    present = docs[at] == wanted if len(docs) else np.zeros(len(wanted), dtype=bool)
    return dict(zip(wanted[present].tolist(), scores[at[present]].tolist()))
