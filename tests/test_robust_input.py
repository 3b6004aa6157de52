"""Hostile input: odd encodings, huge or endless files, links and pipes, broken lines, broken queries.

Never a traceback, never a hang, and nothing lost: what can be read is
indexed, what cannot is reported with the file (and line) at fault.
"""

import codecs
import json
import os
import re

import pytest
from click.testing import CliRunner

from beleidzoek.corpus.jsonl import iter_jsonl
from beleidzoek.corpus.model import Document, Skipped
from beleidzoek.corpus.walk import MAX_LINE_REPORTS, find_files, read_file
from beleidzoek.index.writer import index_paths
from beleidzoek.search.cli import cli as beleidzoek
from beleidzoek.search.results import Searcher
from robust_support import SHARED, deadline, stats

TEXT = "Privacy in het café\n\nDe gemeente beschermt de privacy van burgers en café-eigenaren.\n"
ENCODINGS = {
    "utf8.txt": (TEXT.encode("utf-8"), []),
    "utf8-bom.txt": (codecs.BOM_UTF8 + TEXT.encode("utf-8"), []),
    "utf16-le.txt": (TEXT.encode("utf-16"), []),
    "utf16-be.md": (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), []),
    "utf16-no-bom.txt": (TEXT.encode("utf-16-le"), ["no byte order mark, read as UTF-16-LE"]),
    "cp1252.txt": ((TEXT + "“Aanhalingstekens” kosten €5.\n").encode("cp1252"),
                   ["not UTF-8, read as cp1252"]),
    "latin1.txt": (TEXT.encode("latin-1"), ["not UTF-8, read as cp1252"]),
    "crlf.txt": (TEXT.replace("\n", "\r\n").encode("utf-8"), []),
    "cr.txt": (TEXT.replace("\n", "\r").encode("utf-8"), []),
    "nul.txt": ((TEXT * 20).encode("utf-8").replace(b"burgers", b"burgers\x00", 1), ["stray NUL bytes removed"]),
}


