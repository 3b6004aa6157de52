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

* ``baseline``: plain Whoosh, ``LanguageAnalyzer("nl")`` on title and text, the
  question's terms OR-ed, BM25F;
* ``stem:*``: the same query on beleidzoek's tokenizer with one stemmer
  (none, Kraaij-Pohlmann ``dutch``, ``dutch_porter``) and nothing else;
* ``+accents``, ``+hyphens``, ``+overrides``, ``+compounds``: from
  ``stem:dutch_porter`` on, one part of the index chain switched on at a time
  (compound parts are a third field, at boost 0.4);
* ``+query``, ``+synonyms``, ``full``: the real product -- an index built by
  ``beleidzoek index`` and ``Searcher.search(question, kind="answer")`` --
  first with Whoosh's BM25F per term and no expansion, then with synonym and
  acronym expansion, then with beleidzoek's scoring model (search/ranking.py)
  as shipped; ``full-synonyms`` is the product without expansion.

Build times are CPU seconds of the process that built a row's index (the
index chain, stemming included), so the rows' indexing speeds compare::

    python bench/quality.py                          # every row, ~15 min on 2 cores
    python bench/quality.py --rows baseline,full --limit 300   # quicker
    python bench/quality.py --out bench/out/quality.json
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TOP = 10
PARTS_BOOST = 0.4
_CHAIN_OFF = dict(fold_accents=False, stem_overrides=False, hyphen_parts=False, compounds=False)
_PORTER = dict(_CHAIN_OFF, stemmer="dutch_porter")


@dataclass(frozen=True)
class Row:
    label: str
    #: AnalysisConfig switches for a Whoosh row; None: LanguageAnalyzer("nl").
    config: dict | None = None
    #: For a product row: RankingConfig ("default" or "legacy") and expansion.
    ranking: str | None = None
    expand: bool = True


ROWS = {
    "baseline": Row("Whoosh LanguageAnalyzer('nl')"),
    "stem:none": Row("our tokenizer, no stemmer", dict(_CHAIN_OFF, stemmer="none")),
    "stem:dutch": Row("our tokenizer, snowball dutch (Kraaij-Pohlmann)", dict(_CHAIN_OFF, stemmer="dutch")),
    "stem:dutch_porter": Row("our tokenizer, snowball dutch_porter", _PORTER),
    "+accents": Row("dutch_porter + accent folding", dict(_PORTER, fold_accents=True)),
    "+hyphens": Row("... + hyphenated words whole and as parts",
                    dict(_PORTER, fold_accents=True, hyphen_parts=True)),
    "+overrides": Row("... + stem overrides and protected words",
                      dict(_PORTER, fold_accents=True, hyphen_parts=True, stem_overrides=True)),
    "+compounds": Row("... + compound parts field (the whole index chain)",
                      dict(_PORTER, fold_accents=True, hyphen_parts=True, stem_overrides=True, compounds=True)),
    "+query": Row("product index and query layer, its earlier scoring (BM25F, coordination), no expansion", ranking="legacy", expand=False),
    "+synonyms": Row("... + synonym and acronym expansion", ranking="legacy"),
    "full": Row("... + beleidzoek's scoring model: the product as shipped", ranking="default"),
    "full-synonyms": Row("the product without expansion (--no-expand)", ranking="default", expand=False),
}


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
    extra: dict = field(default_factory=dict)


def corpus_files(corpus: Path) -> list[Path]:
    return [corpus / "corpus.jsonl", *sorted((corpus / "qa_pairs").glob("*.jsonl"))]


def load(corpus: Path) -> tuple[list[dict], list[Pair]]:
    """The passages every row indexes, and the answered questions."""
    from beleidzoek.corpus.jsonl import iter_jsonl
    from beleidzoek.corpus.model import Document
    from beleidzoek.index.records import passage_id

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


# -- Whoosh rows: one index per analysis variant, in a temp folder of its own -----------------------

