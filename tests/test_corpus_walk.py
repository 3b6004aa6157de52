import os
import shutil
from pathlib import Path


from beleidzoek.corpus.model import Document
from beleidzoek.corpus.walk import find_files, iter_file, read_file

KAMERVRAAG = (
    "Kamervraag 2024Z00001\n\nEen titel\n\nIngediend 1 mei 2024\n • Vraag 1\n  Klopt het dat dit werkt?\n\n  Ja.\n"
)


def reasons(result):
    return [s.reason for s in result.skipped]


def test_empty_and_whitespace_files(tmp_path):
    (tmp_path / "leeg.txt").write_bytes(b"")
    (tmp_path / "spaties.txt").write_bytes(b"  \r\n\t\n")
    (tmp_path / "leeg.jsonl").write_bytes(b"\n\n")
    for name in ("leeg.txt", "spaties.txt", "leeg.jsonl"):
        result = read_file(tmp_path / name)
        assert result.documents == [] and reasons(result) == ["empty file"], name
        assert result.skipped[0].path == str(tmp_path / name)


def test_binary_file(tmp_path):
    path = tmp_path / "plaatje.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(4000))
    assert reasons(read_file(path)) == ["binary file"]


def test_latin1_file_is_read_with_a_notice(tmp_path):
    path = tmp_path / "oud.txt"
    path.write_bytes("Geïnformeerd over privacy\n\nDe gemeente heeft de burgers geïnformeerd.\n".encode("latin-1"))
    result = read_file(path)
    assert result.documents[0].title == "Geïnformeerd over privacy"
    assert result.notices == [f"{path}: not UTF-8, read as cp1252"]


def test_utf16_kamervraag_with_crlf(tmp_path):
    path = tmp_path / "kv.txt"
    path.write_bytes(KAMERVRAAG.replace("\n", "\r\n").encode("utf-16"))
    result = read_file(path)
    assert result.skipped == [] and result.notices == []
    document = result.documents[0]
    assert (document.doc_id, document.submitted, document.path) == ("2024Z00001", "2024-05-01", str(path))
    assert [p.text for p in document.passages] == ["Klopt het dat dit werkt?", "Ja."]


def test_crlf_plain_text(tmp_path):
    path = tmp_path / "guidance" / "crlf.txt"
    path.parent.mkdir()
    path.write_bytes(b"Titel\r\n\r\nEerste alinea.\r\n\r\nTweede alinea.\r\n")
    document = read_file(path).documents[0]
    assert (document.title, document.kind) == ("Titel", "guidance")
    assert [p.text for p in document.passages] == ["Titel\n\nEerste alinea.\n\nTweede alinea."]


def test_unknown_extensions(tmp_path):
    for name in ("stuk.pdf", "stuk.docx", "foto.png"):
        (tmp_path / name).write_bytes(b"%PDF-1.4 whatever")
        assert reasons(read_file(tmp_path / name)) == [f"unsupported file type {Path(name).suffix}"]


def test_file_without_extension_is_text(tmp_path):
    (tmp_path / "LEESMIJ").write_text("Lees mij\n\nEen tekst.\n", encoding="utf-8")
    assert read_file(tmp_path / "LEESMIJ").documents[0].title == "Lees mij"


def test_missing_file_directory_and_size_limit(tmp_path):
    assert reasons(read_file(tmp_path / "weg.txt")) == ["file not found"]
    assert reasons(read_file(tmp_path)) == ["is a directory"]
    big = tmp_path / "groot.txt"
    big.write_text("Titel\n\n" + "woord " * 300_000, encoding="utf-8")
    assert reasons(read_file(big, max_bytes=1024 * 1024)) == ["file too large (1.7 MiB > 1 MiB limit)"]
    jsonl = tmp_path / "groot.jsonl"
    jsonl.write_text('{"id": "a", "text": "Tekst."}\n' * 5_000, encoding="utf-8")
    assert len(read_file(jsonl, max_bytes=1024).documents) == 5_000


def test_find_files_is_sorted_skips_hidden_and_survives_symlink_loops(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "twee.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / ".verborgen").mkdir()
    (tmp_path / ".verborgen" / "geheim.txt").write_text("x", encoding="utf-8")
    (tmp_path / ".git.txt").write_text("x", encoding="utf-8")
    (tmp_path / "b" / "terug").symlink_to(tmp_path)  # loop: b/terug -> .
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")  # the same file twice
    (tmp_path / "zelf.txt").symlink_to(tmp_path / "zelf.txt")  # points at itself
    (tmp_path / "kapot.txt").symlink_to(tmp_path / "bestaat-niet.txt")
    found = list(find_files([tmp_path, tmp_path / "a.txt"]))
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.txt", "b/twee.txt", "kapot.txt", "zelf.txt"]
    assert reasons(read_file(tmp_path / "kapot.txt")) == ["broken symlink"]
    assert reasons(read_file(tmp_path / "zelf.txt"))[0].startswith("cannot read")
    assert list(find_files([tmp_path / ".verborgen"])) == [tmp_path / ".verborgen" / "geheim.txt"]


def test_unreadable_file(tmp_path, monkeypatch):
    path = tmp_path / "dicht.txt"
    path.write_text("Titel\n\nTekst.", encoding="utf-8")

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert reasons(read_file(path)) == ["permission denied"]


def test_iter_file_streams_jsonl(corpus_dir):
    stream = iter_file(corpus_dir / "corpus.jsonl")
    first = next(stream)
    assert isinstance(first, Document) and first.doc_id == "kamervraag-2017Z07436"
    assert first.path == str(corpus_dir / "corpus.jsonl")
    stream.close()


def test_all_shared_data_is_read_without_skips(shared_dir, tmp_path):
    expected = {
        "corpus/corpus.jsonl": 1162,
        "corpus/qa_pairs": 2028,
        "corpus/kamervragen": 99,
        "corpus/guidance": 692,
        "corpus/blogs": 83,
        "corpus/laws": 39,
        "corpus/news": 249,
        "seeds": 2,
    }
    for folder, count in expected.items():
        results = [read_file(path) for path in find_files([shared_dir / folder])]
        assert [s for r in results for s in r.skipped] == [], folder
        assert [n for r in results for n in r.notices] == [], folder
        documents = [d for r in results for d in r.documents]
        assert len(documents) == count, folder
        assert all(d.passages and d.path for d in documents)
    kinds = {d.kind for path in find_files([shared_dir / "corpus" / "blogs"]) for d in read_file(path).documents}
    assert kinds == {"blog"}


def test_seed_kinds(seeds_dir):
    kinds = {d.doc_id: d.kind for path in find_files([seeds_dir]) for d in read_file(path).documents}
    assert kinds == {"2017Z07436": "kamervraag", "blog-samen-uit-samen-thuis": "blog"}


def test_whole_tree_is_deterministic(tmp_path, seeds_dir):
    shutil.copytree(seeds_dir, tmp_path / "seeds")
    def run():
        return [(d.doc_id, len(d.passages)) for p in find_files([tmp_path]) for d in read_file(p).documents]

    runs = [run(), run()]
    assert runs[0] == runs[1] and len(runs[0]) == 2
