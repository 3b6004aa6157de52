"""The query classes of single query words, each scored as a docnum -> score map.

* :class:`WordQuery` -- a plain query word: BM25 of its term in title, text
  and parts, and of its variants (:func:`variants`).
* :class:`PartQuery` -- a compound part of a query word, added by
  :func:`.ranking.combine` without counting as a unit.
* :class:`HyphenQuery` -- a hyphenated word, matched strictly, whose parts
  a long query scores as words of their own.

The settings come from :class:`~.ranking_config.RankingConfig`; the model is
explained in :mod:`.ranking`.
"""

from __future__ import annotations

from whoosh import matching
from whoosh.query import Query
from whoosh.query.qcore import NullQuery

from .matching import list_matcher
from .postings import CollectionStats, score_term
from .ranking_config import RankingConfig, resolve


def variants(searcher, term: str, config: RankingConfig) -> tuple[str, ...]:
    """Index terms (text field) sharing ``term``'s first ``variant_prefix``
    letters: the most frequent ``variant_max_terms`` of those in at most
    ``variant_max_share`` of the passages (``term`` itself excluded)."""
    if (config.variant_weight <= 0 or len(term) < config.variant_min_length
            or not term.isalpha()):
        return ()
    stats = CollectionStats.of(searcher)
    key = (term, config.variant_prefix, config.variant_max_terms, config.variant_max_share)
    found = stats.variants.get(key)
    if found is not None:
        return found
    parent = stats.searcher
    limit = config.variant_max_share * stats.n
    candidates = []
    try:
        for scanned, btext in enumerate(parent.reader().expand_prefix("text", term[:config.variant_prefix])):
            if scanned >= 500:
                break
            text = btext.decode("utf-8") if isinstance(btext, bytes) else btext
            if text == term:
                continue
            df = stats.df("text", text)
            if 0 < df <= limit:
                candidates.append((-df, text))
    except Exception:
        candidates = []
    candidates.sort()
    found = tuple(text for _, text in candidates[:config.variant_max_terms])
    if len(stats.variants) > 50_000:
        stats.variants.clear()
    stats.variants[key] = found
    return found


def allowed_of(context) -> frozenset | None:
    """The documents a filtered search lets through (``context.allowed``, set by
    :mod:`.collect`), or None: score maps need not score any others."""
    return getattr(context, "allowed", None)


def score_map_matcher(scores: dict, boost: float = 1.0):
    """A Whoosh matcher over a docnum -> score map, the scores times ``boost``."""
    ids = sorted(scores)
    if boost != 1.0:
        return list_matcher(ids, [scores[d] * boost for d in ids])
    return list_matcher(ids, [scores[d] for d in ids])


class ScoreMapQuery(Query):
    """A query whose matcher comes from a docnum -> score map (``score_map``,
    which may leave out documents not in ``allowed``)."""

    boost = 1.0

    def is_leaf(self):
        return True

    def field(self):
        return None

    def with_boost(self, boost):
        q = self.copy()
        q.boost = boost
        return q

    def normalize(self):
        return self

    def estimate_size(self, ixreader):
        return ixreader.doc_count_all()

    def estimate_min_size(self, ixreader):
        return 0

    def matcher(self, searcher, context=None):
        scores = self.score_map(searcher, allowed_of(context))
        if not scores:
            return matching.NullMatcher()
        return score_map_matcher(scores, self.boost)

    def score_map(self, searcher, allowed: frozenset | None = None) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError


def best_of_sources(searcher, config: RankingConfig, sources, allowed: frozenset | None) -> dict:
    """docnum -> the best ``weight * BM25`` over ``(field, term, weight)`` sources."""
    stats = CollectionStats.of(searcher)
    best: dict[int, float] = {}
    for fieldname, term, weight in sources:
        score_term(searcher, stats, config, fieldname, term, weight, best, allowed)
    return best


class WordQuery(ScoreMapQuery):
    """One plain query word: the best of its term in ``fields`` (title at
    ``title_weight``), in ``parts`` (``parts_weight``) and its variants
    (``variant_weight``).  ``word`` is the word as typed (for its compound parts)."""

    def __init__(self, word: str, term: str, fields=("title", "text"), parts: bool = True,
                 config: RankingConfig | None = None, boost: float = 1.0):
        self.word = word
        self.text = term
        self.fields = tuple(fields)
        self.parts = parts
        self.config = resolve(config)
        self.boost = boost

    def __eq__(self, other):
        return (other.__class__ is self.__class__ and self.text == other.text
                and self.fields == other.fields and self.parts == other.parts
                and self.config == other.config and self.boost == other.boost)

    def __hash__(self):
        return hash((self.__class__.__name__, self.text, self.fields, self.parts, self.boost))

    def __repr__(self):
        boost = f"^{self.boost:g}" if self.boost != 1 else ""
        return f"{self.__class__.__name__}({self.text!r}){boost}"

    def __unicode__(self):
        return f"{'|'.join(self.fields)}:{self.text}"

    __str__ = __unicode__

    def copy(self):
        return WordQuery(self.word, self.text, self.fields, self.parts, self.config, self.boost)

    def terms(self, phrases=True):
        for f in self.fields:
            yield (f, self.text)
        if self.parts:
            yield ("parts", self.text)

    def weighted_fields(self) -> list[tuple[str, float]]:
        config = self.config
        out = []
        for f in self.fields:
            out.append((f, config.title_weight if f == "title" else 1.0))
        if self.parts:
            out.append(("parts", config.parts_weight))
        return out

    def sources(self, searcher) -> list[tuple[str, str, float]]:
        """``(field, term, weight)`` of every term the word's score is the best of."""
        config = self.config
        out = [(f, self.text, weight) for f, weight in self.weighted_fields() if weight > 0]
        if "text" in self.fields and config.variant_weight > 0:
            out.extend(("text", variant, config.variant_weight)
                       for variant in variants(searcher, self.text, config))
        return out

    def score_map(self, searcher, allowed: frozenset | None = None) -> dict:
        return best_of_sources(searcher, self.config, self.sources(searcher), allowed)


