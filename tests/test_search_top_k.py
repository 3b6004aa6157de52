"""The best k of a keyword query, scored in arrays or in Python dicts (where
proximity is left out for passages that cannot reach them), are the best k of
scoring everything: same passages, same scores, same order, and the count."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beleidzoek.search import top_k
from beleidzoek.search.collect import keyword_units
from beleidzoek.search.postings import term_positions
from scoring_support import best, every_score

#: Words of the Kamervragen and QA pairs, from rare to very common.
WORDS = ["gemeenten", "privacy", "cloud", "minister", "gegevens", "burgers", "ICT", "inkoop",
         "digitale", "overheid", "ransomware", "datalek", "toezicht", "beveiliging", "informatie",
         "kabinet", "maatregelen", "onderzoek", "rijksoverheid", "zorg", "wet", "europese"]
QUERIES = ["ICT inkoop gemeenten", "digitale overheid", "gemeenten privacy", "ransomware gemeenten",
           "cloud minister burgers", "informatie kabinet", "vragen privacy", "vragen cloud"]


def _leaves(searcher):
    return [leaf for leaf, _ in searcher.whoosh_searcher.leaf_searchers()]


@pytest.fixture(params=[0, 10 ** 9], ids=["arrays", "dicts"])
def dense_from(request):
    return request.param


def _check(searcher, text: str, k: int, filtered: bool = False, dense_from: int = 0) -> list:
    """Each leaf's top ``k`` against its full scoring; the top k results."""
    units = keyword_units(searcher.parse(text).query)
    assert units is not None
    found = []
    for leaf in _leaves(searcher):
        everything, context = every_score(units, leaf, filtered)
        top = top_k.top_scores(units, leaf, k, context, dense_from)
        assert best(top.scores, k) == best(everything, k)
        assert top.total == len(everything)
        found.append((top, everything))
    return found


@pytest.mark.parametrize("text", QUERIES + ["AVG verwerking", "informatiebeveiliging gemeenten",
                                   "toezicht autoriteit persoonsgegevens datalek melden"])
@pytest.mark.parametrize("k", [1, 10, 40])
@pytest.mark.parametrize("filtered", [False, True])
def test_the_best_k_are_those_of_scoring_everything(finding_searcher, text, k, filtered, dense_from):
    _check(finding_searcher, text, k, filtered, dense_from)


#: Question-length queries (no coordination), from Kamervragen.
LONG_QUERIES = [
    "welke maatregelen neemt de minister om de digitale weerbaarheid van gemeenten tegen ransomware te vergroten",
    "bent u bereid de gegevens van burgers in de cloud beter te beschermen tegen toegang door buitenlandse overheden",
    "hoe wordt het toezicht op de naleving van de informatiebeveiliging bij de rijksoverheid ingericht",
    "klopt het dat gemeenten persoonsgegevens delen met private partijen zonder grondslag in de wet",
]


@pytest.mark.parametrize("text", LONG_QUERIES)
@pytest.mark.parametrize("k", [1, 10, 40])
@pytest.mark.parametrize("filtered", [False, True])
def test_the_best_k_of_a_long_query_are_those_of_scoring_everything(finding_searcher, text, k, filtered,
                                                                     dense_from):
    _check(finding_searcher, text, k, filtered, dense_from)


@pytest.mark.parametrize("text", QUERIES[:4] + LONG_QUERIES[:2])
@pytest.mark.parametrize("rank", [1, 5, 30])
def test_a_floor_keeps_every_passage_of_the_best_k_that_reaches_it(finding_searcher, text, rank, dense_from):
    """The floor is the k-th best score of the segments searched before: a
    passage that reaches it keeps its exact score, and the count stays exact."""
    units = keyword_units(finding_searcher.parse(text).query)
    leaf = max(_leaves(finding_searcher), key=lambda leaf: leaf.reader().doc_count_all())
    everything, context = every_score(units, leaf, False)
    ranked = best(everything, len(everything))
    floor = ranked[min(rank, len(ranked)) - 1][1]
    top = top_k.top_scores(units, leaf, 10, context, dense_from, floor=floor)
    expected = [(d, score) for d, score in best(everything, 10) if score >= floor]
    assert expected and best({d: top.scores[d] for d, _ in expected}, 10) == expected
    assert top.total == len(everything)
    unfloored = top_k.top_scores(units, leaf, 10, context, dense_from).scores
    assert set(top.scores) <= set(unfloored)
    if rank == 1 and dense_from == 0:  # bounds per passage (dicts bound every passage alike)
        assert len(top.scores) < len(unfloored)


def test_long_queries_score_only_a_part_of_their_matches(finding_searcher):
    found = [pair for text in LONG_QUERIES for pair in _check(finding_searcher, text, 10)]
    assert any(len(top.scores) < len(everything) for top, everything in found)


def test_proximity_cannot_lift_a_dropped_passage_into_the_best_k(finding_index, dense_from):
    """With proximity weighing five times as much, the bound that drops
    candidates must still count what proximity can add."""
    from dataclasses import replace

    from beleidzoek.search.ranking_config import DEFAULT_RANKING
    from beleidzoek.search.results import Searcher

    with Searcher(finding_index, ranking=replace(DEFAULT_RANKING, proximity_weight=5.0)) as searcher:
        for text in LONG_QUERIES + QUERIES:
            for k in (1, 10):
                _check(searcher, text, k, dense_from=dense_from)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=6, max_size=16, unique=True), st.integers(1, 30))
def test_any_long_keyword_query_keeps_its_best_k(finding_searcher, words, k):
    _check(finding_searcher, " ".join(words), k)


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


def test_a_search_in_arrays_finds_the_hits_and_total_of_one_in_dicts(finding_index, monkeypatch):
    from beleidzoek.search.results import Searcher

    with Searcher(finding_index) as searcher:
        in_dicts = [searcher.search(text, limit=limit) for text in QUERIES for limit in (1, 10)]
    monkeypatch.setattr(top_k, "DENSE_FROM", 0)
    with Searcher(finding_index) as searcher:
        in_arrays = [searcher.search(text, limit=limit) for text in QUERIES for limit in (1, 10)]
    for dicts, arrays in zip(in_dicts, in_arrays):
        assert [(h.passage_id, h.score) for h in arrays.hits] == [(h.passage_id, h.score) for h in dicts.hits]
        assert arrays.total == dicts.total and arrays.to_json()["total_exact"]
