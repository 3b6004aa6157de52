"""The finding aids on the command line: similar, suggestions, facets, sorting, paging, --full, show --passage."""

import inspect
import json

import pytest
from click.testing import CliRunner

from beleidzoek.search.cli import cli

SEED = "2017Z07436"


@pytest.fixture()
def run(finding_index, monkeypatch):
    """Run the CLI in-process on the shared finding index; returns the click Result."""
    monkeypatch.delenv("BELEIDZOEK_INDEX", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    separate = "mix_stderr" in inspect.signature(CliRunner.__init__).parameters

    def invoke(*args, input=None):
        runner = CliRunner(mix_stderr=False) if separate else CliRunner()
        return runner.invoke(cli, ["--index", str(finding_index), *map(str, args)], input=input,
                             catch_exceptions=False)

    return invoke


def _ok(result):
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


# --------------------------------------------------------------------------
# similar
# --------------------------------------------------------------------------


def test_similar_for_a_kamervraag_in_the_index(run):
    lines = _ok(run("similar", SEED, "--json", "--limit", "10")).splitlines()
    assert len(lines) == 8  # one per question
    found = []
    for number, line in enumerate(lines, 1):
        data = json.loads(line)
        assert data["label"] == f"{SEED} vraag {number}"
        assert len(data["results"]) == 10
        found += data["results"]
    for item in found:
        assert item["doc"]["doc_id"] != SEED
        assert set(item["doc"]) >= {"number", "date", "submitters", "answerers"}
        hits = [hit for hit in (item["question"], item["answer"]) if hit]
        assert hits and {hit["doc_id"] for hit in hits} == {item["doc"]["doc_id"]}
    metadata = ("number", "date", "submitters", "answerers")
    # the bare QA pairs have none; the Kamervragen found come with theirs
    assert any(all(item["doc"][key] for key in metadata) for item in found)


def test_similar_terminal_output(run):
    out = _ok(run("similar", "Hoe staat het met de gehoorschade bij jongeren?", "--color", "never"))
    lines = out.splitlines()
    assert lines[0].startswith("similar to: Hoe staat het met de gehoorschade")
    assert lines[1] == "" and lines[2].startswith(" 1. question 1 · ")
    assert "    vraag: " in out and "    antwoord: " in out
    assert "[[gehoorschade]]" in out.lower()


def test_similar_shows_who_asked_and_answered(run):
    out = _ok(run("similar", "Welke gevolgen heeft de stikstofuitstoot voor boeren en natuur?",
                  "--limit", "5", "--color", "never"))
    assert "gesteld door " in out and "beantwoord door " in out


def test_similar_reads_stdin_and_files(run, seeds_dir):
    piped = json.loads(_ok(run("similar", "-", "--json", input="Wat doet u tegen gehoorschade?\n")))
    assert piped["label"] == "stdin" and piped["results"]
    from_file = _ok(run("similar", seeds_dir / "kamervraag-2017Z07436.txt", "--json", "-n", "1"))
    assert len(from_file.splitlines()) == 8


def test_similar_exclude_passage(run):
    question = "Deelt u onze grote zorgen over de grote toename van mensen met ernstige gehoorschade?"
    shown = json.loads(_ok(run("similar", question, "--json")))
    assert shown["results"][0]["question"]["passage_id"] == "llqa-0001#0"
    hidden = json.loads(_ok(run("similar", question, "--json", "--exclude-passage", "llqa-0001#0")))
    own = [r for r in hidden["results"] if r["answer"] and r["answer"]["passage_id"] == "llqa-0001#1"]
    assert own and own[0]["question"] is None


def test_similar_needs_a_question(run):
    result = run("similar")
    assert result.exit_code == 2 and "Missing argument" in result.stderr


# --------------------------------------------------------------------------
# search: suggestions, facets, filters
# --------------------------------------------------------------------------


def test_did_you_mean(run):
    out = _ok(run("search", "informatiebeveliging", "--color", "never"))
    assert out.rstrip().endswith("\n\nBedoelde u: informatiebeveiliging")
    data = json.loads(_ok(run("search", "informatiebeveliging", "--json")))
    assert data["suggestion"] == "informatiebeveiliging"
    fuzzy = json.loads(_ok(run("search", "informatiebeveliging", "--fuzzy", "--json")))
    assert "[[informatiebeveiliging]]" in fuzzy["hits"][0]["snippet"].lower()


def test_facets_in_terminal_and_json(run):
    data = json.loads(_ok(run("search", "gemeenten", "--facets", "--json")))
    assert sum(data["facets"]["kind"].values()) == data["total"]
    out = _ok(run("search", "gemeenten", "--facets", "--color", "never", "--limit", "2"))
    facet_lines = out.split("\n\n")[1].splitlines()
    assert [line.split()[0] for line in facet_lines if not line.startswith(" ")] == \
        ["kind", "year", "party", "ministry"]
    assert "answer: " in facet_lines[0]


def test_metadata_filters(run):
    data = json.loads(_ok(run("search", "gemeenten", "--party", "sp", "--ministry", "binnenlandse",
                              "--facets", "--json")))
    assert data["total"] > 0 and data["facets"]["party"]["SP"] == data["total"]
    raak = json.loads(_ok(run("search", "ICT", "--submitter", "Van Raak", "--json")))
    assert {hit["doc_id"] for hit in raak["hits"]} == {SEED}


# --------------------------------------------------------------------------
# search: sorting, paging, grouping, --full
# --------------------------------------------------------------------------


def test_paging_shows_the_range(run):
    out = _ok(run("search", "gemeenten", "--page", "2", "--limit", "5", "--per-doc", "0",
                  "--color", "never"))
    assert out.splitlines()[0].startswith("6–10 of ")
    first = json.loads(_ok(run("search", "gemeenten", "--limit", "5", "--json")))
    second = json.loads(_ok(run("search", "gemeenten", "--limit", "5", "--page", "2", "--json")))
    both = json.loads(_ok(run("search", "gemeenten", "--limit", "10", "--json")))
    assert [h["passage_id"] for h in first["hits"] + second["hits"]] == \
        [h["passage_id"] for h in both["hits"]]
    assert second["offset"] == 5 and second["per_doc"] == 2  # grouped by default


def test_page_and_offset_exclude_each_other(run):
    result = run("search", "gemeenten", "--page", "2", "--offset", "3")
    assert result.exit_code == 2 and "--page or --offset" in result.stderr


def test_grouping_note_and_no_cap(run):
    out = _ok(run("search", "ICT gemeente Groningen", "--color", "never"))
    assert "of the documents above left out (at most 2 per document; --per-doc 0 shows all)" in out
    uncapped = json.loads(_ok(run("search", "ICT gemeente Groningen", "--per-doc", "0", "--json")))
    assert uncapped["collapsed"] == 0 and uncapped["per_doc"] == 0


def test_sort_newest_first(run):
    out = _ok(run("search", "gemeenten", "--sort", "-date", "--color", "never"))
    assert "(newest first, " in out.splitlines()[0]


@pytest.mark.parametrize("sort, newest_first", [("-date", True), ("date", False)])
def test_sort_by_date_with_undated_last(run, sort, newest_first):
    data = json.loads(_ok(run("search", "gemeenten", f"--sort={sort}", "--json", "--limit", "1000")))
    dates = [hit["date"] for hit in data["hits"]]
    dated = [date for date in dates if date]
    assert dated and len(dated) < len(dates) and dates[:len(dated)] == dated  # undated last
    assert dated == sorted(dated, reverse=newest_first) and data["sort"] == sort


def test_full_prints_whole_passages(run):
    short = _ok(run("search", "datalekken", "--limit", "1", "--color", "never"))
    full = _ok(run("search", "datalekken", "--limit", "1", "--full", "--color", "never"))
    assert len(full) > len(short) and "[[datalekken]]" in full
    assert "…" not in full.split("\n", 3)[-1]  # nothing cut


# --------------------------------------------------------------------------
# show --passage
# --------------------------------------------------------------------------


def test_show_passage_of_a_kamervraag(run):
    out = _ok(run("show", SEED, "--passage", "3", "--color", "never"))
    assert "\nVraag 2\n" in out and "\nVraag 3\n" in out and "\nVraag 4\n" in out
    assert "\nVraag 1\n" not in out and "\nVraag 5\n" not in out
    data = json.loads(_ok(run("show", SEED, "--passage", "3", "--json")))
    assert [(p["number"], p["focus"]) for p in data["passages"]] == \
        [("2", False), ("2", False), ("3", True), ("3", True), ("4", False), ("4", False)]


def test_show_unknown_passage(run):
    result = run("show", SEED, "--passage", "12")
    assert result.exit_code == 2
    assert "beleidzoek: error: no question 12 in 2017Z07436 (questions: 1, 2" in result.stderr