class PartQuery(ScoreMapQuery):
    """A compound part of a query word: its term in title, text and parts."""

    def __init__(self, term: str, config: RankingConfig, unit: int = 0):
        self.text = term
        self.config = config
        #: The index of the unit (query word) this is a part of.
        self.unit = unit

    def __eq__(self, other):
        return other.__class__ is self.__class__ and self.text == other.text and self.unit == other.unit

    def __hash__(self):
        return hash((self.__class__.__name__, self.text, self.unit))

    def __repr__(self):
        return f"{self.__class__.__name__}({self.text!r})"

    def copy(self):
        return PartQuery(self.text, self.config, self.unit)

    def sources(self, searcher) -> list[tuple[str, str, float]]:
        """``(field, term, weight)`` of every term the part's score is the best of."""
        config = self.config
        fields = (("title", config.title_weight), ("text", 1.0), ("parts", config.parts_weight))
        return [(f, self.text, weight) for f, weight in fields if weight > 0]

    def score_map(self, searcher, allowed: frozenset | None = None) -> dict:
        return best_of_sources(searcher, self.config, self.sources(searcher), allowed)


class HyphenQuery(Query):
    """A hyphenated query word ("ICT-voorzieningen"): matches as ``strict``
    (the query layer's phrase of its parts, or weaker all parts anywhere), but
    in a long query (``hyphen_split_min_units``+ units) :func:`.ranking.combine`
    scores its parts as words of their own, neighbours for proximity -- a pasted
    question's "EU-lidstaten" also finds "lidstaten", and "transforma-tiemiddelen"
    (a line-break hyphen) still counts its parts."""

    def __init__(self, strict, word: str, terms, fields=("title", "text"), parts: bool = True,
                 stops=frozenset(), config: RankingConfig | None = None):
        self.strict = strict
        self.word = word
        self.terms_ = tuple(terms)
        self.fields = tuple(fields)
        self.parts = parts
        self.stops = frozenset(stops)
        self.config = resolve(config)
        self.boost = 1.0

    def __eq__(self, other):
        return (other.__class__ is self.__class__ and self.strict == other.strict
                and self.terms_ == other.terms_ and self.fields == other.fields)

    def __hash__(self):
        return hash((self.__class__.__name__, self.strict, self.terms_))

    def __repr__(self):
        return f"{self.__class__.__name__}({self.word!r}, {self.strict!r})"

    __str__ = __repr__

    def is_leaf(self):
        return False

    def children(self):
        yield self.strict

    def field(self):
        return None

    def _with_strict(self, strict) -> "HyphenQuery":
        return HyphenQuery(strict, self.word, self.terms_, self.fields, self.parts, self.stops,
                           self.config)

    def apply(self, fn):
        return self._with_strict(fn(self.strict))

    def with_boost(self, boost):
        return self._with_strict(self.strict.with_boost(boost))

    def normalize(self):
        strict = self.strict.normalize()
        if strict is NullQuery:
            return NullQuery
        return self._with_strict(strict)

    def estimate_size(self, ixreader):
        return self.strict.estimate_size(ixreader)

    def estimate_min_size(self, ixreader):
        return self.strict.estimate_min_size(ixreader)

    def matcher(self, searcher, context=None):
        return self.strict.matcher(searcher, context)

    def words(self) -> list[WordQuery]:
        """The parts as words (stop words left out)."""
        from ..index.analysis import split_connected

        _, pieces = split_connected(self.word)
        surfaces = [piece for piece, _, _ in pieces]
        if len(surfaces) != len(self.terms_):
            surfaces = list(self.terms_)
        return [WordQuery(surface, term, self.fields, self.parts, self.config)
                for surface, term in zip(surfaces, self.terms_) if term not in self.stops]


def word_of(query) -> WordQuery | None:
    """The WordQuery of a unit (itself, or the literal of a BestOf with expansions)."""
    if isinstance(query, WordQuery):
        return query
    subs = getattr(query, "subqueries", None)
    if subs and isinstance(subs[0], WordQuery) and query.__class__.__name__ == "BestOf":
        return subs[0]
    return None
