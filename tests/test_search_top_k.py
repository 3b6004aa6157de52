"""The best k of a keyword query found without scoring every match (or
without proximity for passages that cannot reach them) are the best k of
scoring everything: same passages, same scores, same order."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beleidzoek.search import top_k
from beleidzoek.search.collect import keyword_units, matcher_lists
from beleidzoek.search.filters import filter_query
from beleidzoek.search.matching import CachedFilter
from beleidzoek.search.postings import (CollectionStats, Coverage, posting_blocks, score_term,
                                        score_term_among, term_bound, term_positions)
from beleidzoek.search.render import render_search

#: Words of the Kamervragen and QA pairs, from rare to very common.
WORDS = ["gemeenten", "privacy", "cloud", "minister", "gegevens", "burgers", "ICT", "inkoop",
         "digitale", "overheid", "ransomware", "datalek", "toezicht", "beveiliging", "informatie",
         "kabinet", "maatregelen", "onderzoek", "rijksoverheid", "zorg", "wet", "europese"]
QUERIES = ["ICT inkoop gemeenten", "digitale overheid", "gemeenten privacy", "ransomware gemeenten",
           "cloud minister burgers", "informatie kabinet", "vragen privacy", "vragen cloud"]


def _leaves(searcher):
    return [leaf for leaf, _ in searcher.whoosh_searcher.leaf_searchers()]


def _best(scores: dict, k: int) -> list:
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]


def _check(searcher, text: str, k: int, filtered: bool = False) -> list:
    """Each leaf's pruned top ``k`` against its full scoring; the pruned results."""
    units = keyword_units(searcher.parse(text).query)
    assert units is not None
    found = []
    for leaf in _leaves(searcher):
        ids, scores = matcher_lists(units.matcher(leaf, leaf.context()))
        everything = dict(zip(ids, scores))
        context = leaf.context()
        if filtered:
            allowed = CachedFilter(filter_query("kamervraag", "2016", "2022")).docs(leaf)[1]
            context = context.set(allowed=allowed)
            everything = {d: score for d, score in everything.items() if d in allowed}
        top = top_k.top_scores(units, leaf, k, context, prune_from=0)
        assert _best(top.scores, k) == _best(everything, k)
        assert top.total == len(everything) if top.exact else top.total > 0
        found.append((top, everything))
    return found


@pytest.mark.parametrize("text", QUERIES + ["AVG verwerking", "informatiebeveiliging gemeenten",
                                   "toezicht autoriteit persoonsgegevens datalek melden"])
@pytest.mark.parametrize("k", [1, 10, 40])
@pytest.mark.parametrize("filtered", [False, True])
def test_the_best_k_are_those_of_scoring_everything(finding_searcher, text, k, filtered):
    _check(finding_searcher, text, k, filtered)


#: Question-length queries (no coordination: see ``_pruned_long``), from Kamervragen.
LONG_QUERIES = [
    "welke maatregelen neemt de minister om de digitale weerbaarheid van gemeenten tegen ransomware te vergroten",
    "bent u bereid de gegevens van burgers in de cloud beter te beschermen tegen toegang door buitenlandse overheden",
    "hoe wordt het toezicht op de naleving van de informatiebeveiliging bij de rijksoverheid ingericht",
    "klopt het dat gemeenten persoonsgegevens delen met private partijen zonder grondslag in de wet",
]


@pytest.fixture
def any_pivots(monkeypatch):
    """Long queries pruned whatever share of their postings the pivots hold:
    in an index this small, the best k rarely beat the rest's bounds before half."""
    monkeypatch.setattr(top_k, "PIVOT_SHARE", 1.0)


@pytest.mark.parametrize("text", LONG_QUERIES)
@pytest.mark.parametrize("k", [1, 10, 40])
@pytest.mark.parametrize("filtered", [False, True])
def test_the_best_k_of_a_long_query_are_those_of_scoring_everything(finding_searcher, any_pivots, text, k,
                                                                     filtered):
    _check(finding_searcher, text, k, filtered)


def test_long_queries_score_only_a_part_of_their_matches(finding_searcher, any_pivots):
    found = [pair for text in LONG_QUERIES for pair in _check(finding_searcher, text, 10)]
    assert any(len(top.scores) < len(everything) for top, everything in found)


def test_proximity_cannot_lift_a_dropped_passage_into_the_best_k(finding_index, any_pivots):
    """With proximity weighing five times as much, the bound that drops
    candidates must still count what proximity can add."""
    from dataclasses import replace

    from beleidzoek.search.ranking_config import DEFAULT_RANKING
    from beleidzoek.search.results import Searcher

    with Searcher(finding_index, ranking=replace(DEFAULT_RANKING, proximity_weight=5.0)) as searcher:
        for text in LONG_QUERIES:
            for k in (1, 10):
                _check(searcher, text, k)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=6, max_size=16, unique=True), st.integers(1, 30))
