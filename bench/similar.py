"""How well ``beleidzoek similar`` finds the answer to a question, next to a plain search.

A script, not a test. It indexes the shared corpus (``corpus.jsonl`` plus the
QA pairs in ``qa_pairs/``) into a temporary index, then for every answered
question (a question passage followed by its answer):

* **similar**: ``Searcher.similar(question, exclude_passages=[the question])``
  -- the question itself hidden -- and the rank (1-10) of the pair holding its
  own answer;
* **search**: ``Searcher.search(question, kind="answer")`` with the raw
  question text, and the rank of its own answer (a question the query parser
  refuses counts as not found);
* **words**: the same search with the question's text as plain words
  (``similar.plain_words``: no quotes, brackets or operators), so nothing is
  refused -- what ``similar`` adds beyond that robustness is its pairing.

It reports MRR@10 and hits@1/@10 per set: the 651 pairs of the Kamervragen in
``corpus.jsonl`` and the 2028 pairs of ``qa_pairs/``::

    python bench/similar.py                          # ~10 min on 2 cores
    python bench/similar.py --limit 200 --index /tmp/bench-ix   # quicker; keeps the index
    python bench/similar.py --set QUESTION_WEIGHT=0.4 --set DOCUMENT_DROP=0

``--set NAME=VALUE`` overrides a constant of ``beleidzoek.search.similar`` (for tuning).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TOP = 10


@dataclass
class Pair:
    question: str
    question_id: str
    answer_id: str
    set: str  # "corpus" or "qa"


def build(index_dir: Path, corpus: Path) -> None:
    from beleidzoek.index.writer import index_paths

    paths = [corpus / "corpus.jsonl", *sorted((corpus / "qa_pairs").glob("*.jsonl"))]
    report = index_paths(index_dir, paths)
    print(f"indexed {report.documents} documents, {report.passages} passages "
          f"in {report.seconds:.0f} s", file=sys.stderr)


def answered_pairs(session) -> list[Pair]:
    """Every question passage directly followed by the answer with its number, from the index."""
    from whoosh.query import Or, Term

    searcher = session.whoosh_searcher
    passages: dict[str, list[dict]] = {}
    for docnum in searcher.docs_for_query(Or([Term("kind", "question"), Term("kind", "answer")])):
        fields = searcher.stored_fields(docnum)
        passages.setdefault(fields["doc_id"], []).append(fields)
    pairs = []
    for doc_id, found in sorted(passages.items()):
        found.sort(key=lambda f: f["position"])
        for question, answer in zip(found, found[1:]):
            if (question["kind"], answer["kind"]) == ("question", "answer") \
                    and question.get("number") == answer.get("number") \
                    and answer["position"] == question["position"] + 1:
                pairs.append(Pair(question["text"], question["passage_id"], answer["passage_id"],
                                  "qa" if doc_id.startswith("llqa-") else "corpus"))
    return pairs


def similar_rank(session, pair: Pair) -> int:
    result = session.similar(pair.question, limit=TOP, exclude_passages=[pair.question_id])
    return next((p.rank for p in result.pairs if p.answer and p.answer.passage_id == pair.answer_id), 0)


def search_rank(session, pair: Pair, plain: bool = False) -> int:
    from beleidzoek.index.errors import BeleidzoekError
    from beleidzoek.search.similar import plain_words

    try:
        result = session.search(plain_words(pair.question) if plain else pair.question,
                                kind="answer", limit=TOP)
    except BeleidzoekError:
        return -1
    return next((h.rank for h in result.hits if h.passage_id == pair.answer_id), 0)


def measure(rank, session, pairs: list[Pair]) -> dict:
    """The summary of ``rank(session, pair)`` over ``pairs``, with the time per question."""
    started = time.perf_counter()
    ranks = [rank(session, pair) for pair in pairs]
    milliseconds = (time.perf_counter() - started) * 1000 / max(len(pairs), 1)
    return summary(ranks) | {"ms_per_query": round(milliseconds)}


def summary(ranks: list[int]) -> dict:
    found = [r for r in ranks if r > 0]
    n = len(ranks) or 1
    return {"pairs": len(ranks), "mrr@10": round(sum(1 / r for r in found) / n, 4),
            "hits@1": round(sum(r == 1 for r in found) / n, 4),
            "hits@10": round(len(found) / n, 4), "refused": sum(r < 0 for r in ranks)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus", help="the shared corpus folder")
    parser.add_argument("--index", type=Path, help="index folder (built when missing; default: a temp folder)")
    parser.add_argument("--limit", type=int, help="only the first N pairs of each set")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a constant of beleidzoek.search.similar")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)

    from beleidzoek.index.storage import index_exists
    from beleidzoek.search import similar as similar_module
    from beleidzoek.search.results import Searcher

    for item in args.set:
        name, _, value = item.partition("=")
        current = getattr(similar_module, name)
        setattr(similar_module, name, type(current)(value))
    with tempfile.TemporaryDirectory(prefix="beleidzoek-similar-") as temporary:
        index_dir = args.index or Path(temporary) / "index"
        if not index_exists(index_dir):
            build(index_dir, args.corpus)
        with Searcher(index_dir) as session:
            pairs = answered_pairs(session)
            figures = {}
            for name in ("corpus", "qa"):
                chosen = [p for p in pairs if p.set == name][: args.limit]
                figures[name] = {
                    method: measure(rank, session, chosen) for method, rank in (
                        ("similar", similar_rank), ("search", search_rank),
                        ("words", lambda s, p: search_rank(s, p, plain=True)))}
    print(f"{'set':<8}{'method':<9}{'pairs':>7}{'MRR@10':>9}{'hits@1':>8}{'hits@10':>9}{'refused':>9}{'ms/q':>7}")
    for name, methods in figures.items():
        for method, row in methods.items():
            print(f"{name:<8}{method:<9}{row['pairs']:>7}{row['mrr@10']:>9.4f}{row['hits@1']:>8.3f}"
                  f"{row['hits@10']:>9.3f}{row['refused']:>9}{row['ms_per_query']:>7}")
    if args.out:
        settings = {name: getattr(similar_module, name)
                    for name in ("CANDIDATES", "QUESTION_WEIGHT", "SAME_QUESTION_WEIGHT", "SAME_QUESTION",
                                 "DOCUMENT_LIFT", "DOCUMENT_DROP")}
        args.out.write_text(json.dumps({"settings": settings, "figures": figures}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
