"""Similar questions: earlier Kamervragen asking what a new question asks, with their answers.

The new question is searched as a search query -- same scoring, so similar
gains whatever improves search: rare words weigh most, very common and
question words ("kunt u aangeven") drop out of a long query, no coordination
factor for it -- but as plain words (quotes, brackets, operators and field
names in the text mean nothing) and only in question and answer passages.

Hits are grouped into pairs by (document, question number). A pair scores
its answer's score, or :data:`QUESTION_WEIGHT` × its question's score when
that is higher -- the answer is what the asker wants and shares the
question's vocabulary, while a pair whose answer is worded differently is
still found through its question. A question that scores far above every
answer (:data:`SAME_QUESTION` times the best) asks the same thing as the new
one and counts at :data:`SAME_QUESTION_WEIGHT`. The questions of one
Kamervraag are asked together, so a pair's score then moves toward that of
the best other pair of its document: :data:`DOCUMENT_LIFT` of the way up
when the document is about the subject as a whole, :data:`DOCUMENT_DROP` of
the way down when the rest of the document is not (a lone match there is
more often a chance one). A pair alone in its document keeps its score. ``bench/similar.py`` measured
these choices: a higher question weight finds more pairs whose question is
phrased alike, but ranks a question's own answer lower; a bonus for the
document's best pair alone (the earlier model) favoured pairs of long
Kamervragen over bare question/answer pairs.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Iterable

from ..index.schema import stored_passage_id
from .results import Hit

#: Passages looked at for pairs.
CANDIDATES = 300
#: A pair found through its question scores this share of the question's score ...
QUESTION_WEIGHT = 0.2
#: ... or this share, when the question scores at least SAME_QUESTION times the best answer.
SAME_QUESTION_WEIGHT = 0.4
SAME_QUESTION = 3.0
#: Share of the way a pair's score moves up to its document's best other pair ...
DOCUMENT_LIFT = 0.4
#: ... or down to it, when that pair scores lower.
DOCUMENT_DROP = 0.15
#: Document metadata shown with each pair (``doc`` in JSON).
DOC_KEYS = ("doc_id", "title", "number", "date", "submitted", "answered", "submitters", "answerers")
#: Query syntax a question's text may contain by accident: quotes, brackets,
#: wildcards, field colons, leading +/-, upper-case operators.
_SYNTAX = re.compile(r'["\u201c\u201d\u201e\u201f\u00ab\u00bb()*?:]|(?<!\w)[-+]+|\b(?:AND|OR|NOT)\b')


@dataclass
class SimilarPair:
    """An earlier question and the answer given to it, and the document they come from."""

    rank: int
    score: float
    question: Hit | None  # None when the pair has no (visible) question
    answer: Hit | None  # None for a question not (yet) answered
    doc: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"rank": self.rank, "score": round(self.score, 4),
                "question": self.question.to_json() if self.question else None,
                "answer": self.answer.to_json() if self.answer else None, "doc": self.doc}


@dataclass
class SimilarResult:
    """The pairs most similar to one new question."""

    query: str
    pairs: list[SimilarPair]
    terms: list[str]
    took_ms: float
    #: Where the question came from ("2017Z07436 vraag 3", a file name), if not typed.
    label: str | None = None

    def to_json(self) -> dict:
        return {"query": self.query, "label": self.label, "terms": self.terms,
                "took_ms": round(self.took_ms, 1), "results": [p.to_json() for p in self.pairs]}


def similar(session, text: str, *, limit: int = 10, exclude_docs: Iterable[str] = (),
            exclude_passages: Iterable[str] = (), label: str | None = None) -> SimilarResult:
    """The ``limit`` question/answer pairs most similar to the question ``text``,
    leaving out the documents ``exclude_docs`` and the passages ``exclude_passages``."""
    from .query import QueryError

    started = time.perf_counter()
    excluded = frozenset(exclude_passages)
    try:
        parsed = session.parse(plain_words(text))
    except QueryError:  # nothing searchable: no words, or only stop words
        parsed = None
    pairs = []
    if parsed is not None:
        query = _pair_query(parsed.query, tuple(exclude_docs), excluded)
        ranked = _rank_pairs(session.whoosh_searcher, query)[:limit]
        pairs = [_pair(session, rank, score, found, excluded, parsed)
                 for rank, (score, found) in enumerate(ranked, 1)]
    return SimilarResult(query=text, pairs=pairs, terms=sorted(parsed.terms) if parsed else [],
                         took_ms=(time.perf_counter() - started) * 1000, label=label)


def plain_words(text: str) -> str:
    """``text`` without query syntax, cut (at a space) to the longest query allowed."""
    from .query import MAX_QUERY_CHARS

    words = " ".join(_SYNTAX.sub(" ", text).split())
    if len(words) > MAX_QUERY_CHARS:
        words = words[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
    return words


def _pair_query(query, exclude_docs: tuple[str, ...], excluded: frozenset):
    """``query`` restricted to question and answer passages, without the excluded ones."""
    from whoosh.query import And, Or, Term

    from .matching import AndNot, ConstantScore

    kinds = ConstantScore(Or([Term("kind", "question"), Term("kind", "answer")]), 0.0)
    restricted = And([kinds, query])
    hidden = [Term("doc_id", d) for d in exclude_docs] + [_passage_query(p) for p in excluded]
    return AndNot(restricted, Or(hidden)) if hidden else restricted


def _passage_query(passage_id: str):
    """The passage ``passage_id`` ("DOC#POSITION"): its document's id and its position
    (passages of schema 4 also have the id as a term)."""
    from whoosh.query import And, NullQuery, NumericRange, Or, Term

    doc_id, _, position = passage_id.rpartition("#")
    by_place = (And([Term("doc_id", doc_id), NumericRange("position", int(position), int(position))])
                if doc_id and position.isdigit() else NullQuery)
    return Or([by_place, Term("passage_id", passage_id)])


def _rank_pairs(searcher, query) -> list[tuple[float, dict]]:
    """(score, {"question": (score, fields), "answer": (score, fields)}) per pair, best first."""
    from .window import ranked_results

    found: dict[tuple[str, str], dict] = {}
    for score, docnum in ranked_results(searcher, query, CANDIDATES).top_n:
        fields = searcher.stored_fields(docnum)
        key = (fields["doc_id"], fields.get("number") or stored_passage_id(fields))
        found.setdefault(key, {}).setdefault(fields["kind"], (score, fields))
    best_answer = max((halves["answer"][0] for halves in found.values() if "answer" in halves),
                      default=0.0)
    own = {key: max(halves.get("answer", (0.0,))[0],
                    _question_score(halves.get("question", (0.0,))[0], best_answer))
           for key, halves in found.items()}
    by_doc: dict[str, list[float]] = {}
    for (doc_id, _), score in own.items():
        by_doc.setdefault(doc_id, []).append(score)
    scored = [(_with_document(score, by_doc[key[0]]), found[key]) for key, score in own.items()]
    scored.sort(key=lambda item: -item[0])  # stable: ties keep the order passages were found in
    return scored


def _question_score(score: float, best_answer: float) -> float:
    """What a pair's question adds: more when it scores far above every answer (the same question)."""
    weight = SAME_QUESTION_WEIGHT if score >= SAME_QUESTION * best_answer else QUESTION_WEIGHT
    return weight * score


