"""Scoring in arrays reads every posting Whoosh's matcher reads, and gives the
best k of a keyword query with the scores and count of scoring it in Python."""

import shutil

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beleidzoek.index.storage import open_index
from beleidzoek.index.writer import index_paths
from beleidzoek.search.collect import keyword_units
from beleidzoek.search.dense_scores import (_contenders, _postings, _proximity_bounds, _Segment, _scorer,
                                           _union, dense_scores)
from beleidzoek.search.postings import CollectionStats
from beleidzoek.search.ranked_units import unit_scores
from scoring_support import best, every_score

QUERIES = ["ICT inkoop gemeenten", "digitale overheid", "ransomware gemeenten", "informatie kabinet",
           "AVG verwerking", "toezicht autoriteit persoonsgegevens datalek melden",
           "welke maatregelen neemt de minister om de digitale weerbaarheid van gemeenten tegen "
           "ransomware te vergroten",
           "klopt het dat gemeenten persoonsgegevens delen met private partijen zonder grondslag in de wet"]


def _whoosh_postings(reader, fieldname, text):
    matcher = reader.postings(fieldname, text)
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights


def _check_postings(reader, every: int) -> int:
    deleted = reader.deleted_docs_set if reader.has_deletions() else set()
    checked = 0
    for number, ((fieldname, text), _) in enumerate(reader._terms.items()):
        if number % every:
            continue
        docs, frequencies = _postings(reader, fieldname, text)
        kept = [n for n, docnum in enumerate(docs.tolist()) if docnum not in deleted]
        assert (docs[kept].tolist(), frequencies[kept].tolist()) == _whoosh_postings(reader, fieldname, text)
        checked += 1
    return checked


def test_postings_are_whooshs(finding_searcher):
    readers = [leaf.reader() for leaf, _ in finding_searcher.whoosh_searcher.leaf_searchers()]
    assert sum(_check_postings(reader, every=19) for reader in readers) > 1000
    reader = max(readers, key=lambda r: r.doc_count_all())
    docs, _ = _postings(reader, "text", "de")
    assert len(docs) > 10 * 128 and np.all(np.diff(docs) > 0), "a term of many blocks, in order"


def _check(searcher, text: str, k: int, filtered: bool) -> bool:
    """Whether ``text`` was scored in arrays, each segment's best ``k`` and count checked."""
    units = keyword_units(searcher.parse(text).query)
    for leaf, _ in searcher.whoosh_searcher.leaf_searchers():
        everything, context = every_score(units, leaf, filtered)
        found = dense_scores(units, leaf, k, context)
        if found is None:  # a unit that is not made of terms (an acronym's expansion, a phrase)
            assert not all(hasattr(q, "sources") for q in units.subqueries)
            return False
        scores, total = found
        assert best(scores, k) == best(everything, k)
        assert total == len(everything)
    return True


@pytest.mark.parametrize("filtered", [False, True])
def test_keyword_and_question_queries_are_scored_in_arrays(finding_searcher, filtered):
    """(tests/test_search_top_k.py holds the best k of both paths to scoring everything.)"""
    assert sum(_check(finding_searcher, text, k, filtered) for text in QUERIES for k in (1, 10, 40)) >= 15


def test_deleted_passages_are_neither_scored_nor_counted(tmp_path, corpus_dir):
    from beleidzoek.search.results import Searcher

    folder = tmp_path / "index"
    shutil.copytree(corpus_dir / "kamervragen", tmp_path / "corpus")
    index_paths(folder, [tmp_path / "corpus"])
    ix = open_index(folder)
    with ix.reader() as reader:
        doc_ids = [d.decode() for d in list(reader.lexicon("doc_id"))[::3]]
    writer = ix.writer()
    for doc_id in doc_ids:
        writer.delete_by_term("doc_id", doc_id)
    writer.commit(merge=False)
    with Searcher(folder) as searcher:
        assert any(leaf.reader().has_deletions() for leaf, _ in searcher.whoosh_searcher.leaf_searchers())
        for text in QUERIES[:4]:
            assert _check(searcher, text, 10, filtered=False)


