"""Start-up and filter costs, measured as CPU time on a machine shared with other jobs.

Two measurements the speed benchmark does not make (issue 4's targets)::

    python bench/latency.py cli INDEX_DIR [--runs 20]     # whole processes
    python bench/latency.py filters INDEX_DIR [--repeat 4]  # one search session

``cli`` runs ``python -c pass``, ``beleidzoek --help`` and ``beleidzoek
search "beperkt berichten leid"`` in turn, round after round (so a busy spell
hits all three), and gives each one's median and least user+system CPU.
``filters`` runs the filtered queries of ``bench/speed.py`` with their kind
and dates, with the kind only, and without filters, in one session: per query
the least CPU of ``--repeat`` runs, then the median over the queries; "first
use" empties the searcher's filter cache before each run, as a fresh process
(one ``beleidzoek search --kind ...``) has it. The processes run without
``PYTHONDONTWRITEBYTECODE``, so they time what a user runs: compiled bytecode.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import scale

QUERY = "beperkt berichten leid"


def _beleidzoek() -> list[str]:
    script = Path(sys.executable).with_name("beleidzoek")
    return [str(script)] if script.exists() else [shutil.which("beleidzoek") or "beleidzoek"]


def cli(index_dir: Path, runs: int) -> None:
    commands = {"python -c pass": [sys.executable, "-c", "pass"],
                "beleidzoek --help": [*_beleidzoek(), "--help"],
                f"beleidzoek search {QUERY!r}": [*_beleidzoek(), "--index", str(index_dir), "search", QUERY]}
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(runs + 2):  # two rounds to warm the page cache and bytecode
        for name, command in commands.items():
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       env=env)
            _, status, usage = os.wait4(process.pid, 0)
            if os.waitstatus_to_exitcode(status):
                sys.exit(f"{name}: exit {os.waitstatus_to_exitcode(status)}")
            if round_ >= 2:
                cpu[name].append(1000 * (usage.ru_utime + usage.ru_stime))
    for name, values in cpu.items():
        print(f"{name:45s} CPU p50 {statistics.median(values):6.1f} ms, least {min(values):6.1f} ms")


def filters(index_dir: Path, repeat: int, shared: Path) -> None:
    from beleidzoek.search import Searcher

    items = scale.make_queries(scale.load_sources(shared))["filtered"]
    variants = {"unfiltered": lambda q: {}, "kind and dates": lambda q: dict(
        kind=q["kind"], since=q["date_from"], until=q["date_to"]), "kind only": lambda q: dict(kind=q["kind"])}
    with Searcher(index_dir) as session:
        leaves = [leaf for leaf, _ in session.whoosh_searcher.leaf_searchers()]
        for item in items:
            session.search(item["text"])

        def least(query: dict, options: dict, fresh: bool = False) -> float:
            times = []
            for _ in range(repeat):
                if fresh:
                    for leaf in leaves:
                        leaf.__dict__.pop("_beleidzoek_filters", None)
                started = time.process_time()
                session.search(query["text"], **options)
                times.append(time.process_time() - started)
            return min(times)

        first = statistics.median(least(q, variants["kind and dates"](q), fresh=True) for q in items)
        p50 = {name: statistics.median(least(q, options(q)) for q in items)
               for name, options in variants.items()}
    base = p50["unfiltered"]
    for name, value in [*p50.items(), ("kind and dates, first use", first)]:
        print(f"{name:28s} CPU p50 {1000 * value:6.2f} ms  ({value / base:.2f}x unfiltered)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["cli", "filters"])
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("--runs", type=int, default=20, help="rounds of processes (cli)")
    parser.add_argument("--repeat", type=int, default=4, help="runs per query (filters)")
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared",
                        help="the shared folder holding corpus/, for the queries (default ../shared)")
    args = parser.parse_args(argv)
    if args.what == "cli":
        cli(args.index_dir, args.runs)
    else:
        filters(args.index_dir, args.repeat, args.shared)
    return 0


if __name__ == "__main__":
    sys.exit(main())
