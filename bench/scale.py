"""Synthetic scale corpora for the speed benchmark, recombined from real sentences.

The shared corpus (../shared/corpus) has about 25,000 passage-sized pieces of
text; measuring an engine at 100,000 or 1,000,000 passages needs more. This
module makes any number of **synthetic** passages by recombining real
sentences, so the vocabulary, word lengths, sentence shapes and term
frequencies stay those of real Dutch policy text:

* every passage has a kind (``question``, ``answer``, ``guidance``, ``blog``,
  ``law``, ``news``) drawn with the weights of the real corpus, a real title of
  a document of that kind and a date drawn from the real dates of that kind
  (jittered by up to a year), so kind and date filters can be measured;
* its length in words is drawn from the real passages of its kind (document
  text in chunks of 40-200 words, real questions and real answers capped at
  200 words), and it is filled with random real sentences of the same kind;
* question and answer passages come in pairs and are written as one Kamervraag
  record with a ``qa`` list, as corpus.jsonl has them; the other kinds as one
  record each whose ``text`` is one passage.

The output is JSONL in the schema of corpus.jsonl (``id``, ``kind``,
``title``, ``date``, ``source``, ``license``, ``origin``, ``text``, plus
``qa``/``submitted``/``answered`` for Kamervragen). Every record says
``"synthetic": true`` and its source is ``synthetic``. Generation is
deterministic (fixed seed) and streaming: the first N passages of a larger
corpus are exactly the corpus of N passages, and a million passages never
sit in memory.

Run alone::

    python bench/scale.py 10k --out /tmp/bench/corpus-10k.jsonl [--shared ../shared]
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import json
import os
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

#: Bump when the generator changes, so cached corpora are rebuilt.
GENERATOR_VERSION = 3
DEFAULT_SEED = 20_240_611
MIN_WORDS, MAX_WORDS = 40, 200
PASSAGE_KINDS = ("question", "answer", "guidance", "blog", "law", "news")
SYNTHETIC_LABEL = "synthetic"

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"'(„“‘A-Z0-9À-Ý])")
_WORD = re.compile(r"\w+")


def parse_scale(text: str) -> int:
    """'10k' -> 10000, '1M' -> 1000000, '2500' -> 2500."""
    text = text.strip().lower().replace("_", "")
    factor = 1
    if text.endswith("k"):
        factor, text = 1_000, text[:-1]
    elif text.endswith("m"):
        factor, text = 1_000_000, text[:-1]
    value = float(text) * factor
    if value < 1 or value != int(value):
        raise ValueError(f"not a passage count: {text!r}")
    return int(value)


def scale_label(n: int) -> str:
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


# --------------------------------------------------------------------------- sources

@dataclass
class KindSource:
    """What the real corpus has for one passage kind."""

    sentences: list[str] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)  # words per real passage
    titles: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)


@dataclass
class Sources:
    kinds: dict[str, KindSource]
    weights: dict[str, float]  # "qa" (a question+answer pair) and the document kinds
    questions: list[str]  # real questions from qa_pairs, for question-length queries
    digest: str  # of the input files, so a cached corpus knows what it came from


def _sentences(paragraph: str) -> list[str]:
    out = []
    for line in paragraph.split("\n"):
        line = " ".join(line.split())
        if not line or line.count("|") > 1:  # flattened tables are not sentences
            continue
        for sentence in _SENTENCE_END.split(line):
            words = len(sentence.split())
            if 3 <= words <= 80:
                out.append(sentence)
    return out


def _chunk_lengths(text: str) -> list[int]:
    """Word counts of a document cut into passages of 40-200 words at paragraph ends."""
    lengths, current = [], 0
    for paragraph in re.split(r"\n\s*\n", text):
        current += len(paragraph.split())
        if current >= MIN_WORDS:
            pieces = -(-current // MAX_WORDS)
            lengths.extend([current // pieces] * pieces)
            current = 0
    if current >= MIN_WORDS // 2:
        lengths.append(max(current, MIN_WORDS))
    return lengths


def _clip(words: int, low: int) -> int:
    return max(low, min(MAX_WORDS, words))


def load_sources(shared: Path) -> Sources:
    """Read ../shared/corpus once: sentence pools, lengths, titles and dates per kind."""
    corpus_dir = Path(shared) / "corpus"
    corpus_file = corpus_dir / "corpus.jsonl"
    qa_files = sorted((corpus_dir / "qa_pairs").glob("*.jsonl"))
    digest = hashlib.blake2b(digest_size=8)
    for path in [corpus_file, *qa_files]:
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}".encode())

    kinds = {kind: KindSource() for kind in PASSAGE_KINDS}
    all_dates: list[str] = []
    pairs = 0
    with open(corpus_file, encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            date, title = doc.get("date"), (doc.get("title") or "").strip()
            if date:
                all_dates.append(date)
            if doc["kind"] == "kamervraag":
                for kind in ("question", "answer"):
                    if title:
                        kinds[kind].titles.append(title)
                    if date:
                        kinds[kind].dates.append(date)
                for qa in doc.get("qa") or []:
                    if not (qa.get("question") and qa.get("answer")):
                        continue
                    pairs += 1
                    for kind in ("question", "answer"):
                        _add_real_passage(kinds[kind], qa[kind])
                continue
            source = kinds[doc["kind"]]
            if title:
                source.titles.append(title)
            if date:
                source.dates.append(date)
            for paragraph in re.split(r"\n\s*\n", doc["text"]):
                source.sentences.extend(_sentences(paragraph))
            source.lengths.extend(_chunk_lengths(doc["text"]))

    questions = []
    for path in qa_files:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                qa = json.loads(line)
                if not (qa.get("question") and qa.get("answer")):
                    continue
                pairs += 1
                questions.append(" ".join(qa["question"].split()))
                for kind in ("question", "answer"):
                    _add_real_passage(kinds[kind], qa[kind])

    for kind, source in kinds.items():
        if len(source.dates) < 30:  # guidance is mostly undated: use every real date
            source.dates = list(all_dates)
        source.dates.sort()
        if not source.sentences or not source.lengths or not source.titles:
            raise SystemExit(f"the shared corpus has no usable {kind} text")
    weights = {"qa": float(pairs)}
    for kind in ("guidance", "blog", "law", "news"):
        weights[kind] = float(len(kinds[kind].lengths))
    return Sources(kinds=kinds, weights=weights, questions=questions, digest=digest.hexdigest())


def _add_real_passage(source: KindSource, text: str) -> None:
    text = " ".join(text.split())
    source.lengths.append(_clip(len(text.split()), 8))
    source.sentences.extend(_sentences(text))


# --------------------------------------------------------------------------- generation

@dataclass
class Passage:
    pid: str  # id of the passage: record id + "#" + position, as beleidzoek numbers them
    kind: str
    title: str
    date: str
    text: str


class Generator:
    """Deterministic stream of synthetic records (dicts in the corpus.jsonl schema)."""

    def __init__(self, sources: Sources, seed: int = DEFAULT_SEED):
        self.sources = sources
        self.seed = seed
        self.rng = random.Random(seed)
        names = list(sources.weights)
        total = sum(sources.weights.values())
        self._names = names
        self._cumulative = []
        acc = 0.0
        for name in names:
            acc += sources.weights[name] / total
            self._cumulative.append(acc)
        self._max_date = max(max(s.dates) for s in sources.kinds.values())

    def _pick_kind(self) -> str:
        index = bisect.bisect_left(self._cumulative, self.rng.random())
        return self._names[min(index, len(self._names) - 1)]

    def _text(self, kind: str) -> str:
        source = self.sources.kinds[kind]
        rng = self.rng
        target = rng.choice(source.lengths)
        pool = source.sentences
        parts, words = [], 0
        while words < target:
            sentence = pool[int(rng.random() * len(pool))]
            parts.append(sentence)
            words += sentence.count(" ") + 1
        text = " ".join(parts)
        if words > MAX_WORDS:
            text = " ".join(text.split(" ")[:MAX_WORDS])
        return text

    def _date(self, kind: str) -> str:
        day = dt.date.fromisoformat(self.rng.choice(self.sources.kinds[kind].dates))
        day += dt.timedelta(days=self.rng.randint(-365, 365))
        return min(day.isoformat(), self._max_date)

    def _title(self, kind: str) -> str:
        return self.rng.choice(self.sources.kinds[kind].titles)

    def records(self, passages: int) -> Iterator[tuple[dict, list[Passage]]]:
        """Records holding ``passages`` passages in all, with the passages each holds."""
        made, number = 0, 0
        while made < passages:
            number += 1
            record_id = f"syn-{number:07d}"
            name = self._pick_kind()
            if name == "qa" and passages - made < 2:
                name = "guidance"  # no room for a pair in the last slot
            common = {"id": record_id, "source": SYNTHETIC_LABEL,
                      "license": "synthetic: sentences recombined from ../shared/corpus",
                      "origin": f"synthetic: bench/scale.py v{GENERATOR_VERSION} seed {self.seed}",
                      "synthetic": True}
            if name == "qa":
                title, date = self._title("question"), self._date("question")
                question, answer = self._text("question"), self._text("answer")
                record = {"id": record_id, "kind": "kamervraag", "title": title, "date": date,
                          **common, "submitted": date, "answered": date,
                          "text": f"Vraag 1\n\n{question}\n\nAntwoord 1\n\n{answer}",
                          "qa": [{"n": "1", "question": question, "answer": answer}]}
                found = [Passage(f"{record_id}#0", "question", title, date, question),
                         Passage(f"{record_id}#1", "answer", title, date, answer)]
            else:
                title, date, text = self._title(name), self._date(name), self._text(name)
                record = {"id": record_id, "kind": name, "title": title, "date": date,
                          **common, "text": text}
                found = [Passage(f"{record_id}#0", name, title, date, text)]
            made += len(found)
            yield record, found

    def passages(self, passages: int) -> Iterator[Passage]:
        for _, found in self.records(passages):
            yield from found


# --------------------------------------------------------------------------- queries

#: Passages the query set is drawn from: the first ones of every corpus, so
#: every scale gets the same queries and every query has hits at every scale.
QUERY_POOL = 10_000
QUERY_TYPES = ("keyword", "phrase", "filtered", "question")


def _stopwords() -> frozenset[str]:
    from whoosh.lang import stopwords_for_language

    return frozenset(stopwords_for_language("nl"))


def _content_words(text: str, stops: frozenset[str]) -> list[str]:
    return [w for w in _WORD.findall(text.lower())
            if len(w) >= 4 and w.isalpha() and w not in stops]


def normalise_query(text: str) -> str:
    """Words only, lower case: no engine's query syntax (?, *, :, AND) gets in the way."""
    return " ".join(_WORD.findall(text.lower()))


