"""The command line: output shapes, exit codes, one-line errors, no tracebacks."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from beleidzoek.index.writer import index_paths
from beleidzoek.search.cli import cli

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
KAMERVRAGEN = SHARED / "corpus" / "kamervragen"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    """The two seeds and the 99 Kamervragen, indexed once for this module."""
    assert SEEDS.is_dir(), f"test data missing: {SEEDS}"
    folder = tmp_path_factory.mktemp("cli-index")
    index_paths(folder, [SEEDS, KAMERVRAGEN])
    return folder


@pytest.fixture()
def run(index_dir, monkeypatch):
    """Run the CLI in-process on the shared index; returns the click Result."""
    monkeypatch.delenv("BELEIDZOEK_INDEX", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)

    def invoke(*args, index=index_dir, input=None):
        runner = CliRunner(mix_stderr=False) if _has_mix_stderr() else CliRunner()
        prefix = ["--index", str(index)] if index is not None else []
        return runner.invoke(cli, prefix + [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


def _has_mix_stderr() -> bool:
    import inspect

    return "mix_stderr" in inspect.signature(CliRunner.__init__).parameters


def assert_clean_error(result, code: int, words: str):
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert any(line.startswith("beleidzoek: error: ") and words in line for line in lines), result.stderr
    assert "Traceback" not in result.stderr + result.stdout


# --------------------------------------------------------------------------
# search
# --------------------------------------------------------------------------


def test_search_json_shape(run):
    result = run("search", "ICT-voorzieningen privatiseren", "--json", "--limit", "3")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"query", "total", "total_exact", "took_ms", "offset", "limit", "sort", "per_doc",
                         "collapsed", "hits", "suggestion"}
    assert data["query"] == "ICT-voorzieningen privatiseren" and data["total"] >= 3
    assert len(data["hits"]) == 3
    for hit in data["hits"]:
        assert set(hit) == {"rank", "score", "doc_id", "passage_id", "kind", "number", "title",
                            "date", "source", "text", "snippet", "question"}
    assert "2017Z07436" in {hit["doc_id"] for hit in data["hits"]}
    assert any("[[" in hit["snippet"] and "]]" in hit["snippet"] for hit in data["hits"])


def test_search_terminal_output(run):
    result = run("search", "aanbesteding", "--kind", "answer", "--color", "never")
    assert result.exit_code == 0, result.stderr
    assert "passages for" in result.stdout.splitlines()[0]
    assert " 1. answer " in result.stdout
    assert "antwoord op vraag" in result.stdout
    assert "\x1b[" not in result.stdout


def test_search_color_always_uses_ansi(run):
    result = run("search", "privatiseren", "--color", "always", "--limit", "1")
    assert "\x1b[1m" in result.stdout and "[[" not in result.stdout


def test_search_filters_and_phrase_option(run):
    result = run("search", "gemeenten", "--kind", "question", "--since", "2024", "--json", "-n", "20")
    hits = json.loads(result.stdout)["hits"]
    assert hits and all(h["kind"] == "question" and h["date"] >= "2024" for h in hits)
    result = run("search", "--phrase", "Baseline Informatiebeveiliging Overheid", "--json")
    hits = json.loads(result.stdout)["hits"]
    assert "blog-samen-uit-samen-thuis" in {h["doc_id"] for h in hits}


def test_queries_file_gives_one_json_line_per_query(run, tmp_path):
    queries = tmp_path / "queries.txt"
    queries.write_text("privatiseren\n\n# a comment\nBaseline Informatiebeveiliging\n\"unclosed\n"
                       "gemeenten datalekken\n", encoding="utf-8")
    result = run("search", "--queries", queries, "--limit", "2")
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    objects = [json.loads(line) for line in lines]
    assert [o["query"] for o in objects] == ["privatiseren", "Baseline Informatiebeveiliging",
                                             '"unclosed', "gemeenten datalekken"]
    assert objects[2] == {"query": '"unclosed', "error": "unclosed quote in query"}
    assert all(len(o["hits"]) <= 2 for o in objects if "hits" in o)
    assert result.exit_code == 2
    assert "query 3: unclosed quote" in result.stderr and "Traceback" not in result.stderr


def test_queries_from_stdin(run):
    result = run("search", "--queries", "-", "--json", input="privacy\nICT\n")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2


@pytest.mark.parametrize("query,message", [('"unclosed', "unclosed quote in query"),
                                           ("AND OR NOT", "query has no search terms"),
                                           ("(a OR", "unclosed parenthesis"),
                                           ("title:", "'title:' has no value"),
                                           ("*", "wildcard")])
def test_broken_queries_give_one_line_and_exit_2(run, query, message):
    assert_clean_error(run("search", query), 2, message)


def test_bad_options_give_clear_errors(run):
    assert_clean_error(run("search", "privacy", "--since", "2017-13-01"), 2, "bad --since date")
    assert_clean_error(run("search", "privacy", "--kind", "memo"), 2, "unknown kind 'memo'")
    result = run("search")
    assert result.exit_code == 2 and "give a QUERY" in result.stderr


# --------------------------------------------------------------------------
# show and stats
# --------------------------------------------------------------------------


def test_show_kamervraag_by_number_json(run):
    result = run("show", "2017Z07436", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    questions = [p for p in doc["passages"] if p["kind"] == "question"]
    answers = [p for p in doc["passages"] if p["kind"] == "answer"]
    assert [p["number"] for p in questions] == [str(n) for n in range(1, 9)]
    assert [p["number"] for p in answers] == [str(n) for n in range(1, 9)]
    assert doc["submitted"] == "2017-06-02" and doc["answered"] == "2017-06-22"
    assert doc["submitters"] == ["Ronald van Raak (SP)"]
    assert doc["topics"] == ["bestuur", "economie", "gemeenten", "ict"]
    assert all(set(p) == {"kind", "number", "position", "text"} for p in doc["passages"])
    assert [p["position"] for p in doc["passages"]] == list(range(16))


def test_show_also_accepts_the_jsonl_style_id(run):
    result = run("show", "kamervraag-2017Z07436", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["number"] == "2017Z07436"


def test_show_seed_blog(run):
    result = run("show", "blog-samen-uit-samen-thuis", "--json")
    doc = json.loads(result.stdout)
    assert doc["title"] == "Samen uit, samen thuis"
    text = "\n".join(p["text"] for p in doc["passages"])
    assert "Hof van Twente" in text and "slimmer organiseren is samen organiseren" in text
    assert "Plaats een reactie" not in text
    plain = run("show", "blog-samen-uit-samen-thuis")
    assert plain.stdout.startswith("Samen uit, samen thuis\n")
    assert "Plaats een reactie" not in plain.stdout


def test_show_terminal_output(run):
    result = run("show", "2017Z07436", "--color", "never")
    assert result.stdout.startswith("Het bericht dat de gemeente Groningen de ICT-voorzieningen privatiseert")
    assert "Vraag 1\n" in result.stdout and "Antwoord 8\n" in result.stdout
    assert "Ronald van Raak (SP)" in result.stdout


def test_show_unknown_document(run):
    assert_clean_error(run("show", "2099Z00000"), 2, "no document '2099Z00000'")


def test_stats_json(run):
    result = run("stats", "--json")
    assert result.exit_code == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["documents"] >= 100 and stats["passages"] > 1000 and stats["files"] >= 100
    assert stats["documents_by_kind"]["blog"] == 1 and stats["size_bytes"] > 0
    assert stats["analyzer"].startswith("beleidzoek-dutch")
    assert "2017" in stats["documents_by_year"]
    assert "documents" in run("stats").stdout


# --------------------------------------------------------------------------
# index
# --------------------------------------------------------------------------


def test_index_twice_leaves_stats_unchanged(run, tmp_path):
    index = tmp_path / "ix"
    first = run("index", SEEDS, "--json", index=index)
    assert first.exit_code == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["documents"] == 2 and report["files_indexed"] == 2 and not report["skipped"]
    assert "indexed 2 documents" in first.stderr
    before = json.loads(run("stats", "--json", index=index).stdout)
    second = run("index", SEEDS, "--json", index=index)
    assert json.loads(second.stdout)["files_unchanged"] == 2
    after = json.loads(run("stats", "--json", index=index).stdout)
    before.pop("size_bytes"), after.pop("size_bytes")
    assert before == after


def test_bad_files_are_skipped_with_a_reason(run, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "leeg.txt").write_bytes(b"")
    (folder / "binair.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "latin1.txt").write_bytes("Privacy\n\nDe privacy van burgers in caf\xe9s is belangrijk.\n"
                                        .encode("latin-1"))
    (folder / "kapot.jsonl").write_text('{"id": "a", "kind": "blog", "title": "T", "text": "Tekst over priv',
                                        encoding="utf-8")
    index = tmp_path / "ix"
    result = run("index", folder, index=index)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr + result.stdout
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == 3, result.stderr
    assert any("leeg.txt" in line for line in skipped)
    assert any("binair.txt" in line for line in skipped)
    assert any("kapot.jsonl" in line for line in skipped)
    assert not any("latin1.txt" in line for line in skipped)
    found = run("search", "caf\u00e9s", "--json", index=index)
    assert json.loads(found.stdout)["total"] == 1


def test_missing_explicit_index(run, tmp_path):
    missing = tmp_path / "nowhere"
    result = run("search", "privacy", index=missing)
    assert_clean_error(result, 3, f"no index at {missing}: run `beleidzoek index` first")
    assert_clean_error(run("stats", index=missing), 3, "no index at")


def test_missing_default_index_is_built_from_the_sample(run, tmp_path, monkeypatch):
    sample = tmp_path / "sample"
    sample.mkdir()
    (sample / "blog-samen-uit-samen-thuis.txt").write_bytes((SEEDS / "blog-samen-uit-samen-thuis.txt").read_bytes())
    monkeypatch.setattr("beleidzoek.corpus.sample.sample_dir", lambda: sample)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    result = run("search", "Hof van Twente", "--json", index=None)
    assert result.exit_code == 0, result.stderr
    assert "building one from the bundled sample corpus" in result.stderr
    assert json.loads(result.stdout)["total"] >= 1
    again = run("search", "Hof van Twente", "--json", index=None)
    assert "building" not in again.stderr


def test_missing_index_named_by_environment_is_not_built(run, tmp_path, monkeypatch):
    monkeypatch.setenv("BELEIDZOEK_INDEX", str(tmp_path / "env-index"))
    assert_clean_error(run("search", "privacy", index=None), 3, "no index at")


# --------------------------------------------------------------------------
# help, version, import weight
# --------------------------------------------------------------------------


@pytest.mark.parametrize("command", [[], ["index"], ["search"], ["show"], ["stats"]])
def test_every_help_has_examples(run, command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout and "beleidzoek " in result.stdout


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0 and "beleidzoek" in result.stdout


def test_help_does_not_import_whoosh():
    code = ("import atexit, sys\n"
            "from beleidzoek.search.cli import main\n"
            "atexit.register(lambda: print('HEAVY', [m for m in sys.modules if m.split('.')[0]\n"
            "                in ('whoosh', 'Stemmer', 'snowballstemmer', 'wordfreq')]))\n"
            "main(['--help'])\n")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    assert output.returncode == 0, output.stderr
    assert "HEAVY []" in output.stdout, output.stdout


def test_collector_threshold_is_raised_before_click_is_imported():
    code = ("import gc, sys\n"
            "class Watch:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name == 'click':\n"
            "            print('CLICK', gc.get_threshold()[0])\n"
            "sys.meta_path.insert(0, Watch())\n"
            "from beleidzoek.search import cli\n"
            "print('AFTER', gc.get_threshold()[0], cli.GC_YOUNG_THRESHOLD)\n")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert output.returncode == 0, output.stderr
    assert output.stdout.split() == ["CLICK", "50000", "AFTER", "50000", "50000"]


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads in /proc")
@pytest.mark.parametrize("preset", [None, "2"])
def test_command_keeps_numpy_to_one_thread_unless_told(preset):
    code = ("import os\n"
            "from beleidzoek.search import cli\n"
            "import numpy\n"
            "print(os.environ['OPENBLAS_NUM_THREADS'], len(os.listdir('/proc/self/task')))\n")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if preset:
        env["OPENBLAS_NUM_THREADS"] = preset
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert output.returncode == 0, output.stderr
    setting, threads = output.stdout.split()
    assert setting == (preset or "1")
    if not preset:
        assert threads == "1"


@pytest.mark.parametrize("columns", [None, "40", "60", "79", "120", "0", "wide"])
def test_help_is_as_wide_as_click_makes_it(monkeypatch, columns):
    import shutil

    from beleidzoek.search.cli import _help_width

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.delenv("LINES", raising=False)
    assert _help_width() == max(min(shutil.get_terminal_size().columns, 80) - 2, 50)


def test_console_script_errors_have_no_traceback(index_dir, tmp_path):
    """The real entry point in a subprocess: a broken query and a missing index."""
    script = [sys.executable, "-c", "from beleidzoek.search.cli import main; main()"]
    broken = subprocess.run(script + ["--index", str(index_dir), "search", "AND OR NOT"],
                            capture_output=True, text=True, timeout=60)
    assert broken.returncode == 2
    assert broken.stderr.strip() == "beleidzoek: error: query has no search terms"
    missing = subprocess.run(script + ["--index", str(tmp_path / "none"), "show", "x"],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 3 and "Traceback" not in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1


_EXIT_CHECK = """
import atexit, sys
from beleidzoek.search.cli import main

