"""Did you mean: corrections from the index vocabulary; --fuzzy matching."""

import pytest

from beleidzoek.search.suggest import suggestion


@pytest.mark.parametrize("typed, meant", [
    ("informatiebeveliging", "informatiebeveiliging"),
    ("verwerkersovereenkomt", "verwerkersovereenkomst"),
    ("Informatiebeveliging gemeenten", "Informatiebeveiliging gemeenten"),  # case kept, known word kept
    ("privatisring ICT-voorzieningen", "privatisering ICT-voorzieningen"),
])
def test_a_query_with_an_unknown_word_gets_a_correction(finding_searcher, typed, meant):
    result = finding_searcher.search(typed)
    assert result.suggestion == meant
    assert result.to_json()["suggestion"] == meant
    assert finding_searcher.search(meant).suggestion is None  # the suggestion is all known words


def test_no_suggestion_when_enough_is_found(finding_searcher):
    result = finding_searcher.search("privatisering")
    assert result.total >= 3 and result.suggestion is None
    assert result.to_json()["suggestion"] is None


def test_only_free_words_are_corrected(finding_searcher):
    reader, analyzer = finding_searcher.whoosh_searcher.reader(), finding_searcher.analyzer
    assert suggestion(reader, analyzer, "kind:answer informatiebeveliging") == \
        "kind:answer informatiebeveiliging"
    assert suggestion(reader, analyzer, "party:Informatiebeveliging") is None  # a filter value
    assert suggestion(reader, analyzer, '"informatiebeveliging"') is None  # a phrase is meant as typed
    assert suggestion(reader, analyzer, "informatiebevel*") is None  # a wildcard
    assert suggestion(reader, analyzer, "xyzzyqwerty") is None  # nothing close


def test_rare_but_real_words_are_left_alone(finding_searcher):
    reader, analyzer = finding_searcher.whoosh_searcher.reader(), finding_searcher.analyzer
    [term] = [token.text for token in analyzer("aangeboren", mode="query")]
    assert reader.doc_frequency("text", term) == 1
    assert suggestion(reader, analyzer, "aangeboren") is None  # not "aangeboden"


def test_the_suggestion_is_spelled_as_in_the_passages(finding_searcher):
    reader, analyzer = finding_searcher.whoosh_searcher.reader(), finding_searcher.analyzer
    # The index holds the stem "privatiser"; of its forms the closest to the typo wins.
    assert suggestion(reader, analyzer, "privatisring") == "privatisering"
    assert suggestion(reader, analyzer, "privatiseern") == "privatiseren"
    assert suggestion(reader, analyzer, "Groningn") == "Groningen"


def test_fuzzy_forgives_typing_errors_in_long_words(finding_searcher):
    result = finding_searcher.search("informatiebeveliging", fuzzy=True)
    assert "[[informatiebeveiliging]]" in result.hits[0].snippet.lower()
    # A word of fewer than 6 letters is taken as typed.
    assert finding_searcher.search("belid", fuzzy=True).total == finding_searcher.search("belid").total


def test_fuzzy_ranks_the_exact_word_first(finding_searcher):
    exact = finding_searcher.search("privatisering", limit=5)
    fuzzy = finding_searcher.search("privatisering", limit=5, fuzzy=True)
    assert fuzzy.total >= exact.total
    assert fuzzy.hits[0].passage_id == exact.hits[0].passage_id


def test_a_pasted_question_with_stray_brackets_and_quotes_is_searched(finding_searcher):
    question = ("Vindt u het terecht dat er drie criteria gelden, namelijk: 1) er moet sprake zijn van "
                "een doel; 2) alternatieven ontbreken; en 3) het ingrijpen staat niet in de weg aan "
                "het bereiken van een goede staat van instandhouding of \"bescherming?")
    result = finding_searcher.search(question, kind="answer")
    assert result.hits and result.suggestion is None
