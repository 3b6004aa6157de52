"""Question -> answer retrieval: how much each part of the Dutch analysis earns.

A script, not a test. Every answered question of the shared corpus -- the 651
question/answer pairs of the Kamervragen in ``corpus.jsonl`` and the 2,028 of
``qa_pairs/`` -- is a query; the relevant hit is that question's own answer;
hits are restricted to answers. All rows search the same passages: the whole
corpus read by beleidzoek's own readers (questions, answers, the other texts in
passages of 50-250 words; title + text), so every other text counts in the
term statistics. Reported per set and over all 2,679: MRR@10 and Recall@10,
and each row's paired difference to the baseline (mean +- standard error).

Rows, all in one run:

* ``baseline``: plain Whoosh -- ``LanguageAnalyzer("nl")`` on title and text,
  the question's terms OR-ed, BM25F, one ``ix.writer()``;
* every other row is the product: an index built by beleidzoek's own writer
  (``index_paths``, what ``beleidzoek index`` runs) with one analysis
  configuration, searched by ``Searcher.search(question, kind="answer")``:
* ``stem:none``, ``stem:dutch``, ``stem:dutch_porter``: beleidzoek's tokenizer
  with one stemmer (Kraaij-Pohlmann ``dutch`` or ``dutch_porter``) and nothing
  else of the chain, no expansion;
* ``+accents``, ``+hyphens``, ``+overrides``, ``+compounds``: from
  ``stem:dutch_porter`` on, one part of the index chain switched on at a time
  (``+compounds`` is the whole chain), no expansion;
* ``full``: ``+compounds`` plus synonym and acronym expansion: the product as
  shipped;
* ``full-scoring``: the product with the query layer's earlier scoring
  (Whoosh's BM25F per term, coordination) instead of search/ranking.py.

Build times are CPU seconds of the one process that built a row's index (the
whole indexing path: reading, analysis, writing; rows with the same
configuration share one index)::

    python bench/quality.py                          # every row, ~40 min on 2 idle cores
    python bench/quality.py --rows baseline,full --limit 300   # quicker
    python bench/quality.py --out bench/out/quality.json      # JSON after each row
    python bench/quality.py --rows full --reuse bench/out/quality.json   # rerun one row
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TOP = 10
_CHAIN_OFF = dict(fold_accents=False, stem_overrides=False, hyphen_parts=False, compounds=False)
_PORTER = dict(_CHAIN_OFF, stemmer="dutch_porter")


@dataclass(frozen=True)
class Row:
    label: str
    #: AnalysisConfig switches of the row's index (None: the default, the whole chain).
    config: dict | None = None
    #: "default" or "legacy" (RankingConfig), and synonym expansion; ranking None: plain Whoosh.
    ranking: str | None = "default"
    expand: bool = False


ROWS = {
    "baseline": Row("plain Whoosh, LanguageAnalyzer('nl')", ranking=None),
    "stem:none": Row("our tokenizer, no stemmer", dict(_CHAIN_OFF, stemmer="none")),
    "stem:dutch": Row("our tokenizer, snowball dutch (Kraaij-Pohlmann)", dict(_CHAIN_OFF, stemmer="dutch")),
    "stem:dutch_porter": Row("our tokenizer, snowball dutch_porter", _PORTER),
    "+accents": Row("dutch_porter + accent folding", dict(_PORTER, fold_accents=True)),
    "+hyphens": Row("... + hyphenated words whole and as parts",
                    dict(_PORTER, fold_accents=True, hyphen_parts=True)),
    "+overrides": Row("... + stem overrides and protected words",
                      dict(_PORTER, fold_accents=True, hyphen_parts=True, stem_overrides=True)),
    "+compounds": Row("... + compound parts: the whole index chain"),
    "full": Row("... + synonym and acronym expansion: the product as shipped", expand=True),
    "full-scoring": Row("the product with the earlier scoring (Whoosh BM25F per term)",
                        ranking="legacy", expand=True),
}

#: The order product rows run in: the headline first, the slow earlier scoring last.
FIRST = ["full", "+compounds", "stem:dutch_porter", "stem:dutch", "+accents", "+hyphens", "+overrides",
         "stem:none", "full-scoring"]


@dataclass
class Pair:
    question: str
    answer_id: str
    set: str  # "corpus" or "qa"


@dataclass
class Outcome:
    row: str
    ranks: list[int]
    build_cpu_s: float | None = None
    query_ms: float = 0.0
    refused: int = 0


def corpus_files(corpus: Path) -> list[Path]:
    return [corpus / "corpus.jsonl", *sorted((corpus / "qa_pairs").glob("*.jsonl"))]


def load(corpus: Path) -> tuple[list[dict], list[Pair]]:
    """The passages every row indexes, and the answered questions."""
    from beleidzoek.corpus.jsonl import iter_jsonl
    from beleidzoek.corpus.model import Document
    from beleidzoek.corpus.kinds import passage_id

    passages, pairs = [], []
    for path in corpus_files(corpus):
        for doc in iter_jsonl(path):
            if not isinstance(doc, Document):
                continue
            for passage in doc.passages:
                passages.append({"id": passage_id(doc.doc_id, passage.position), "kind": passage.kind,
                                 "title": doc.title, "text": passage.text})
            for question, answer in zip(doc.passages, doc.passages[1:]):
                if (question.kind, answer.kind) == ("question", "answer") and question.number == answer.number:
                    pairs.append(Pair(question.text, passage_id(doc.doc_id, answer.position),
                                      "qa" if path.parent.name == "qa_pairs" else "corpus"))
    return passages, pairs


# -- the baseline: plain Whoosh ----------------------------------------------

def baseline_row(name: str, passages: list[dict], pairs: list[Pair]) -> Outcome:
    from whoosh import fields, index, query, scoring
    from whoosh.analysis import LanguageAnalyzer

    analyzer = LanguageAnalyzer("nl")
    started = time.process_time()
    schema = fields.Schema(id=fields.ID(stored=True), kind=fields.ID,
                           title=fields.TEXT(analyzer=analyzer, field_boost=1.5),
                           text=fields.TEXT(analyzer=analyzer))
    ix = index.create_in(tempfile.mkdtemp(prefix="beleidzoek-quality-baseline-"), schema)
    with ix.writer() as writer:
        for p in passages:
            writer.add_document(**p)
    build = time.process_time() - started
    ranks = []
    started = time.perf_counter()
    answers = query.Term("kind", "answer")
    with ix.searcher(weighting=scoring.BM25F()) as searcher:
        for pair in pairs:
            terms = list(dict.fromkeys(t.text for t in analyzer(pair.question, mode="query")))
            subqueries = [query.Term(f, t) for t in terms for f in ("title", "text")]
            hits = searcher.search(query.Or(subqueries), filter=answers, limit=TOP) if subqueries else []
            ranks.append(next((rank for rank, hit in enumerate(hits, 1) if hit["id"] == pair.answer_id), 0))
    return Outcome(name, ranks, build, (time.perf_counter() - started) * 1000 / max(len(pairs), 1))


# -- product rows: indexes beleidzoek builds, searched as a user would ----------

def config_key(row: Row) -> str:
    """The name of a row's index folder: rows with the same analysis share one."""
    return "default" if row.config is None else "-".join(f"{k}={v}" for k, v in sorted(row.config.items()))


