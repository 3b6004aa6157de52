import codecs

import pytest

from beleidzoek.corpus.text import NotText, decode, strip_footnote_marks


@pytest.mark.parametrize(
    "before, after",
    [
        ("ondanks bezwaren van experts?1", "ondanks bezwaren van experts?"),
        ("te maken heeft met datalekken?2", "te maken heeft met datalekken?"),
        ("restitutiepolis-sen voor ggz»2?", "restitutiepolis-sen voor ggz»?"),
        ("over worden geïnformeerd3 en", "over worden geïnformeerd en"),
        ("reeds geïnformeerd3. Om", "reeds geïnformeerd. Om"),
        ("zijn vastgesteld.9 Keuzes", "zijn vastgesteld. Keuzes"),
        ("(Kamerstuk 36 410, nr. 650).7 NZa", "(Kamerstuk 36 410, nr. 650). NZa"),
        ("Stedin 5, Enexis6 en Liander7 actuele data", "Stedin 5, Enexis en Liander actuele data"),
        ("maatregelen genomen3: –", "maatregelen genomen: –"),
    ],
)
def test_footnote_marks_are_removed(before, after):
    assert strip_footnote_marks(before) == after


@pytest.mark.parametrize(
    "text",
    [
        "In 2017 en 2018",
        "zoals bedoeld in artikel 4 van de Kaderwet",
        "circa 9.400 aanvragen",
        "Kamerstuk 26 643, nr. 1",
        "zaak 2017Z07436",
        "de G20 en de COP29",
        "volgens MIND3 en MH17",
        "«restitutiepolis verdwijnt 1»",
        "het is sinds1 januari 2023 verboden",
        "vorige week vrijdag18 oktober",
        "motie (Kamerstuk36 600 XII, nr. 42)",
        "van woensdag 6 maart tot en met 3 april34 meldingen",
        "versie 1.5 en 2.0.1",
        "1,5 miljard",
        "zie nr.6; en blz. 12",
    ],
)
def test_real_numbers_are_kept(text):
    assert strip_footnote_marks(text) == text


def test_decode_utf8_with_bom_and_crlf():
    text, notices = decode(codecs.BOM_UTF8 + "één\r\ntwee\rdrie\n".encode())
    assert text == "één\ntwee\ndrie\n"
    assert notices == []


def test_decode_utf16_with_bom():
    text, notices = decode("Vraag één\r\n".encode("utf-16"))
    assert text == "Vraag één\n"
    assert notices == []


def test_decode_cp1252_with_notice():
    text, notices = decode("privacy – ‘geïnformeerd’ € 5".encode("cp1252"))
    assert text == "privacy – ‘geïnformeerd’ € 5"
    assert notices == ["not UTF-8, read as cp1252"]


def test_decode_removes_a_few_stray_nuls():
    text, notices = decode(b"een tekst met\x00 een NUL" + b" en meer tekst" * 20)
    assert "\x00" not in text
    assert notices == ["stray NUL bytes removed"]


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b" \n\t\r\n ", "empty file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary file"),
    ],
)
def test_decode_refuses_non_text(data, reason):
    with pytest.raises(NotText, match=reason):
        decode(data)
