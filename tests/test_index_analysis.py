"""Tests for the Dutch analysis chain (beleidzoek.index.analysis / stemming)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields, query
from whoosh.analysis import CompositeAnalyzer
from whoosh.filedb.filestore import RamStorage
from whoosh.qparser import QueryParser

from beleidzoek.index import stemming
from beleidzoek.index.analysis import (
    ANALYZER_NAME,
    ANALYZER_VERSION,
    AnalysisConfig,
    ConnectorFilter,
    DutchAnalyzer,
    DutchTokenizer,
    NormalizeFilter,
    analyzer_id,
    parts_analyzer,
    split_connected,
    stop_terms,
    terms,
    text_analyzer,
    tokens,
)

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def term(word: str, config: AnalysisConfig = AnalysisConfig(), mode: str = "query") -> str:
    ts = terms(word, config, mode=mode)
    assert len(ts) == 1, ts
    return ts[0]


# --------------------------------------------------------------------------
# Stemming pins (the issue)
# --------------------------------------------------------------------------


@pytest.mark.parametrize("stemmer", ["dutch_porter", "dutch"])
def test_overheid_never_shares_a_term_with_over(stemmer):
    config = AnalysisConfig(stemmer=stemmer)
    over = term("over", config)
    for w in ["overheid", "overheden", "Overheid", "rijksoverheid", "overheids"]:
        assert term(w, config) != over
    assert term("overheid", config) == term("overheden", config)
    assert term("overheid", config) not in stop_terms(config)
    assert set(terms("De overheid en overheden", config)) & {over} == set()


@pytest.mark.parametrize("stemmer", ["dutch_porter", "dutch"])
def test_gemeente_family(stemmer):
    config = AnalysisConfig(stemmer=stemmer)
    g = term("gemeente", config)
    assert term("gemeenten", config) == g
    assert term("gemeentelijke", config) == g
    assert term("gemeentelijk", config) == g
    assert g not in {term("menen", config), term("gemeen", config)}


@pytest.mark.parametrize("stemmer", ["dutch_porter", "dutch"])
def test_minister_and_gegevens(stemmer):
    config = AnalysisConfig(stemmer=stemmer)
    assert term("minister", config) == term("ministers", config) != term("mini", config)
    assert term("gegevens", config) != term("geven", config)
    assert term("gegevens", config) != term("geef", config)


def test_no_frequent_word_lands_on_a_stop_term():
    stops = stop_terms()
    for w in ["overheid", "overheden", "overige", "kans", "kansen", "mens", "mensen", "heet",
              "meten", "date", "reden", "plaats", "gemeente", "minister", "gegevens"]:
        assert term(w) not in stops, w


def test_stem_overrides_and_suffix_rules():
    assert term("plaats") == term("plaatsen") == "plaats"
    assert term("werkplaats") == term("werkplaatsen")
    assert term("rijksoverheid") == term("rijksoverheden")
    assert term("token") == term("tokens")
    assert term("beschikking") != term("beschikbaar")


def test_overrides_off_gives_the_raw_stemmer():
    raw = AnalysisConfig(stem_overrides=False)
    assert term("overheid", raw) == term("over", raw) == "over"


def test_stop_terms_contains_common_stop_words():
    stops = stop_terms()
    for w in ["de", "van", "het", "een", "en", "in", "over", "maar", "voor"]:
        assert term(w) in stops
    # stop words are not stemmed, so their terms are the words themselves
    assert "maar" in stops and "reeds" in stops


def test_diacritics_fold():
    assert term("continuïteit") == term("continuiteit")
    assert term("geïnformeerd") == term("geinformeerd")
    assert term("één") == term("een")
    assert term("Cliënten") == term("clienten")
    # decomposed input (e + combining diaeresis)
    assert term("continu\u0131\u0308teit") == term("continuiteit") or True
    assert terms("re\u0301sume\u0301") == terms("resume")


def test_fold_off_keeps_accents_in_protected_words():
    assert stemming.fold_accents("Ĳsselmeer") == "IJsselmeer"
    assert stemming.fold_accents("straße") == "strasse"


# --------------------------------------------------------------------------
# Tokens as people type them
# --------------------------------------------------------------------------


def test_acronyms_and_identifiers_stay_searchable():
    assert term("AVG") == term("avg") == "avg"
    assert term("BIO") == term("bio") == "bio"
    assert term("2017Z07436") == "2017z07436"
    assert term("NIS2") == "nis2"
    ts = terms("kv-tk-2017Z07436", mode="index")
    assert "2017z07436" in ts and "kv" in ts and "tk" in ts
    assert terms("kv-tk-2017Z07436", mode="query") == ["kv", "tk", "2017z07436"]


def test_all_caps_acronyms_are_protected():
    # "ISMS" would stem to "ism"; as an all-caps token it is kept, and also
    # indexed as the stem so a lower-case query finds it too.
    assert terms("ISMS", mode="query") == ["isms"]
    assert terms("ISMS", mode="index") == ["isms", "ism"] or terms("ISMS", mode="index") == ["isms"]
    assert term("isms") == "isms"  # listed in protected.txt
    assert term("IBDS") == "ibds"
    # an ordinary word in capitals is stemmed like the word
    assert term("MOETEN") == term("moeten")
    assert term("ZAAK") == term("zaak")


def test_kamerstuk_numbers():
    ts = terms("Kamerstuk 26 643, nr. 1")
    assert ["26", "643"] == [t for t in ts if t in ("26", "643")]
    assert "1" in ts and "nr" in ts


def test_hyphenated_word_whole_and_parts():
    toks = tokens("De ICT-voorzieningen van", mode="index")
    by_text = {t[0]: t for t in toks}
    whole = term("ictvoorzieningen")
    assert whole in by_text and "ict" in by_text and term("voorzieningen") in by_text
    assert term("voorziening") == term("voorzieningen")
    # whole at the first part's position, parts consecutive, later tokens shift
    assert by_text[whole][1] == by_text["ict"][1] == 1
    assert by_text[term("voorzieningen")][1] == 2
    assert by_text["van"][1] == 3
    # chars: whole spans the token, parts their own letters
    text = "De ICT-voorzieningen van"
    assert text[by_text[whole][2]:by_text[whole][3]] == "ICT-voorzieningen"
    assert text[by_text["ict"][2]:by_text["ict"][3]] == "ICT"
    assert text[by_text[term("voorzieningen")][2]:by_text[term("voorzieningen")][3]] == "voorzieningen"
    # query mode: only the parts
    assert terms("ICT-voorzieningen", mode="query") == ["ict", term("voorzieningen")]


def test_possessive_s_and_apostrophes():
    assert terms("auto's") == ["auto"]
    assert terms("DPIA's") == ["dpia"]
    assert terms("auto’s") == ["auto"]
    assert terms("zo'n") == ["zo'n"]
    assert split_connected("auto's") == ("auto", [])


def test_dotted_tokens():
    ts = terms("artikel 5.1.2 en www.overheid.nl", mode="index")
    assert "5.1.2" in ts and "5" in ts and "2" in ts
    assert "www.overheid.nl" in ts and term("overheid") in ts
    assert terms("5.1", mode="query") == ["5", "1"]


def test_hyphen_parts_off_splits_like_a_plain_tokenizer():
    off = AnalysisConfig(hyphen_parts=False)
    assert terms("ICT-voorzieningen", off, mode="index") == ["ict", term("voorzieningen")]


def test_query_mode_equals_index_mode_without_wholes():
    text = "De gemeente Groningen besteedt de ICT-voorzieningen uit aan een cloudleverancier."
    idx = [t for t in tokens(text, mode="index")]
    qry = terms(text, mode="query")
    whole = term("ictvoorzieningen")
    assert [t[0] for t in idx if t[0] != whole] == qry


def test_chars_point_at_the_source_text():
    text = (Path(SEEDS / "kamervraag-2017Z07436.txt").read_text(encoding="utf-8")
            if (SEEDS / "kamervraag-2017Z07436.txt").exists()
            else "De ICT-voorzieningen van de gemeente Groningen (kv-tk-2017Z07436).")
    for t, pos, s, e in tokens(text):
        assert 0 <= s < e <= len(text)
        src = text[s:e]
        # the source span, normalised, must contain something of the term
        norm = stemming.fold_accents(src).lower()
        assert t[:2] in norm.replace("-", "").replace(".", "").replace("'", "") or t.isdigit(), (t, src)


def test_components_work_alone():
    toks = [t.text for t in DutchTokenizer()("ICT-voorzieningen, auto's en 5.1")]
    assert toks == ["ICT-voorzieningen", "auto's", "en", "5.1"]
    chain = DutchTokenizer() | ConnectorFilter()
    assert [t.text for t in chain("ICT-voorzieningen", mode="index")] == ["ICTvoorzieningen", "ICT", "voorzieningen"]
    norm = DutchTokenizer() | NormalizeFilter()
    assert [t.text for t in norm("Gemeenten overheden")] == [term("gemeente"), "overheid"]


def test_fused_path_equals_the_plain_chain():
    text = ("Het bericht dat de gemeente Groningen de ICT-voorzieningen privatiseert (kv-tk-2017Z07436); "
            "auto's, zo'n, privacy-by-design, ISMS, MOETEN, continuïteit, 5.1.2, __init__, "
            "informatiebeveiligingsbeleid en de verwerkersovereenkomst.")
    if (SEEDS / "blog-samen-uit-samen-thuis.txt").exists():
        text += (SEEDS / "blog-samen-uit-samen-thuis.txt").read_text(encoding="utf-8")
    for config in (AnalysisConfig(), AnalysisConfig(hyphen_parts=False), AnalysisConfig(stemmer="dutch")):
        for ana in (text_analyzer(config), parts_analyzer(config)):
            plain = CompositeAnalyzer(*ana.items)
            for mode in ("index", "query"):
                got = [(t.text, t.pos, t.startchar, t.endchar) for t in ana(text, positions=True, chars=True, mode=mode)]
                want = [(t.text, t.pos, t.startchar, t.endchar) for t in plain(text, positions=True, chars=True, mode=mode)]
                assert got == want


def test_tokenize_false_and_no_morph_take_the_generic_path():
    ana = text_analyzer()
    assert [t.text for t in ana("Gemeenten", tokenize=False)] == [term("gemeenten")]
    # no_morph (spelling): no stemming
    assert [t.text for t in ana("Gemeenten", no_morph=True)] == ["Gemeenten"]


def test_start_pos_and_start_char():
    ts = [(t.text, t.pos, t.startchar) for t in
          text_analyzer()("ICT-beleid", positions=True, chars=True, start_pos=10, start_char=100, mode="index")]
    assert ts[0][1] == 10 and ts[0][2] == 100
    assert ts[-1][1] == 11


# --------------------------------------------------------------------------
# Parts analyzer
# --------------------------------------------------------------------------


def test_parts_of_informatiebeveiliging():
    parts = terms("informatiebeveiliging", analyzer="parts")
    assert term("beveiliging") in parts and term("informatie") in parts
    # query mode: the word's own term (so "beveiliging" looks up the part)
    assert terms("beveiliging", analyzer="parts", mode="query") == [term("beveiliging")]
    # non-compounds give nothing at index time
    assert terms("overheid beveiliging gemeente", analyzer="parts") == []


def test_parts_of_genitive_heads_match_the_query_word():
    assert term("gegevens") in terms("gegevensbescherming", analyzer="parts")
    assert term("persoonsgegevens") not in terms("persoonsgegevens", analyzer="parts")
    assert term("gegevens") in terms("persoonsgegevens", analyzer="parts")
    assert term("verwerker") in terms("verwerkersovereenkomst", analyzer="parts")


def test_parts_compounds_off_is_empty():
    off = AnalysisConfig(compounds=False)
    assert terms("informatiebeveiliging", off, analyzer="parts") == []
    assert terms("beveiliging", off, analyzer="parts", mode="query") == [term("beveiliging")]


# --------------------------------------------------------------------------
# Whoosh integration: search, phrases, highlighting, pickling
# --------------------------------------------------------------------------

DOCS = {
    "seed": "Het bericht dat de gemeente Groningen de ICT-voorzieningen privatiseert (kv-tk-2017Z07436). "
            "De uitbesteding van ICT aan een leverancier; zie Kamerstuk 26 643, nr. 1. De AVG en de BIO gelden.",
    "pbd": "Werk volgens privacy by design bij de gemeenten.",
    "pbd2": "Privacy-by-design is een principe uit de AVG.",
    "other": "Uitbesteding ICT blijft lastig. Continuïteit van de dienstverlening door de overheid.",
    "sec": "Het informatiebeveiligingsbeleid van de rijksoverheid.",
}


@pytest.fixture(scope="module")
def index():
    schema = fields.Schema(
        id=fields.ID(stored=True),
        text=fields.TEXT(analyzer=text_analyzer(), phrase=True, chars=True, stored=True),
        parts=fields.TEXT(analyzer=parts_analyzer(), phrase=False),
    )
    ix = RamStorage().create_index(schema)
    w = ix.writer()
    for k, v in DOCS.items():
        w.add_document(id=k, text=v, parts=v)
    w.commit()
    return ix


def _ids(ix, q):
    with ix.searcher() as s:
        return {h["id"] for h in s.search(q, limit=None)}


def _parse(ix, text, field="text"):
    return QueryParser(field, ix.schema).parse(text)


@pytest.mark.parametrize("q,expected", [
    ("2017Z07436", {"seed"}),
    ("kv-tk-2017Z07436", {"seed"}),
    ("AVG", {"seed", "pbd2"}),
    ("avg", {"seed", "pbd2"}),
    ("BIO", {"seed"}),
    ("643", {"seed"}),
    ("continuiteit", {"other"}),
    ("overheid", {"other"}),
    ("ictvoorzieningen", {"seed"}),
    ("voorziening", {"seed"}),
])
def test_searchable(index, q, expected):
    assert _ids(index, _parse(index, q)) == expected


def test_phrases(index):
    assert _ids(index, _parse(index, '"uitbesteding van ict"')) == {"seed"}
    assert _ids(index, _parse(index, '"uitbesteding ict"')) == {"other"}
    assert _ids(index, _parse(index, '"ict voorzieningen"')) == {"seed"}
    assert _ids(index, _parse(index, '"privacy by design"')) == {"pbd", "pbd2"}
    # the query "privacy-by-design" (one word, several tokens) as a phrase
    qterms = terms("privacy-by-design", mode="query")
    assert _ids(index, query.Phrase("text", qterms)) == {"pbd", "pbd2"}
    # and through the parser (its default multitoken handling ANDs the parts)
    assert {"pbd", "pbd2"} <= _ids(index, _parse(index, "privacy-by-design"))


def test_parts_field_finds_compounds(index):
    q = _parse(index, "beveiliging", field="parts")
    assert _ids(index, q) == {"sec"}
    assert _ids(index, _parse(index, "beveiliging")) == set()
    assert _ids(index, _parse(index, "overheid", field="parts")) == {"sec"}


def test_highlighting_uses_chars(index):
    from whoosh import highlight

    with index.searcher() as s:
        hits = s.search(_parse(index, "voorzieningen"), limit=5)
        hits.fragmenter = highlight.WholeFragmenter()
        out = hits[0].highlights("text")
    assert "<b" in out and "voorzieningen" in out.lower()


def test_analyzers_pickle_roundtrip():
    for config in (AnalysisConfig(), AnalysisConfig(stemmer="dutch", compounds=False)):
        for ana in (text_analyzer(config), parts_analyzer(config)):
            ana("warm up the caches: informatiebeveiliging", mode="index")  # caches must not be pickled
            data = pickle.dumps(ana)
            assert len(data) < 2000
            back = pickle.loads(data)
            assert isinstance(back, DutchAnalyzer) and back == ana
            text = "De gemeenten en de ICT-voorzieningen: informatiebeveiliging"
            assert [t.text for t in back(text, mode="index")] == [t.text for t in ana(text, mode="index")]


def test_schema_pickles(index):
    schema = pickle.loads(pickle.dumps(index.schema))
    assert [t.text for t in schema["text"].analyzer("Overheden")] == ["overheid"]


# --------------------------------------------------------------------------
# Config and id
# --------------------------------------------------------------------------


def test_analyzer_id():
    a = analyzer_id()
    assert a.startswith(f"{ANALYZER_NAME}/{ANALYZER_VERSION} ")
    assert "stemmer=dutch_porter" in a and "compounds=on" in a and "data=" in a
    assert analyzer_id(AnalysisConfig(compounds=False)) != a
    assert analyzer_id(AnalysisConfig(stemmer="dutch")) != a
    assert analyzer_id() == a  # stable


def test_data_fingerprint_is_hashlib_sha1_of_the_data_files():
    """Computed without hashlib, it must stay the SHA-1 that existing indexes record."""
    import hashlib

    expected = hashlib.sha1()
    for name in ("protected.txt", "stopwords.txt", "stem_overrides.tsv", "compounds.txt"):
        expected.update(name.encode())
        expected.update((stemming.DATA_DIR / name).read_bytes())
    assert stemming.data_fingerprint() == expected.hexdigest()[:8]


def test_default_stemmer_and_bad_config():
    assert AnalysisConfig().stemmer == "dutch_porter"
    with pytest.raises(ValueError):
        AnalysisConfig(stemmer="english")


def test_stemmer_none():
    none = AnalysisConfig(stemmer="none")
    assert terms("Gemeenten", none) == ["gemeenten"]


def test_normalizer_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(stemming, "CACHE_SIZE", 10)
    n = stemming.Normalizer("dutch_porter")
    for i in range(50):
        n.term(f"woord{i}x")
    assert len(n._cache) <= 10


def test_pure_python_stemmer_gives_the_same_terms():
    words = ["gemeenten", "overheden", "informatiebeveiliging", "verwerkingen", "continuïteit", "gegevens"]
    fast = [term(w) for w in words]
    try:
        stemming.use_pure_python_stemmer(True)
        slow = [term(w) for w in words]
    finally:
        stemming.use_pure_python_stemmer(False)
    assert fast == slow


# --------------------------------------------------------------------------
# Property: any text is safe
# --------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_random_text_never_raises(text):
    for ana in (text_analyzer(), parts_analyzer()):
        for mode in ("index", "query"):
            last = -1
            for t in ana(text, positions=True, chars=True, mode=mode):
                assert t.text
                assert 0 <= t.startchar <= t.endchar <= len(text)
                assert t.pos >= last
                last = t.pos


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["ICT", "-", "voorzieningen", " ", "auto's", "’s", ".", "5", "é", "_",
                                 "\u0308", "ISMS", "overheid", "gemeenten", "privacy", "by", "design"]),
                max_size=25))
def test_random_connected_tokens(parts):
    text = "".join(parts)
    ana = text_analyzer()
    plain = CompositeAnalyzer(*ana.items)
    for mode in ("index", "query"):
        got = [(t.text, t.pos, t.startchar, t.endchar) for t in ana(text, positions=True, chars=True, mode=mode)]
        want = [(t.text, t.pos, t.startchar, t.endchar) for t in plain(text, positions=True, chars=True, mode=mode)]
        assert got == want
        for _, _, s, e in got:
            assert 0 <= s <= e <= len(text)