def build_product(index_dir: Path, corpus: Path, config: dict | None) -> float:
    from beleidzoek.index.analysis import AnalysisConfig
    from beleidzoek.index.writer import index_paths

    started = time.process_time()
    index_paths(index_dir, corpus_files(corpus), procs=1,
                config=AnalysisConfig(**config) if config is not None else None)
    return time.process_time() - started


def product_row(name: str, index_dir: Path, pairs: list[Pair]) -> Outcome:
    from beleidzoek.index.errors import BeleidzoekError
    from beleidzoek.search.ranking import RankingConfig
    from beleidzoek.search.results import Searcher

    row = ROWS[name]
    ranking = RankingConfig.legacy() if row.ranking == "legacy" else None
    ranks, refused = [], 0
    started = time.perf_counter()
    with Searcher(index_dir, ranking=ranking) as session:
        for pair in pairs:
            try:
                result = session.search(pair.question, kind="answer", limit=TOP, expand=row.expand)
            except BeleidzoekError:
                refused += 1
                ranks.append(0)
                continue
            ranks.append(next((h.rank for h in result.hits if h.passage_id == pair.answer_id), 0))
    return Outcome(name, ranks, None, (time.perf_counter() - started) * 1000 / max(len(pairs), 1), refused)


# -- figures ----------------------------------------------------------------

def scores(ranks: list[int]) -> tuple[float, float]:
    """(MRR@10, Recall@10)."""
    n = len(ranks) or 1
    return sum(1 / r for r in ranks if r) / n, sum(1 for r in ranks if r) / n


def paired(ranks: list[int], base: list[int]) -> tuple[float, float]:
    """Mean and standard error of the per-question difference in reciprocal rank."""
    diffs = [(1 / a if a else 0.0) - (1 / b if b else 0.0) for a, b in zip(ranks, base)]
    n = len(diffs)
    mean = sum(diffs) / n
    variance = sum((d - mean) ** 2 for d in diffs) / max(n - 1, 1)
    return mean, math.sqrt(variance / n)


