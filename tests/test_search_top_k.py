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
                                        score_term_among, term_bound)
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