def test_any_long_keyword_query_keeps_its_best_k(finding_searcher, words, k):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(top_k, "PIVOT_SHARE", 1.0)
        _check(finding_searcher, " ".join(words), k)


@pytest.mark.parametrize("text", QUERIES[:4] + LONG_QUERIES)
def test_a_floor_from_earlier_segments_keeps_every_passage_above_it(finding_searcher, any_pivots, text):
    """What a segment returns under the k-th best score of the segments before
    it (``floor``) holds all of its passages in the top k that reach the floor."""
    units = keyword_units(finding_searcher.parse(text).query)
    for leaf in _leaves(finding_searcher):
        ids, scores = matcher_lists(units.matcher(leaf, leaf.context()))
        best = _best(dict(zip(ids, scores)), 10)
        floor = best[len(best) // 2][1]
        top = top_k.top_scores(units, leaf, 10, leaf.context(), prune_from=0, floor=floor)
        assert [item for item in _best(top.scores, 10) if item[1] >= floor] == \
            [item for item in best if item[1] >= floor]


def test_some_queries_score_only_a_part_of_their_matches(finding_searcher):
    found = [pair for text in QUERIES for pair in _check(finding_searcher, text, 10)]
    assert any(len(top.scores) < len(everything) for top, everything in found)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8, unique=True), st.integers(1, 30),
       st.booleans())
def test_any_keyword_query_keeps_its_best_k(finding_searcher, words, k, filtered):
    _check(finding_searcher, " ".join(words), k, filtered)


def _largest_leaf(searcher):
    return max(_leaves(searcher), key=lambda leaf: leaf.reader().doc_count_all())


@pytest.mark.parametrize("term", ["de", "van", "een", "vrag"])
def test_scoring_some_candidates_skips_blocks_and_bounds_every_score(finding_searcher, term):
    leaf = _largest_leaf(finding_searcher)
    stats, config = CollectionStats.of(leaf), finding_searcher._builder.ranking
    everything: dict = {}
    score_term(leaf, stats, config, "text", term, 1.0, everything)
    docs = sorted(everything)
    assert len(docs) > 3 * 128, "a term of several blocks"
    candidates = [docs[0], docs[1], docs[-1]]
    some: dict = {}
    coverage = Coverage(set())
    ceiling = score_term_among(leaf, stats, config, "text", term, 1.0, some, candidates, coverage)
    assert some == {d: everything[d] for d in candidates}
    assert coverage.skipped > 0 and coverage.decoded + coverage.skipped == len(docs)
    assert coverage.seen < set(docs) and set(candidates) <= coverage.seen
    assert max(everything.values()) <= ceiling <= term_bound(leaf, stats, config, "text", term, 1.0)
    assert sum(len(ids) for ids, _ in posting_blocks(leaf.reader(), "text", term)) == len(docs)


def test_positions_of_inlined_and_block_terms_decode_alike(finding_searcher):
    reader = _largest_leaf(finding_searcher).reader()
    infos = [(text, info) for text, info in reader._terms.items_from("text", b"")][:20_000]
    inlined = next(text for (field, text), info in infos if field == "text" and info.is_inlined())
    _, decode = term_positions(reader, "text", "vrag")  # proximity decodes both words' positions with it
    for term in (inlined, b"vrag"):
        positions, _ = term_positions(reader, "text", term.decode())
        matcher = reader.postings("text", term)
        expected = {}
        while matcher.is_active():
            expected[matcher.id()] = matcher.value_as("positions")
            matcher.next()
        assert {docnum: decode(value) for docnum, value in positions.items()} == expected


def test_a_pruned_search_says_its_total_is_an_estimate(finding_index, monkeypatch):
    from beleidzoek.search.results import Searcher

    monkeypatch.setattr(top_k, "PRUNE_FROM", 0)
    with Searcher(finding_index) as searcher:
        estimated = [(text, limit, searcher.search(text, limit=limit))
                     for text in QUERIES for limit in (1, 10)]
        for text, limit, result in estimated:
            exact = searcher.search(text, limit=limit, facets=True)
            assert [(h.passage_id, h.score) for h in result.hits] == \
                [(h.passage_id, h.score) for h in exact.hits]
            assert exact.total_exact
            assert result.total == exact.total if result.total_exact else \
                exact.total / 2 <= result.total <= exact.total * 2
        inexact = [result for *_, result in estimated if not result.total_exact]
        assert inexact, "some search skipped blocks"
        assert "of about" in render_search(inexact[0]) and not inexact[0].to_json()["total_exact"]
