"""The kind and date filters give exactly the unfiltered ranking's hits that pass them.

Pinned on the finding-aid index (Kamervragen, dated; QA pairs, undated), so a
faster filter cannot change which passages a filtered search returns, nor let an
undated passage into a date range.
"""

import pytest

from beleidzoek.search.query import parse_kinds

ALL = 1000


def _passes(hit, kinds, start, stop) -> bool:
    if kinds and hit.kind not in kinds:
        return False
    if start is None and stop is None:
        return True
    return bool(hit.date) and (start or "") <= hit.date <= (stop or "9999-12-31")


@pytest.mark.parametrize("query, kind, since, until, start, stop", [
    ("gemeenten", "question", "2017", "2018-06", "2017-01-01", "2018-06-30"),
    ("privacy OR gegevens", "kamervraag", "2016-03-15", "2019", "2016-03-15", "2019-12-31"),
    ("informatiebeveiliging", None, "2018", None, "2018-01-01", None),
    ("gemeenten", "answer", None, "2024-06", None, "2024-06-30"),
    ("ICT", None, None, "2030", None, "2030-12-31"),
    ('"de minister"', "question", "2015", "2025", "2015-01-01", "2025-12-31"),
])
def test_filtered_hits_are_the_passing_unfiltered_hits(finding_searcher, query, kind, since, until,
                                                       start, stop):
    everything = finding_searcher.search(query, limit=ALL)
    assert everything.total <= ALL and any(not hit.date for hit in everything.hits)
    kinds = parse_kinds(kind)
    expected = [hit.passage_id for hit in everything.hits if _passes(hit, kinds, start, stop)]
    filtered = finding_searcher.search(query, kind=kind, since=since, until=until, limit=ALL)
    assert expected and [hit.passage_id for hit in filtered.hits] == expected
    assert filtered.total == len(expected)
    again = finding_searcher.search(query, kind=kind, since=since, until=until, limit=5, offset=2)
    assert [hit.passage_id for hit in again.hits] == expected[2:7]


def test_a_range_without_dated_passages_finds_nothing(finding_searcher):
    assert finding_searcher.search("gemeenten", since="2090").total == 0
    assert finding_searcher.search("gemeenten", kind="blog", until="1990").total == 0


@pytest.mark.parametrize("field, start, stop", [
    ("date:2017", "2017-01-01", "2017-12-31"),
    ("date:2024-06", "2024-06-01", "2024-06-30"),
    ("date:2017-03..2024-05", "2017-03-01", "2024-05-31"),
    ("date:2024-08..", "2024-08-01", None),
    ("date:..2024-04", None, "2024-04-30"),
])
def test_date_syntax_matches_the_date_options(finding_searcher, field, start, stop):
    everything = finding_searcher.search("gemeenten", limit=ALL)
    expected = [hit.passage_id for hit in everything.hits if _passes(hit, (), start, stop)]
    found = finding_searcher.search(f"gemeenten {field}", limit=ALL)
    assert expected and {hit.passage_id for hit in found.hits} == set(expected)


@pytest.mark.parametrize("kind, since, until", [
    ("question", "2017", "2018-06"), ("kamervraag", "2016-03-15", "2019"), ("answer", None, "2024-06"),
])
def test_a_filters_documents_are_its_parts_in_common(finding_searcher, kind, since, until):
    from beleidzoek.search.filters import filter_query
    from beleidzoek.search.matching import filter_docs

    for leaf, _ in finding_searcher.whoosh_searcher.leaf_searchers():
        kinds = filter_docs(leaf, filter_query(kind))
        days = filter_docs(leaf, filter_query(None, since, until))
        assert filter_docs(leaf, filter_query(kind, since, until)) == kinds & days
        assert filter_docs(leaf, filter_query(None, since, until), within=kinds) == kinds & days
