from beleidzoek.corpus.dates import parse_date


def test_dutch_dates():
    assert parse_date("2 juni 2017") == "2017-06-02"
    assert parse_date("22 juni 2017 (na 20 dagen)") == "2017-06-22"
    assert parse_date("31 December 2024") == "2024-12-31"
    assert parse_date("ingezonden 14 november 2024).") == "2024-11-14"


def test_non_breaking_spaces_and_abbreviated_months():
    assert parse_date("2\xa0juni 2017") == "2017-06-02"
    assert parse_date("2\xa0juni\xa02017") == "2017-06-02"
    assert parse_date("3 okt. 2023") == "2023-10-03"


def test_iso_dates():
    assert parse_date("2024-01-16") == "2024-01-16"
    assert parse_date("2024-01-16T10:00:00+01:00") == "2024-01-16"


def test_incomplete_or_impossible_dates_give_none():
    assert parse_date("1 januari") is None
    assert parse_date("31 februari 2017") is None
    assert parse_date("") is None
    assert parse_date(None) is None
    assert parse_date("geen datum") is None
    assert parse_date("2024-13-01") is None
