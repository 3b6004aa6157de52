"""Sorting, paging, the per-document cap, exact totals, --full and show --passage."""

import pytest

from beleidzoek.search.documents import PassageNotFound, passage_window
from beleidzoek.search.snippets import CLOSE, OPEN

QUERIES = ["gemeenten", "privacy OR gegevens", "minister ICT"]


def _ids(result):
    return [hit.passage_id for hit in result.hits]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("sort", ["relevance", "-date", "date"])
@pytest.mark.parametrize("per_doc", [0, 1, 2])
def test_pages_are_disjoint_and_together_the_top_n(finding_searcher, query, sort, per_doc):
    options = dict(sort=sort, per_doc=per_doc)
    top = finding_searcher.search(query, limit=15, **options)
    pages = [finding_searcher.search(query, limit=5, offset=offset, **options) for offset in (0, 5, 10)]
    together = [pid for page in pages for pid in _ids(page)]
    assert together == _ids(top)
    assert len(set(together)) == len(together)
    assert [hit.rank for page in pages for hit in page.hits] == list(range(1, len(together) + 1))
    assert {page.total for page in pages} == {top.total}


@pytest.mark.parametrize("query", QUERIES)
def test_total_counts_every_match_whatever_the_page(finding_searcher, query):
    everything = finding_searcher.search(query, limit=1000)
    assert everything.total == len(everything.hits)
    for options in ({"limit": 3}, {"limit": 3, "per_doc": 1}, {"limit": 3, "sort": "-date"},
                    {"limit": 3, "offset": 50}):
        assert finding_searcher.search(query, **options).total == everything.total


def test_total_is_exact_when_an_or_meets_a_filter(finding_searcher):
    """Whoosh's matcher replacement turned this OR into an AND and counted 52 of 129."""
    small = finding_searcher.search("privacy OR gegevens", kind="answer", limit=3)
    assert small.total == finding_searcher.search("privacy OR gegevens", kind="answer", limit=1000).total


def test_per_doc_caps_the_passages_of_a_document(finding_searcher):
    capped = finding_searcher.search("ICT gemeente Groningen", limit=20, per_doc=2)
    counts = {}
    for hit in capped.hits:
        counts[hit.doc_id] = counts.get(hit.doc_id, 0) + 1
    assert max(counts.values()) <= 2
    uncapped = finding_searcher.search("ICT gemeente Groningen", limit=20)
    assert uncapped.hits[2].doc_id == uncapped.hits[0].doc_id  # the seed fills the top ...
    assert capped.collapsed > 0  # ... so the cap skipped some of its passages
    assert capped.total == uncapped.total
    ranked = [hit.passage_id for hit in uncapped.hits]
    positions = [ranked.index(pid) for pid in _ids(capped) if pid in ranked]
    assert positions == sorted(positions)  # the cap keeps relevance order


def test_sort_by_date_puts_undated_passages_last(finding_searcher):
    for sort, newest_first in (("-date", True), ("date", False)):
        result = finding_searcher.search("gemeenten", sort=sort, limit=1000)
        dates = [hit.date for hit in result.hits]
        dated = [d for d in dates if d]
        assert dated and len(dated) < len(dates)  # the QA pairs are undated
        assert dates[:len(dated)] == dated  # undated last
        assert dated == sorted(dated, reverse=newest_first)


def test_equal_dates_keep_relevance_order(finding_searcher):
    relevance = _ids(finding_searcher.search("gemeente ICT", limit=1000))
    by_date = finding_searcher.search("gemeente ICT", sort="-date", limit=1000).hits
    seed = [hit.passage_id for hit in by_date if hit.doc_id == "2017Z07436"]
    assert seed == [pid for pid in relevance if pid.startswith("2017Z07436#")]


def test_bad_page_options(finding_searcher):
    from beleidzoek.search.query import QueryError

    for options in ({"sort": "newest"}, {"per_doc": -1}, {"offset": -1}, {"limit": 0}):
        with pytest.raises(QueryError):
            finding_searcher.search("gemeenten", **options)


def test_full_gives_the_whole_passage_highlighted(finding_searcher):
    short = finding_searcher.search("datalekken", limit=1)
    full = finding_searcher.search("datalekken", limit=1, full=True)
    hit = full.hits[0]
    assert full.full and hit.passage_id == short.hits[0].passage_id
    assert hit.snippet.replace(OPEN, "").replace(CLOSE, "") == hit.text
    assert f"{OPEN}datalekken{CLOSE}" in hit.snippet
    assert len(hit.snippet) > len(short.hits[0].snippet)


# --------------------------------------------------------------------------
# show --passage
# --------------------------------------------------------------------------


def test_a_kamervraag_passage_is_a_question_with_its_answer(finding_searcher):
    doc = finding_searcher.show("2017Z07436")
    window, focus = passage_window(doc, "3")
    numbers = [p.number for p in window.passages]
    assert numbers == ["2", "2", "3", "3", "4", "4"]  # question 3 with its neighbours
    assert {p.number for p in window.passages if p.position in focus} == {"3"}
    assert {p.kind for p in window.passages if p.position in focus} == {"question", "answer"}
    assert [p.number for p in passage_window(doc, "1")[0].passages] == ["1", "1", "2", "2"]
    assert len(doc.passages) == 16  # the document itself is left whole


def test_other_documents_use_passage_positions(finding_searcher):
    doc = finding_searcher.show("blog-samen-uit-samen-thuis")
    window, focus = passage_window(doc, "2")
    assert [p.position for p in window.passages] == [1, 2, 3] and focus == {2}
    last = len(doc.passages) - 1
    assert [p.position for p in passage_window(doc, str(last))[0].passages] == [last - 1, last]


@pytest.mark.parametrize("doc_id, selector, words", [
    ("2017Z07436", "9", "questions: 1, 2"),
    ("blog-samen-uit-samen-thuis", "99", "positions 0-"),
    ("blog-samen-uit-samen-thuis", "x", "no passage x"),
])
def test_an_unknown_passage_says_what_there_is(finding_searcher, doc_id, selector, words):
    with pytest.raises(PassageNotFound, match=words):
        passage_window(finding_searcher.show(doc_id), selector)
