"""Speed benchmark: beleidzoek against plain Whoosh, tantivy and bm25s on synthetic scale corpora.

For each scale (10k, 100k, optionally 1M passages) this builds a synthetic
corpus by recombining real sentences of ../shared/corpus (see bench/scale.py;
every output says "synthetic"), then for each engine, on the same passages:

* builds the index in a fresh subprocess: wall time, passages/s, size on
  disk (bytes per passage) and peak memory (the RSS high-water mark of the
  building process and its children, from ``os.wait4``); beleidzoek builds
  through its CLI, ``beleidzoek --index DIR index CORPUS.jsonl``;
* times a fixed, deterministic query set in another fresh subprocess (after a
  warm-up pass): p50/p95 latency of the top 10 hits for 2-3-word keyword
  queries, phrase queries, filtered queries (kind + date range) and real
  questions of 20-40 words;
* for beleidzoek also the whole ``beleidzoek search "..."`` process (cold:
  the first run after building; warm: the median of repeated runs) and
  ``beleidzoek --help``.

Results are printed and written to ``bench/out/speed-<scale>.json`` and
``bench/out/speed-<scale>.md``. Usage::

    python bench/speed.py [--scales 10k,100k] [--engines beleidzoek,baseline,tantivy,bm25s]
                          [--queries 50] [--shared ../shared] [--workdir /tmp/bench]

The default scales are 10k and 100k (about 40 minutes on 2 cores); 1M is run
only when asked (several hours, most of it the two Whoosh-based builds and
their filtered queries; ``--limit`` caps each timed pass).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import scale  # noqa: E402

ENGINES = ("beleidzoek", "baseline", "tantivy", "bm25s")
REFERENCES = ("baseline", "tantivy")
QUERY_TYPES = scale.QUERY_TYPES
QUERY_LABELS = {"keyword": "keyword (2-3 words)", "phrase": "phrase", "filtered":
                "filtered (kind + dates)", "question": "question (20-40 words)"}
#: Warm runs of each command: the host's speed drifts, and a median of few runs drifts with it.
CLI_RUNS = 15


# --------------------------------------------------------------------------- processes

def run_measured(cmd: list[str], log: Path, env: dict | None = None,
                 cwd: Path | None = None) -> dict:
    """Run ``cmd``; wall time, exit code and peak RSS of it and its children (wait4)."""
    with open(log, "ab") as out:
        out.write(("$ " + " ".join(cmd) + "\n").encode())
        out.flush()
        started = time.perf_counter()
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                                   stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return {"seconds": wall, "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "exit": process.returncode, "peak_rss_bytes": usage.ru_maxrss * 1024}


def tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def dir_bytes(path: Path) -> int:
    return sum(entry.stat().st_size for entry in path.rglob("*") if entry.is_file())


def beleidzoek_command() -> list[str]:
    script = Path(sys.executable).with_name("beleidzoek")
    if script.exists():
        return [str(script)]
    found = shutil.which("beleidzoek")
    if found:
        return [found]
    return [sys.executable, "-m", "beleidzoek.search.cli"]


def beleidzoek_env(workdir: Path) -> dict:
    env = dict(os.environ)
    # pip compiles an installed package's bytecode; an editable checkout gets it on its
    # first run, unless bytecode writing is off, when every run compiles every module.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["XDG_DATA_HOME"] = str(workdir / "xdg-data")  # keep the user's own index untouched
    env["XDG_CACHE_HOME"] = str(workdir / "xdg-cache")
    return env


# --------------------------------------------------------------------------- one scale

def build_engine(engine: str, corpus: Path, index_dir: Path, workdir: Path, log: Path) -> dict:
    if index_dir.exists():
        shutil.rmtree(index_dir)
    if engine == "beleidzoek":
        index_dir.parent.mkdir(parents=True, exist_ok=True)
        cmd = [*beleidzoek_command(), "--index", str(index_dir), "index", str(corpus)]
        result = run_measured(cmd, log, env=beleidzoek_env(workdir))
        result["command"] = "beleidzoek --index DIR index CORPUS.jsonl"
    else:
        info = workdir / f"build-{engine}.json"
        info.unlink(missing_ok=True)
        cmd = [sys.executable, str(BENCH / "worker.py"), "build", engine, str(corpus),
               str(index_dir), str(info)]
        result = run_measured(cmd, log)
        if result["exit"] == 0:
            result.update({f"worker_{k}": v for k, v in json.loads(info.read_text()).items()})
    if result["exit"] != 0:
        result["error"] = f"build failed (exit {result['exit']}):\n{tail(log)}"
        return result
    result["index_bytes"] = dir_bytes(index_dir)
    return result


def query_engine(engine: str, index_dir: Path, queries: Path, workdir: Path, log: Path,
                 repeat: int, budget: float, limit: float) -> dict:
    out = workdir / f"query-{engine}.json"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, str(BENCH / "worker.py"), "query", engine, str(index_dir),
           str(queries), str(out), "--repeat", str(repeat), "--budget", str(budget),
           "--limit", str(limit)]
    env = beleidzoek_env(workdir) if engine == "beleidzoek" else None
    result = run_measured(cmd, log, env=env)
    if result["exit"] != 0:
        return {"error": f"queries failed (exit {result['exit']}):\n{tail(log)}"}
    data = json.loads(out.read_text())
    data["process_seconds"] = result["seconds"]
    return data


def cli_times(index_dir: Path, query: str, workdir: Path, log: Path) -> dict:
    """Whole-process times of ``beleidzoek search`` and ``beleidzoek --help``."""
    env = beleidzoek_env(workdir)
    base = beleidzoek_command()
    commands = {
        "search": [*base, "--index", str(index_dir), "search", query],
        "help": [*base, "--help"],
        "python": [sys.executable, "-c", "pass"],
    }
    out: dict = {"query": query, "runs": CLI_RUNS}
    os.sync()  # the build's files reach the disk now, not by writeback during the timed runs
    for name, cmd in commands.items():
        first = run_measured(cmd, log, env=env)
        if first["exit"] != 0:
            out[name] = {"error": f"exit {first['exit']}:\n{tail(log)}"}
            continue
        warm = [run_measured(cmd, log, env=env) for _ in range(CLI_RUNS)]
        seconds = [run["seconds"] for run in warm]
        out[name] = {"cold_seconds": first["seconds"], "warm_seconds": statistics.median(seconds),
                     "warm_cpu_seconds": statistics.median(run["cpu_seconds"] for run in warm),
                     "warm_runs": seconds, "peak_rss_bytes": first["peak_rss_bytes"]}
    return out


def run_scale(passages: int, engines: list[str], sources, queries_file: Path, queries: dict,
              args) -> dict:
    label = scale.scale_label(passages)
    workdir = args.workdir / label
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "bench.log"
    corpus = args.workdir / f"corpus-{label}.jsonl"
    print(f"\n== {label}: synthetic corpus of {passages:,} passages -> {corpus}", flush=True)
    started = time.perf_counter()
    meta = scale.write_corpus(corpus, sources, passages, args.seed)
    print(f"   corpus ready in {time.perf_counter() - started:.1f} s "
          f"({meta['text_bytes'] / 1e6:.1f} MB of text, {meta['mean_words']} words/passage)",
          flush=True)
    results: dict = {}
    for engine in engines:
        index_dir = workdir / f"index-{engine}"
        print(f"   {engine}: building ...", end=" ", flush=True)
        load_before = os.getloadavg()[0]
        build = build_engine(engine, corpus, index_dir, workdir, log)
        row = {"build": build, "load_average_1min": [load_before, os.getloadavg()[0]]}
        results[engine] = row
        if "error" in build:
            print("FAILED\n" + build["error"], flush=True)
            continue
        print(f"{build['seconds']:.1f} s, {build['index_bytes'] / 1e6:.1f} MB, "
              f"peak {build['peak_rss_bytes'] / 1e6:.0f} MB", flush=True)
        if engine == "beleidzoek":  # first, so that "cold" is the first search after the build
            print("   beleidzoek: CLI process times (cold/warm) ...", end=" ", flush=True)
            row["cli"] = cli_times(index_dir, queries["keyword"][0]["text"], workdir, log)
            print(", ".join(f"{k} {v['cold_seconds']:.2f}/{v['warm_seconds']:.2f} s"
                            for k, v in row["cli"].items()
                            if isinstance(v, dict) and "cold_seconds" in v), flush=True)
        print(f"   {engine}: querying ...", end=" ", flush=True)
        row["query"] = query_engine(engine, index_dir, queries_file, workdir, log, args.repeat,
                                    args.budget, args.limit)
        if "error" in row["query"]:
            print("FAILED\n" + row["query"]["error"], flush=True)
        else:
            print(" ".join(f"{t}={v['p50_ms']:.2f}ms" if v else f"{t}=n/a"
                           for t, v in row["query"]["types"].items()), flush=True)
        row["load_average_1min"].append(os.getloadavg()[0])
        if not args.keep_indexes:
            shutil.rmtree(index_dir, ignore_errors=True)
    report = {
        "benchmark": "beleidzoek bench/speed.py",
        "synthetic": True,
        "note": "SYNTHETIC corpus: real sentences of ../shared/corpus recombined into passages "
                "(bench/scale.py); figures are for orientation, not for real-corpus claims",
        "scale": label,
        "passages": passages,
        "corpus": meta,
        "machine": machine(),
        "settings": {"queries_per_type": args.queries, "repeat": args.repeat,
                     "budget_seconds_per_type": args.budget, "limit_seconds_per_type": args.limit,
                     "top": 10, "seed": args.seed},
        "engines": results,
        "ratios": ratios(results),
        "queries": queries,
    }
    return report


# --------------------------------------------------------------------------- figures

def machine() -> dict:
    versions = {}
    for package in ("beleidzoek", "Whoosh-Reloaded", "tantivy", "bm25s", "PyStemmer", "numpy"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    cpu = platform.processor()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"python": platform.python_version(), "platform": platform.platform(), "cpu": cpu,
            "cores": os.cpu_count(), "versions": versions,
            "date": time.strftime("%Y-%m-%d %H:%M")}


def metric(row: dict, name: str) -> float | None:
    """One lower-is-better figure of an engine row, or None when missing."""
    build = row.get("build") or {}
    if "error" in build:
        return None
    if name == "build_seconds":
        return build.get("seconds")
    if name == "index_bytes":
        return build.get("index_bytes")
    if name == "peak_rss":
        return build.get("peak_rss_bytes")
    types = (row.get("query") or {}).get("types") or {}
    stats = types.get(name.removesuffix("_p50"))
    return stats["p50_ms"] if stats else None


RATIO_METRICS = ("build_seconds", "index_bytes", "peak_rss",
                 *(f"{t}_p50" for t in QUERY_TYPES))
RATIO_LABELS = {"build_seconds": "build time", "index_bytes": "index size",
                "peak_rss": "build peak RSS", **{f"{t}_p50": f"{t} p50" for t in QUERY_TYPES}}


def ratios(results: dict) -> dict:
    """engine figure ÷ reference figure for every lower-is-better metric."""
    out: dict = {}
    for reference in REFERENCES:
        if reference not in results:
            continue
        table = out.setdefault(f"vs_{reference}", {})
        for engine, row in results.items():
            table[engine] = {}
            for name in RATIO_METRICS:
                mine, theirs = metric(row, name), metric(results[reference], name)
                table[engine][name] = mine / theirs if mine is not None and theirs else None
    return out


def _ms(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def _ratio(value: float | None) -> str:
    if value is None:
        return "–"
    if value >= 10:
        return f"{value:,.0f}×"
    if value >= 0.1:
        return f"{value:.2f}×"
    return f"{value:.2g}×"


def markdown(report: dict) -> str:
    corpus, engines = report["corpus"], report["engines"]
    m = report["machine"]
    lines = [
        f"### Speed, {report['passages']:,} passages (synthetic)",
        "",
        f"**Synthetic corpus**: {report['passages']:,} passages "
        f"({corpus['text_bytes'] / 1e6:.0f} MB of text, {corpus['mean_words']} words per "
        f"passage on average) made by recombining real sentences of `../shared/corpus` "
        f"(`bench/scale.py`, seed {corpus['seed']}); kinds: "
        + ", ".join(f"{k} {v:,}" for k, v in corpus["kinds"].items()) + ".",
        f"Machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}; "
        + ", ".join(f"{k} {v}" for k, v in m["versions"].items() if v) + ".",
        "",
        "Index build (one subprocess per engine; peak RSS = high-water mark of that process):",
        "",
        "| engine | build s | CPU s | passages/s | index MB | bytes/passage | peak RSS MB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in engines.items():
        build = row["build"]
        if "error" in build:
            lines.append(f"| {name} | failed | | | | | |")
            continue
        n = report["passages"]
        lines.append(f"| {name} | {build['seconds']:,.1f} | {build['cpu_seconds']:,.1f} | "
                     f"{n / build['seconds']:,.0f} | "
                     f"{build['index_bytes'] / 1e6:,.1f} | {build['index_bytes'] / n:,.0f} | "
                     f"{build['peak_rss_bytes'] / 1e6:,.0f} |")
    s = report["settings"]
    lines += [
        "",
        f"Query latency in ms, p50 / p95 over {s['queries_per_type']} fixed queries per type "
        f"(median of up to {s['repeat']} timed runs each, after a warm-up pass; top 10 hits "
        "with their stored ids):",
        "",
        "| engine | " + " | ".join(QUERY_LABELS[t] for t in QUERY_TYPES) + " |",
        "| --- |" + " ---: |" * len(QUERY_TYPES),
    ]
    for name, row in engines.items():
        types = (row.get("query") or {}).get("types")
        if not types:
            lines.append(f"| {name} |" + " failed |" * len(QUERY_TYPES))
            continue
        cells = []
        for qtype in QUERY_TYPES:
            stats = types.get(qtype)
            cells.append(f"{_ms(stats['p50_ms'])} / {_ms(stats['p95_ms'])}" if stats else "n/a")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "CPU time of the querying thread in ms, p50 (less sensitive to other processes on the "
        "machine than the wall-clock latency above):",
        "",
        "| engine | " + " | ".join(QUERY_LABELS[t] for t in QUERY_TYPES) + " |",
        "| --- |" + " ---: |" * len(QUERY_TYPES),
    ]
    for name, row in engines.items():
        types = (row.get("query") or {}).get("types")
        if not types:
            continue
        cells = [_ms(types[t]["p50_thread_cpu_ms"]) if types.get(t) else "n/a"
                 for t in QUERY_TYPES]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for reference, table in report["ratios"].items():
        lines += [
            "",
            f"Ratios {reference.replace('_', ' ')} (engine ÷ {reference[3:]}; below 1× = "
            "faster or smaller; p50 latencies):",
            "",
            "| engine | " + " | ".join(RATIO_LABELS[k] for k in RATIO_METRICS) + " |",
            "| --- |" + " ---: |" * len(RATIO_METRICS),
        ]
        for name, values in table.items():
            lines.append(f"| {name} | " + " | ".join(_ratio(values[k]) for k in RATIO_METRICS)
                         + " |")
    cli = (engines.get("beleidzoek") or {}).get("cli")
    if cli:
        lines += [
            "",
            f"beleidzoek as a command (whole process, ms; cold = first run after building, "
            f"warm = median of {cli['runs']} more runs, CPU = user + system time of those):",
            "",
            "| command | cold ms | warm ms | warm CPU ms |",
            "| --- | ---: | ---: | ---: |",
        ]
        names = {"search": f"`beleidzoek search \"{cli['query']}\"`",
                 "help": "`beleidzoek --help`", "python": "`python -c pass` (reference)"}
        for key, title in names.items():
            value = cli.get(key) or {}
            if "cold_seconds" in value:
                cpu = value.get("warm_cpu_seconds")  # missing in runs before it was measured
                lines.append(f"| {title} | {value['cold_seconds'] * 1e3:.0f} | "
                             f"{value['warm_seconds'] * 1e3:.0f} | "
                             f"{'' if cpu is None else f'{cpu * 1e3:.0f}'} |")
            else:
                lines.append(f"| {title} | failed | failed | failed |")
    notes = []
    for name, row in engines.items():
        query = row.get("query") or {}
        counted = query.get("indexed_passages")
        if counted is not None and counted != report["passages"]:
            notes.append(f"{name} holds {counted:,} passages (of {report['passages']:,})")
        for qtype, stats in (query.get("types") or {}).items():
            if stats and stats["zero_hit_queries"]:
                notes.append(f"{name}: {stats['zero_hit_queries']} {qtype} queries without hits")
            if stats and stats.get("timed_queries", stats["queries"]) < stats["queries"]:
                notes.append(f"{name} {qtype}: only {stats['timed_queries']} of "
                             f"{stats['queries']} queries timed (--limit)")
            if stats and stats["repeat"] < s["repeat"]:
                notes.append(f"{name} {qtype}: timed {stats['repeat']}× per query (time budget)")
    loads = [value for row in engines.values() for value in row.get("load_average_1min", [])]
    if loads:
        busy = max(loads) > (m["cores"] or 1)
        notes.append(f"1-minute load average during the run {min(loads):.1f}-{max(loads):.1f} "
                     f"on {m['cores']} cores"
                     + (" (other processes competed for the CPU, so wall times are inflated; "
                        "CPU s is less sensitive to that)" if busy else ""))
    if notes:
        lines += ["", "Notes: " + "; ".join(notes) + "."]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Speed benchmark of beleidzoek against Whoosh, tantivy and bm25s on "
                    "synthetic scale corpora (see bench/README.md).")
    parser.add_argument("--scales", default="10k,100k",
                        help="comma-separated passage counts, e.g. 10k,100k,1M (default 10k,100k)")
    parser.add_argument("--engines", default=",".join(ENGINES),
                        help=f"comma-separated, from {','.join(ENGINES)} (default all)")
    parser.add_argument("--queries", type=int, default=50, help="queries per type (default 50)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed runs per query after the warm-up (default 3)")
    parser.add_argument("--budget", type=float, default=60.0,
                        help="seconds per engine and query type after which fewer repeats are "
                             "made (every query is timed at least once; default 60)")
    parser.add_argument("--limit", type=float, default=900.0,
                        help="seconds after which an engine's first timed pass over one query "
                             "type stops, once 10 queries are timed (for 1M; default 900)")
    parser.add_argument("--shared", type=Path, default=BENCH.parents[1] / "shared",
                        help="the shared folder holding corpus/ (default ../shared)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench"),
                        help="corpora and indexes go here (default /tmp/bench)")
    parser.add_argument("--out", type=Path, default=BENCH / "out",
                        help="where speed-<scale>.json/.md go (default bench/out)")
    parser.add_argument("--seed", type=int, default=scale.DEFAULT_SEED)
    parser.add_argument("--keep-indexes", action="store_true",
                        help="leave the indexes in the workdir (they are removed by default)")
    parser.add_argument("--render", type=Path, metavar="JSON",
                        help="only rewrite the Markdown table of an earlier speed-<scale>.json")
    args = parser.parse_args(argv)

    if args.render:
        report = json.loads(args.render.read_text())
        text = markdown(report)
        args.render.with_suffix(".md").write_text(text)
        print(text)
        return 0

    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = sorted(set(engines) - set(ENGINES))
    if unknown:
        parser.error(f"unknown engine(s): {', '.join(unknown)}")
    scales = [scale.parse_scale(s) for s in args.scales.split(",") if s.strip()]
    if not (args.shared / "corpus" / "corpus.jsonl").exists():
        parser.error(f"no corpus/corpus.jsonl under --shared {args.shared}")
    args.workdir = args.workdir.resolve()
    args.workdir.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)

    sources = scale.load_sources(args.shared)
    queries = scale.make_queries(sources, args.queries, args.seed)
    queries_file = args.workdir / f"queries-{args.queries}.json"
    queries_file.write_text(json.dumps(queries, ensure_ascii=False, indent=1))
    print(f"SYNTHETIC benchmark corpora from {args.shared / 'corpus'}; "
          f"{args.queries} queries per type -> {queries_file}")

    for passages in scales:
        report = run_scale(passages, engines, sources, queries_file, queries, args)
        label = report["scale"]
        (args.out / f"speed-{label}.json").write_text(json.dumps(report, ensure_ascii=False,
                                                                 indent=1))
        text = markdown(report)
        (args.out / f"speed-{label}.md").write_text(text)
        print()
        print(text)
        print(f"written: {args.out / f'speed-{label}.json'}, {args.out / f'speed-{label}.md'}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