def make_queries(sources: Sources, per_type: int = 50, seed: int = DEFAULT_SEED) -> dict:
    """A fixed, deterministic query set drawn from real text, ``per_type`` of each type.

    * ``keyword``: 2-3 content words from one sentence of a corpus passage;
    * ``phrase``: 2-3 consecutive words of a corpus passage, in quotes;
    * ``filtered``: a keyword query plus the kind of its passage and a date
      range of three calendar years around the passage's date;
    * ``question``: a real question of 20-40 words from qa_pairs.

    Each is ``{"text": ..., "kind": ..., "date_from": ..., "date_to": ...}``
    (the last three only for filtered queries); ``text`` is words only, lower
    case, and phrase queries carry their quotes.
    """
    stops = _stopwords()
    rng = random.Random(seed + 1)
    pool = list(Generator(sources, seed).passages(min(QUERY_POOL, 50 * per_type)))
    queries: dict[str, list[dict]] = {kind: [] for kind in QUERY_TYPES}
    seen: set[str] = set()

    def sentence_of(passage: Passage) -> str:
        return rng.choice(_SENTENCE_END.split(passage.text))

    def keywords(passage: Passage) -> str | None:
        words = list(dict.fromkeys(_content_words(sentence_of(passage), stops)))
        count = rng.choice((2, 3))
        if len(words) < count:
            return None
        return " ".join(rng.sample(words, count))

    while len(queries["keyword"]) < per_type:
        text = keywords(rng.choice(pool))
        if text and text not in seen:
            seen.add(text)
            queries["keyword"].append({"text": text})

    while len(queries["phrase"]) < per_type:
        words = _WORD.findall(sentence_of(rng.choice(pool)).lower())
        count = rng.choice((2, 3))
        if len(words) < count:
            continue
        start = rng.randrange(len(words) - count + 1)
        phrase = words[start:start + count]
        if not all(w.isalpha() for w in phrase) or phrase[0] in stops or phrase[-1] in stops \
                or min(len(w) for w in (phrase[0], phrase[-1])) < 4:
            continue
        text = '"' + " ".join(phrase) + '"'
        if text not in seen:
            seen.add(text)
            queries["phrase"].append({"text": text})

    while len(queries["filtered"]) < per_type:
        passage = rng.choice(pool)
        text = keywords(passage)
        if not text or ("F" + text) in seen:
            continue
        seen.add("F" + text)
        year = int(passage.date[:4])
        queries["filtered"].append({"text": text, "kind": passage.kind,
                                    "date_from": f"{year - 1}-01-01",
                                    "date_to": f"{year + 1}-12-31"})

    questions = sorted({normalise_query(q) for q in sources.questions
                        if 20 <= len(q.split()) <= 40})
    for text in rng.sample(questions, min(per_type, len(questions))):
        queries["question"].append({"text": text})
    return queries


