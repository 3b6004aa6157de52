import json
from pathlib import Path

import pytest

from beleidzoek.corpus.kamervraag import is_kamervraag, parse_kamervraag, split_people
from beleidzoek.corpus.text import strip_footnote_marks


def parse_file(path: Path):
    return parse_kamervraag(path.read_text(encoding="utf-8"), path.stem)


def questions(document):
    return [p for p in document.passages if p.kind == "question"]


def answers(document):
    return [p for p in document.passages if p.kind == "answer"]


@pytest.fixture(scope="module")
def records(corpus_dir):
    with open(corpus_dir / "corpus.jsonl", encoding="utf-8") as lines:
        return {r["id"]: r for r in map(json.loads, lines) if r["kind"] == "kamervraag"}


def test_seed(seeds_dir):
    document = parse_file(seeds_dir / "kamervraag-2017Z07436.txt")
    assert document.kind == "kamervraag"
    assert document.doc_id == document.number == "2017Z07436"
    assert document.title == "Het bericht dat de gemeente Groningen de ICT-voorzieningen privatiseert"
    assert document.submitted == "2017-06-02"
    assert document.answered == document.date == "2017-06-22"
    assert document.submitters == ["Ronald van Raak (SP)"]
    assert document.answerers == ["Ronald Plasterk (minister binnenlandse zaken en koninkrijksrelaties) (PvdA)"]
    assert document.parties == ["SP"]
    assert document.ministries == ["binnenlandse zaken en koninkrijksrelaties"]
    assert document.topics == ["bestuur", "economie", "gemeenten", "ict"]
    assert document.source == "https://zoek.officielebekendmakingen.nl/ah-tk-20162017-2158.html"
    assert document.extra["document_ids"] == ["kv-tk-2017Z07436", "ah-tk-20162017-2158"]
    assert document.extra["full_title"].startswith("Vragen van het lid Van Raak (SP)")
    assert [p.number for p in questions(document)] == [str(n) for n in range(1, 9)]
    assert [p.number for p in answers(document)] == [str(n) for n in range(1, 9)]
    assert [p.kind for p in document.passages] == ["question", "answer"] * 8
    assert [p.position for p in document.passages] == list(range(16))
    first = questions(document)[0]
    assert first.text.startswith("Bent u op de hoogte van het feit")
    assert first.text.endswith("ondanks bezwaren van experts?")
    assert questions(document)[4].text.endswith("te maken heeft met datalekken?")
    assert answers(document)[0].text == "Ja."
    assert answers(document)[0].question == first.text


def test_multi_paragraph_answer_is_joined_with_blank_line(seeds_dir):
    document = parse_file(seeds_dir / "kamervraag-2017Z07436.txt")
    answer_5 = answers(document)[4]
    assert answer_5.number == "5"
    first, second = answer_5.text.split("\n\n")
    assert first.startswith("Uitbesteden van dienstverlening")
    assert second.startswith("Uitbesteding van ICT is op zichzelf geen factor")


def test_every_shared_kamervraag_matches_its_record(corpus_dir, records):
    files = sorted((corpus_dir / "kamervragen").glob("*.txt"))
    assert len(files) == 99
    for path in files:
        document = parse_file(path)
        record = records[path.stem]
        qa = record["qa"]
        # The source prints a few answers without their question ("" in qa): they give no question passage.
        assert len(questions(document)) == sum(1 for q in qa if q["question"]), path.name
        assert len(answers(document)) == sum(1 for q in qa if q["answer"]), path.name
        expected = [strip_footnote_marks(q["question"]) for q in qa if q["question"]]
        assert [p.text for p in questions(document)] == expected
        assert [p.number for p in answers(document)] == [q["n"] for q in qa if q["answer"]]
        assert document.number == record["number"]
        assert document.doc_id == (record["number"] or path.stem)
        assert document.title == record["title"]
        assert (document.submitted, document.answered) == (record["submitted"], record["answered"])
        assert document.submitters == record["submitters"]
        assert document.answerers == record["answerers"]
        assert document.extra["document_ids"] == record["document_ids"]
        assert document.source == record["source"]


