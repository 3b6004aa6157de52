"""Random input never crashes a reader, and splitting never loses a word."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beleidzoek.corpus.dates import parse_date
from beleidzoek.corpus.jsonl import iter_jsonl
from beleidzoek.corpus.kamervraag import parse_kamervraag
from beleidzoek.corpus.markdown import parse_markdown
from beleidzoek.corpus.model import Document, Skipped
from beleidzoek.corpus.passages import MAX_WORDS, MIN_WORDS, split_passages
from beleidzoek.corpus.plaintext import parse_plaintext
from beleidzoek.corpus.text import NotText, decode, strip_footnote_marks
from beleidzoek.corpus.walk import read_file

# Text built from the pieces the readers look for, so the parsers' branches get exercised.
PIECES = st.sampled_from(
    [
        "Kamervraag 2024Z00001", "Kamervraag", " • Vraag 1", " • Vraag 2 en 3", "  Klopt het?1", "  Ja.",
        "Ingediend 2 juni 2017", "Beantwoord 22 juni 2017 (na 20 dagen)", "Indieners A (P), B (Q)",
        "Beantwoord door X (minister Y, Z)", "Volledige titel: V", "Kamervraag document nummer: kv",
        "---", "title: T", "# Kop", "## Sub", "```", "| a | b |", "|---|---|", "- item", "[t](u)", "![a](b)",
        "<b>", "Plaats een reactie", "Registreren", "Blog", "nr. 4.", "o.a.", "9.400", "", " ", "\n", "\t",
        "Een zin. Nog een zin!", "woord", "«citaat»2", "(", ")", "***", "===",
    ]
)
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=40)), max_size=40).map("\n".join)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
QA_ENTRIES = st.fixed_dictionaries({}, optional=dict.fromkeys(["n", "question", "answer"], JSON_VALUES))
RECORDS = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.text(max_size=10), st.integers(), st.none()),
        "kind": st.sampled_from(["kamervraag", "guidance", "blog", "law", "news", "tweet", ""]),
        "text": st.one_of(TEXT, st.none(), st.integers()),
        "title": JSON_VALUES,
        "date": st.one_of(st.text(max_size=20), st.none()),
        "qa": JSON_VALUES | st.lists(QA_ENTRIES),
        "submitters": JSON_VALUES,
        "question": JSON_VALUES,
        "answer": JSON_VALUES,
    },
)


@given(TEXT)
def test_text_readers_never_crash(text):
    for document in (
        parse_kamervraag(text, "stem"),
        parse_plaintext(text, "stem", "blog"),
        parse_markdown(text, "stem", "news"),
    ):
        assert isinstance(document, Document)
        assert all(p.text.strip() for p in document.passages)
        assert [p.position for p in document.passages] == list(range(len(document.passages)))


@given(st.text(max_size=60))
def test_dates_never_crash(text):
    result = parse_date(text)
    assert result is None or len(result) == 10


@given(st.integers(0, 40), st.sampled_from(["januari", "februari", "juni", "sept", "dec"]), st.integers(0, 3000))
def test_dutch_dates_round_trip_or_none(day, month, year):
    result = parse_date(f"{day} {month} {year}")
    assert result is None or result.endswith(f"-{day:02d}")


@given(st.text(max_size=200))
def test_footnote_stripping_only_removes_digits(text):
    stripped = strip_footnote_marks(text)
    assert [c for c in text if not c.isdigit()] == [c for c in stripped if not c.isdigit()]


@given(st.binary(max_size=400))
def test_decode_never_crashes(data):
    try:
        text, notices = decode(data)
    except NotText as error:
        assert str(error) in ("binary file", "empty file")
    else:
        assert text.strip() and "\r" not in text and isinstance(notices, list)


@given(TEXT, st.integers(1, 30), st.integers(0, 100))
def test_passages_keep_every_word(text, min_words, extra):
    max_words = 2 * min_words + extra
    passages = split_passages(text, min_words, max_words)
    assert [w for p in passages for w in p.split()] == text.split()
    if len(text.split()) >= min_words:
        assert all(min_words <= len(p.split()) <= max_words for p in passages)


@given(st.lists(st.text(alphabet="abc. \n", max_size=30), max_size=120).map(" ".join))
def test_passages_default_bounds(text):
    passages = split_passages(text)
    assert [w for p in passages for w in p.split()] == text.split()
    if len(text.split()) >= MIN_WORDS:
        assert all(MIN_WORDS <= len(p.split()) <= MAX_WORDS for p in passages)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(RECORDS.map(json.dumps), st.text(max_size=30)), max_size=8))
def test_jsonl_never_crashes(tmp_path, lines):
    path = tmp_path / "random.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    for item in iter_jsonl(path):
        assert isinstance(item, (Document, Skipped))
        if isinstance(item, Skipped):
            assert item.line and item.reason


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300), st.sampled_from(["a.txt", "a.md", "a.jsonl", "a", "a.pdf"]))
def test_read_file_never_crashes(tmp_path, data, name):
    path = tmp_path / name
    path.write_bytes(data)
    result = read_file(path)
    assert all(isinstance(d, Document) and d.path == str(path) for d in result.documents)
    assert all(isinstance(s, Skipped) and s.reason for s in result.skipped)
    assert result.documents or result.skipped
    assert not any(s.reason.startswith("could not parse") for s in result.skipped)
