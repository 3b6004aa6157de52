"""Subprocess side of the speed benchmark: build one index, or time one engine's queries.

``bench/speed.py`` runs every build and every query session in a fresh
process, so each engine's peak memory is its own and no engine warms caches
for another. Not meant to be run by hand, but it can be::

    python bench/worker.py build ENGINE CORPUS.jsonl INDEX_DIR OUT.json
    python bench/worker.py query ENGINE INDEX_DIR QUERIES.json OUT.json [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path


def engine_for(name: str):
    if name == "beleidzoek":
        from ours import Beleidzoek

        return Beleidzoek()
    from peers import ENGINES

    return ENGINES[name]()


def peak_rss_bytes() -> int:
    """VmHWM of this process: the resident-set high-water mark."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 50 values is the 48th smallest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def build(args) -> dict:
    engine = engine_for(args.engine)
    started = time.perf_counter()
    info = engine.build(Path(args.index_dir), Path(args.corpus))
    info["seconds_in_process"] = time.perf_counter() - started
    info["peak_rss_bytes"] = peak_rss_bytes()
    return info


def _timed(engine, items: list[dict], repeat: int, budget: float, limit: float):
    """Warm up, then time every query ``repeat`` times, within about ``budget`` seconds.

    The warm-up pass runs every query once, but stops after a quarter of the
    budget (at least three queries); the timed passes stop early when the next
    one would overrun the budget, but every query is timed at least once --
    unless the first timed pass passes ``limit`` seconds, when it stops after
    at least 10 queries (the queries are in random order, so those timed are a
    random sample; untimed ones are left out of the figures).
    Returns the hit count of every query, its wall-clock latencies and the CPU
    time of this thread for each, in seconds.
    """
    clock = time.perf_counter
    hits: list[int | None] = [None] * len(items)
    started = clock()
    for position, item in enumerate(items):
        if position >= 3 and clock() - started > budget / 4:
            break
        hits[position] = len(engine.search(item))
    samples: list[list[float]] = [[] for _ in items]
    cpu: list[list[float]] = [[] for _ in items]
    started = clock()
    for done in range(1, repeat + 1):
        for position, item in enumerate(items):
            if done == 1 and position >= 10 and clock() - started > limit:
                break
            begin, begin_cpu = clock(), time.thread_time()
            found = engine.search(item)
            samples[position].append(clock() - begin)
            cpu[position].append(time.thread_time() - begin_cpu)
            if hits[position] is None:
                hits[position] = len(found)
        if (clock() - started) / done * (done + 1) > budget or not samples[-1]:
            break
    timed = [position for position, times in enumerate(samples) if times]
    return ([hits[p] for p in timed if hits[p] is not None], [samples[p] for p in timed],
            [cpu[p] for p in timed])


def query(args) -> dict:
    engine = engine_for(args.engine)
    queries = json.loads(Path(args.queries).read_text())
    started = time.perf_counter()
    engine.open(Path(args.index_dir))
    out = {"open_seconds": time.perf_counter() - started, "types": {},
           "indexed_passages": engine.count()}
    for qtype, items in queries.items():
        if qtype in engine.unsupported:
            out["types"][qtype] = None
            continue
        hits, samples, cpu = _timed(engine, items, args.repeat, args.budget, args.limit)
        per_query = [statistics.median(times) for times in samples]
        per_query_cpu = [statistics.median(times) for times in cpu]
        out["types"][qtype] = {
            "queries": len(items),
            "timed_queries": len(samples),
            "repeat": min(len(times) for times in samples),
            "p50_ms": 1000 * statistics.median(per_query),
            "p95_ms": 1000 * percentile(per_query, 0.95),
            "mean_ms": 1000 * statistics.fmean(per_query),
            "max_ms": 1000 * max(per_query),
            "p50_thread_cpu_ms": 1000 * statistics.median(per_query_cpu),
            "mean_hits": statistics.fmean(hits),
            "zero_hit_queries": sum(1 for count in hits if count == 0),
        }
    engine.close()
    out["peak_rss_bytes"] = peak_rss_bytes()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build")
    b.add_argument("engine")
    b.add_argument("corpus")
    b.add_argument("index_dir")
    b.add_argument("out")
    q = commands.add_parser("query")
    q.add_argument("engine")
    q.add_argument("index_dir")
    q.add_argument("queries")
    q.add_argument("out")
    q.add_argument("--repeat", type=int, default=3)
    q.add_argument("--budget", type=float, default=60.0,
                   help="seconds per query type after which repeats stop")
    q.add_argument("--limit", type=float, default=900.0,
                   help="seconds after which the first timed pass stops (after 10 queries)")
    args = parser.parse_args(argv)
    result = build(args) if args.command == "build" else query(args)
    Path(args.out).write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
