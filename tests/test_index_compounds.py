"""Tests for the compound splitter (beleidzoek.index.compounds)."""

from __future__ import annotations

import pytest

from beleidzoek.index import compounds
from beleidzoek.index.analysis import terms

# Real compounds from the corpus, with their expected parts (linking -s- and
# -e-/-en- removed).
COMPOUNDS = {
    "informatiebeveiliging": ["informatie", "beveiliging"],
    "verwerkersovereenkomst": ["verwerker", "overeenkomst"],
    "persoonsgegevens": ["persoon", "gegevens"],
    "bestuursorgaan": ["bestuur", "orgaan"],
    "rijksoverheid": ["rijk", "overheid"],
    "kamervragen": ["kamer", "vragen"],
    "privacywet": ["privacy", "wet"],
    "cloudleverancier": ["cloud", "leverancier"],
    "beveiligingsincident": ["beveiliging", "incident"],
    "politiegegevens": ["politie", "gegevens"],
    "archiefwet": ["archief", "wet"],
    "gemeentewet": ["gemeente", "wet"],
    "basisregistratie": ["basis", "registratie"],
    "overheidsorganisaties": ["overheid", "organisaties"],
    "toetsingskader": ["toetsing", "kader"],
    "werkgroep": ["werk", "groep"],
    "kennisplatform": ["kennis", "platform"],
    "jaarverslag": ["jaar", "verslag"],
    "informatiesystemen": ["informatie", "systemen"],
    "overheidsinformatie": ["overheid", "informatie"],
    "algoritmeregister": ["algoritme", "register"],
    "bewaartermijn": ["bewaar", "termijn"],
    "gebruiksverantwoordelijke": ["gebruik", "verantwoordelijke"],
    "zaaktype": ["zaak", "type"],
    "besluitvorming": ["besluit", "vorming"],
    "auteursrecht": ["auteur", "recht"],
    "ministerraad": ["minister", "raad"],
    "beveiligingsbeleid": ["beveiliging", "beleid"],
    "leveranciersmanagement": ["leverancier", "management"],
    "huurovereenkomst": ["huur", "overeenkomst"],
    "wachtwoordmanager": ["wachtwoord", "manager"],
    "softwareontwikkelaar": ["software", "ontwikkelaar"],
    "netwerkinfrastructuur": ["netwerk", "infrastructuur"],
    "internettoegang": ["internet", "toegang"],
    "belastingheffing": ["belasting", "heffing"],
    "functiescheiding": ["functie", "scheiding"],
    "encryptietechniek": ["encryptie", "techniek"],
    "servercertificaat": ["server", "certificaat"],
    "vergunningaanvraag": ["vergunning", "aanvraag"],
    "inkoopvoorwaarden": ["inkoop", "voorwaarden"],
    "clouddiensten": ["cloud", "diensten"],
    "ictvoorzieningen": ["ict", "voorzieningen"],
    # three and more parts
    "informatiebeveiligingsbeleid": ["informatie", "beveiliging", "beleid"],
    "gegevensbeschermingseffectbeoordeling": ["gegeven", "bescherming", "effect", "beoordeling"],
    "informatieobjecttype": ["informatie", "object", "type"],
}

# Words that are not compounds (or are lexicalised and frequent): never split.
NON_COMPOUNDS = [
    "overheid", "overheden", "beveiliging", "gemeente", "gemeenten", "gemeentelijke", "bestuur",
    "informatie", "organisatie", "ontwikkeling", "aanbesteding", "uitvoering", "verordening",
    "ministerie", "belangrijk", "verantwoordelijkheid", "bescherming", "overeenkomst", "gegevens",
    "continuiteit", "continuïteit", "standaarden", "diensten", "maatregel", "samenwerking", "wetgeving",
    "voorstel", "persoonlijk", "wetenschap", "landschap", "verwerker", "vastgesteld", "architectuur",
    "verwerking", "uitbesteding", "privacy", "minister", "staatssecretaris", "Groningen",
]


@pytest.mark.parametrize("word,parts", sorted(COMPOUNDS.items()))
def test_compounds_split(word, parts):
    assert compounds.split(word) == parts
    assert compounds.is_compound(word)


@pytest.mark.parametrize("word", NON_COMPOUNDS)
def test_non_compounds_stay_whole(word):
    assert not compounds.is_compound(word)
    assert compounds.split(word) == [compounds.stemming.fold_accents(word).lower()]
    assert compounds.constituents(word) == []


def test_gegevensbescherming_parts_match_gegevens_and_bescherming():
    # the splitter reads gegeven+s; the emitted part keeps the genitive form so
    # its term is the term of "gegevens"
    parts = {p for p, _, _ in compounds.constituents("gegevensbescherming")}
    assert "gegevens" in parts and "bescherming" in parts
    assert set(terms("gegevens bescherming")) <= set(terms("gegevensbescherming", analyzer="parts"))


def test_constituents_include_inner_words_with_offsets():
    word = "informatiebeveiligingsbeleid"
    cons = compounds.constituents(word)
    texts = [p for p, _, _ in cons]
    assert texts == ["informatiebeveiliging", "informatie", "beveiliging", "beleid"]
    for part, s, e in cons:
        assert word[s:e] == part


def test_case_and_accents_are_normalised():
    assert compounds.split("Informatiebeveiliging") == ["informatie", "beveiliging"]
    assert compounds.split("INFORMATIEBEVEILIGING") == ["informatie", "beveiliging"]


def test_short_and_odd_input():
    for w in ["", "a", "ict", "abc-def", "2017Z07436", "x" * 40, "ab" * 30]:
        compounds.split(w)
        compounds.constituents(w)
    assert compounds.split("ab" * 30) == ["ab" * 30]


def test_results_are_cached():
    compounds.clear_cache()
    compounds.split("verwerkersovereenkomst")
    assert "verwerkersovereenkomst" in compounds._cache
    assert compounds.split("verwerkersovereenkomst") == ["verwerker", "overeenkomst"]


def test_data_file_sections():
    data = compounds._data()
    assert {"nosplit", "nonparts", "shortparts"} <= set(data)
    assert "over" in data["nonparts"] and "heid" in data["nonparts"]
    assert "wet" in data["shortparts"]
    # stop words are never parts
    assert "van" in compounds.nonparts()


def test_nosplit_is_honoured(monkeypatch):
    monkeypatch.setattr(compounds, "_lists", dict(compounds._data(), nosplit=frozenset({"werkgroep"})))
    compounds.clear_cache()
    try:
        assert compounds.split("werkgroep") == ["werkgroep"]
    finally:
        monkeypatch.undo()
        compounds.clear_cache()
    assert compounds.split("werkgroep") == ["werk", "groep"]
