"""Score lists collected at once give what Whoosh's collectors give, filtered or not."""

from heapq import nlargest

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh.collectors import TopCollector, UnlimitedCollector
from whoosh.query import And

from beleidzoek.search.collect import (ListTopCollector, ListUnlimitedCollector, _best_items,
                                       allowed_docs, matcher_lists)
from beleidzoek.search.filters import filter_query
from beleidzoek.search.matching import CachedFilter

QUERIES = ["gemeenten", "privacy gegevens gemeenten", "informatiebeveiliging", '"de minister"',
           "privacy NOT cloud", "kind:answer ICT", "ministerie*"]


def _query(searcher, text, filtered):
    query = searcher.parse(text).query
    if not filtered:
        return query
    return And([query, CachedFilter(filter_query("kamervraag", "2016", "2022"))])


def _run(searcher, query, collector):
    searcher.whoosh_searcher.search_with_collector(query, collector)
    return collector.results()


@pytest.mark.parametrize("filtered", [False, True])
@pytest.mark.parametrize("text", QUERIES)
def test_top_and_all_hits_are_whooshs(finding_searcher, text, filtered):
    query = _query(finding_searcher, text, filtered)
    for limit in (1, 10, 200):
        ours = _run(finding_searcher, query, ListTopCollector(limit))
        whoosh = _run(finding_searcher, query, TopCollector(limit, usequality=False, replace=0))
        assert ours.top_n == whoosh.top_n and len(ours) == len(whoosh)
    ours = _run(finding_searcher, query, ListUnlimitedCollector())
    whoosh = _run(finding_searcher, query, UnlimitedCollector())
    assert ours.top_n == whoosh.top_n and ours.docs() == whoosh.docs()


@given(st.lists(st.lists(st.sampled_from([0.5, 1.0, 2.0]), max_size=20), max_size=4),
       st.integers(1, 12))
def test_ties_go_to_the_lower_docnum(segments, limit):
    ours, whoosh = ListTopCollector(limit), TopCollector(limit, usequality=False, replace=0)
    for collector in (ours, whoosh):
        collector.items, collector.total = [], 0
    offset = 0
    for scores in segments:
        ours._add(list(range(offset, offset + len(scores))), scores)
        for docnum, score in enumerate(scores, offset):
            whoosh._collect(docnum, score)
        offset += len(scores)
    assert sorted(ours.items, reverse=True) == sorted(whoosh.items, reverse=True)
    assert ours.total == whoosh.total


@given(st.lists(st.lists(st.sampled_from([0.5, 1.0, 2.0]), max_size=20), max_size=4).flatmap(
    lambda segments: st.tuples(st.just(segments), st.permutations(range(len(segments))))), st.integers(1, 12))
def test_ties_go_to_the_lower_docnum_whatever_the_order_of_the_segments(case, limit):
    """The largest segment is collected first (``run``): a segment collected
    one document at a time after it must still lose ties to none of its later docnums."""
    segments, order = case
    offsets = [sum(map(len, segments[:n])) for n in range(len(segments))]
    ours, whoosh = ListTopCollector(limit), TopCollector(limit, usequality=False, replace=0)
    for collector in (ours, whoosh):
        collector.items, collector.total = [], 0
    for n in order:
        for docnum, score in enumerate(segments[n], offsets[n]):
            ours._collect(docnum, score)
    for n, scores in enumerate(segments):
        for docnum, score in enumerate(scores, offsets[n]):
            whoosh._collect(docnum, score)
    assert sorted(ours.items, reverse=True) == sorted(whoosh.items, reverse=True)
    assert ours.total == whoosh.total


@given(st.dictionaries(st.integers(0, 500), st.sampled_from([0.25, 0.5, 1.0, 1.5, 2.0, 3.0]), max_size=60),
       st.integers(1, 12), st.sampled_from([1.0, 0.5, 3.0]), st.integers(0, 1000))
def test_a_segments_best_are_its_best_scores_as_tuples(scores, limit, boost, offset):
    """The float pre-selection keeps exactly the best ``limit`` ``(score, -docnum)`` tuples."""
    expected = nlargest(limit, [(s * boost, -(d + offset)) for d, s in scores.items()])
    assert _best_items(scores, limit, boost, offset) == expected


def test_keyword_queries_are_collected_as_lists(finding_searcher):
    leaf = finding_searcher.whoosh_searcher.leaf_searchers()[0][0]
    for text, filtered in [("gemeenten privacy", False), ("gemeenten privacy", True)]:
        query = _query(finding_searcher, text, filtered)
        assert matcher_lists(query.matcher(leaf, leaf.context())) is not None


def test_a_filtered_search_scores_only_what_the_filter_allows(finding_searcher):
    query = _query(finding_searcher, "gemeenten privacy", True)
    leaf = max((leaf for leaf, _ in finding_searcher.whoosh_searcher.leaf_searchers()),
               key=lambda leaf: len(allowed_docs(query, leaf)))
    allowed = allowed_docs(query, leaf)
    assert allowed and allowed_docs(query.subqueries[0], leaf) is None
    everything, _ = matcher_lists(query.subqueries[0].matcher(leaf, leaf.context()))
    scored, _ = matcher_lists(query.subqueries[0].matcher(leaf, leaf.context().set(allowed=allowed)))
    assert scored == [d for d in everything if d in allowed] and len(scored) < len(everything)


def test_keyword_hits_need_no_list_of_document_records(finding_index):
    from beleidzoek.search.results import Searcher

    with Searcher(finding_index) as fresh:
        assert fresh.search("gemeenten privacy").total > 0
        leaves = [leaf for leaf, _ in fresh.whoosh_searcher.leaf_searchers()]
        assert not any(hasattr(leaf, "_beleidzoek_non_passages") for leaf in leaves)
        dated = fresh.search("year:2017", limit=1000)  # document records have a year too
        assert dated.total == len(dated.hits) > 0
        assert not any(hit.passage_id.endswith("#doc") for hit in dated.hits)
        assert any(hasattr(leaf, "_beleidzoek_non_passages") for leaf in leaves)
