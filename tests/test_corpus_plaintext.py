import json

import pytest

from beleidzoek.corpus.plaintext import parse_plaintext, short_title
from beleidzoek.corpus.walk import kind_of

FOLDERS = {"guidance": "guidance", "blogs": "blog", "laws": "law", "news": "news"}


@pytest.fixture(scope="module")
def records(corpus_dir):
    with open(corpus_dir / "corpus.jsonl", encoding="utf-8") as lines:
        return {r["id"]: r for r in map(json.loads, lines)}


def test_all_plain_text_files_match_their_records(corpus_dir, records):
    count = same_title = 0
    for folder, kind in FOLDERS.items():
        for path in sorted((corpus_dir / folder).glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            document = parse_plaintext(text, path.stem, kind_of(path))
            record = records[path.stem]
            assert document.doc_id == record["id"]
            assert document.kind == record["kind"] == kind
            assert {p.kind for p in document.passages} == {kind}
            # Nothing is lost: the passages hold every word of the file, the title included.
            assert [w for p in document.passages for w in p.text.split()] == text.split()
            first_line = " ".join(text.split("\n")[0].split())
            assert first_line.startswith(document.title.removesuffix("…"))
            same_title += document.title == record["title"]
            count += 1
    assert count == 692 + 83 + 39 + 249
    # The rest start with a sentence ("DigiD staat voor …") or a longer form of the title.
    assert same_title >= 1000


def test_titles(corpus_dir, records):
    def title(stem, folder):
        path = corpus_dir / folder / f"{stem}.txt"
        return parse_plaintext(path.read_text(encoding="utf-8"), stem, FOLDERS[folder]).title

    assert title("blog-samen-uit-samen-thuis", "blogs") == "Samen uit, samen thuis"
    law = next(r for r in records.values() if r["kind"] == "law" and len(r["title"]) > 200)
    assert title(law["id"], "laws") == " ".join(law["title"].split())
    sentence = "DigiD staat voor Digitale Identiteit en is het officiële inlogsysteem van de Nederlandse overheid."
    assert short_title(sentence) == "DigiD staat voor Digitale Identiteit en is het officiële inlogsysteem van de…"


def test_date_from_file_name(corpus_dir, records):
    stem = "blog-don-blog-2023-09-20-waarom-zijn-api-design-rules-zo-belangrijk"
    text = (corpus_dir / "blogs" / f"{stem}.txt").read_text(encoding="utf-8")
    assert parse_plaintext(text, stem, "blog").date == "2023-09-20" == records[stem]["date"]
    assert parse_plaintext("Titel\n\nTekst.", "geen-datum", "news").date is None


def test_short_text():
    document = parse_plaintext("Een titel\n\nEen korte tekst.\n", "kort")
    assert document.kind == "guidance"
    assert document.title == "Een titel"
    assert [p.text for p in document.passages] == ["Een titel\n\nEen korte tekst."]


def test_blog_layout_is_recognised(seeds_dir):
    text = (seeds_dir / "blog-samen-uit-samen-thuis.txt").read_text(encoding="utf-8")
    document = parse_plaintext(text, "blog-samen-uit-samen-thuis", "guidance")
    assert document.kind == "blog"
    assert document.categories == ["Markt en overheid", "Blog"]


def test_kind_of(tmp_path):
    assert kind_of(tmp_path / "guidance" / "a.txt") == "guidance"
    assert kind_of(tmp_path / "blogs" / "a.txt") == "blog"
    assert kind_of(tmp_path / "blog" / "2024" / "a.md") == "blog"
    assert kind_of(tmp_path / "Laws" / "a.txt") == "law"
    assert kind_of(tmp_path / "news" / "a.txt") == "news"
    assert kind_of(tmp_path / "kamervragen" / "a.txt") == "kamervraag"
    assert kind_of(tmp_path / "elders" / "a.txt") == "guidance"