def test_combined_labels(corpus_dir):
    document = parse_file(corpus_dir / "kamervragen" / "kamervraag-ah-tk-20142015-698.txt")
    question = next(p for p in questions(document) if p.number == "2 en 3")
    answer = next(p for p in answers(document) if p.number == "2 en 3")
    assert question.text.startswith("Herinnert u zich uw uitspraken")
    assert answer.question == question.text
    numbers = {p.number for path in (corpus_dir / "kamervragen").glob("*.txt") for p in parse_file(path).passages}
    assert {"9, 10 en 11", "2 t/m 6", "3o"} <= numbers


def test_unanswered_questions(corpus_dir):
    document = parse_file(corpus_dir / "kamervragen" / "kamervraag-2024Z18439.txt")
    assert len(questions(document)) == 22
    assert answers(document) == []
    assert document.answered is None and document.date == document.submitted == "2024-11-14"
    assert document.answerers == []
    assert document.source == "https://zoek.officielebekendmakingen.nl/kv-tk-2024Z18439.html"


def test_answer_printed_without_its_question(corpus_dir):
    document = parse_file(corpus_dir / "kamervragen" / "kamervraag-ah-tk-20242025-597.txt")
    assert "8" not in [p.number for p in questions(document)]
    answer_8 = next(p for p in answers(document) if p.number == "8")
    assert answer_8.text.startswith("Het oordeel of TikTok de DSA correct genoeg naleeft")
    assert answer_8.question is None


def test_missing_number_and_header_lines():
    text = (
        "Kamervraag\n\nHet werken met ambtenaren\n\nIngediend 2 februari 2024\n"
        " • Vraag 1\n  Klopt dit?1\n\n  Ja.\n\n • Vraag 2\n  En dit?\n\n"
    )
    document = parse_kamervraag(text, "kamervraag-ah-tk-20232024-1")
    assert document.doc_id == "kamervraag-ah-tk-20232024-1"
    assert document.number is None
    assert document.title == "Het werken met ambtenaren"
    assert document.submitted == document.date == "2024-02-02"
    assert document.answered is None
    assert document.submitters == document.answerers == document.topics == []
    assert document.source is None
    assert document.extra["document_ids"] == []
    assert [(p.kind, p.number, p.text) for p in document.passages] == [
        ("question", "1", "Klopt dit?"),
        ("answer", "1", "Ja."),
        ("question", "2", "En dit?"),
    ]


def test_header_only_document_has_no_passages():
    document = parse_kamervraag("Kamervraag 2024Z00001\n\nTitel\n\nIngediend 1 mei 2024\n", "x")
    assert document.passages == []
    assert document.title == "Titel"


def test_split_people():
    assert split_people("Kathmann (GroenLinks-PvdA), El Abassi (DENK)") == [
        "Kathmann (GroenLinks-PvdA)",
        "El Abassi (DENK)",
    ]
    one = "Westerveld en Bushoff (beiden GroenLinks-PvdA)"
    assert split_people(one) == [one]
    assert split_people(
        "Van Weel (minister Justitie en Veiligheid), Coenradie (staatssecretaris Justitie en Veiligheid)"
    ) == ["Van Weel (minister Justitie en Veiligheid)", "Coenradie (staatssecretaris Justitie en Veiligheid)"]
    assert split_people("Helder (minister Volksgezondheid, Welzijn en Sport)") == [
        "Helder (minister Volksgezondheid, Welzijn en Sport)"
    ]
    assert split_people("") == []


def test_is_kamervraag(seeds_dir):
    assert is_kamervraag((seeds_dir / "kamervraag-2017Z07436.txt").read_text(encoding="utf-8"))
    assert not is_kamervraag((seeds_dir / "blog-samen-uit-samen-thuis.txt").read_text(encoding="utf-8"))
    assert is_kamervraag("Kamervraag\n\nTitel")
    assert not is_kamervraag("Kamervragen over privacy\n\nTekst.")
    assert not is_kamervraag("Kamervraag over privacy\n\nTekst.")