def table(outcomes: dict[str, Outcome], pairs: list[Pair], baseline_build: float | None) -> str:
    sets = {"corpus": [i for i, p in enumerate(pairs) if p.set == "corpus"],
            "qa": [i for i, p in enumerate(pairs) if p.set == "qa"], "all": list(range(len(pairs)))}
    head = "| row | " + " | ".join(f"{s} MRR@10 | {s} R@10" for s in sets) + \
        " | vs baseline (all) | build CPU s | ms/query |"
    lines = [head, "|" + "---|" * (2 + 2 * len(sets) + 3)]
    base = outcomes.get("baseline")
    for name, outcome in outcomes.items():
        cells = []
        for indices in sets.values():
            mrr, recall = scores([outcome.ranks[i] for i in indices])
            cells += [f"{mrr:.4f}", f"{recall:.3f}"]
        if base is not None and name != "baseline":
            mean, error = paired(outcome.ranks, base.ranks)
            relative = scores(outcome.ranks)[0] / scores(base.ranks)[0] - 1
            versus = f"{relative:+.1%} ({mean:+.4f} +- {error:.4f})"
        else:
            versus = "--"
        build = f"{outcome.build_cpu_s:.1f}" if outcome.build_cpu_s is not None else "--"
        if outcome.build_cpu_s is not None and baseline_build and name != "baseline":
            build += f" ({baseline_build / outcome.build_cpu_s:.2f}x)"
        refused = f", {outcome.refused} refused" if outcome.refused else ""
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {versus} | {build} | {outcome.query_ms:.0f}{refused} |")
    return "\n".join(lines)


def save(path: Path, outcomes: dict[str, Outcome], passages: int, counts: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "passages": passages, "pairs": counts,
        "rows": {n: {"label": ROWS[n].label, "ranks": o.ranks, "build_cpu_s": o.build_cpu_s,
                     "query_ms": o.query_ms, "refused": o.refused} for n, o in outcomes.items()},
    }))


def reused(path: Path, pairs: int) -> dict[str, Outcome]:
    """The rows of an earlier run's JSON, when it scored the same number of pairs."""
    rows = json.loads(path.read_text())["rows"]
    if any(len(row["ranks"]) != pairs for row in rows.values()):
        sys.exit(f"{path}: scored another set of pairs; rerun those rows")
    return {name: Outcome(name, row["ranks"], row["build_cpu_s"], row["query_ms"], row["refused"])
            for name, row in rows.items() if name in ROWS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus", help="the shared corpus folder")
    parser.add_argument("--rows", default=",".join(ROWS), help=f"comma-separated, from: {', '.join(ROWS)}")
    parser.add_argument("--limit", type=int, help="only the first N pairs of each set")
    parser.add_argument("--jobs", type=int, default=2, help="rows run in this many processes")
    parser.add_argument("--index", type=Path, metavar="DIR",
                        help="keep the product indexes here, one folder per configuration (reused when present)")
    parser.add_argument("--out", type=Path, help="also write every figure as JSON here (after each row)")
    parser.add_argument("--reuse", type=Path, metavar="JSON",
                        help="take the rows not in --rows from an earlier run's --out (same pairs)")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.rows.split(",") if n.strip()]
    unknown = [n for n in names if n not in ROWS]
    if unknown:
        parser.error(f"unknown rows: {', '.join(unknown)}")

    from beleidzoek.index.storage import index_exists

    passages, pairs = load(args.corpus)
    if args.limit:
        pairs = [p for s in ("corpus", "qa") for p in [q for q in pairs if q.set == s][: args.limit]]
    counts = {s: sum(p.set == s for p in pairs) for s in ("corpus", "qa")}
    print(f"{len(passages)} passages; {counts['corpus']} corpus + {counts['qa']} qa_pairs questions",
          file=sys.stderr)
    outcomes = reused(args.reuse, len(pairs)) if args.reuse else {}
    with tempfile.TemporaryDirectory(prefix="beleidzoek-quality-") as temporary, \
            ProcessPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
        root = args.index or Path(temporary)
        futures = {n: pool.submit(baseline_row, n, passages, pairs) for n in names if ROWS[n].ranking is None}
        product = sorted((n for n in names if ROWS[n].ranking is not None), key=FIRST.index)
        built: dict[str, float | None] = {}
        for name in product + [n for n in names if n not in product]:
            if name in product:  # one at a time beside the baseline: the figures that matter most first
                key = config_key(ROWS[name])
                if key not in built:
                    built[key] = None if index_exists(root / key) else \
                        pool.submit(build_product, root / key, args.corpus, ROWS[name].config).result()
                outcomes[name] = pool.submit(product_row, name, root / key, pairs).result()
                outcomes[name].build_cpu_s = built[key]
            else:
                outcomes[name] = futures[name].result()
            print(f"  {name}: MRR@10 {scores(outcomes[name].ranks)[0]:.4f}", file=sys.stderr, flush=True)
            if args.out:
                save(args.out, outcomes, len(passages), counts)
    outcomes = {name: outcomes[name] for name in ROWS if name in outcomes}
    baseline_build = outcomes["baseline"].build_cpu_s if "baseline" in outcomes else None
    print(table(outcomes, pairs, baseline_build))
    if "baseline" in outcomes and "full" in outcomes:
        full, base = scores(outcomes["full"].ranks)[0], scores(outcomes["baseline"].ranks)[0]
        print(f"\nfull chain {full:.4f} vs baseline {base:.4f}: {full / base - 1:+.1%} relative MRR@10 "
              f"(goal: +10% or more, and above 0.54)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