def _proximity_and_bounds(units, leaf) -> tuple[dict, np.ndarray, np.ndarray]:
    """Every match's proximity, as :meth:`RankedUnits._add_proximity` adds it,
    and the most :func:`_proximity_bounds` says it can add, and could say
    knowing no frequencies."""
    segment, stats, frequencies = _Segment.of(leaf.reader()), CollectionStats.of(leaf), {}
    for q in units.subqueries:
        _scorer(leaf, segment, stats, q, frequencies)
    maps = [unit_scores(q, leaf, leaf.context()) for q in units.subqueries]
    matched = sorted(set().union(*maps))
    proximity = dict.fromkeys(matched, 0.0)
    units._add_proximity(leaf, proximity, maps, proximity)
    matched, pairs = np.array(matched, dtype=np.int64), list(units.proximity_pairs(leaf))
    return (proximity, _proximity_bounds(units, leaf, segment, frequencies, matched, pairs),
            _proximity_bounds(units, leaf, segment, {}, matched, pairs))


def test_proximity_bounds_hold_every_passage_and_prune(finding_searcher):
    lifted = below = 0
    for text in QUERIES:
        units = keyword_units(finding_searcher.parse(text).query)
        if not all(hasattr(q, "sources") for q in units.subqueries):
            continue  # not scored in arrays
        for leaf, _ in finding_searcher.whoosh_searcher.leaf_searchers():
            proximity, bounds, factors = _proximity_and_bounds(units, leaf)
            assert all(bound >= score for bound, score in zip(bounds.tolist(), proximity.values()))
            lifted += sum(score > 0 for score in proximity.values())
            below += int(np.sum(bounds < factors))
    assert lifted > 20 and below > 1000, "queries whose pairs follow each other, bounds under the factors"


def test_the_first_cut_of_contenders_keeps_all_the_bounds_keep(finding_searcher):
    """:func:`_contenders` bounds with whole factors first: it must keep
    exactly the passages the frequency bound alone keeps, at any threshold."""
    cut = 0
    for text in QUERIES:
        units = keyword_units(finding_searcher.parse(text).query)
        if not all(hasattr(q, "sources") for q in units.subqueries):
            continue
        for leaf, _ in finding_searcher.whoosh_searcher.leaf_searchers():
            segment, stats, frequencies = _Segment.of(leaf.reader()), CollectionStats.of(leaf), {}
            for q in units.subqueries:
                _scorer(leaf, segment, stats, q, frequencies)
            matched = np.flatnonzero(segment.passages if segment.passages is not None
                                     else np.ones(segment.size, dtype=bool))[::7]
            sums = np.linspace(0.0, 12.0, len(matched))
            coordination = np.linspace(0.3, 1.0, len(matched))[::-1].copy()
            # Without frequencies in hand the bound is the whole factors: the first cut's own.
            for known in (frequencies, {}):
                bounds = _proximity_bounds(units, leaf, segment, known, matched, list(units.proximity_pairs(leaf)))
                for threshold in (0.5, 4.0, 9.0, 11.5):
                    for factor in (None, coordination):
                        kept, most = _contenders(units, leaf, segment, known, matched, sums, factor, threshold)
                        alone = (sums + bounds) * (1.0 if factor is None else factor)
                        assert kept.tolist() == (alone >= threshold).tolist()
                        assert most[kept].tolist() == alone[kept].tolist()
                        cut += int(np.sum(~kept))
    assert cut > 1000, "thresholds that leave passages out"


class _Scratch:
    """What :func:`_union` needs of a segment: its size and zeroed marks."""

    def __init__(self, size: int):
        self.size, self.marks = size, np.zeros(size, dtype=bool)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 400).flatmap(lambda size: st.tuples(
    st.just(size), st.lists(st.sets(st.integers(0, size - 1)).map(sorted), max_size=6))))
def test_a_union_is_every_docnum_once_in_order_by_sorting_or_by_scan(case):
    """Few docnums are merged by sorting, many marked in a scan (SCAN_FROM):
    both give numpy's union, and leave the marks zeroed."""
    size, lists = case
    arrays = [np.array(docs, dtype=np.int64) for docs in lists]
    segment = _Scratch(size)
    expected = np.unique(np.concatenate(arrays)) if arrays else np.zeros(0, dtype=np.int64)
    assert _union(segment, arrays).tolist() == expected.tolist()
    assert not segment.marks.any()
