"""How fast the Dutch analysis chain is, next to Whoosh's ``LanguageAnalyzer("nl")``.

    python bench/analysis_speed.py [--variants baseline,text,...] [--repeat 1]

Time to analyse every ``text`` of corpus.jsonl (8.4M characters) with the
baseline and with our chain: with/without the per-word cache, PyStemmer vs
the pure-Python stemmer, text field alone and text + parts fields. Each
variant runs in a fresh subprocess, so caches start empty and lazy loading
(data files, the lexicon) is included. Retrieval quality per variant is
``bench/quality.py``'s job.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS_DIR = os.path.normpath(REPO / ".." / "shared" / "corpus")


def load_texts(corpus_dir=CORPUS_DIR):
    with open(os.path.join(corpus_dir, "corpus.jsonl"), encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh]


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


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_speed":
        print(json.dumps(_speed_worker(argv[1], int(argv[2]))))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--variants", default=",".join(SPEED_VARIANTS))
    ap.add_argument("--repeat", type=int, default=1)
    cmd_speed(ap.parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
