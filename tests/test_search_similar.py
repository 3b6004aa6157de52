"""Similar questions: key terms, question/answer pairs, exclusions, input resolution."""

import io
import json

import pytest

from beleidzoek.search.questions import Question, resolve
from beleidzoek.search import similar as similar_module
from beleidzoek.search.similar import DOC_KEYS, plain_words

SEED = "2017Z07436"


def test_every_question_of_the_seed_finds_pairs_from_other_documents(finding_searcher):
    questions = resolve(finding_searcher, SEED)
    assert len(questions) == 8
    assert all(SEED in q.exclude_docs and q.label.startswith(f"{SEED} vraag") for q in questions)
    found = []
    for question in questions:
        result = finding_searcher.similar(question.text, limit=5, exclude_docs=question.exclude_docs,
                                          label=question.label)
        assert len(result.pairs) == 5, question.label
        assert [p.rank for p in result.pairs] == [1, 2, 3, 4, 5]
        scores = [p.score for p in result.pairs]
        assert scores == sorted(scores, reverse=True)
        found += result.pairs
    for pair in found:
        hit = pair.question or pair.answer
        assert pair.doc["doc_id"] == hit.doc_id != SEED
        assert set(pair.doc) == set(DOC_KEYS) and pair.doc["date"] == hit.date
        doc = finding_searcher.show(hit.doc_id)
        assert (pair.doc["number"], pair.doc["submitters"], pair.doc["answerers"]) == \
            (doc.number, doc.submitters, doc.answerers)


def test_pairs_carry_who_asked_and_answered(finding_searcher):
    result = finding_searcher.similar("Welke gevolgen heeft de stikstofuitstoot voor boeren en natuur?")
    assert any(p.doc["date"] and p.doc["submitters"] and p.doc["answerers"] for p in result.pairs)


def test_a_pair_is_a_question_with_its_own_answer(finding_searcher):
    result = finding_searcher.similar("Hoe voorkomt u datalekken bij gemeenten die hun ICT uitbesteden?",
                                      limit=10)
    assert result.pairs
    for pair in result.pairs:
        if pair.question and pair.answer:
            assert pair.question.doc_id == pair.answer.doc_id
            assert pair.question.number == pair.answer.number
            assert (pair.question.kind, pair.answer.kind) == ("question", "answer")
            assert pair.answer.question == pair.question.text
    assert result.pairs[0].doc["doc_id"] == SEED


def test_the_answer_is_found_when_its_question_is_hidden(finding_searcher):
    question = ("Deelt u onze grote zorgen over de grote toename van mensen met ernstige gehoorschade "
                "en het feit dat deze groep steeds jonger wordt?")
    result = finding_searcher.similar(question, limit=3, exclude_passages=["llqa-0001#0"])
    own = [p for p in result.pairs if p.answer and p.answer.passage_id == "llqa-0001#1"]
    assert own and own[0].question is None  # found through its answer; the question is hidden
    shown = {h.passage_id for p in result.pairs for h in (p.question, p.answer) if h}
    assert "llqa-0001#0" not in shown


def test_a_strong_question_match_ranks_first(finding_searcher):
    result = finding_searcher.similar("Hoe staat het met de gehoorschade bij jongeren?", limit=3)
    assert result.pairs[0].doc["doc_id"] == "llqa-0001"


def test_a_pair_moves_toward_its_documents_best_other_pair():
    lift, drop = similar_module.DOCUMENT_LIFT, similar_module.DOCUMENT_DROP
    move = similar_module._with_document
    assert move(5.0, [5.0]) == 5.0  # alone in its document (a bare question/answer pair)
    assert move(4.0, [4.0, 10.0, 6.0]) == pytest.approx(4.0 + lift * 6.0)  # up, part of the way
    assert move(10.0, [10.0, 4.0]) == pytest.approx(10.0 - drop * 6.0)  # down, less far
    assert 0 < drop < lift < 1


def test_query_syntax_in_a_question_means_nothing(finding_searcher):
    text = 'Wat vindt u van "datalekken" (NOT bij gemeenten) -ICT? Zie: AND privatisering*'
    assert plain_words(text) == "Wat vindt u van datalekken bij gemeenten ICT Zie privatisering"
    result = finding_searcher.similar(text, limit=3)
    assert result.pairs[0].doc["doc_id"] == SEED
    assert {"datalek", "gemeent", "ict"} <= set(result.terms)
    assert len(plain_words("woord " * 2000)) <= 4000  # cut to the longest query allowed


def test_snippets_mark_the_question_words(finding_searcher):
    result = finding_searcher.similar("privatisering van ICT-voorzieningen door gemeenten", limit=3)
    assert any("[[" in (p.answer or p.question).snippet for p in result.pairs)


def test_similar_json_shape(finding_searcher):
    result = finding_searcher.similar("Wat doet u tegen gehoorschade?", limit=2, label="test")
    data = json.loads(json.dumps(result.to_json()))
    assert set(data) == {"query", "label", "terms", "took_ms", "results"}
    assert data["label"] == "test" and data["terms"]
    for item in data["results"]:
        assert set(item) == {"rank", "score", "question", "answer", "doc"}
        assert set(item["doc"]) == set(DOC_KEYS)
        for hit in (item["question"], item["answer"]):
            assert hit is None or {"doc_id", "passage_id", "kind", "number", "snippet"} <= set(hit)


def test_a_question_without_known_words_finds_nothing(finding_searcher):
    assert finding_searcher.similar("xyzzyqwerty plughfoo").pairs == []
    assert finding_searcher.similar("?? (!)").pairs == []  # no words at all


# --------------------------------------------------------------------------
# where questions come from
# --------------------------------------------------------------------------


def test_resolve_text_stdin_and_unknown_words(finding_searcher):
    assert resolve(finding_searcher, "Hoe gaat het met de ICT?") == [Question("Hoe gaat het met de ICT?")]
    assert resolve(finding_searcher, "gehoorschade") == [Question("gehoorschade")]  # not a doc id
    [question] = resolve(finding_searcher, "-", stdin=io.StringIO("Vraag over privacy?\n"))
    assert question.text == "Vraag over privacy?" and question.label == "stdin"


def test_resolve_a_file_gives_each_question(finding_searcher, seeds_dir, tmp_path):
    questions = resolve(finding_searcher, str(seeds_dir / "kamervraag-2017Z07436.txt"))
    assert len(questions) == 8 and SEED in questions[0].exclude_docs
    note = tmp_path / "vraag.md"
    note.write_text("# Nieuwe vraag\n\nHoe beschermen gemeenten persoonsgegevens bij uitbesteding?\n",
                    encoding="utf-8")
    [question] = resolve(finding_searcher, str(note))
    assert "persoonsgegevens" in question.text


def test_resolve_refuses_empty_input(finding_searcher):
    from beleidzoek.index.errors import BeleidzoekError

    with pytest.raises(BeleidzoekError):
        resolve(finding_searcher, "  ")
    with pytest.raises(BeleidzoekError):
        resolve(finding_searcher, "-", stdin=io.StringIO(""))
