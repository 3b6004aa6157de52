"""Running queries: hits, results and a search session over one open index.

>>> with Searcher("/path/to/index") as searcher:          # doctest: +SKIP
...     result = searcher.search("ICT-voorzieningen privatiseren", kind="answer", limit=5)
...     for hit in result.hits:
...         print(hit.rank, hit.doc_id, hit.snippet)

A :class:`Searcher` opens the index once; run as many queries as you like
(``beleidzoek search --queries FILE`` does). Snippets are made only for the
hits returned.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..index.schema import record_meta, stored_passage_id
from .query import ParsedQuery, QueryBuilder, filter_query
from .snippets import marked, snippet

#: Keys of a hit in ``search --json`` output (stable; documented in the README).
HIT_JSON_KEYS = ("rank", "score", "doc_id", "passage_id", "kind", "number", "title", "date",
                 "source", "text", "snippet", "question")
#: Upper bound for ``limit`` (a page of results, not an export).
MAX_LIMIT = 1000


@dataclass
class Hit:
    """One passage found by a search."""

    rank: int
    score: float
    doc_id: str
    kind: str
    number: str | None
    title: str
    date: str | None
    source: str | None
    text: str
    snippet: str
    #: For an answer: the question it answers.
    question: str | None
    passage_id: str
    position: int
    doc_kind: str
    section: str | None = None

    def to_json(self) -> dict:
        data = {key: getattr(self, key) for key in HIT_JSON_KEYS}
        data["score"] = round(self.score, 4)
        return data


@dataclass
class SearchResult:
    """The hits of one query (``total`` counts all matching passages)."""

    query: str
    total: int
    took_ms: float
    hits: list[Hit] = field(default_factory=list)
    #: Stop words left out of the query.
    dropped: list[str] = field(default_factory=list)
    #: Very common words left out of a long query.
    ignored: list[str] = field(default_factory=list)
    #: Expansions used, as "word → alternative".
    expansions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: The page: hits ``offset+1 ..`` of the list ordered by ``sort``, at most
    #: ``per_doc`` per document (0: no cap).
    offset: int = 0
    limit: int = 10
    sort: str = "relevance"
    per_doc: int = 0
    #: Passages the per-document cap skipped up to the end of this page.
    collapsed: int = 0
    #: Snippets are whole passages (``full=True``).
    full: bool = False
    #: The query with its unknown words corrected (None: nothing to correct).
    suggestion: str | None = None
    #: Counts per kind, year, party and ministry over all matches (``facets=True``).
    facets: dict | None = None

    def to_json(self) -> dict:
        # "total_exact" is always true since schema 7 (before, large indexes
        # estimated some totals); scripts read it.
        data = {"query": self.query, "total": self.total, "total_exact": True,
                "took_ms": round(self.took_ms, 1),
                "offset": self.offset, "limit": self.limit, "sort": self.sort,
                "per_doc": self.per_doc, "collapsed": self.collapsed,
                "hits": [hit.to_json() for hit in self.hits], "suggestion": self.suggestion}
        if self.facets is not None:
            data["facets"] = self.facets
        return data


class Searcher:
    """A search session: the index is opened once and searched many times.

    Raises :class:`~beleidzoek.index.errors.IndexMissing` or
    :class:`~beleidzoek.index.errors.IndexIncompatible` (exit code 3) when the
    index cannot be used.
    """

    def __init__(self, index_dir: str | Path | None = None, *, ranking=None):
        # ranking: a search.ranking.RankingConfig (None: the default scoring model) [ranking hook]
        from ..index.storage import check_compatible, default_index_dir, open_index, read_manifest

        self.index_dir = Path(index_dir) if index_dir is not None else default_index_dir()
        self.manifest = read_manifest(self.index_dir)
        self.config = check_compatible(self.index_dir, self.manifest)
        self.ix = open_index(self.index_dir)
        self._searcher = self.ix.searcher()
        schema = self.ix.schema
        self.analyzer = schema["text"].analyzer
        self.parts_analyzer = schema["parts"].analyzer if "parts" in schema else None
        self._builder = QueryBuilder(self.config, reader=self._searcher.reader(),
                                     analyzer=self.analyzer, ranking=ranking)
        #: Index terms of the stop words (left out of keyword queries).
        self.stops = self._builder.stops
        self._metas: dict[str, dict] = {}

    # -- session --------------------------------------------------------------
    def __enter__(self) -> "Searcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self.ix.close()

    @property
    def whoosh_searcher(self):
        """The underlying :class:`whoosh.searching.Searcher` (for tools)."""
        return self._searcher

    # -- queries -------------------------------------------------------------
    def parse(self, query: str, *, expand: bool = True, phrases: Iterable[str] = (),
              fuzzy: bool = False) -> ParsedQuery:
        """Compile a query for this index without running it (see ``--explain``)."""
        return self._builder.parse(query, expand=expand, phrases=phrases, fuzzy=fuzzy)

    def search(self, query: str = "", *, phrase: str | Iterable[str] | None = None,
               kind: str | Iterable[str] | None = None, since: str | None = None,
               until: str | None = None, party: str | Iterable[str] | None = None,
               submitter: str | Iterable[str] | None = None,
               ministry: str | Iterable[str] | None = None, topic: str | Iterable[str] | None = None,
               limit: int = 10, offset: int = 0, sort: str = "relevance", per_doc: int = 0,
               facets: bool = False, fuzzy: bool = False, full: bool = False,
               expand: bool = True) -> SearchResult:
        """Run one query. ``phrase`` adds required exact phrases; ``kind``
        restricts passage kinds ("answer", "kamervraag" = question+answer, ...);
        ``since``/``until`` bound the date (YYYY, YYYY-MM or YYYY-MM-DD);
        ``party``/``submitter``/``ministry``/``topic`` filter on Kamervraag
        metadata (case-insensitive, a part of a ministry's name will do).
        ``sort`` is "relevance", "-date" (newest first) or "date" (oldest
        first), undated passages last; ``per_doc`` caps the passages of one
        document (0: no cap); ``facets`` counts all matches per kind, year,
        party and ministry; ``fuzzy`` also matches words a typing error or two
        away; ``full`` makes each snippet the whole passage.
        Raises :class:`~.query.QueryError` for a query that cannot be searched."""
        from whoosh.query import And

        from .matching import CachedFilter
        from .query import QueryError
        from .suggest import suggestion
        from .window import SORTS, select

        started = time.perf_counter()
        if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
            raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
        if not isinstance(offset, int) or offset < 0:
            raise QueryError("offset must be 0 or more")
        if sort not in SORTS:
            raise QueryError(f"unknown sort '{sort}'; choose from {', '.join(SORTS)}")
        if not isinstance(per_doc, int) or per_doc < 0:
            raise QueryError("per_doc must be 0 (no cap) or more")
        phrases = [phrase] if isinstance(phrase, str) else list(phrase or ())
        parsed = self.parse(query or "", expand=expand, phrases=phrases, fuzzy=fuzzy)
        restriction = filter_query(kind, since, until, party=party, submitter=submitter,
                                   ministry=ministry, topic=topic)
        whoosh_query = (parsed.query if restriction is None
                        else And([parsed.query, CachedFilter(restriction)]))
        window = select(self._searcher, whoosh_query, offset=offset, limit=limit, sort=sort,
                        per_doc=per_doc)
        hits = [self.hit(offset + rank, score, self._searcher.stored_fields(docnum), parsed, full=full)
                for rank, (docnum, score) in enumerate(window.hits, 1)]
        corrected = suggestion(self._searcher.reader(), self.analyzer, query) if query else None
        counts = None
        if facets:
            from .facets import facet_counts  # and the document records it reads

            counts = facet_counts(self._searcher, window.results.docs())
        took_ms = (time.perf_counter() - started) * 1000
        return SearchResult(
            query=query if query else " ".join(f'"{p}"' for p in phrases),
            total=window.total, took_ms=took_ms, hits=hits, dropped=list(parsed.dropped),
            ignored=list(parsed.ignored),
            expansions=[f"{word} → {alternative}" for word, alternative in parsed.expansions],
            notes=list(parsed.notes), offset=offset, limit=limit, sort=sort, per_doc=per_doc,
            collapsed=window.collapsed, full=full, suggestion=corrected, facets=counts)

    def search_many(self, queries: Iterable[str], **options) -> Iterable[SearchResult | Exception]:
        """Each query's result, or the QueryError it raised, in order."""
        from ..index.errors import BeleidzoekError

        for query in queries:
            try:
                yield self.search(query, **options)
            except BeleidzoekError as error:
                yield error

    def hit(self, rank: int, score: float, fields: dict, parsed: ParsedQuery, *,
            full: bool = False) -> Hit:
        """A :class:`Hit` for a passage's stored fields, its words of ``parsed``
        highlighted (in a snippet, or in the whole text with ``full``)."""
        text = fields.get("text", "")
        mark = marked if full else snippet
        doc_id = fields.get("doc_id", "")
        # Indexes of schema 4 stored the title with every passage; now the document record has it.
        document = fields if "title" in fields else self.document_meta(doc_id)
        return Hit(
            rank=rank, score=float(score or 0.0), doc_id=doc_id,
            kind=fields.get("kind", ""), number=fields.get("number"), title=document.get("title") or "",
            date=fields.get("date"), source=document.get("source"), text=text,
            snippet=mark(text, self.analyzer, terms=parsed.terms, phrases=parsed.phrases,
                         wildcards=parsed.wildcards),
            question=fields.get("question"), passage_id=stored_passage_id(fields),
            position=int(fields.get("position") or 0), doc_kind=fields.get("doc_kind", ""),
            section=fields.get("section"))

    # -- documents -------------------------------------------------------------
    def document_meta(self, doc_id: str) -> dict:
        """The metadata of document ``doc_id`` ({} when it has no record), cached per session."""
        meta = self._metas.get(doc_id)
        if meta is None:
            if len(self._metas) > 10_000:
                self._metas.clear()
            record = self._searcher.document(passage_id=f"{doc_id}#doc") if doc_id else None
            meta = self._metas[doc_id] = record_meta(record or {})
        return meta

    def show(self, doc_id: str):
        """The document with its passages in order (by id or Kamervraag number)."""
        from .documents import show

        return show(self, doc_id)

    def similar(self, text: str, *, limit: int = 10, exclude_docs: Iterable[str] = (),
                exclude_passages: Iterable[str] = (), label: str | None = None):
        """Earlier questions like ``text``, each with its answer (see :mod:`.similar`)."""
        from .similar import similar

        return similar(self, text, limit=limit, exclude_docs=exclude_docs,
                       exclude_passages=exclude_passages, label=label)

    def stats(self):
        """Counts per kind and year, size on disk, analyzer (see :class:`~.documents.IndexStats`)."""
        from .documents import stats

        return stats(self)


def search(query: str, index_dir: str | Path | None = None, **options) -> SearchResult:
    """One-shot search (opens and closes the index); see :meth:`Searcher.search`."""
    with Searcher(index_dir) as searcher:
        return searcher.search(query, **options)


__all__ = ["HIT_JSON_KEYS", "MAX_LIMIT", "Hit", "SearchResult", "Searcher", "search"]
