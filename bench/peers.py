"""The engines beleidzoek is measured against, behind one small interface.

* ``baseline``: plain Whoosh with ``LanguageAnalyzer("nl")`` -- what a
  developer gets from the Whoosh documentation: ``text`` TEXT (stored), ``kind``
  and ``date`` ID, plus a stored ``id`` ID to report hits; one writer with
  default settings, one commit; queries parsed by
  ``QueryParser("text", schema, group=OrGroup)``, phrases in quotes, filters
  passed as ``filter=``.
* ``tantivy``: tantivy-py with its built-in Dutch stemming tokenizer
  ``nl_stem`` (simple tokenizer, lower case, Snowball Dutch); ``kind`` as a raw
  string, ``date`` as an integer fast field (YYYYMMDD); default writer (128 MB
  heap, one thread per core); queries through ``Index.parse_query`` (OR by
  default), filters as constant-score ``Must`` clauses of a boolean query.
* ``bm25s``: bm25s with its Dutch stop words and PyStemmer's Dutch stemmer
  (its ``Tokenizer`` fed by a generator, then ``BM25().index``, default BM25
  parameters, saved with ``save``, loaded with ``BM25.load``);
  scores live in a sparse matrix, so it has no phrase queries (``n/a``);
  filtered queries use its ``weight_mask`` (a numpy mask over all passages
  computed per query from kind/date arrays, zero-score results dropped).

Every engine indexes the same passages from the same JSONL file (see
``scale.passages_from_file``), returns the top 10 hits, and reads the stored
passage id of each hit, as a search front end would.
"""

from __future__ import annotations

import json
from pathlib import Path


from scale import passages_from_file

TOP = 10


def _date_int(date: str) -> int:
    return int(date.replace("-", ""))


class Engine:
    name = "?"
    #: Query types this engine cannot answer (reported as n/a).
    unsupported: tuple[str, ...] = ()

    def build(self, index_dir: Path, corpus: Path) -> dict:
        raise NotImplementedError

    def open(self, index_dir: Path) -> None:
        raise NotImplementedError

    def search(self, query: dict) -> list[str]:
        raise NotImplementedError

    def count(self) -> int | None:
        """Passages the opened index holds."""
        return None

    def close(self) -> None:
        pass


# --------------------------------------------------------------------------- Whoosh

class Baseline(Engine):
    name = "baseline"

    @staticmethod
    def schema():
        from whoosh.analysis import LanguageAnalyzer
        from whoosh.fields import ID, TEXT, Schema

        return Schema(id=ID(stored=True), text=TEXT(analyzer=LanguageAnalyzer("nl"), stored=True),
                      kind=ID, date=ID)

    def build(self, index_dir: Path, corpus: Path) -> dict:
        from whoosh.index import create_in

        index_dir.mkdir(parents=True, exist_ok=True)
        ix = create_in(str(index_dir), self.schema())
        writer = ix.writer()
        count = 0
        for passage in passages_from_file(corpus):  # a generator: nothing piles up
            writer.add_document(id=passage.pid, text=passage.text, kind=passage.kind,
                                date=passage.date)
            count += 1
        writer.commit()
        ix.close()
        return {"passages": count}

    def open(self, index_dir: Path) -> None:
        from whoosh.index import open_dir
        from whoosh.qparser import OrGroup, QueryParser

        self.ix = open_dir(str(index_dir))
        self.searcher = self.ix.searcher()
        self.parser = QueryParser("text", self.ix.schema, group=OrGroup)

    def search(self, query: dict) -> list[str]:
        from whoosh.query import And, Term, TermRange

        parsed = self.parser.parse(query["text"])
        filter_ = None
        if "kind" in query:
            filter_ = And([Term("kind", query["kind"]),
                           TermRange("date", query["date_from"], query["date_to"])])
        results = self.searcher.search(parsed, limit=TOP, filter=filter_)
        return [hit["id"] for hit in results]

    def count(self) -> int:
        return self.searcher.doc_count()

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()


# --------------------------------------------------------------------------- tantivy

