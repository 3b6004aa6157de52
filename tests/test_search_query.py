"""Query parsing: the language, the repairs, and every broken query giving a QueryError."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.query import Phrase, Query

from beleidzoek.index.errors import BeleidzoekError
from beleidzoek.search.matching import BoundedWildcard, CoordinatedOr, PassagesOnly
from beleidzoek.search.query import (
    MAX_QUERY_CHARS,
    QueryError,
    build_query,
    date_range,
    filter_query,
    parse_date,
    parse_kinds,
    parse_query,
)


from beleidzoek.search.ranking import RankedUnits


def leaves(query):
    """All leaf queries of a Whoosh query tree."""
    if query.is_leaf():
        yield query
        return
    for child in query.children():
        yield from leaves(child)


def fields_terms(query):
    """The (field, term) pairs the leaves match, whatever query classes rank them."""
    return {pair for q in leaves(query) if hasattr(q, "text") for pair in q.terms()}


def restricted_to_passages(query) -> bool:
    """Wrapped in PassagesOnly, or record:passage minus something (NOT-only)."""
    if type(query).__name__ == "AndNot":
        query = query.a
        return isinstance(query, PassagesOnly) or fields_terms(query) == {("record", "passage")}
    return isinstance(query, PassagesOnly)


# --------------------------------------------------------------------------
# Broken queries
# --------------------------------------------------------------------------

BROKEN = {
    '"unclosed': "unclosed quote in query",
    'privacy "open phrase': "unclosed quote in query",
    "AND OR NOT": "query has no search terms",
    "(a OR": "unclosed parenthesis in query",
    "(privacy": "unclosed parenthesis in query",
    "privacy)": "unmatched ')' in query",
    "title:": "'title:' has no value",
    "kind: answer": "'kind:' has no value",
    "*": "wildcard '*' needs at least 2 letters",
    "p*": "wildcard 'p*' needs at least 2 letters",
    "*beleid": "needs at least 2 letters",
    "privacy AND": "'AND' needs a search term on both sides",
    "OR privacy": "'OR' needs a search term on both sides",
    "privacy NOT": "'NOT' needs a search term after it",
    "()": "query has no search terms",
    "(AND)": "query has no search terms",
    "privacy ()": "empty parentheses in query",
    "": "empty query",
    "   ": "empty query",
    "\x00\x01\x02": "empty query",
    "???": "query has no search terms",
    "onbekend:waarde": "unknown field 'onbekend:'",
    "kind:memo": "unknown kind 'memo'",
    "doc_kind:memo": "unknown doc_kind 'memo'",
    "year:twintig": "bad year 'twintig'",
    "year:2020..2010": "start is after end",
    "date:2017-13": "bad date '2017-13'",
    "date:2017-02-30": "no such date",
    "date:gisteren": "bad date 'gisteren'",
    "x" * 10_000: "query is too long",
    "(" * 50 + "privacy" + ")" * 50: "nested too deeply",
    "NOT " * 40 + "privacy": "nested too deeply",
    " OR ".join(f"woord{i}" for i in range(100)): "too many terms joined by AND/OR",
}


@pytest.mark.parametrize("text,message", list(BROKEN.items()), ids=[k[:30] or "empty" for k in BROKEN])
def test_broken_queries_raise_query_error_with_a_clear_message(text, message):
    with pytest.raises(QueryError) as caught:
        build_query(text)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_query_error_is_a_beleidzoek_error_with_exit_code_2():
    assert issubclass(QueryError, BeleidzoekError)
    assert QueryError("x").exit_code == 2


def test_control_characters_are_spaces_and_format_characters_vanish():
    plain = parse_query("privacy gemeenten")
    assert parse_query("privacy\x00\tgemeenten\x1f").terms == plain.terms
    assert parse_query("pri\u00advacy gemeen\u200bten").terms == plain.terms


def test_long_run_of_plain_words_is_repaired_not_refused():
    words = " ".join(f"woord{i}" for i in range(300))
    assert len(words) < MAX_QUERY_CHARS
    assert isinstance(build_query(words), Query)


def test_long_question_is_accepted():
    question = ("Bent u op de hoogte van het feit dat de gemeente Groningen voornemens is om alle "
                "generieke ICT-voorzieningen te privatiseren, ondanks bezwaren van experts? ") * 10
    assert len(question) < MAX_QUERY_CHARS
    parsed = parse_query(question)
    assert "groning" in parsed.terms
    assert "de" not in parsed.terms and "van" not in parsed.terms


# --------------------------------------------------------------------------
# The language
# --------------------------------------------------------------------------


def test_several_words_are_a_coordinated_soft_or():
    query = build_query("privatiseren gemeenten datalekken")
    assert any(isinstance(q, (CoordinatedOr, RankedUnits)) for q in _walk(query))
    assert restricted_to_passages(query)


def _walk(query):
    yield query
    if not query.is_leaf():
        for child in query.children():
            yield from _walk(child)


def test_words_search_title_text_and_parts():
    terms = fields_terms(build_query("privacy"))
    assert {("title", "privacy"), ("text", "privacy"), ("parts", "privacy")} <= terms


def test_stop_words_are_dropped_from_keywords_but_kept_in_phrases():
    parsed = parse_query("de privacy van burgers")
    assert "de" in parsed.dropped and "van" in parsed.dropped
    assert not {t for f, t in fields_terms(parsed.query) if f == "text"} & {"de", "van"}
    phrase = parse_query('"op de hoogte"')
    phrases = [q for q in _walk(phrase.query) if isinstance(q, Phrase)]
    assert phrases and all(q.words[:2] == ["op", "de"] for q in phrases)


def test_a_query_of_only_stop_words_is_searched_literally_as_a_phrase():
    parsed = parse_query("van de")
    assert parsed.notes and "literally" in parsed.notes[0]
    assert any(isinstance(q, Phrase) and q.words == ["van", "de"] for q in _walk(parsed.query))


def test_phrase_keeps_order_and_slop():
    query = build_query('"Baseline Informatiebeveiliging Overheid"~2')
    phrases = [q for q in _walk(query) if isinstance(q, Phrase)]
    assert {q.fieldname for q in phrases} == {"title", "text"}
    assert all(len(q.words) == 3 and q.slop == 3 for q in phrases)


def test_hyphenated_word_is_a_phrase_of_its_parts():
    parsed = parse_query("ICT-voorzieningen")
    assert ("ict", "voorzien") in parsed.phrases or any(p[0] == "ict" for p in parsed.phrases)


def test_not_only_query_is_restricted_to_passages():
    query = build_query("NOT privacy")
    assert restricted_to_passages(query)
    assert type(query).__name__ == "AndNot"


def test_field_only_query_is_restricted_to_passages():
    for text in ("kind:answer", "year:2017", "party:SP", "doc_id:2017Z07436"):
        assert restricted_to_passages(build_query(text)), text


def test_filter_fields_restrict_and_same_field_values_are_alternatives():
    text = repr(build_query("privacy kind:question kind:answer year:2024"))
    assert "ConstantScore" in text and "Term('kind', 'question')" in text and "Term('kind', 'answer')" in text
    assert "NumericRange('year', 2024, 2024" in text


def test_kamervraag_kind_means_question_and_answer():
    assert parse_kinds("kamervraag") == ("question", "answer")
    assert parse_kinds(["blog,law", "answer"]) == ("blog", "law", "answer")
    with pytest.raises(QueryError, match="unknown kind"):
        parse_kinds("memo")


def test_and_or_not_parentheses_and_signs():
    assert "And([" in repr(build_query("privacy AND cloud"))
    assert "Or([" in repr(build_query("privacy OR cloud"))
    assert repr(build_query("privacy NOT cloud")).startswith("AndNot(")
    assert repr(build_query("privacy -cloud")).startswith("AndNot(")
    assert "AndMaybe(" in repr(build_query("+privacy cloud"))
    assert "Or([" in repr(build_query("(privacy OR cloud) gemeente"))
    # lower-case operators are ordinary words
    assert "AndNot" not in repr(build_query("privacy not cloud"))


def test_fielded_text_searches_only_that_field():
    terms = fields_terms(build_query("title:groningen"))
    assert ("title", "groning") in terms and not any(f == "text" for f, _ in terms)


def test_wildcards_are_bounded():
    query = build_query("informatiebevei*")
    wildcards = [q for q in _walk(query) if isinstance(q, BoundedWildcard)]
    assert wildcards and all(q.max_expansions <= 100 for q in wildcards)
    # a trailing or leading "?" is punctuation, not a wildcard
    assert not [q for q in _walk(build_query("wat is de BIO?")) if isinstance(q, BoundedWildcard)]


def test_urls_and_colons_in_text_are_words():
    assert build_query("https://www.overheid.nl") is not None
    assert build_query("let op: privacy") is not None


def test_expansion_hook_can_be_switched_off(monkeypatch):
    from beleidzoek.search import expansion

    def spans(words, config=None):
        return [(i, i + 1, ["GDPR"]) for i, word in enumerate(words) if word.lower() == "avg"]

    monkeypatch.setattr(expansion, "expansion_spans", spans)
    expanded = parse_query("AVG")
    assert ("AVG", "GDPR") in expanded.expansions and "gdpr" in expanded.terms
    literal = parse_query("AVG", expand=False)
    assert not literal.expansions and "gdpr" not in literal.terms


# --------------------------------------------------------------------------
# Dates and filters
# --------------------------------------------------------------------------


def test_dates():
    assert parse_date("2017") == "2017-01-01"
    assert parse_date("2017", end=True) == "2017-12-31"
    assert parse_date("2016-02", end=True) == "2016-02-29"
    assert parse_date("2017-6-2") == "2017-06-02"
    with pytest.raises(QueryError, match="bad --since date"):
        date_range("juni", None)
    with pytest.raises(QueryError, match="is after"):
        date_range("2020", "2019")


def test_filter_query():
    assert filter_query() is None
    text = repr(filter_query(kind="kamervraag", since="2017", until="2017-06"))
    assert "Term('kind', 'question')" in text and "NumericRange('day', 20170101, 20170630" in text


# --------------------------------------------------------------------------
# Property: never anything but a Query or a QueryError
# --------------------------------------------------------------------------

_ALPHABET = st.sampled_from(list('abcdeXYZ "()*?:+-~ \t\x00é') + ["AND", "OR", "NOT", "kind:", "title:",
                                                                  "year:", "de ", "van "])


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(_ALPHABET, max_size=25).map("".join)))
def test_random_text_gives_a_query_or_a_query_error(text):
    try:
        query = build_query(text)
    except QueryError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert isinstance(query, Query)
        assert restricted_to_passages(query)
