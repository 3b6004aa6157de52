"""The ``beleidzoek`` command line: parse options, call one library function, render.

Exit codes: 0 success; 1 some files were skipped while indexing; 2 a bad query
or usage; 3 the index is missing, incompatible or locked. Errors are one line
on stderr (``beleidzoek: error: ...``); results go to stdout.

Heavy modules (Whoosh, the stemmer) are imported inside the commands, so
``beleidzoek --help`` stays instant.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

# The command's process settings, made before click and Whoosh are imported.

#: Allocations between two young-generation collections (Python's default: 700).
#: A command's objects mostly live until it ends and rarely form cycles, so a
#: collection every 700 allocations walks the same objects again and again. Set
#: before click and Whoosh are imported, 50,000 saves about 3% of the
#: instructions of a search and of ``--help``, and 2-3% of an index build's CPU.
GC_YOUNG_THRESHOLD = 50_000
gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])

# numpy's OpenBLAS starts a thread per core when numpy is imported (a search of a
# large index does, see dense_scores), and starting them costs more CPU than the
# rest of the import; beleidzoek does no linear algebra. Set for the command's
# own process (and its index workers) only, and only where the user has not: a
# program using the library keeps its BLAS threads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import click  # noqa: E402 (after the process settings)

from ..index.errors import BeleidzoekError

ENV_INDEX = "BELEIDZOEK_INDEX"
ENV_DEBUG = "BELEIDZOEK_DEBUG"


def _fail(message: str, code: int) -> None:
    message = " ".join(str(message).split()) or "unknown error"
    click.echo(f"beleidzoek: error: {message}", err=True)
    sys.exit(code)


class _Group(click.Group):
    """A click group that turns library errors into one line on stderr and an exit code."""

    def main(self, *args, **kwargs):
        try:
            return super().main(*args, **kwargs)
        except BeleidzoekError as error:
            _fail(str(error), error.exit_code)
        except KeyboardInterrupt:
            click.echo("beleidzoek: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            # The reader went away (`beleidzoek search x | head -1`): stop quietly.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
        except OSError as error:
            if os.environ.get(ENV_DEBUG):
                raise
            where = f": {error.filename}" if getattr(error, "filename", None) else ""
            _fail(f"{error.strerror or error}{where}", 1)
        except Exception as error:  # a bug: say so in one line, trace on request
            if os.environ.get(ENV_DEBUG):
                raise
            _fail(f"internal error ({type(error).__name__}: {error}); "
                  f"run with {ENV_DEBUG}=1 for details", 1)


class _Options:
    def __init__(self, index_dir: Path, is_default: bool):
        self.index_dir = index_dir
        self.is_default = is_default


def _options(ctx: click.Context) -> _Options:
    return ctx.find_object(_Options)


MAIN_HELP = """Search Dutch policy texts: Kamervragen and their answers, guidance, blogs, laws.

\b
Examples:
  beleidzoek search "ICT-voorzieningen privatiseren"
  beleidzoek search privacy gemeenten --kind answer --since 2020
  beleidzoek index ~/documenten/beleid
  beleidzoek show 2017Z07436
  beleidzoek similar "Welke maatregelen neemt u tegen datalekken bij gemeenten?"
  beleidzoek stats

The first search without an index builds one from the bundled sample corpus.
"""


def _help_width() -> int:
    """The width click wraps help to by its own rule (the terminal's, at most 78,
    at least 50), found without importing shutil: a thirtieth of ``--help``."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return max(min(columns or 80, 80) - 2, 50)


@click.group(cls=_Group, help=MAIN_HELP,
             context_settings={"help_option_names": ["-h", "--help"], "terminal_width": _help_width()})