def invoke(*args):
    result = CliRunner().invoke(beleidzoek, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_every_encoding_and_line_end_reads_as_the_same_text(tmp_path, name):
    data, notices = ENCODINGS[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = read_file(path)
    assert not result.skipped
    [document] = result.documents
    text = "\n".join(p.text for p in document.passages)
    assert "De gemeente beschermt de privacy van burgers en café-eigenaren." in text
    assert "\r" not in text and "\x00" not in text and "\ufffd" not in text
    assert result.notices == [f"{path}: {notice}" for notice in notices]


def test_all_encodings_are_indexed_and_found(tmp_path):
    folder = tmp_path / "guidance"
    folder.mkdir()
    for name, (data, _) in ENCODINGS.items():
        (folder / name).write_bytes(data)
    result = invoke("--index", tmp_path / "index", "index", folder)
    assert result.exit_code == 0, result.output
    with Searcher(tmp_path / "index") as searcher:
        hits = searcher.search("café-eigenaren", limit=100).hits
    assert {hit.doc_id for hit in hits} == {name.rsplit(".", 1)[0] for name in ENCODINGS}


def test_huge_files_are_refused_or_streamed_within_limits(tmp_path):
    text, jsonl, damaged = tmp_path / "big.txt", tmp_path / "big.jsonl", tmp_path / "damaged.jsonl"
    for path in (text, jsonl):
        with open(path, "wb") as handle:  # sparse: 200 MiB on paper, nothing on disk
            handle.truncate(200 * 2**20)
    good = json.dumps({"id": "goed", "kind": "blog", "title": "Goed", "text": "Een goede regel over privacy."})
    with open(damaged, "wb") as handle:  # a good line, then 100 MiB of NULs without a line end
        handle.write(good.encode() + b"\n")
        handle.truncate(100 * 2**20)
    with deadline(60):
        report = index_paths(tmp_path / "index", [text, jsonl, damaged])
    reasons = {os.path.basename(s.path): (s.line, s.reason) for s in report.skipped}
    assert reasons == {"big.txt": (None, "file too large (200.0 MiB > 64 MiB limit)"),
                       "big.jsonl": (None, "binary file"),
                       "damaged.jsonl": (2, "line too long (over 64 MiB)")}
    assert report.documents == 1


def test_an_overlong_jsonl_line_is_skipped_and_the_next_one_read(tmp_path):
    path = tmp_path / "lines.jsonl"
    records = [{"id": f"r{n}", "text": f"regel {n} " + "x" * (5000 if n == 2 else 10)} for n in range(1, 4)]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    items = list(iter_jsonl(path, max_line_bytes=1000))
    assert [item.doc_id for item in items if isinstance(item, Document)] == ["r1", "r3"]
    [skipped] = [item for item in items if isinstance(item, Skipped)]
    assert skipped.line == 2 and skipped.reason.startswith("line too long")


def test_a_ten_megabyte_line_is_read_in_full(tmp_path):
    path = tmp_path / "een-regel.txt"
    words = ["beleid", "privacy", "gemeente", "archief", "gegevens"] * 340_000
    path.write_text(" ".join(words), encoding="utf-8")
    assert path.stat().st_size > 10 * 10**6
    with deadline(60):
        [document] = read_file(path).documents
    assert sum(len(p.text.split()) for p in document.passages) == len(words)


def test_a_very_long_word_does_not_stall_indexing(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_text("Privacy\n\n" + "ab" * 50_000 + " privacy\n", encoding="utf-8")
    with deadline(2):
        index_paths(tmp_path / "index", [path])


def test_hostile_jsonl_lines_cost_only_themselves(tmp_path):
    path = tmp_path / "vijandig.jsonl"
    lines = [
        '{"id": "diep", "text": "x", "y": ' + "[" * 100_000 + "]" * 100_000 + "}",  # too deep for json
        json.dumps({"id": "goed", "kind": "blog", "text": "Een goede regel over privacy."}),
        "{kapot",
        '{"id": "genest", "text": "Genest over privacy.", "y": ' + "[" * 900 + "]" * 900 + "}",
        json.dumps({"id": "sur\udc00rogaat", "text": "Half \ud800 teken over priv\udfffacy en privacy."}),
        json.dumps({"id": "nul\u0000id", "title": "\u0000", "text": "Tekst \u0000 over privacy."}),
        json.dumps({"id": "lang" + "x" * 100_000, "text": "Een heel lang id over privacy."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    report = index_paths(tmp_path / "index", [path])
    broken = sorted(s.line for s in report.skipped if s.line)
    assert broken == [1, 3]
    assert all(str(path) in str(s) for s in report.skipped)
    # The deeply nested one may be stored, or refused with a reason; everything else is in.
    assert report.documents + sum(1 for s in report.skipped if s.line is None) == 5
    with Searcher(tmp_path / "index") as searcher:
        assert searcher.search("privacy", limit=50).total >= 4


def test_a_document_that_cannot_be_stored_costs_only_itself(tmp_path, monkeypatch):
    import beleidzoek.index.writer as writer

    def records(document):
        if document.doc_id == "b":
            raise RecursionError("maximum recursion depth exceeded")
        return document_records(document)

    document_records = writer.document_records
    monkeypatch.setattr(writer, "document_records", records)
    path = tmp_path / "drie.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": f"Tekst {i} over privacy."}) + "\n" for i in "abc"),
                    encoding="utf-8")
    report = index_paths(tmp_path / "index", [path])
    assert report.documents == 2 and report.files_indexed == 1
    assert [str(s) for s in report.skipped] == [f"{path}: document 'b' cannot be stored "
                                                f"(RecursionError: maximum recursion depth exceeded)"]


def test_a_flood_of_broken_lines_is_summarised(tmp_path):
    path = tmp_path / "kapot.jsonl"
    path.write_text('{"id": "a", "text": "goed"}\n' + "{kapot\n" * 100, encoding="utf-8")
    result = read_file(path)
    assert len(result.documents) == 1
    assert [s.line for s in result.skipped[:MAX_LINE_REPORTS]] == list(range(2, 2 + MAX_LINE_REPORTS))
    assert str(result.skipped[-1]) == f"{path}: {100 - MAX_LINE_REPORTS} more broken lines not listed"
    assert len(result.skipped) == MAX_LINE_REPORTS + 1


def test_links_pipes_and_folders_are_reported_without_hanging(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "goed.txt").write_text(TEXT, encoding="utf-8")
    (folder / "lus").symlink_to(folder / "lus")
    (folder / "weg.txt").symlink_to(folder / "bestaat-niet.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "terug").symlink_to(folder, target_is_directory=True)
    os.mkfifo(folder / "pijp.txt")
    with deadline(30):
        files = list(find_files([folder]))
        report = index_paths(tmp_path / "index", [folder])
    assert len(files) == 4  # goed, lus, pijp, weg: the folder loop is walked once
    reasons = {os.path.basename(s.path): s.reason for s in report.skipped}
    assert reasons == {"lus": "cannot read (too many levels of symbolic links)", "pijp.txt": "not a regular file",
                       "weg.txt": "broken symlink"}
    assert report.files_indexed == 1
    assert read_file(folder / "sub").skipped[0].reason == "is a directory"


def test_unreadable_files_are_skipped_and_keep_what_was_indexed(tmp_path, monkeypatch):
    folder = tmp_path / "guidance"
    folder.mkdir()
    secret, other = folder / "geheim.txt", folder / "open.txt"
    secret.write_text(TEXT, encoding="utf-8")
    other.write_text("Open\n\nOver archivering.\n", encoding="utf-8")
    index = tmp_path / "index"
    index_paths(index, [folder])
    secret.write_text(TEXT + "\nNieuwe alinea.\n", encoding="utf-8")  # changed, then unreadable

    real_open = os.open

    def refuse(path, *args, **kwargs):
        if os.fspath(path) == str(secret):
            raise PermissionError(13, "Permission denied", str(secret))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    result = invoke("--index", index, "index", folder)
    assert result.exit_code == 1
    assert f"skipped {secret}: permission denied" in result.output
    assert stats(index)["documents"] == 2  # the old version of the unreadable file stays searchable


def test_a_bad_line_among_good_ones_is_named_and_the_rest_indexed(tmp_path):
    path = tmp_path / "corpus.jsonl"
    with open(SHARED / "corpus" / "corpus.jsonl", encoding="utf-8") as source:
        good = [next(source) for _ in range(3)]
    path.write_text(good[0] + good[1] + '{"id": "stuk", "text": "afgebroken\n' + good[2], encoding="utf-8")
    result = invoke("--index", tmp_path / "index", "index", path)
    assert result.exit_code == 1
    skipped = [line for line in result.output.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == 1 and re.match(rf"skipped {re.escape(str(path))}:3: invalid JSON", skipped[0])
    assert stats(tmp_path / "index")["documents"] == 3


@pytest.fixture(scope="module")
def query_index(tmp_path_factory):
    index = tmp_path_factory.mktemp("queries")
    index_paths(index, [SHARED / "seeds"])
    return index


@pytest.mark.parametrize("query, message", [
    ('"Baseline Informatiebeveiliging', "unclosed quote in query"),
    ("((privacy OR cloud)", "unclosed parenthesis in query"),
    ("privacy)) OR (", "unmatched ')' in query"),
    ("AND", "query has no search terms"),
    ("NOT", "query has no search terms"),
    ("- + OR", "query has no search terms"),
    ("privacy " * 1249 + "gemeente", "query is too long (10000 characters; at most 4000)"),
    ("*", "needs at least 2 letters"),
    ("\x00\x01\x02\x1b\x7f", "empty query"),
])
def test_broken_queries_give_one_line_and_exit_code_2(query_index, query, message):
    result = invoke("--index", query_index, "search", "--", query)
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("beleidzoek: error: ") and message in errors[0], errors


@pytest.mark.parametrize("query", ["pr*", "ge?*", "privacy\x07 \x1b[31m gemeente\u200b", "(privacy)" * 3,
                                   "NOT NOT privacy", "title:(samen OR uit)", "privacy~100"])
def test_odd_but_valid_queries_are_searched(query_index, query):
    with deadline(20):
        result = invoke("--index", query_index, "search", "--json", "--", query)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] >= 0


def test_a_wildcard_matching_the_whole_vocabulary_is_bounded(query_index):
    from beleidzoek.search.matching import BoundedWildcard

    with Searcher(query_index) as searcher:
        reader = searcher.whoosh_searcher.reader()
        wildcards = [q for q in searcher.parse("ge* title:ge*").query.leaves()
                     if isinstance(q, BoundedWildcard)]
        assert wildcards and all(w.max_expansions <= 1000 for w in wildcards)
        assert len(list(BoundedWildcard("text", "ge*")._btexts(reader))) > 5
        assert len(list(BoundedWildcard("text", "ge*", max_expansions=5)._btexts(reader))) == 5
        assert searcher.search("ge*").total > 0


def test_an_index_folder_that_cannot_be_made_gives_exit_code_3(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = invoke("--index", blocker / "index", "index", SHARED / "seeds")
    assert result.exit_code == 3
    assert result.output.strip() == (f"beleidzoek: error: cannot write the index at {blocker / 'index'}: "
                                     f"Not a directory ({blocker / 'index'})")


def test_an_internal_error_is_one_line_unless_debugging(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr("beleidzoek.search.build.build", broken)
    monkeypatch.delenv("BELEIDZOEK_DEBUG", raising=False)
    result = invoke("--index", tmp_path / "index", "index", SHARED / "seeds")
    assert result.exit_code == 1
    assert result.output.strip() == ("beleidzoek: error: internal error (RuntimeError: kapot); "
                                     "run with BELEIDZOEK_DEBUG=1 for details")
    monkeypatch.setenv("BELEIDZOEK_DEBUG", "1")
    with pytest.raises(RuntimeError):
        CliRunner().invoke(beleidzoek, ["--index", str(tmp_path / "index"), "index", str(SHARED / "seeds")],
                           catch_exceptions=False)
