"""Find stemming collisions in the corpus vocabulary.

Usage::

    python bench/stem_collisions.py [--stemmer dutch_porter|dutch] [--top N]
        [--min-freq 20] [--no-overrides] [--corpus ../shared/corpus/corpus.jsonl]

Counts word frequencies over the ``text`` of every document, groups the words
by their index term (the full normalisation: fold, lower, protected words,
stem overrides, stemmer) and prints the groups that look wrong:

* STOP   -- a content word gets the term of a stop word (it would be dropped
            from keyword queries): "overheid" -> "over".
* MIX    -- two frequent members whose common prefix is short relative to
            their length, and whose remainders are not both ordinary Dutch
            endings (-en, -ing, -lijk, ...; doubled letters collapsed):
            "gemeente" + "menen" -> "meen", "minister" + "mini".
* WORD   -- the term is itself a frequent corpus word that gets a different
            term ("gegevens" -> "geven" while "geven" -> "geef").

Use the output to extend ``index/data/stem_overrides.tsv`` (word<TAB>term) or
``index/data/protected.txt``; run again with the default settings to check
that the flagged groups are gone.  ``--no-overrides`` shows the raw stemmer.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = os.path.normpath(REPO / ".." / "shared" / "corpus" / "corpus.jsonl")


def _import_analysis():
    try:
        from beleidzoek.index import analysis, stemming
    except ImportError:  # not installed: run from a checkout
        sys.path.insert(0, str(REPO))
        import importlib

        pkg = importlib.import_module("index")
        sys.modules["beleidzoek.index"] = pkg
        from index import analysis, stemming  # type: ignore
    return analysis, stemming


def word_counts(corpus: str) -> collections.Counter:
    """Surface-word frequencies (lower-cased, accents folded; as the query
    analyzer splits them, so hyphen parts count as words)."""
    analysis, stemming = _import_analysis()
    tok = analysis.DutchTokenizer() | analysis.ConnectorFilter(keep_whole=False)
    counts: collections.Counter = collections.Counter()
    with open(corpus, encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            for t in tok(doc.get("text") or "", mode="query"):
                w = t.text
                if w.isalpha():
                    counts[stemming.fold_accents(w).lower()] += 1
    return counts


# Inflectional/derivational endings: two members whose remainders after their
# common prefix are both in this set are taken to be related words.
RELATED_ENDINGS = frozenset("""
    - e en s es n er ere ers eren erd st ste d de den t te ten nd nde end ende
    ing ingen ings lijk lijke lijkheid lijkheden elijk elijke elijkheid
    elijkheden heid heden baar bare baarheid ig ige igen isch ische ie ies
    ief ieve atie aties eer eert eerd eerde eren ist isten isme
""".split()) | {""}


def _undouble(w: str) -> str:
    """Collapse doubled letters ("zaak" -> "zak", "stukken" -> "stuken") so
    Dutch spelling alternations do not hide a shared prefix."""
    out = []
    for c in w:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def related(a: str, b: str) -> bool:
    """Do ``a`` and ``b`` look like forms of the same word family?"""
    a, b = _undouble(a), _undouble(b)
    cp = _common_prefix(a, b)
    endings = _undoubled_endings()
    return a[cp:] in endings and b[cp:] in endings


_UNDOUBLED = None


def _undoubled_endings():
    global _UNDOUBLED
    if _UNDOUBLED is None:
        _UNDOUBLED = frozenset(_undouble(e) for e in RELATED_ENDINGS)
    return _UNDOUBLED


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def find_collisions(counts, stemmer="dutch_porter", overrides=True, min_freq=20, prefix_ratio=0.6):
    """Return a list of ``(score, term, flags, members)`` sorted by score."""
    analysis, stemming = _import_analysis()
    config = analysis.AnalysisConfig(stemmer=stemmer, stem_overrides=overrides)
    norm = stemming.get_normalizer(stemmer, True, overrides)
    stops = set(stemming.stop_words())
    stop_terms = analysis.stop_terms(config)
    groups: dict[str, list[tuple[str, int]]] = collections.defaultdict(list)
    term_of = {}
    for w, n in counts.items():
        t = norm.term(w)
        term_of[w] = t
        groups[t].append((w, n))
    out = []
    for term, members in groups.items():
        members.sort(key=lambda x: -x[1])
        frequent = [(w, n) for w, n in members if n >= min_freq]
        if not frequent:
            continue
        flags = []
        if term in stop_terms:
            bad = [w for w, n in frequent if w not in stops]
            if bad:
                flags.append("STOP(" + ",".join(bad[:5]) + ")")
        mixed = []
        for i, (a, na) in enumerate(frequent):
            for b, nb in frequent[i + 1:]:
                if _common_prefix(a, b) < prefix_ratio * max(len(a), len(b)) and not related(a, b):
                    mixed.append(f"{a}/{b}")
        if mixed:
            flags.append("MIX(" + ",".join(mixed[:4]) + ")")
        if term in counts and counts[term] >= min_freq and term_of.get(term) != term \
                and all(w != term for w, _ in members):
            flags.append(f"WORD({term}:{counts[term]}->{term_of[term]})")
        if flags:
            score = sum(n for _, n in frequent)
            out.append((score, term, flags, members))
    out.sort(key=lambda x: -x[0])
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=DEFAULT_CORPUS, help="corpus.jsonl (default: %(default)s)")
    ap.add_argument("--stemmer", default="dutch_porter", choices=["dutch", "dutch_porter"])
    ap.add_argument("--top", type=int, default=60, help="print the N biggest flagged groups")
    ap.add_argument("--min-freq", type=int, default=20, help="a member counts as frequent from this corpus frequency")
    ap.add_argument("--prefix-ratio", type=float, default=0.6,
                    help="MIX: common prefix shorter than this share of the longer word")
    ap.add_argument("--no-overrides", action="store_true", help="raw stemmer: no overrides/protected words")
    args = ap.parse_args(argv)

    counts = word_counts(args.corpus)
    found = find_collisions(counts, args.stemmer, not args.no_overrides, args.min_freq, args.prefix_ratio)
    print(f"# {len(counts)} distinct words, {sum(counts.values())} tokens; stemmer={args.stemmer} "
          f"overrides={'off' if args.no_overrides else 'on'}; {len(found)} flagged groups")
    for score, term, flags, members in found[: args.top]:
        shown = " ".join(f"{w}:{n}" for w, n in members[:8])
        more = f" (+{len(members) - 8})" if len(members) > 8 else ""
        print(f"{score:7d}  {term:<16} {' '.join(flags)}\n         {shown}{more}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
