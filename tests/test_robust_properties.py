"""Random input never escapes as an exception: file bytes through the readers and the writer,
query text through parsing and searching.

Examples per test follow the Hypothesis profile (``HYPOTHESIS_PROFILE=long``
for 10,000); the writer test, which builds an index per example, runs a tenth.
"""

import codecs
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beleidzoek.corpus.model import Document, Skipped
from beleidzoek.corpus.walk import iter_file, read_file
from beleidzoek.index.errors import BeleidzoekError
from beleidzoek.index.writer import index_paths
from beleidzoek.search.results import SearchResult, Searcher
from robust_support import SHARED

NAMES = st.sampled_from(["a.txt", "a.md", "a.markdown", "a.jsonl", "a.ndjson", "a", "a.pdf"])
WORDS = st.sampled_from(["Privacy", "gemeente", "café", "ICT-voorziening", "Vraag 1", "Antwoord 1",
                         "# Kop", "---", "title: T", '{"id": "x", "text": "t"}', '{"id":', "\x00", "\r\n",
                         "\r", "\n\n", "\t", "\u00a0", "\ufeff", "\ud7ff", "€", "ĳ", "😀"])
TEXT = st.lists(st.one_of(WORDS, st.text(max_size=30)), max_size=30).map(" ".join)
ENCODED = st.tuples(TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                                           "cp1252", "latin-1", "utf-32"])).map(
    lambda pair: pair[0].encode(pair[1], errors="replace"))
PREFIX = st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
                          b"\x00", b"\xff", b"\r\n"])
FILE_BYTES = st.tuples(PREFIX, st.one_of(ENCODED, st.binary(max_size=600))).map(b"".join)
FUNCTION_FIXTURES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def _surrogate_free(text: str) -> bool:
    return not any("\ud800" <= char <= "\udfff" for char in text)


@FUNCTION_FIXTURES
@given(FILE_BYTES, NAMES)
def test_any_bytes_give_documents_or_reasons(tmp_path, data, name):
    path = tmp_path / name
    path.write_bytes(data)
    result = read_file(path)
    assert result.documents or result.skipped
    assert all(isinstance(s, Skipped) and s.reason and s.path == str(path) for s in result.skipped)
    for document in result.documents:
        assert isinstance(document, Document) and document.passages
        for passage in document.passages:
            assert passage.text.strip() and "\r" not in passage.text
    if path.suffix not in (".jsonl", ".ndjson"):  # text files: the decoder's guarantees
        assert all(_surrogate_free(p.text) and "\x00" not in p.text
                   for d in result.documents for p in d.passages)
    streamed = list(iter_file(path))
    assert len(streamed) == len(result.documents) + len(result.skipped)


@settings(max_examples=max(5, settings().max_examples // 10),
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(FILE_BYTES, NAMES), min_size=1, max_size=4))
def test_any_files_index_without_an_error(tmp_path, files):
    folder = tmp_path / "files"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for number, (data, name) in enumerate(files):
        (folder / f"{number}{name}").write_bytes(data)
    index = tmp_path / "index"
    report = index_paths(index, [folder], rebuild=True)
    assert report.files_indexed + len({s.path for s in report.skipped}) >= 1
    again = index_paths(index, [folder])
    assert again.files_indexed == 0 and again.files_unchanged == report.files_indexed


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    index = tmp_path_factory.mktemp("property-index")
    index_paths(index, [SHARED / "seeds"])
    with Searcher(index) as session:
        yield session


QUERY_PARTS = st.sampled_from(['"', "(", ")", "AND", "OR", "NOT", "-", "+", "*", "?", "~", "~2", "^", ":",
                               "..", "title:", "kind:", "kind:answer", "year:2017", "date:2017..2018",
                               "doc_id:", "party:SP", "ge*", "pr?v*", "privacy", "gemeente", "ICT",
                               "ICT-voorzieningen", "de", "het", "AVG", "\x00", "\x1b", "\u200b", "\u202e",
                               "\ud800", " ", "  ", "\t", "\n", "é", "ß", "İ", "😀"])
QUERIES = st.one_of(st.text(max_size=80), st.lists(st.one_of(QUERY_PARTS, st.text(max_size=6)),
                                                   max_size=30).map("".join))


@given(QUERIES, st.lists(st.text(max_size=20), max_size=2))
def test_any_query_gives_results_or_a_query_error(searcher, query, phrases):
    try:
        result = searcher.search(query, phrase=phrases, limit=5)
    except BeleidzoekError as error:
        assert error.exit_code == 2 and str(error) and "\n" not in str(error)
    else:
        assert isinstance(result, SearchResult) and result.total >= len(result.hits)