# --------------------------------------------------------------------------- files

def passages_from_file(path: Path) -> Iterator[Passage]:
    """The passages of a corpus file written by :func:`write_corpus` (streaming)."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("qa"):
                qa = record["qa"][0]
                yield Passage(f"{record['id']}#0", "question", record["title"], record["date"],
                              qa["question"])
                yield Passage(f"{record['id']}#1", "answer", record["title"], record["date"],
                              qa["answer"])
            else:
                yield Passage(f"{record['id']}#0", record["kind"], record["title"],
                              record["date"], record["text"])


def corpus_meta(sources: Sources, passages: int, seed: int) -> dict:
    return {"synthetic": True, "generator": "bench/scale.py", "version": GENERATOR_VERSION,
            "seed": seed, "passages": passages, "sources_digest": sources.digest}


def write_corpus(path: Path, sources: Sources, passages: int, seed: int = DEFAULT_SEED,
                 reuse: bool = True) -> dict:
    """Write (or reuse) the synthetic corpus file; returns its metadata with statistics."""
    path = Path(path)
    meta_path = path.with_suffix(".meta.json")
    wanted = corpus_meta(sources, passages, seed)
    if reuse and path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if {k: meta.get(k) for k in wanted} == wanted:
            return meta
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    counts = {kind: 0 for kind in PASSAGE_KINDS}
    records = words = text_bytes = 0
    with open(tmp, "w", encoding="utf-8") as out:
        for record, found in Generator(sources, seed).records(passages):
            out.write(json.dumps(record, ensure_ascii=False))
            out.write("\n")
            records += 1
            for passage in found:
                counts[passage.kind] += 1
                words += passage.text.count(" ") + 1
                text_bytes += len(passage.text.encode("utf-8"))
    os.replace(tmp, path)
    meta = dict(wanted, records=records, kinds=counts, words=words, text_bytes=text_bytes,
                file_bytes=path.stat().st_size,
                mean_words=round(words / passages, 1))
    meta_path.write_text(json.dumps(meta, indent=1))
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scale", help="number of passages: 10k, 100k, 1M or a number")
    parser.add_argument("--out", required=True, type=Path, help="JSONL file to write")
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    meta = write_corpus(args.out, load_sources(args.shared), parse_scale(args.scale), args.seed,
                        reuse=False)
    json.dump(meta, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
