import json
from collections import Counter

import pytest

from beleidzoek.corpus.jsonl import iter_jsonl, record_document
from beleidzoek.corpus.model import Document, Skipped
from beleidzoek.corpus.text import strip_footnote_marks


@pytest.fixture(scope="module")
def corpus(corpus_dir):
    return list(iter_jsonl(corpus_dir / "corpus.jsonl"))


def test_all_records_are_read(corpus):
    assert all(isinstance(item, Document) for item in corpus)
    assert len(corpus) == 1162
    assert Counter(d.kind for d in corpus) == {"guidance": 692, "news": 249, "kamervraag": 99, "blog": 83, "law": 39}
    assert len({d.doc_id for d in corpus}) == 1162
    assert all(d.passages and d.title for d in corpus)


def test_kamervraag_passages_come_from_qa_only(corpus, corpus_dir):
    with open(corpus_dir / "corpus.jsonl", encoding="utf-8") as lines:
        records = {r["id"]: r for r in map(json.loads, lines)}
    kamervragen = [d for d in corpus if d.kind == "kamervraag"]
    questions = answers = 0
    for document in kamervragen:
        qa = records[document.doc_id]["qa"]
        expected = []
        for entry in qa:
            if entry["question"]:
                expected.append(("question", entry["n"], strip_footnote_marks(entry["question"])))
            if entry["answer"]:
                expected.append(("answer", entry["n"], strip_footnote_marks(entry["answer"])))
        assert [(p.kind, p.number, p.text) for p in document.passages] == expected
        questions += sum(1 for p in document.passages if p.kind == "question")
        answers += sum(1 for p in document.passages if p.kind == "answer")
    # README: 983 questions, 651 of them answered; 11 more answers were printed without their question.
    assert (questions, answers) == (983, 651 + 11)


def test_seed_record(corpus):
    seed = next(d for d in corpus if d.doc_id == "kamervraag-2017Z07436")
    assert (seed.number, seed.submitted, seed.answered) == ("2017Z07436", "2017-06-02", "2017-06-22")
    assert seed.date == "2017-06-22"
    assert seed.submitters == ["Ronald van Raak (SP)"]
    assert seed.topics == ["bestuur", "economie", "gemeenten", "ict"]
    assert seed.passages[0].text.endswith("experts?")
    assert seed.passages[1].question == seed.passages[0].text
    assert seed.extra["document_ids"] == ["kv-tk-2017Z07436", "ah-tk-20162017-2158"]
    assert "text_raw" not in seed.extra and "license" in seed.extra


def test_other_kinds_are_split_from_text(corpus):
    law = next(d for d in corpus if d.kind == "law")
    assert {p.kind for p in law.passages} == {"law"}
    assert law.extra["bwb_id"]
    assert all(p.number is None for p in law.passages)


def test_truncated_and_incomplete_lines_are_skipped(tmp_path, corpus_dir):
    with open(corpus_dir / "corpus.jsonl", encoding="utf-8") as lines:
        good = [next(lines) for _ in range(3)]
    broken = good[1][: len(good[1]) // 2] + "\n"
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        good[0] + broken + "\n" + good[2] + '{"id": "zonder-tekst"}\n{"text": "zonder id"}\n[1, 2]\n' + good[1],
        encoding="utf-8",
    )
    items = list(iter_jsonl(path))
    documents = [i for i in items if isinstance(i, Document)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert [d.doc_id for d in documents] == [json.loads(good[i])["id"] for i in (0, 2, 1)]
    assert [(s.line, s.path) for s in skipped] == [(2, str(path)), (5, str(path)), (6, str(path)), (7, str(path))]
    assert skipped[0].reason.startswith("invalid JSON")
    assert skipped[1].reason == "record has no text"
    assert skipped[2].reason == "record has no id"
    assert skipped[3].reason == "line is not a JSON object"
    assert str(skipped[0]) == f"{path}:2: {skipped[0].reason}"


def test_qa_pairs(corpus_dir):
    items = list(iter_jsonl(corpus_dir / "qa_pairs" / "learninglion-kamervragen-qa-validation.jsonl"))
    assert len(items) == 2028
    assert all(isinstance(d, Document) and d.kind == "kamervraag" for d in items)
    first = items[0]
    assert first.doc_id == "llqa-0001"
    assert [(p.kind, p.number) for p in first.passages] == [("question", "1"), ("answer", "1")]
    assert first.passages[1].question == first.passages[0].text
    assert first.title == "llqa-0001"  # the question's words stay out of the answer's title


def test_record_variants():
    unanswered = record_document({"id": "q", "question": "Waarom niet?", "answer": None})
    assert [p.kind for p in unanswered.passages] == ["question"]
    document = record_document({"id": 7, "text": "Tekst.", "kind": "news", "title": None, "topics": "ict"})
    assert (document.doc_id, document.title, document.topics, document.kind) == ("7", "Tekst.", ["ict"], "news")
    assert record_document({"id": "k", "kind": "kamervraag", "text": "Vraag zonder qa?"}).passages[0].kind == "question"
    with pytest.raises(ValueError, match="unknown kind"):
        record_document({"id": "x", "text": "t", "kind": "tweet"})