def _with_document(own: float, scores: list[float]) -> float:
    """``own`` moved toward the best of the document's other ``scores`` (unchanged when alone)."""
    others = list(scores)
    others.remove(own)
    if not others:
        return own
    gap = max(others) - own
    return own + (DOCUMENT_LIFT if gap > 0 else DOCUMENT_DROP) * gap


def _pair(session, rank: int, score: float, found: dict, excluded: frozenset, parsed) -> SimilarPair:
    """The pair with both halves as hits (the half the search did not reach is looked up)."""
    fields = next(iter(found.values()))[1]
    halves = {}
    for kind in ("question", "answer"):
        if kind in found:
            passage_score, passage = found[kind]
        else:
            passage_score, passage = 0.0, _partner(session.whoosh_searcher, fields, kind, excluded)
        halves[kind] = session.hit(rank, passage_score, passage, parsed) if passage else None
    return SimilarPair(rank=rank, score=score, question=halves["question"], answer=halves["answer"],
                       doc=_doc_metadata(session, fields["doc_id"]))


def _partner(searcher, fields: dict, kind: str, excluded: frozenset) -> dict | None:
    """The ``kind`` passage with the same document and question number as ``fields``."""
    from whoosh.query import And, Term

    if not fields.get("number"):
        return None
    query = And([Term("doc_id", fields["doc_id"]), Term("number", fields["number"]),
                 Term("kind", kind)])
    for docnum in sorted(searcher.docs_for_query(query)):
        partner = searcher.stored_fields(docnum)
        if stored_passage_id(partner) not in excluded:
            return partner
    return None


def _doc_metadata(session, doc_id: str) -> dict:
    meta = {"doc_id": doc_id, **session.document_meta(doc_id)}
    return {key: meta.get(key) for key in DOC_KEYS}
