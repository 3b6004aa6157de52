"""Quick comparisons for the Dutch analysis chain (not the official benchmark).

    python bench/analysis_compare.py speed [--repeat 1]
    python bench/analysis_compare.py mrr [--variants baseline,porter,...]

``speed``: time to analyse every ``text`` of corpus.jsonl (8.4M characters)
with Whoosh's ``LanguageAnalyzer("nl")`` (the baseline) and with our chain
(with/without the per-word cache, PyStemmer vs the pure-Python stemmer, text
field alone and text + parts fields).  Each variant runs in a fresh
subprocess, so caches start empty and lazy loading (data files, wordfreq) is
included.

``mrr``: question -> answer retrieval.  Documents are the answers of every
Kamervraag ``qa`` pair in corpus.jsonl plus qa_pairs/*.jsonl; each question's
text is the query (stop words dropped, terms OR-ed, BM25F); the score is
MRR@10 of the question's own answer.  Compound variants also query the
``parts`` field at boost ``--parts-boost``.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS_DIR = os.path.normpath(REPO / ".." / "shared" / "corpus")


def load_texts(corpus_dir=CORPUS_DIR):
    with open(os.path.join(corpus_dir, "corpus.jsonl"), encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh]


def load_pairs(corpus_dir=CORPUS_DIR):
    pairs = []
    with open(os.path.join(corpus_dir, "corpus.jsonl"), encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d.get("kind") == "kamervraag":
                for qa in d.get("qa") or []:
                    if qa.get("answer") and qa.get("question"):
                        pairs.append((qa["question"], qa["answer"]))
    for path in sorted(glob.glob(os.path.join(corpus_dir, "qa_pairs", "*.jsonl"))):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                if d.get("answer") and d.get("question"):
                    pairs.append((d["question"], d["answer"]))
    return pairs


# --------------------------------------------------------------------------
# speed
# --------------------------------------------------------------------------

SPEED_VARIANTS = {
    "baseline": "whoosh LanguageAnalyzer('nl')",
    "text": "text_analyzer, cache + PyStemmer",
    "text+parts": "text_analyzer + parts_analyzer, cache + PyStemmer",
    "text-nocache": "text_analyzer, no per-word cache, PyStemmer",
    "text-purepy": "text_analyzer, cache, pure-Python snowballstemmer",
    "text-purepy-nocache": "text_analyzer, no cache, pure-Python snowballstemmer",
}


def _speed_worker(variant: str, repeat: int) -> dict:
    texts = load_texts()
    t0 = time.process_time()
    if variant == "baseline":
        from whoosh.analysis import LanguageAnalyzer

        analyzers = [LanguageAnalyzer("nl")]
    else:
        from beleidzoek.index import analysis, stemming

        if "nocache" in variant:
            stemming.set_cache_enabled(False)
        if "purepy" in variant:
            stemming.use_pure_python_stemmer(True)
        analyzers = [analysis.text_analyzer()]
        if variant == "text+parts":
            analyzers.append(analysis.parts_analyzer())
    setup = time.process_time() - t0
    runs = []
    ntok = 0
    for _ in range(repeat):
        t1 = time.process_time()
        ntok = 0
        for ana in analyzers:
            for text in texts:
                for _t in ana(text, positions=True, chars=True, mode="index"):
                    ntok += 1
        runs.append(time.process_time() - t1)
    return {"variant": variant, "setup_s": setup, "runs_s": runs, "tokens": ntok,
            "chars": sum(len(t) for t in texts)}


def cmd_speed(args):
    rows = []
    for variant in args.variants.split(","):
        out = subprocess.run([sys.executable, __file__, "_speed", variant, str(args.repeat)],
                             capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    base = rows[0]["runs_s"][0] if rows and rows[0]["variant"] == "baseline" else None
    print(f"{'variant':<22} {'first run s':>11} {'best run s':>10} {'Mchar/s':>8} {'tokens':>9} {'setup s':>8}  vs baseline")
    for r in rows:
        first, best = r["runs_s"][0], min(r["runs_s"])
        rel = f"{base / first:.2f}x" if base else ""
        print(f"{r['variant']:<22} {first:11.2f} {best:10.2f} {r['chars'] / first / 1e6:8.2f} {r['tokens']:9d} "
              f"{r['setup_s']:8.2f}  {rel}  ({SPEED_VARIANTS.get(r['variant'], '')})")


# --------------------------------------------------------------------------
# mrr
# --------------------------------------------------------------------------

MRR_VARIANTS = {
    "baseline": None,
    "dutch": dict(stemmer="dutch", stem_overrides=False, compounds=False),
    "porter": dict(stemmer="dutch_porter", stem_overrides=False, compounds=False),
    "none": dict(stemmer="none", stem_overrides=False, compounds=False),
    "dutch+ovr": dict(stemmer="dutch", stem_overrides=True, compounds=False),
    "porter+ovr": dict(stemmer="dutch_porter", stem_overrides=True, compounds=False),
    "dutch+ovr+cmp": dict(stemmer="dutch", stem_overrides=True, compounds=True),
    "porter+ovr+cmp": dict(stemmer="dutch_porter", stem_overrides=True, compounds=True),
    "porter+ovr+cmp-hyph": dict(stemmer="dutch_porter", stem_overrides=True, compounds=True, hyphen_parts=False),
    "porter+ovr+cmp-fold": dict(stemmer="dutch_porter", stem_overrides=True, compounds=True, fold_accents=False),
}


def run_mrr(variant: str, pairs, parts_boost: float = 0.4, k: int = 10, per_query=None) -> float:
    from whoosh import fields, query, scoring
    from whoosh.filedb.filestore import RamStorage

    spec = MRR_VARIANTS[variant]
    if spec is None:
        from whoosh.analysis import LanguageAnalyzer

        text_ana = LanguageAnalyzer("nl")
        parts_ana = None
        stops = frozenset()
    else:
        from beleidzoek.index import analysis

        config = analysis.AnalysisConfig(**spec)
        text_ana = analysis.text_analyzer(config)
        parts_ana = analysis.parts_analyzer(config) if config.compounds else None
        stops = analysis.stop_terms(config)
    schema_fields = {"id": fields.ID(stored=True), "text": fields.TEXT(analyzer=text_ana)}
    if parts_ana is not None:
        schema_fields["parts"] = fields.TEXT(analyzer=parts_ana, phrase=False)
    schema = fields.Schema(**schema_fields)
    ix = RamStorage().create_index(schema)
    w = ix.writer()
    for i, (_q, a) in enumerate(pairs):
        doc = {"id": str(i), "text": a}
        if parts_ana is not None:
            doc["parts"] = a
        w.add_document(**doc)
    w.commit()
    total = 0.0
    with ix.searcher(weighting=scoring.BM25F()) as s:
        for i, (q, _a) in enumerate(pairs):
            qterms = []
            seen = set()
            for t in text_ana(q, mode="query"):
                if t.text not in stops and t.text not in seen:
                    seen.add(t.text)
                    qterms.append(t.text)
            subs = [query.Term("text", t) for t in qterms]
            if parts_ana is not None:
                subs += [query.Term("parts", t, boost=parts_boost) for t in qterms]
            if not subs:
                continue
            hits = s.search(query.Or(subs), limit=k)
            rr = 0.0
            for rank, hit in enumerate(hits, 1):
                if hit["id"] == str(i):
                    rr = 1.0 / rank
                    break
            total += rr
            if per_query is not None:
                per_query.append(rr)
    return total / len(pairs)


def cmd_mrr(args):
    pairs = load_pairs()
    print(f"{len(pairs)} question/answer pairs; MRR@10; parts boost {args.parts_boost}")
    rrs = {}
    for variant in args.variants.split(","):
        t0 = time.process_time()
        rrs[variant] = []
        mrr = run_mrr(variant, pairs, args.parts_boost, per_query=rrs[variant])
        print(f"{variant:<24} MRR@10 = {mrr:.4f}   ({time.process_time() - t0:.0f} s CPU)", flush=True)
    names = list(rrs)
    if len(names) > 1:
        # paired differences against the first variant: mean +- standard error
        base = rrs[names[0]]
        print(f"paired difference vs {names[0]} (mean +- s.e.; wins/losses = queries better/worse):")
        for v in names[1:]:
            d = [a - b for a, b in zip(rrs[v], base)]
            n = len(d)
            mean = sum(d) / n
            var = sum((x - mean) ** 2 for x in d) / (n - 1)
            wins = sum(x > 0 for x in d)
            losses = sum(x < 0 for x in d)
            print(f"  {v:<24} {mean:+.4f} +- {(var / n) ** 0.5:.4f}   wins {wins} / losses {losses}")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_speed":
        print(json.dumps(_speed_worker(argv[1], int(argv[2]))))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("speed")
    sp.add_argument("--variants", default=",".join(SPEED_VARIANTS))
    sp.add_argument("--repeat", type=int, default=1)
    mp = sub.add_parser("mrr")
    mp.add_argument("--variants", default="baseline,dutch,porter,dutch+ovr,porter+ovr,dutch+ovr+cmp,porter+ovr+cmp")
    mp.add_argument("--parts-boost", type=float, default=0.4)
    args = ap.parse_args(argv)
    {"speed": cmd_speed, "mrr": cmd_mrr}[args.cmd](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
