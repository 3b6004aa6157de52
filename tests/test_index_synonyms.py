"""Tests for synonyms and acronyms (beleidzoek.index.synonyms)."""

from __future__ import annotations

import pytest

from beleidzoek.index import synonyms
from beleidzoek.index.synonyms import expansions, find_matches, groups, parse


def test_avg_expands():
    alts = expansions(["AVG"])
    assert ["algemene", "verordening", "gegevensbescherming"] in alts
    assert ["gdpr"] in alts
    assert ["general", "data", "protection", "regulation"] in alts
    assert expansions(["avg"]) == alts


def test_multiword_member_expands_to_acronym():
    assert ["wbp"] in expansions(["Wet", "bescherming", "persoonsgegevens"])
    assert ["avg"] in expansions(["algemene", "verordening", "gegevensbescherming"])
    # stop words inside the member are not needed, inflection does not matter
    assert ["wob"] in expansions(["wet", "openbaarheid", "bestuur"])
    assert ["wob"] in expansions(["Wet", "openbaarheid", "van", "bestuur"])


@pytest.mark.parametrize("acronym,full", [
    ("BIO", ["baseline", "informatiebeveiliging", "overheid"]),
    ("Woo", ["wet", "open", "overheid"]),
    ("Wob", ["wet", "openbaarheid", "van", "bestuur"]),
    ("DPIA", ["gegevensbeschermingseffectbeoordeling"]),
    ("GIBIT", ["gemeentelijke", "inkoopvoorwaarden", "bij", "it"]),
    ("NCSC", ["nationaal", "cyber", "security", "centrum"]),
    ("Wpg", ["wet", "politiegegevens"]),
])
def test_acronyms(acronym, full):
    assert full in expansions([acronym])


def test_synonym_words():
    assert ["outsourcing"] in expansions(["uitbesteding"])
    # members with the same terms as the query are not offered again
    assert ["uitbesteden"] not in expansions(["uitbesteding"])


def test_case_sensitive_members():
    assert expansions(["AP"]) and ["autoriteit", "persoonsgegevens"] in expansions(["AP"])
    assert expansions(["ap"]) == []
    assert expansions(["big"]) == []
    assert ["baseline", "informatiebeveiliging", "gemeenten"] in expansions(["BIG"])
    assert ["ap"] in expansions(["Autoriteit", "Persoonsgegevens"])


def test_no_expansion_for_unknown_or_partial():
    assert expansions(["gemeente"]) == []
    assert expansions([]) == []
    assert expansions(["wet", "bescherming"]) == []


def test_find_matches_inside_a_query():
    words = "regels van de wet bescherming persoonsgegevens en de Woo".split()
    ms = find_matches(words)
    assert [(m.start, m.end, m.group.label) for m in ms] == [(3, 6, "Wbp"), (8, 9, "Woo")]
    assert ("wbp",) in ms[0].alternatives
    assert ("wet", "open", "overheid") in ms[1].alternatives


def test_find_matches_longest_first_and_whole_words():
    ms = find_matches(["uitvoeringswet", "avg"])
    assert [m.group.label for m in ms] == ["UAVG"]
    # a hyphenated query word matches only as a whole word
    ms = find_matches(["AI-verordening"])
    assert [m.group.label for m in ms] == ["AI-verordening"]
    assert find_matches(["privacy-by-design"])[0].group.label == "privacy by design"


def test_groups_are_well_formed():
    gs = groups()
    assert len(gs) >= 40
    table = synonyms._table(synonyms.DEFAULT_CONFIG)
    seen = {}
    for g in gs:
        assert len(g.members) >= 2
        for m in g.members:
            key = table.key(m.words)
            assert key, m
            owner = seen.setdefault((key, m.exact_case), g.label)
            assert owner == g.label, f"{m.text!r} is in {owner!r} and {g.label!r}"


def test_parse_format():
    parsed = parse(["# comment", "", 'AP = "AP" = Autoriteit Persoonsgegevens  # tail', "a = b"])
    assert parsed[0] == (("AP", False), ("AP", True), ("Autoriteit Persoonsgegevens", False))
    assert parsed[1] == (("a", False), ("b", False))
    with pytest.raises(ValueError):
        parse(["alleen"])
    with pytest.raises(ValueError):
        parse(["a = = b"])
