"""BlockPhrase matches the passages Whoosh's Phrase matches, with the same
scores to the last bit, in every segment: phrases cut from real passages
(stop words and all), with slop, in the title field, and drawn at random."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import scoring
from whoosh.query import Phrase
from whoosh.searching import SearchContext

from beleidzoek.index.analysis import terms as analyzed_terms
from beleidzoek.search.matching import preload
from beleidzoek.search.phrases import BlockPhrase


def _leaves(searcher):
    return [leaf for leaf, _ in searcher.whoosh_searcher.leaf_searchers()]


def _same(searcher, fieldname, words, slop=1, boost=1.0, context=None):
    matched = 0
    for leaf in _leaves(searcher):
        ours = preload(BlockPhrase(fieldname, words, slop=slop, boost=boost), leaf, context)
        whooshs = preload(Phrase(fieldname, words, slop=slop, boost=boost), leaf, context)
        assert ours == whooshs, (fieldname, words, slop)
        matched += len(ours[0])
    return matched


@pytest.fixture(scope="module")
def phrases(finding_searcher):
    """Runs of two to four index terms from passages of every segment."""
    found = []
    for leaf in _leaves(finding_searcher):
        reader = leaf.reader()
        for docnum in range(0, reader.doc_count_all(), 97):
            text = reader.stored_fields(docnum).get("text")
            if not text:
                continue
            terms = analyzed_terms(text[:400], mode="query")
            for start, length in ((0, 2), (3, 3), (7, 4)):
                if len(terms) >= start + length:
                    found.append(terms[start:start + length])
    return found


def test_phrases_from_passages_match_and_score_as_whooshs(finding_searcher, phrases):
    assert len(phrases) > 100
    assert sum(_same(finding_searcher, "text", words) > 0 for words in phrases) > 0.8 * len(phrases)


@pytest.mark.parametrize("slop", [2, 4])
def test_phrases_with_slop_match_as_whooshs(finding_searcher, phrases, slop):
    for words in phrases[::5]:
        _same(finding_searcher, "text", words, slop=slop)


def test_title_phrases_and_boosts_match_as_whooshs(finding_searcher, phrases):
    for words in phrases[::3]:
        _same(finding_searcher, "title", words, boost=0.7)


@pytest.mark.parametrize("weighting", [scoring.TF_IDF(), scoring.Frequency(), scoring.BM25F(B=0.3, K1=2.0)])
def test_phrases_score_as_whooshs_under_other_weightings(finding_searcher, phrases, weighting):
    """TF-IDF and frequency score a posting without its field length: their
    scorers score each posting as Whoosh does, not through the shared length."""
    context = SearchContext(weighting=weighting)
    assert sum(_same(finding_searcher, "text", words, context=context) for words in phrases[::4]) > 0


WORDS = ["de", "van", "het", "minister", "gemeent", "informatie", "beveiliging", "en", "of", "vrag",
         "cloud", "privacy", "kabinet", "onderzoek", "digital", "overheid", "niet", "zijn", "die"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=2, max_size=4), st.integers(1, 3))
def test_any_phrase_matches_as_whooshs(finding_searcher, words, slop):
    _same(finding_searcher, "text", words, slop=slop)
