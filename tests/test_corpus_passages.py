import json

import pytest

from beleidzoek.corpus.passages import MAX_WORDS, MIN_WORDS, paragraphs, split_passages, text_passages


def words(text):
    return text.split()


@pytest.fixture(scope="module")
def texts(corpus_dir):
    with open(corpus_dir / "corpus.jsonl", encoding="utf-8") as lines:
        return [r["text"] for r in map(json.loads, lines) if r["kind"] != "kamervraag"]


def test_corpus_passage_sizes_and_no_text_lost(texts):
    assert len(texts) == 1063
    for text in texts:
        passages = split_passages(text)
        assert [w for p in passages for w in words(p)] == words(text)
        if len(words(text)) < MIN_WORDS:
            assert len(passages) == 1
        else:
            assert all(MIN_WORDS <= len(words(p)) <= MAX_WORDS for p in passages), [len(words(p)) for p in passages]


def test_paragraphs_are_passages():
    first, second = "woord " * 60, "ander " * 70
    assert split_passages(f"{first}\n\n{second}") == [first.strip(), second.strip()]


def test_short_paragraphs_merge_with_the_following_ones():
    heading, body = "Inleiding", "Dit is de tekst van de inleiding met genoeg woorden. " * 8
    assert split_passages(f"{heading}\n\n{body}") == [f"{heading}\n\n{body.strip()}"]
    items = "\n\n".join(f"Punt {n} van de lijst." for n in range(30))
    passages = split_passages(items)
    assert len(passages) == 3 and all(MIN_WORDS <= len(words(p)) <= MAX_WORDS for p in passages)


def test_trailing_short_paragraph_joins_the_last_passage():
    body = "Een zin over de Archiefwet en de bewaartermijnen. " * 10
    assert split_passages(f"{body}\n\nTot slot.") == [f"{body.strip()}\n\nTot slot."]


def test_long_paragraph_is_cut_at_sentence_ends():
    sentence = "Het college besluit o.a. over de begroting, bijv. art. 4 en nr. 12 met 9.400 euro. "
    passages = split_passages(sentence * 40)
    assert len(passages) >= 2
    assert all(p.endswith("euro.") and p.startswith("Het college") for p in passages)
    assert all(MIN_WORDS <= len(words(p)) <= MAX_WORDS for p in passages)


def test_abbreviations_do_not_end_sentences():
    sentence = "De auto is z.g.a.n. en kost ca. 9.400 euro volgens Stb. 2017 en mr. Jansen. "
    for passage in split_passages(sentence * 30):
        assert passage.startswith("De auto") and passage.endswith("Jansen.")


def test_text_without_full_stops_is_cut_at_spaces():
    passages = split_passages("woord " * 1000)
    assert len(passages) == 4
    assert all(len(words(p)) == 250 for p in passages)


def test_short_text_is_one_passage():
    assert split_passages("Kort.") == ["Kort."]
    assert split_passages("  \n\n ") == []


def test_text_passages():
    passages = text_passages("Titel\n\nTekst.", "news", section="Kop")
    assert [(p.kind, p.text, p.section) for p in passages] == [("news", "Titel\n\nTekst.", "Kop")]
    assert paragraphs("a\r\n\r\nb") == ["a", "b"]