class Teardown:  # freed when the interpreter tears its modules down
    def __del__(self):
        print("TEARDOWN", file=sys.stderr)

teardown = Teardown()
if sys.argv[1] == "atexit":
    atexit.register(print, "AT EXIT", file=sys.stderr)
if sys.argv[1] == "no stdout":  # as when started with stdout closed
    sys.stdout = None
main(sys.argv[2:])
"""


@pytest.mark.parametrize("args, code", [(["search", "ICT-voorzieningen", "--limit", "50"], 0),
                                        (["search", "ICT", "--json", "--limit", "50"], 0),
                                        (["search", "AND OR NOT"], 2),
                                        (["--index", "{missing}", "stats"], 3)])
def test_console_script_skips_teardown_only_when_nothing_is_left_at_exit(index_dir, tmp_path, args, code):
    """Without atexit work, ``main`` ends with os._exit after flushing: the
    same output and exit code as the interpreter's own exit, which still
    happens (callbacks, teardown) when an atexit callback is registered."""
    args = ["--index", str(index_dir), *[a.format(missing=tmp_path / "none") for a in args]]
    fast, normal = (subprocess.run([sys.executable, "-c", _EXIT_CHECK, how, *args], capture_output=True,
                                   text=True, timeout=60) for how in ("fast", "atexit"))
    assert fast.returncode == normal.returncode == code
    def untimed(out):
        return re.sub(r'\(\d+ ms\)|"took_ms": [\d.]+', "", out)

    assert untimed(fast.stdout) == untimed(normal.stdout) and (fast.stdout or code)
    assert "TEARDOWN" not in fast.stderr
    assert normal.stderr == fast.stderr + "AT EXIT\nTEARDOWN\n"


def test_console_script_without_stdout_exits_cleanly(index_dir):
    run = subprocess.run([sys.executable, "-c", _EXIT_CHECK, "no stdout", "--index", str(index_dir),
                          "search", "ICT"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stderr == "" and run.stdout == ""