def whoosh_row(name: str, passages: list[dict], pairs: list[Pair]) -> Outcome:
    from whoosh import fields, index, query, scoring

    row = ROWS[name]
    if row.config is None:
        from whoosh.analysis import LanguageAnalyzer

        analyzer, parts, stops = LanguageAnalyzer("nl"), None, frozenset()
    else:
        from beleidzoek.index import analysis

        config = analysis.AnalysisConfig(**row.config)
        analyzer = analysis.text_analyzer(config)
        parts = analysis.parts_analyzer(config) if config.compounds else None
        stops = analysis.stop_terms(config)
    started = time.process_time()
    schema = fields.Schema(id=fields.ID(stored=True), kind=fields.ID,
                           title=fields.TEXT(analyzer=analyzer, field_boost=1.5),
                           text=fields.TEXT(analyzer=analyzer),
                           **({"parts": fields.TEXT(analyzer=parts, phrase=False)} if parts else {}))
    ix = index.create_in(tempfile.mkdtemp(prefix=f"beleidzoek-quality-{name}-"), schema)
    with ix.writer() as writer:
        for p in passages:
            writer.add_document(**p, **({"parts": p["text"]} if parts else {}))
    build = time.process_time() - started
    ranks = []
    started = time.perf_counter()
    answers = query.Term("kind", "answer")
    with ix.searcher(weighting=scoring.BM25F()) as searcher:
        for pair in pairs:
            terms = list(dict.fromkeys(t.text for t in analyzer(pair.question, mode="query")
                                       if t.text not in stops))
            subqueries = [query.Term(f, t) for t in terms for f in ("title", "text")]
            if parts:
                subqueries += [query.Term("parts", t, boost=PARTS_BOOST) for t in terms]
            hits = searcher.search(query.Or(subqueries), filter=answers, limit=TOP) if subqueries else []
            ranks.append(next((rank for rank, hit in enumerate(hits, 1) if hit["id"] == pair.answer_id), 0))
    return Outcome(name, ranks, build, (time.perf_counter() - started) * 1000 / max(len(pairs), 1))


# -- product rows: the index beleidzoek builds, searched as a user would ---------

def build_product(index_dir: Path, corpus: Path) -> float:
    from beleidzoek.index.writer import index_paths

    started = time.process_time()
    index_paths(index_dir, corpus_files(corpus), procs=1)
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
    parser.add_argument("--index", type=Path, help="the product index (built when missing; default: a temp folder)")
    parser.add_argument("--out", type=Path, help="also write every figure as JSON here (after each row)")
    parser.add_argument("--reuse", type=Path, metavar="JSON",
                        help="take the rows not in --rows from an earlier run's --out (same pairs)")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.rows.split(",") if n.strip()]
    unknown = [n for n in names if n not in ROWS]
    if unknown:
        parser.error(f"unknown rows: {', '.join(unknown)}")

    passages, pairs = load(args.corpus)
    if args.limit:
        pairs = [p for s in ("corpus", "qa") for p in [q for q in pairs if q.set == s][: args.limit]]
    counts = {s: sum(p.set == s for p in pairs) for s in ("corpus", "qa")}
    print(f"{len(passages)} passages; {counts['corpus']} corpus + {counts['qa']} qa_pairs questions",
          file=sys.stderr)
    outcomes = reused(args.reuse, len(pairs)) if args.reuse else {}
    with tempfile.TemporaryDirectory(prefix="beleidzoek-quality-") as temporary, \
            ProcessPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
        index_dir = args.index or Path(temporary) / "index"
        product = [n for n in names if ROWS[n].ranking]
        futures = {n: pool.submit(whoosh_row, n, passages, pairs) for n in names if not ROWS[n].ranking}
        product_build = None
        if product:
            from beleidzoek.index.storage import index_exists

            if not index_exists(index_dir):
                product_build = pool.submit(build_product, index_dir, args.corpus).result()
            futures |= {n: pool.submit(product_row, n, index_dir, pairs) for n in product}
        for name in names:
            outcomes[name] = futures[name].result()
            if name in product and product_build is not None:
                outcomes[name].build_cpu_s = product_build
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