class Tantivy(Engine):
    name = "tantivy"
    tokenizer = "nl_stem"

    @classmethod
    def schema(cls):
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("text", stored=True, tokenizer_name=cls.tokenizer)
        builder.add_text_field("kind", tokenizer_name="raw")
        builder.add_integer_field("date", indexed=True, fast=True)
        return builder.build()

    def build(self, index_dir: Path, corpus: Path) -> dict:
        import tantivy

        index_dir.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(self.schema(), path=str(index_dir), reuse=False)
        writer = index.writer()
        count = 0
        for passage in passages_from_file(corpus):
            writer.add_document(tantivy.Document(id=passage.pid, text=passage.text,
                                                 kind=passage.kind,
                                                 date=_date_int(passage.date)))
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        return {"passages": count}

    def open(self, index_dir: Path) -> None:
        import tantivy

        self.tv = tantivy
        self.index = tantivy.Index.open(str(index_dir))
        self.schema_ = self.index.schema
        self.searcher = self.index.searcher()

    def count(self) -> int:
        return self.searcher.num_docs

    def search(self, query: dict) -> list[str]:
        tv = self.tv
        parsed = self.index.parse_query(query["text"], ["text"])
        if "kind" in query:
            kind = tv.Query.term_query(self.schema_, "kind", query["kind"])
            dates = tv.Query.range_query(self.schema_, "date", tv.FieldType.Integer,
                                         _date_int(query["date_from"]),
                                         _date_int(query["date_to"]))
            parsed = tv.Query.boolean_query([
                (tv.Occur.Must, parsed),
                (tv.Occur.Must, tv.Query.const_score_query(kind, 0.0)),
                (tv.Occur.Must, tv.Query.const_score_query(dates, 0.0)),
            ])
        hits = self.searcher.search(parsed, TOP).hits
        return [self.searcher.doc(address)["id"][0] for _, address in hits]


# --------------------------------------------------------------------------- bm25s

class BM25S(Engine):
    name = "bm25s"
    unsupported = ("phrase",)
    KINDS = ("question", "answer", "guidance", "blog", "law", "news")

    @staticmethod
    def _stemmer():
        import Stemmer

        return Stemmer.Stemmer("dutch")

    def build(self, index_dir: Path, corpus: Path) -> dict:
        import bm25s
        import numpy as np

        ids, kinds, dates = [], [], []

        def texts():  # streamed: the passage texts never sit in memory all at once
            for passage in passages_from_file(corpus):
                ids.append(passage.pid)
                kinds.append(self.KINDS.index(passage.kind))
                dates.append(_date_int(passage.date))
                yield passage.text

        # bm25s.tokenize(texts, stopwords="nl", stemmer=...) does the same on a list;
        # its Tokenizer takes a generator.
        tokenizer = bm25s.tokenization.Tokenizer(stopwords="nl", stemmer=self._stemmer())
        tokens = tokenizer.tokenize(texts(), update_vocab=True, return_as="ids",
                                    show_progress=False, length=0)
        retriever = bm25s.BM25()
        retriever.index(tokenizer.to_tokenized_tuple(tokens), show_progress=False)
        del tokens
        index_dir.mkdir(parents=True, exist_ok=True)
        retriever.save(str(index_dir), show_progress=False)
        # What bm25s does not keep itself: the passage ids and the filter columns.
        (index_dir / "ids.json").write_text(json.dumps(ids))
        np.save(index_dir / "kinds.npy", np.asarray(kinds, dtype=np.int8))
        np.save(index_dir / "dates.npy", np.asarray(dates, dtype=np.int32))
        return {"passages": len(ids)}

    def open(self, index_dir: Path) -> None:
        import bm25s
        import numpy as np

        self.bm25s, self.np = bm25s, np
        self.retriever = bm25s.BM25.load(str(index_dir), show_progress=False)
        self.vocab = self.retriever.vocab_dict
        self.ids = json.loads((index_dir / "ids.json").read_text())
        self.kinds = np.load(index_dir / "kinds.npy")
        self.dates = np.load(index_dir / "dates.npy")
        self.stemmer = self._stemmer()

    def count(self) -> int:
        return len(self.ids)

    def search(self, query: dict) -> list[str]:
        tokens = self.bm25s.tokenize([query["text"]], stopwords="nl", stemmer=self.stemmer,
                                     return_ids=False, show_progress=False)[0]
        tokens = [token for token in tokens if token in self.vocab]
        if not tokens:
            return []
        mask = None
        if "kind" in query:
            np = self.np
            mask = ((self.kinds == self.KINDS.index(query["kind"]))
                    & (self.dates >= _date_int(query["date_from"]))
                    & (self.dates <= _date_int(query["date_to"]))).astype(np.float32)
        docs, scores = self.retriever.retrieve([tokens], k=TOP, show_progress=False,
                                               n_threads=0, weight_mask=mask)
        return [self.ids[doc] for doc, score in zip(docs[0], scores[0]) if score > 0]


ENGINES = {engine.name: engine for engine in (Baseline, Tantivy, BM25S)}


