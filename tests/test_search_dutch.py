"""The Dutch analysis as a user meets it: real files indexed by ``index_paths``, searched by ``Searcher``.

Each passage below is one document of a JSON Lines file, titled neutrally so
that only its text decides what it matches.
"""

import json

import pytest

from beleidzoek.index.writer import index_paths
from beleidzoek.search.results import Searcher

PASSAGES = {
    "overheid": "De overheid moet haar eigen systemen goed beheren.",
    "over": "Wij spraken gisteren over de planning van het project.",
    "gemeente": "Elke gemeente stelt een plan op voor de komende jaren.",
    "gemeentelijk": "De gemeentelijke dienstverlening wordt beter ingericht.",
    "menen": "Wij menen dat het plan te laat komt.",
    "gemeen": "Dat was een gemeen trucje van de tegenpartij.",
    "beveiliging": "De beveiliging van het gebouw is op orde.",
    "informatiebeveiliging": "Informatiebeveiliging vraagt om beleid en toezicht.",
    "avg-literal": "De AVG geldt voor iedere verwerking van persoonsgegevens.",
    "avg-spelled": "De Algemene verordening gegevensbescherming geldt sinds 2018.",
    "phrase-exact": "Het rapport bespreekt de uitbesteding van ICT door provincies.",
    "phrase-loose": "Uitbesteding ICT blijft voor provincies lastig.",
    "accent": "De continuïteit van de dienstverlening staat voorop.",
}


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dutch")
    corpus = folder / "passages.jsonl"
    corpus.write_text("".join(json.dumps({"id": key, "kind": "guidance", "title": f"Notitie {n}", "text": text}) + "\n"
                              for n, (key, text) in enumerate(PASSAGES.items())), encoding="utf-8")
    report = index_paths(folder / "index", [corpus])
    assert report.documents == len(PASSAGES) and not report.skipped
    with Searcher(folder / "index") as session:
        yield session


def found(searcher, query: str, **options) -> list[str]:
    return [hit.doc_id for hit in searcher.search(query, limit=50, **options).hits]


def test_overheid_does_not_find_over(searcher):
    assert found(searcher, "overheid") == ["overheid"]
    assert "overheid" not in found(searcher, "over")


def test_gemeenten_finds_gemeente_and_gemeentelijke_but_not_menen(searcher):
    hits = set(found(searcher, "gemeenten"))
    assert {"gemeente", "gemeentelijk"} <= hits
    assert not hits & {"menen", "gemeen"}


def test_beveiliging_finds_informatiebeveiliging_below_the_exact_word(searcher):
    assert found(searcher, "beveiliging")[:2] == ["beveiliging", "informatiebeveiliging"]


def test_avg_finds_the_spelled_out_name_below_a_literal_avg(searcher):
    assert found(searcher, "AVG")[:2] == ["avg-literal", "avg-spelled"]
    assert "avg-spelled" not in found(searcher, "AVG", expand=False)


def test_phrase_with_a_stop_word_is_exact(searcher):
    assert found(searcher, '"uitbesteding van ict"') == ["phrase-exact"]
    assert found(searcher, '"uitbesteding ict"') == ["phrase-loose"]


def test_accents_fold(searcher):
    assert found(searcher, "continuiteit") == ["accent"]
    assert found(searcher, "continuïteit") == ["accent"]