@click.option("--index", "index_dir", envvar=ENV_INDEX, metavar="DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help=f"Index folder (default: ${ENV_INDEX}, else in your user data folder).")
@click.version_option(package_name="beleidzoek", prog_name="beleidzoek")
@click.pass_context
def cli(ctx: click.Context, index_dir: Path | None) -> None:
    source = ctx.get_parameter_source("index_dir")
    explicit = index_dir is not None and source in (click.core.ParameterSource.COMMANDLINE,
                                                    click.core.ParameterSource.ENVIRONMENT)
    if index_dir is None:
        from ..index.storage import default_index_dir

        index_dir = default_index_dir()
    ctx.obj = _Options(Path(index_dir).expanduser(), is_default=not explicit)


# --------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------


def _progress_factory(label: str):
    """A progress factory for :mod:`.build`: a click bar on stderr, in bytes
    (None when stderr is not a terminal: logs get the summary only)."""
    from contextlib import contextmanager

    if not sys.stderr.isatty():
        return None

    @contextmanager
    def factory(total: int):
        if not total:
            yield None
            return
        with click.progressbar(length=total, label=label, file=sys.stderr, show_eta=True,
                               show_percent=True, width=30) as bar:
            yield bar.update

    return factory


def _open_searcher(ctx: click.Context):
    """A Searcher on the chosen index, building a missing default index first."""
    from .build import ensure_index
    from .results import Searcher

    options = _options(ctx)
    report = ensure_index(options.index_dir, is_default=options.is_default,
                          progress=_progress_factory("building index"),
                          notice=lambda message: click.echo(f"beleidzoek: {message}", err=True))
    if report is not None:
        from .render import index_report_lines

        for line in index_report_lines(report, options.index_dir):
            click.echo(f"beleidzoek: {line}", err=True)
    return Searcher(options.index_dir)


_COLOR = click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
                      show_default=True, help="Highlight with colours (auto: on a terminal, "
                                              "unless NO_COLOR is set).")
_JSON = click.option("--json", "as_json", is_flag=True, help="Write JSON to stdout.")


# --------------------------------------------------------------------------
# index
# --------------------------------------------------------------------------

INDEX_EPILOG = """\b
Examples:
  beleidzoek index                         # the bundled sample corpus
  beleidzoek index ~/beleid corpus.jsonl   # folders and files (.txt, .md, .jsonl)
  beleidzoek index --rebuild ~/beleid      # start from an empty index
  beleidzoek index --prune ~/beleid        # also forget files that were deleted
  beleidzoek index --wait 60 ~/beleid      # queue behind another indexing run

Unchanged files are skipped, changed files replaced. Work is committed every
--batch-size passages: an interrupted or killed run keeps what it committed,
searches meanwhile see the last commit, and running the same command again
resumes. Exit codes: 0 done; 1 some files could not be read (each is listed
with the reason); 3 the index is locked by another run, incompatible, or cannot
be written (disk full); 130 interrupted.
"""


