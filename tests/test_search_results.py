"""Searching a real index: ranking, phrases, filters, answers with their questions, snippets."""

import re
from pathlib import Path

import pytest

from beleidzoek.index.writer import index_paths
from beleidzoek.search.query import QueryError
from beleidzoek.search.results import HIT_JSON_KEYS, Searcher

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED_KAMERVRAAG = "2017Z07436"
SEED_BLOG = "blog-samen-uit-samen-thuis"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    """The two seeds and the 99 Kamervragen, indexed once for this module."""
    assert (SHARED / "seeds").is_dir(), f"test data missing: {SHARED / 'seeds'}"
    folder = tmp_path_factory.mktemp("index")
    report = index_paths(folder, [SHARED / "seeds", SHARED / "corpus" / "kamervragen"])
    assert report.documents >= 100 and not report.skipped
    return folder


@pytest.fixture(scope="module")
def searcher(index_dir):
    with Searcher(index_dir) as session:
        yield session


def _flat(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def test_seed_kamervraag_is_in_the_top_3(searcher):
    result = searcher.search("ICT-voorzieningen privatiseren")
    assert result.total >= 3
    assert SEED_KAMERVRAAG in [hit.doc_id for hit in result.hits[:3]]
    assert [hit.rank for hit in result.hits] == list(range(1, len(result.hits) + 1))
    scores = [hit.score for hit in result.hits]
    assert scores == sorted(scores, reverse=True)


def test_passages_with_more_of_the_words_rank_first(tmp_path):
    corpus = tmp_path / "guidance"
    corpus.mkdir()
    texts = {
        "alle-drie": "Het archief bewaart de cloudopslag en de privacyverklaring. Archief, cloud en privacy.",
        "twee": "Het archief gebruikt de cloud voor opslag van stukken en verslagen van overleggen.",
        "een-vaak": "Archief archief archief. Het archief is een archief met een archief van archieven.",
    }
    for name, text in texts.items():
        (corpus / f"{name}.txt").write_text(f"Titel {name}\n\n{text}\n", encoding="utf-8")
    index_paths(tmp_path / "ix", [corpus])
    with Searcher(tmp_path / "ix") as session:
        hits = session.search("archief cloud privacy").hits
    order = [hit.doc_id for hit in hits]
    positions = {name: next(i for i, d in enumerate(order) if name in d) for name in texts}
    assert positions["alle-drie"] < positions["twee"] < positions["een-vaak"], order


def test_phrase_returns_only_passages_with_the_words_in_order(searcher):
    result = searcher.search('"Baseline Informatiebeveiliging Overheid"', limit=50)
    assert result.hits
    for hit in result.hits:
        assert "baseline informatiebeveiliging overheid" in _flat(hit.title + " " + hit.text), hit.passage_id
    assert SEED_BLOG in {hit.doc_id for hit in result.hits}
    assert result.total == len(result.hits)


def test_phrase_option_is_required(searcher):
    result = searcher.search("gemeenten", phrase="Baseline Informatiebeveiliging", limit=50)
    assert result.hits
    assert all("baseline informatiebeveiliging" in _flat(h.title + " " + h.text) for h in result.hits)


def test_kind_filter(searcher):
    for kind in ("answer", "question", "blog"):
        result = searcher.search("gemeenten", kind=kind, limit=20)
        assert result.hits and {hit.kind for hit in result.hits} == {kind}
    both = searcher.search("gemeenten", kind="kamervraag", limit=50)
    assert {hit.kind for hit in both.hits} <= {"question", "answer"}
    with pytest.raises(QueryError, match="unknown kind"):
        searcher.search("gemeenten", kind="memo")


def test_since_and_until_filters(searcher):
    recent = searcher.search("gemeenten", since="2024", limit=50)
    assert recent.hits and all(hit.date >= "2024-01-01" for hit in recent.hits)
    old = searcher.search("gemeenten", until="2017", limit=50)
    assert old.hits and all(hit.date <= "2017-12-31" for hit in old.hits)
    assert SEED_KAMERVRAAG in {hit.doc_id for hit in old.hits}
    june = searcher.search("privatiseren", since="2017-06", until="2017-06-30")
    assert june.hits and all(hit.date.startswith("2017-06") for hit in june.hits)
    with pytest.raises(QueryError, match="bad --since date"):
        searcher.search("gemeenten", since="2017-13-01")


def test_answer_hits_carry_their_question(searcher):
    result = searcher.search("aanbestedingsregels", kind="answer", limit=5)
    assert result.hits
    for hit in result.hits:
        assert hit.question and hit.number
    top = result.hits[0]
    document = searcher.show(top.doc_id)
    questions = {p.number: p.text for p in document.passages if p.kind == "question"}
    assert top.question == questions[top.number]


def test_snippets_mark_matched_words(searcher):
    result = searcher.search("privatiseren datalekken", limit=5)
    assert result.hits
    for hit in result.hits:
        assert "\n" not in hit.snippet
    marked = [m.lower() for hit in result.hits for m in re.findall(r"\[\[(.+?)\]\]", hit.snippet)]
    assert any(m.startswith("privati") for m in marked)
    assert any("datalek" in m for m in marked)
    phrase = searcher.search('"Baseline Informatiebeveiliging Overheid"', limit=1).hits[0]
    assert "[[Baseline Informatiebeveiliging Overheid]]" in phrase.snippet


def test_compound_part_finds_and_marks_the_compound(searcher):
    result = searcher.search("beveiliging", limit=20)
    assert SEED_BLOG in {hit.doc_id for hit in result.hits}
    blog = [h for h in result.hits if h.doc_id == SEED_BLOG]
    assert any(re.search(r"\[\[\w*beveiliging\w*\]\]", h.snippet, re.I) for h in blog)


def test_field_queries(searcher):
    result = searcher.search("party:SP privatiseren", limit=20)
    assert result.hits and all(h.doc_id == SEED_KAMERVRAAG for h in result.hits)
    numbered = searcher.search(f"doc_id:{SEED_KAMERVRAAG} number:3 kind:answer")
    assert [(h.kind, h.number) for h in numbered.hits] == [("answer", "3")]
    assert searcher.search("year:2017", limit=100).total == 16
    assert searcher.search("NOT gemeenten", limit=1).total > 0


def test_many_queries_in_one_session(searcher):
    results = list(searcher.search_many(["privacy", '"unclosed', "ICT"], limit=2))
    assert isinstance(results[1], QueryError)
    assert results[0].hits and results[2].hits


def test_long_question_query_is_fast_and_relevant(searcher):
    question = ("Kunt u garanderen dat de gegevens van de Groningse inwoners veilig zijn, wanneer de "
                "ICT-voorzieningen van de gemeente worden geprivatiseerd? Zo nee, wat gaat u doen om "
                "deze veiligheid te garanderen?")
    result = searcher.search(question, kind="answer", limit=3)
    assert result.took_ms < 2000
    assert result.hits[0].doc_id == SEED_KAMERVRAAG and result.hits[0].number == "4"


def test_json_shape(searcher):
    data = searcher.search("privacy", limit=2).to_json()
    assert set(data) == {"query", "total", "total_exact", "took_ms", "offset", "limit", "sort", "per_doc",
                         "collapsed", "hits", "suggestion"}
    assert all(tuple(hit) == HIT_JSON_KEYS for hit in data["hits"])


def test_limit_and_offset(searcher):
    first = searcher.search("gemeenten", limit=5)
    second = searcher.search("gemeenten", limit=5, offset=5)
    assert [h.rank for h in second.hits] == [6, 7, 8, 9, 10]
    assert not {h.passage_id for h in first.hits} & {h.passage_id for h in second.hits}
    with pytest.raises(QueryError):
        searcher.search("gemeenten", limit=0)


def test_show_by_number_and_stats(searcher):
    document = searcher.show(SEED_KAMERVRAAG)
    assert document.number == SEED_KAMERVRAAG and len(document.passages) == 16
    stats = searcher.stats()
    assert stats.documents >= 100 and stats.passages > 1000
    assert stats.documents_by_kind["kamervraag"] >= 99
    assert stats.passages_by_kind["question"] >= 983 - 1
    assert stats.size_bytes > 0 and stats.analyzer.startswith("beleidzoek-dutch")


def test_not_excludes_even_the_first_match(searcher):
    """Whoosh's AndNot let the first match through when the excluded word
    occurred in an earlier record (the document record of the same file)."""
    result = searcher.search("ICT NOT gemeente", limit=1000)
    assert result.total > 0
    assert not [hit.passage_id for hit in result.hits if re.search(r"\bgemeente\b", hit.text, re.I)]


def test_hits_take_title_and_source_from_their_document_record(searcher):
    """A passage stores neither (the document record does), nor its id, yet every hit shows them."""
    hits = searcher.search("ICT-voorzieningen privatiseren", limit=20).hits
    seed = next(hit for hit in hits if hit.doc_id == SEED_KAMERVRAAG)
    document = searcher.show(SEED_KAMERVRAAG)
    assert seed.title == document.title and seed.title
    assert seed.source == document.source
    whoosh = searcher.whoosh_searcher
    stored = whoosh.stored_fields(whoosh.document_number(doc_id=SEED_KAMERVRAAG, record="passage"))
    assert not {"title", "source", "passage_id"} & set(stored)
    assert seed.passage_id == f"{SEED_KAMERVRAAG}#{seed.position}"
    for hit in hits:
        assert hit.title == searcher.show(hit.doc_id).title
