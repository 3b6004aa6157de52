"""Facet counts over all matches, and the metadata filters (party, submitter, ministry, topic)."""

import pytest

from beleidzoek.search.query import QueryError


@pytest.mark.parametrize("query, options", [
    ("gemeenten", {}),
    ("privacy OR gegevens", {"kind": "answer"}),
    ("ICT", {"per_doc": 1, "sort": "-date"}),
    ("gemeente OR gemeenten", {"party": "SP"}),
])
def test_kind_and_year_counts_add_up_to_the_total(finding_searcher, query, options):
    result = finding_searcher.search(query, facets=True, limit=3, **options)
    facets = result.facets
    assert set(facets) == {"kind", "year", "party", "ministry"}
    assert result.total > len(result.hits)  # counted over every match, not the page
    assert sum(facets["kind"].values()) == result.total
    assert sum(facets["year"].values()) == result.total
    for name in ("party", "ministry"):
        assert all(0 < count <= result.total for count in facets[name].values())
    assert result.to_json()["facets"] == facets


def test_facet_order(finding_searcher):
    facets = finding_searcher.search("gemeenten", facets=True).facets
    counts = list(facets["kind"].values())
    assert counts == sorted(counts, reverse=True)
    years = [year for year in facets["year"] if year != "unknown"]
    assert years == sorted(years, reverse=True)
    assert list(facets["year"])[-1] == "unknown"  # the QA pairs have no date
    assert "SP" in facets["party"]  # parties as printed, not lower-cased


def test_facets_only_on_request(finding_searcher):
    result = finding_searcher.search("gemeenten")
    assert result.facets is None and "facets" not in result.to_json()


def test_party_filter_is_case_insensitive_and_counts_match(finding_searcher):
    upper = finding_searcher.search("gemeenten", party="SP", facets=True)
    lower = finding_searcher.search("gemeenten", party="sp")
    assert upper.total == lower.total > 0
    assert upper.facets["party"]["SP"] == upper.total
    assert set(upper.facets["kind"]) <= {"question", "answer"}


def test_ministry_matches_a_part_of_its_name(finding_searcher):
    result = finding_searcher.search("politie", ministry="justitie", facets=True)
    assert result.total > 0
    assert all("justitie" in ministry for ministry in result.facets["ministry"]
               if result.facets["ministry"][ministry] == result.total)
    assert any("justitie" in ministry for ministry in result.facets["ministry"])
    # Names with commas stay whole ("volksgezondheid, welzijn en sport").
    health = finding_searcher.search("zorg", ministry="welzijn", facets=True)
    assert any(name.startswith("volksgezondheid") and "sport" in name for name in health.facets["ministry"])


def test_several_values_are_alternatives(finding_searcher):
    sp = finding_searcher.search("gemeenten", party="SP").total
    pvv = finding_searcher.search("gemeenten", party="PVV").total
    both = finding_searcher.search("gemeenten", party=["SP", "PVV"]).total
    assert max(sp, pvv) <= both <= sp + pvv


def test_submitter_and_topic(finding_searcher):
    raak = finding_searcher.search("gemeente", submitter="van raak")
    assert raak.total > 0 and {hit.doc_id for hit in raak.hits} == {"2017Z07436"}
    ict = finding_searcher.search("gemeente", topic="ict")
    assert {hit.doc_id for hit in ict.hits} == {"2017Z07436"}


def test_an_empty_filter_value_is_an_error(finding_searcher):
    with pytest.raises(QueryError):
        finding_searcher.search("gemeenten", party=" ")