@cli.command("index", epilog=INDEX_EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--rebuild", is_flag=True, help="Empty the index first.")
@click.option("--prune", is_flag=True, help="Remove files from the index that no longer exist.")
@click.option("--wait", type=click.FloatRange(min=0), default=0.0, metavar="SECONDS",
              help="Wait this long for another process writing the index (default: fail at once).")
@click.option("--batch-size", type=click.IntRange(min=1), default=None, metavar="PASSAGES",
              help="Commit every PASSAGES passages (default 50000): smaller loses less "
                   "when interrupted, larger indexes faster.")
@click.option("--optimize", is_flag=True, help="Merge the index into one segment at the end.")
@_JSON
@click.pass_context
def index_command(ctx, paths, rebuild, prune, wait, batch_size, optimize, as_json):
    """Index files and folders (default: the bundled sample corpus)."""
    from ..index.errors import IndexInterrupted
    from .build import build
    from .render import index_report_json, index_report_lines

    options = _options(ctx)
    try:
        report = build(options.index_dir, list(paths), rebuild=rebuild, prune=prune, wait=wait,
                       batch_passages=batch_size, optimize=optimize,
                       progress=_progress_factory("indexing"))
    except IndexInterrupted as interrupted:
        click.echo(f"beleidzoek: {interrupted}", err=True)
        ctx.exit(interrupted.exit_code)
    for line in index_report_lines(report, options.index_dir):
        click.echo(line, err=True)
    if as_json:
        click.echo(index_report_json(report, options.index_dir))
    ctx.exit(1 if report.skipped else 0)


# --------------------------------------------------------------------------
# search
# --------------------------------------------------------------------------

SEARCH_EPILOG = """\b
Query language:
  privacy cloud gemeenten       passages with more of the words rank first
  "Baseline Informatiebeveiliging Overheid"   exact phrase ("..."~2: 2 words slack)
  privacy AND cloud             both (also: +privacy cloud)
  privacy OR AVG                either
  privacy NOT cloud             without (also: privacy -cloud)
  (AVG OR privacy) gemeente     grouping
  informatiebevei*              prefix (2+ letters before * or ?)
  kind:answer year:2024 party:SP ministry:justitie topic:ict
  title:groningen date:2017-06..2017-09 doc_id:2017Z07436 number:3
Stop words (de, het, van, ...) are ignored outside phrases. Acronyms and
synonyms are expanded (AVG also finds GDPR); --no-expand turns that off.

\b
Examples:
  beleidzoek search "ICT-voorzieningen privatiseren"
  beleidzoek search gegevensbescherming --kind kamervraag --since 2023
  beleidzoek search --phrase "Baseline Informatiebeveiliging Overheid" --limit 3
  beleidzoek search "cloud NOT aanbesteding" --json
  beleidzoek search privacy --facets --party SP --ministry justitie
  beleidzoek search datalek --sort -date --page 2          # newest first, hits 11-20
  beleidzoek search informatiebeveliging --fuzzy           # typing errors forgiven
  beleidzoek search --queries vragen.txt > resultaten.jsonl

Results are grouped: at most --per-doc passages of one document (default 2;
0 = all), so one long law does not fill the page; the total counts every
matching passage. --sort -date puts the newest first, --sort date the oldest;
undated passages come last either way. A word the index does not know gets
a corrected query suggested ("Bedoelde u: ..."; "suggestion" in JSON).

With --queries FILE (one query per line, "-" for stdin; empty lines and lines
starting with # are skipped) each result is one JSON line, in order; a query
that cannot be searched gives {"query": ..., "error": ...} and exit code 2.
"""


def _metadata_options(command):
    """``--party``, ``--submitter``, ``--ministry`` and ``--topic`` (repeatable, case-insensitive)."""
    for name, help_text in reversed((
            ("party", "Kamervragen by members of PARTY (e.g. SP)."),
            ("submitter", "Kamervragen submitted by NAME (e.g. \"van raak\")."),
            ("ministry", "Kamervragen answered by MINISTRY (a part will do: justitie)."),
            ("topic", "Documents about TOPIC."))):
        command = click.option(f"--{name}", multiple=True, metavar=name.upper(),
                               help=help_text + " Repeat for either.")(command)
    return command


@cli.command("search", epilog=SEARCH_EPILOG)
@click.argument("query", nargs=-1)
@click.option("--phrase", multiple=True, metavar="TEXT",
              help="Require this exact phrase (repeatable).")
@click.option("--kind", multiple=True, metavar="KIND",
              help="question, answer, kamervraag (both), blog, guidance, law, news "
                   "(repeat or comma-separate).")
@click.option("--since", metavar="DATE", help="On or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="On or before DATE (YYYY, YYYY-MM or YYYY-MM-DD).")
@_metadata_options
@click.option("--limit", "-n", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="Number of hits to show (per page).")
@click.option("--page", type=click.IntRange(min=1), default=None, metavar="N",
              help="Show page N (hits (N-1)*limit+1 ...).")
@click.option("--offset", type=click.IntRange(min=0), default=None, help="Skip this many hits.")
@click.option("--sort", type=click.Choice(["relevance", "date", "-date"]), default="relevance",
              show_default=True, help="-date: newest first; date: oldest first.")
@click.option("--per-doc", type=click.IntRange(min=0), default=2, show_default=True, metavar="N",
              help="At most N passages of one document (0: no cap).")
@click.option("--facets", is_flag=True, help="Count all matches per kind, year, party, ministry.")
@click.option("--fuzzy", is_flag=True, help="Also match words 1-2 typing errors away (6+ letters).")
@click.option("--full", is_flag=True, help="Print whole passages instead of snippets.")
@click.option("--no-expand", is_flag=True, help="Do not expand acronyms and synonyms.")
@click.option("--queries", "queries_file", metavar="FILE",
              help="Run one query per line of FILE; JSON lines out.")
@click.option("--explain", is_flag=True, help="Also print the compiled query on stderr.")
@_JSON
@_COLOR
@click.pass_context
def search_command(ctx, query, phrase, kind, since, until, party, submitter, ministry, topic, limit,
                   page, offset, sort, per_doc, facets, fuzzy, full, no_expand, queries_file, explain,
                   as_json, color):
    """Search the index (QUERY: words, "phrases", AND/OR/NOT, field:value)."""
    from .query import filter_query
    from .render import (error_json, render_notes, render_search, search_json, terminal_width,
                         use_color)

    text = " ".join(query).strip()
    if queries_file and (text or phrase):
        raise click.UsageError("give either a QUERY or --queries FILE, not both")
    if not queries_file and not text and not phrase:
        raise click.UsageError("give a QUERY (or --phrase TEXT, or --queries FILE); "
                               "see `beleidzoek search --help`")
    if page is not None and offset is not None:
        raise click.UsageError("give either --page or --offset, not both")
    # Validate the filters before opening (or building) an index.
    metadata = dict(party=party, submitter=submitter, ministry=ministry, topic=topic)
    filter_query(kind, since, until, **metadata)
    queries = None
    if queries_file:
        from .questions import read_queries

        queries = read_queries(queries_file, stdin=sys.stdin)
    offset = (page - 1) * limit if page else offset or 0
    options = dict(phrase=list(phrase), kind=list(kind) or None, since=since, until=until,
                   limit=limit, offset=offset, sort=sort, per_doc=per_doc, facets=facets,
                   fuzzy=fuzzy, full=full, expand=not no_expand, **metadata)
    with _open_searcher(ctx) as searcher:
        if queries is not None:
            failed = 0
            for number, line in enumerate(queries, 1):
                try:
                    result = searcher.search(line, **options)
                except BeleidzoekError as error:
                    failed += 1
                    click.echo(f"beleidzoek: error: query {number}: {error}", err=True)
                    click.echo(error_json(line, str(error)))
                    continue
                click.echo(search_json(result))
            ctx.exit(2 if failed else 0)
        if explain:
            parsed = searcher.parse(text, expand=not no_expand, phrases=list(phrase), fuzzy=fuzzy)
            click.echo(f"query: {parsed.query}", err=True)
        result = searcher.search(text, **options)
        if as_json:
            click.echo(search_json(result))
            return
        for note in render_notes(result):
            click.echo(f"beleidzoek: {note}", err=True)
        stdout = sys.stdout
        colored = use_color(color, stdout)
        click.echo(render_search(result, width=terminal_width(stdout), color=colored), nl=False,
                   color=colored)


# --------------------------------------------------------------------------
# similar
# --------------------------------------------------------------------------

SIMILAR_EPILOG = """\b
Examples:
  beleidzoek similar "Hoe beschermen gemeenten persoonsgegevens bij uitbesteding van ICT?"
  beleidzoek similar 2017Z07436              # each question of a Kamervraag in the index
  beleidzoek similar nieuwe-vragen.txt       # each question of a file (.txt, .md, .jsonl)
  pbpaste | beleidzoek similar -             # a question on stdin
  beleidzoek similar 2017Z07436 --limit 3 --json

For each question: the earlier questions most like it, each with the answer
the government gave and who asked and answered. A document given by id is
left out of its own results. --json writes one line per question:
{"query", "label", "terms", "took_ms", "results": [{"rank", "score",
"question": hit|null, "answer": hit|null, "doc": {"doc_id", "title",
"number", "date", "submitted", "answered", "submitters", "answerers"}}]}.
"""


@cli.command("similar", epilog=SIMILAR_EPILOG)
@click.argument("question", nargs=-1, required=True)
@click.option("--limit", "-n", type=click.IntRange(1, 100), default=5, show_default=True,
              help="Similar questions per question.")
@click.option("--exclude-passage", multiple=True, metavar="PASSAGE_ID",
              help="Leave this passage out (e.g. 2017Z07436#2; repeatable).")
@_JSON
@_COLOR
@click.pass_context
def similar_command(ctx, question, limit, exclude_passage, as_json, color):
    """Find earlier questions like QUESTION, with their answers (QUESTION: text, '-', FILE or DOC_ID)."""
    from .questions import resolve
    from .render import terminal_width, use_color
    from .render_similar import render_similar, similar_json

    with _open_searcher(ctx) as searcher:
        inputs = resolve(searcher, " ".join(question), stdin=sys.stdin)
        stdout = sys.stdout
        colored = use_color(color, stdout)
        for number, item in enumerate(inputs):
            result = searcher.similar(item.text, limit=limit, exclude_docs=item.exclude_docs,
                                      exclude_passages=exclude_passage, label=item.label)
            if as_json:
                click.echo(similar_json(result))
                continue
            separator = "\n" if number else ""
            click.echo(separator + render_similar(result, width=terminal_width(stdout), color=colored),
                       nl=False, color=colored)


# --------------------------------------------------------------------------
# show and stats
# --------------------------------------------------------------------------

SHOW_EPILOG = """\b
Examples:
  beleidzoek show 2017Z07436                 # a Kamervraag by its number
  beleidzoek show blog-samen-uit-samen-thuis
  beleidzoek show 2017Z07436 --passage 3     # question 3 and its answer, with neighbours
  beleidzoek show blog-samen-uit-samen-thuis --passage 4    # passage 4 (as in ...#4)
  beleidzoek show 2017Z07436 --json
"""


@cli.command("show", epilog=SHOW_EPILOG)
@click.argument("doc_id")
@click.option("--passage", metavar="N",
              help="Only passage N and its neighbours (a Kamervraag: question N and its answer).")
@_JSON
@_COLOR
@click.pass_context
def show_command(ctx, doc_id, passage, as_json, color):
    """Show a document with all its passages (DOC_ID: a doc id or Kamervraag number)."""
    from .documents import passage_window
    from .render import document_json, render_document, terminal_width, use_color

    with _open_searcher(ctx) as searcher:
        doc = searcher.show(doc_id)
    focus = None
    if passage is not None:
        doc, focus = passage_window(doc, passage)
    if as_json:
        click.echo(document_json(doc, focus))
        return
    stdout = sys.stdout
    colored = use_color(color, stdout)
    click.echo(render_document(doc, width=terminal_width(stdout), color=colored,
                               wrap=stdout.isatty(), focus=focus), nl=False, color=colored)


STATS_EPILOG = """\b
Examples:
  beleidzoek stats
  beleidzoek --index /tmp/mijn-index stats --json
"""


@cli.command("stats", epilog=STATS_EPILOG)
@_JSON
@_COLOR
@click.pass_context
def stats_command(ctx, as_json, color):
    """Documents and passages per kind and year, index size, analyzer."""
    from .render import render_stats, stats_json, use_color

    with _open_searcher(ctx) as searcher:
        stats = searcher.stats()
    if as_json:
        click.echo(stats_json(stats))
        return
    colored = use_color(color, sys.stdout)
    click.echo(render_stats(stats, color=colored), color=colored)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point.

    When nothing is left to run at exit (no ``atexit`` callbacks, as an
    indexing run's worker pool registers, no other thread, no profiler or
    tracer), the process flushes its output and ends with ``os._exit``:
    tearing the interpreter down frees every module and object one by one,
    5% of a search's instructions, and does nothing else a finished command
    needs (its files are closed, its index commits done).
    """
    try:
        cli.main(args=argv, prog_name="beleidzoek")
    except SystemExit as stop:
        if isinstance(stop.code, int | None) and _nothing_left_at_exit():
            try:
                for stream in (sys.stdout, sys.stderr):
                    if stream is not None:  # None: started without one
                        stream.flush()
            except (OSError, ValueError):
                raise stop from None  # the normal exit reports or hides it, as before
            os._exit(stop.code or 0)
        raise


def _nothing_left_at_exit() -> bool:
    import atexit
    import threading

    callbacks = getattr(atexit, "_ncallbacks", None)  # CPython's; elsewhere, exit as usual
    return (callbacks is not None and callbacks() == 0 and threading.active_count() == 1
            and sys.gettrace() is None and sys.getprofile() is None)


if __name__ == "__main__":  # pragma: no cover
    main()
