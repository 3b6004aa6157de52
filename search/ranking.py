"""The scoring model of keyword queries: how plain query words rank passages.

The query layer (:mod:`.query`) turns each plain query word into a
:class:`WordQuery` and the words side by side into a :class:`RankedUnits`;
everything about *how much* a match counts lives here, in one
:class:`RankingConfig`:

* **BM25 per field** (Lucene's idf ``ln(1 + (N - df + 0.5) / (df + 0.5))``
  over the passages, ``k1``/``b`` for all fields): a word scores the best of
  its match in ``title`` (every passage carries its document's title; weight
  ``title_weight``), in ``text`` and in the compound ``parts`` field (weight
  ``parts_weight``: "beveiliging" finds "informatiebeveiliging", below an
  exact match).
* **Word variants** (``variant_*``): index terms that share the word's first
  ``variant_prefix`` letters ("ontmoedig" -> "ontmoediging", "winn" ->
  "winning", "onttrekking" -> "onttrekkingen") count at ``variant_weight``
  when the word itself is not there: derivations the Snowball stemmer leaves
  apart.  Bounded: words of ``variant_min_length``+ letters, at most
  ``variant_max_terms`` variants, none in more than ``variant_max_share`` of
  the passages.
* **Compound parts of query words** (``query_parts_weight``): the query word
  "privacyverklaring" also searches "privacy" and "verklaring" (title, text,
  parts), so passages that say "verklaring over privacy", or whose text has
  the word split or glued differently, are found too; the exact compound
  scores more.
* **Proximity** (``proximity_*``): a pair of neighbouring query words
  (at most two stop words apart) scores extra in passages where the second
  follows the first within ``proximity_window`` words (a sloppy bigram, the
  sequential-dependence idea), weighted by the rarer word's idf.
* **Coordination**: passages containing more of the words rank first:
  ``score * (matched / units) ** exponent``.  Strong for the short queries
  people type (``coordination`` up to ``coordination_full_until`` units),
  fading to nothing at ``coordination_off_from`` units: in a pasted question
  of 20 words, matching 12 rather than 11 says little, and the benchmark
  shows coordination costs question-length queries a lot.
* **Function words** (``function_words``): in long queries
  (``long_query_units``+ units) the Dutch function words the stop list lacks
  (:data:`FUNCTION_WORDS`: "zoals", "tussen", "hierover", "worden" ...) are
  dropped; optionally (``question_words``, off: it measures as a small loss)
  also question phrasing (:data:`QUESTION_WORDS`: "kunt u aangeven", "bent u
  bereid").
* **Prose** (``prose``): a long query without operators is read as plain
  words (:func:`as_prose`); hyphenated words in long queries count as their
  parts (:class:`HyphenQuery`).

``RankingConfig.legacy()`` switches all of this off and gives the query
layer's earlier scoring (Whoosh BM25F per term, BestOf of the fields with
parts at 0.4, coordination exponent 2 at every length); ``bench/quality.py``
measures every stage (``python bench/quality.py``).

Speed: a :class:`WordQuery` reads postings block by block and scores them
with a per-field length-norm table (one bytes read of Whoosh's length column
per segment), not through a Whoosh matcher and scorer per posting.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from whoosh import matching
from whoosh.query import Query
from whoosh.query.qcore import NullQuery

# --------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------

#: Dutch function words the Snowball stop list (index/data/stopwords.txt)
#: lacks; dropped from long queries only (RankingConfig.function_words),
#: matched on the word as typed -- not its stem, which may be a content word's
#: ("tijdens" and "tijden", "gaat" and "gat").
FUNCTION_WORDS = frozenset("""
    zoals daarbij tussen alle wel welk welke hierbij hiervan daarvan binnen bijvoorbeeld echter
    enkele via sinds tijdens waarbij waarin waarop hierop daarop namelijk steeds zowel ofwel
    alleen even vanuit zeer erg heel nog hierover daarover waarover wordt worden werden zullen
    zouden kunnen moeten mogen willen gaan gaat komt komen heeft hebben hebt had waar wanneer
    waarom hoeveel hoe wat deze dit die dat ons onze jullie hun uw zij wij we ik u er hier daar
    dan toen nu al ook weer zo
""".split())

#: Words that phrase a parliamentary question ("kunt u aangeven", "bent u
#: bereid", "deelt u de mening"); dropping them from long queries is an option
#: (RankingConfig.question_words), off by default: bench/quality.py measures
#: it as a small loss -- answers echo "bereid" and "mening".
QUESTION_WORDS = frozenset("kunt aangeven bent bereid deelt mening klopt hoeverre toelichten".split())


@dataclass(frozen=True)
class RankingConfig:
    """Switches and weights of the scoring model (see the module docstring)."""

    #: "bm25": this module's scorer; "legacy": the earlier Whoosh BM25F/BestOf scoring.
    scoring: str = "bm25"
    k1: float = 1.2
    b: float = 0.75
    title_weight: float = 1.0
    parts_weight: float = 0.6
    #: Coordination exponent for short queries, and where it fades out.
    coordination: float = 2.0
    coordination_full_until: int = 3
    coordination_off_from: int = 6
    query_parts_weight: float = 0.6
    variant_weight: float = 0.4
    variant_prefix: int = 6
    variant_min_length: int = 7
    variant_max_terms: int = 10
    variant_max_share: float = 0.05
    proximity_weight: float = 0.4
    proximity_window: int = 4
    #: Neighbouring words may be this many query words apart (stop words between).
    proximity_max_gap: int = 3
    proximity_max_pairs: int = 24
    #: Pairs whose rarer word is in more than this share of the passages are skipped (speed).
    proximity_max_share: float = 0.05
    #: In long queries (``long_query_units``+ units) drop FUNCTION_WORDS / QUESTION_WORDS.
    function_words: bool = True
    question_words: bool = False
    long_query_units: int = 8
    #: From this many units on, hyphenated words count as their parts (HyphenQuery).
    hyphen_split_min_units: int = 8
    #: Read a long query without operators as prose (see :func:`as_prose`).
    prose: bool = True
    prose_min_words: int = 8

    def __post_init__(self):
        if self.scoring not in ("bm25", "legacy"):
            raise ValueError(f"unknown scoring {self.scoring!r}; expected 'bm25' or 'legacy'")

    @classmethod
    def legacy(cls, fade: bool = False) -> "RankingConfig":
        """The earlier scoring; ``fade``: with coordination fading for long queries."""
        return cls(scoring="legacy", coordination=2.0,
                   coordination_off_from=6 if fade else 10 ** 9,
                   coordination_full_until=3 if fade else 10 ** 9 - 1,
                   query_parts_weight=0.0, variant_weight=0.0, proximity_weight=0.0,
                   prose=False)

    def with_(self, **changes) -> "RankingConfig":
        return replace(self, **changes)

    def exponent(self, units: int) -> float:
        """The coordination exponent for a query of ``units`` units."""
        full, off = self.coordination_full_until, self.coordination_off_from
        if units <= full:
            return self.coordination
        if units >= off:
            return 0.0
        return self.coordination * (off - units) / (off - full)


DEFAULT_RANKING = RankingConfig()


def resolve(ranking: RankingConfig | None) -> RankingConfig:
    return DEFAULT_RANKING if ranking is None else ranking


# --------------------------------------------------------------------------
# Prose queries
# --------------------------------------------------------------------------

_PROSE_DROP = re.compile("[\"\u201c\u201d\u201e\u201f\u00ab\u00bb()\\[\\]{}*?]")
_LEADING_SIGNS = re.compile(r"(?<!\S)[-+]+")
_GLUED_COLON = re.compile(r"(\w):(?=\S)")
_FIELD_WORD = re.compile(r"([A-Za-z_]+):\S")


def as_prose(text: str, config: RankingConfig | None = None) -> str:
    """A long query written as sentences -- a pasted Kamervraag -- as plain words.

    A query of ``prose_min_words``+ words without query syntax of its own
    (upper-case AND/OR/NOT, ``+word``, a known ``field:value``) is prose:
    its quotes and guillemets, parentheses and brackets, ``*``/``?`` and the
    ``-``/``+`` in front of words are punctuation, not operators, and
    ``word:text`` is two words.  So «Kent u het bericht «X»?» searches the
    words of X (adjacent words still count extra, see proximity), "(EU)-verdrag"
    excludes nothing, and an unbalanced parenthesis is no error.  Any other
    query is returned unchanged."""
    config = resolve(config)
    if not config.prose:
        return text
    words = text.split()
    if len(words) < config.prose_min_words:
        return text
    from .query import _OPERATORS, QUERY_FIELDS

    for word in words:
        if word in _OPERATORS or (word.startswith("+") and len(word) > 1):
            return text
        match = _FIELD_WORD.match(word)
        if match and match.group(1).lower() in QUERY_FIELDS:
            return text
    text = _PROSE_DROP.sub(" ", text)
    text = _LEADING_SIGNS.sub(" ", text)
    return _GLUED_COLON.sub(r"\1 ", text)


# --------------------------------------------------------------------------
# Collection statistics and fast postings
# --------------------------------------------------------------------------


def _idf(n: int, df: int) -> float:
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


class _Stats:
    """Global statistics of one (top-level) searcher, cached on it."""

    def __init__(self, searcher):
        self.searcher = searcher
        try:
            n = searcher.doc_frequency("record", "passage")
        except Exception:  # pragma: no cover - an index without a record field
            n = 0
        self.n = n or searcher.doc_count() or 1
        self.avg: dict[str, float] = {}
        self.df_cache: dict[tuple[str, str], int] = {}
        self.variants: dict[tuple, tuple] = {}

    @classmethod
    def of(cls, searcher) -> "_Stats":
        parent = searcher.get_parent()
        stats = getattr(parent, "_beleidzoek_stats", None)
        if stats is None:
            stats = cls(parent)
            try:
                parent._beleidzoek_stats = stats
            except AttributeError:  # pragma: no cover
                pass
        return stats

    def avg_length(self, fieldname: str) -> float:
        avg = self.avg.get(fieldname)
        if avg is None:
            avg = self.avg[fieldname] = self.searcher.avg_field_length(fieldname) or 1.0
        return avg

    def df(self, fieldname: str, term: str) -> int:
        key = (fieldname, term)
        df = self.df_cache.get(key)
        if df is None:
            if len(self.df_cache) > 200_000:
                self.df_cache.clear()
            try:
                df = self.searcher.doc_frequency(fieldname, term)
            except Exception:
                df = 0
            self.df_cache[key] = df
        return df


class _Norms:
    """Per-segment BM25 length norms ``k1 * (1 - b + b * length / avg)`` as a
    256-entry table indexed by Whoosh's length byte, plus the length bytes."""

    def __init__(self, reader, fieldname: str, k1: float, b: float, avg: float):
        from whoosh.util.numeric import byte_to_length

        self.table = [k1 * ((1.0 - b) + b * byte_to_length(i) / avg) for i in range(256)]
        self.bytes = _length_bytes(reader, fieldname)
        if self.bytes is None:  # no fast path: look lengths up per document
            self.bytes = _LazyLengthBytes(reader, fieldname)


def _length_bytes(reader, fieldname: str):
    """The whole length column of a segment as bytes (Whoosh 2.7 W3 codec), or None."""
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        perdoc = reader._perdoc
        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        doccount = reader.doc_count_all()
        if column is None:
            return bytes(doccount)
        data = column._dbfile.get(column._basepos, column._count * column._fixedlen)
        if column._fixedlen != 1:
            return None
        if len(data) < doccount:
            data = bytes(data) + bytes(doccount - len(data))
        return data
    except Exception:
        return None


class _LazyLengthBytes:
    def __init__(self, reader, fieldname):
        from whoosh.util.numeric import length_to_byte

        self.reader, self.fieldname, self.to_byte = reader, fieldname, length_to_byte
        self.cache: dict[int, int] = {}

    def __getitem__(self, docnum):
        value = self.cache.get(docnum)
        if value is None:
            value = self.cache[docnum] = self.to_byte(
                self.reader.doc_field_length(docnum, self.fieldname, 0) or 0)
        return value


def _norms(searcher, fieldname: str, config: RankingConfig, stats: _Stats) -> _Norms:
    reader = searcher.reader()
    cache = getattr(reader, "_beleidzoek_norms", None)
    if cache is None:
        cache = {}
        try:
            reader._beleidzoek_norms = cache
        except AttributeError:  # pragma: no cover
            pass
    key = (fieldname, config.k1, config.b)
    norms = cache.get(key)
    if norms is None:
        norms = cache[key] = _Norms(reader, fieldname, config.k1, config.b,
                                    stats.avg_length(fieldname))
    return norms


def _blocks(reader, fieldname: str, term: str):
    """``(docnums, term frequencies)`` of a term's postings, block by block."""
    from whoosh.matching.wrappers import FilterMatcher

    try:
        m = reader.postings(fieldname, term)
    except Exception:
        return
    deleted = None
    if isinstance(m, FilterMatcher) and m._exclude:
        deleted, m = m._ids, m.child
    fast = all(hasattr(m, name) for name in ("_read_ids", "_read_weights", "_next_block", "_i"))
    while m.is_active():
        if fast:
            if m._ids is None:
                m._read_ids()
            if m._weights is None:
                m._read_weights()
            start = m._i
            ids, weights = m._ids[start:], m._weights[start:]
            m._next_block()
        else:
            ids, weights = (m.id(),), (m.weight(),)
            m.next()
        if deleted:
            pairs = [(d, w) for d, w in zip(ids, weights) if d not in deleted]
            ids, weights = [d for d, _ in pairs], [w for _, w in pairs]
        yield ids, weights


def _score_term(searcher, stats: _Stats, config: RankingConfig, fieldname: str, term: str,
                weight: float, best: dict) -> None:
    """Max-merge ``weight * BM25(term in field)`` into ``best`` (docnum -> score)."""
    reader = searcher.reader()
    try:
        if (fieldname, term) not in reader:
            return
    except Exception:
        return
    df = stats.df(fieldname, term)
    if not df:
        return
    norms = _norms(searcher, fieldname, config, stats)
    table, lengths = norms.table, norms.bytes
    factor = weight * _idf(stats.n, df) * (config.k1 + 1.0)
    get = best.get
    for ids, tfs in _blocks(reader, fieldname, term):
        for docnum, tf in zip(ids, tfs):
            score = factor * tf / (tf + table[lengths[docnum]])
            if score > get(docnum, 0.0):
                best[docnum] = score


def variants(searcher, term: str, config: RankingConfig) -> tuple[str, ...]:
    """Index terms (text field) sharing ``term``'s first ``variant_prefix``
    letters: the most frequent ``variant_max_terms`` of those in at most
    ``variant_max_share`` of the passages (``term`` itself excluded)."""
    if (config.variant_weight <= 0 or len(term) < config.variant_min_length
            or not term.isalpha()):
        return ()
    stats = _Stats.of(searcher)
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


# --------------------------------------------------------------------------
# Query classes
# --------------------------------------------------------------------------


def _list_matcher(scores: dict, boost: float = 1.0):
    from .matching import _list_matcher as make

    ids = sorted(scores)
    if boost != 1.0:
        return make(ids, [scores[d] * boost for d in ids])
    return make(ids, [scores[d] for d in ids])


class _ScoreMapQuery(Query):
    """A query whose matcher comes from a docnum -> score map (``score_map``)."""

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
        scores = self.score_map(searcher)
        if not scores:
            return matching.NullMatcher()
        return _list_matcher(scores, self.boost)

    def score_map(self, searcher) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError


class WordQuery(_ScoreMapQuery):
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

    def weighted_fields(self):
        config = self.config
        out = []
        for f in self.fields:
            out.append((f, config.title_weight if f == "title" else 1.0))
        if self.parts:
            out.append(("parts", config.parts_weight))
        return out

    def score_map(self, searcher) -> dict:
        config = self.config
        stats = _Stats.of(searcher)
        best: dict[int, float] = {}
        for f, weight in self.weighted_fields():
            if weight > 0:
                _score_term(searcher, stats, config, f, self.text, weight, best)
        if "text" in self.fields and config.variant_weight > 0:
            for variant in variants(searcher, self.text, config):
                _score_term(searcher, stats, config, "text", variant, config.variant_weight, best)
        return best


class _PartQuery(_ScoreMapQuery):
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
        return _PartQuery(self.text, self.config, self.unit)

    def score_map(self, searcher) -> dict:
        config = self.config
        stats = _Stats.of(searcher)
        best: dict[int, float] = {}
        for f, weight in (("title", config.title_weight), ("text", 1.0), ("parts", config.parts_weight)):
            if weight > 0:
                _score_term(searcher, stats, config, f, self.text, weight, best)
        return best


class HyphenQuery(Query):
    """A hyphenated query word ("ICT-voorzieningen"): matches as ``strict``
    (the query layer's phrase of its parts, or weaker all parts anywhere), but
    in a long query (``hyphen_split_min_units``+ units) :func:`combine` scores
    its parts as words of their own, neighbours for proximity -- a pasted
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

    def apply(self, fn):
        return HyphenQuery(fn(self.strict), self.word, self.terms_, self.fields, self.parts,
                           self.stops, self.config)

    def with_boost(self, boost):
        return HyphenQuery(self.strict.with_boost(boost), self.word, self.terms_, self.fields,
                           self.parts, self.stops, self.config)

    def normalize(self):
        strict = self.strict.normalize()
        if strict is NullQuery:
            return NullQuery
        return HyphenQuery(strict, self.word, self.terms_, self.fields, self.parts, self.stops,
                           self.config)

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


def _preload(query, searcher, context) -> dict:
    if isinstance(query, _ScoreMapQuery):
        scores = query.score_map(searcher)
        return {d: s * query.boost for d, s in scores.items()} if query.boost != 1.0 else scores
    from .matching import _preload as preload

    ids, scores = preload(query, searcher, context)
    return dict(zip(ids, scores))


class RankedUnits(Query):
    """The keyword units of a query side by side (a soft OR).

    ``units``: the unit queries in query order; ``positions``: each unit's
    word position in the query (None when it has none, e.g. a phrase) for
    proximity; ``extras``: compound parts of query words, added at
    ``query_parts_weight`` without counting as units.  Score of a passage:
    ``(sum of unit scores + parts + proximity) * (matched / units) ** exponent``.
    """

    def __init__(self, units, positions=None, extras=(), config: RankingConfig | None = None,
                 boost: float = 1.0):
        self.subqueries = list(units)
        self.positions = tuple(positions) if positions is not None else (None,) * len(self.subqueries)
        self.extras = tuple(extras)
        self.config = resolve(config)
        self.boost = boost

    def __eq__(self, other):
        return (other.__class__ is self.__class__ and self.subqueries == other.subqueries
                and self.positions == other.positions and self.extras == other.extras
                and self.config == other.config and self.boost == other.boost)

    def __hash__(self):
        return hash((self.__class__.__name__, tuple(self.subqueries), self.positions, self.extras))

    def __repr__(self):
        extras = f", parts={list(self.extras)!r}" if self.extras else ""
        return f"{self.__class__.__name__}({self.subqueries!r}{extras})"

    __str__ = __repr__

    def is_leaf(self):
        return False

    def children(self):
        return iter(self.subqueries)

    def field(self):
        return None

    def _copy(self, units, positions=None, extras=None, boost=None):
        return RankedUnits(units, self.positions if positions is None else positions,
                           self.extras if extras is None else extras, self.config,
                           self.boost if boost is None else boost)

    def with_boost(self, boost):
        return self._copy(self.subqueries, boost=boost)

    def apply(self, fn):
        return self._copy([fn(q) for q in self.subqueries])

    def normalize(self):
        pairs = [(q.normalize(), p) for q, p in zip(self.subqueries, self.positions)]
        pairs = [(q, p) for q, p in pairs if q is not NullQuery]
        if not pairs and not self.extras:
            return NullQuery
        return self._copy([q for q, _ in pairs], [p for _, p in pairs])

    def estimate_size(self, ixreader):
        return sum(q.estimate_size(ixreader) for q in self.subqueries)

    def estimate_min_size(self, ixreader):
        return min((q.estimate_min_size(ixreader) for q in self.subqueries), default=0)

    def matcher(self, searcher, context=None):
        config = self.config
        n = len(self.subqueries)
        totals: dict[int, float] = {}
        counts: dict[int, int] = {}
        maps = []
        for query in self.subqueries:
            scores = _preload(query, searcher, context)
            maps.append(scores)
            for docnum, score in scores.items():
                totals[docnum] = totals.get(docnum, 0.0) + score
                counts[docnum] = counts.get(docnum, 0) + 1
        if config.query_parts_weight > 0 and self.extras:
            # A passage with a part of a query word but not the word itself
            # counts as half a match of that word (for coordination).
            weight = config.query_parts_weight
            halves: dict[int, set] = {}
            for part in self.extras:
                own = maps[part.unit] if part.unit < len(maps) else {}
                for docnum, score in part.score_map(searcher).items():
                    totals[docnum] = totals.get(docnum, 0.0) + weight * score
                    if docnum not in own:
                        halves.setdefault(docnum, set()).add(part.unit)
            for docnum, words in halves.items():
                counts[docnum] = counts.get(docnum, 0) + 0.5 * len(words)
        if config.proximity_weight > 0:
            self._proximity(searcher, totals, maps)
        exponent = config.exponent(n) if n else 0.0
        boost = self.boost
        ids = sorted(totals)
        if exponent:
            scores = [totals[d] * (counts[d] / n) ** exponent * boost for d in ids]
        else:
            scores = [totals[d] * boost for d in ids]
        from .matching import _list_matcher as make

        return make(ids, scores)

    # -- proximity ------------------------------------------------------------
    def pairs(self) -> list[tuple[str, str]]:
        """Neighbouring single-term words (query order, at most ``proximity_max_gap`` apart)."""
        config = self.config
        words = [(p, _word_of(q)) for q, p in zip(self.subqueries, self.positions)]
        words = [(p, w) for p, w in words if p is not None and w is not None and "text" in w.fields]
        out = []
        for (p1, a), (p2, b) in zip(words, words[1:]):
            if a.text != b.text and 0 < p2 - p1 <= config.proximity_max_gap:
                out.append((a.text, b.text))
        return list(dict.fromkeys(out))[:config.proximity_max_pairs]

    def _proximity(self, searcher, totals: dict, maps) -> None:
        config = self.config
        stats = _Stats.of(searcher)
        reader = searcher.reader()
        norms = None
        window = config.proximity_window
        limit = config.proximity_max_share * stats.n
        values: dict[str, tuple] = {}
        for a, b in self.pairs():
            da, db = stats.df("text", a), stats.df("text", b)
            if not da or not db or min(da, db) > limit:
                continue
            for term in (a, b):
                if term not in values:
                    values[term] = _position_values(reader, term)
            (va, decode), (vb, _) = values[a], values[b]
            if not va or not vb:
                continue
            both = [d for d in va if d in vb] if len(va) <= len(vb) else [d for d in vb if d in va]
            if not both:
                continue
            if norms is None:
                norms = _norms(searcher, "text", config, stats)
            idf = min(_idf(stats.n, da), _idf(stats.n, db))
            factor = config.proximity_weight * idf * (config.k1 + 1.0)
            table, lengths = norms.table, norms.bytes
            for docnum in both:
                follow = set(decode(vb[docnum]))
                count = 0
                for i in decode(va[docnum]):
                    for k in range(1, window + 1):
                        if i + k in follow:
                            count += 1
                            break
                if count:
                    totals[docnum] = totals.get(docnum, 0.0) + \
                        factor * count / (count + table[lengths[docnum]])


def _word_of(query) -> WordQuery | None:
    """The WordQuery of a unit (itself, or the literal of a BestOf with expansions)."""
    if isinstance(query, WordQuery):
        return query
    subs = getattr(query, "subqueries", None)
    if subs and isinstance(subs[0], WordQuery) and query.__class__.__name__ == "BestOf":
        return subs[0]
    return None


def _position_values(reader, term: str) -> tuple[dict, object]:
    """``({docnum: encoded positions}, decode)`` of a term in the text field:
    postings read block by block, positions decoded only where needed."""
    from whoosh.matching.wrappers import FilterMatcher

    try:
        if ("text", term) not in reader:
            return {}, None
        m = reader.postings("text", term)
    except Exception:
        return {}, None
    deleted = None
    if isinstance(m, FilterMatcher) and m._exclude:
        deleted, m = m._ids, m.child
    out = {}
    if all(hasattr(m, name) for name in ("_read_ids", "_read_values", "_next_block", "_i", "format")):
        decode = m.format.decoder("positions")
        while m.is_active():
            if m._ids is None:
                m._read_ids()
            if m._values is None:
                m._read_values()
            start = m._i
            out.update(zip(m._ids[start:], m._values[start:]))
            m._next_block()
    else:
        def decode(value):
            return value

        while m.is_active():
            out[m.id()] = m.value_as("positions")
            m.next()
    if deleted:
        for docnum in deleted:
            out.pop(docnum, None)
    return out, decode


# --------------------------------------------------------------------------
# Building (called by the query layer)
# --------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _parts_analyzer(config):
    from ..index.analysis import AnalysisConfig, parts_analyzer

    return parts_analyzer(config or AnalysisConfig())


def word_parts(word: str, analysis_config=None) -> list[str]:
    """Index terms of the compound parts of a query word ("privacyverklaring"
    -> privacy, verklar), as the parts field indexes them."""
    return list(dict.fromkeys(t.text for t in _parts_analyzer(analysis_config)(word, mode="index")))


def combine(units: list, nodes: list, items: list, stops: frozenset, config: RankingConfig,
            analysis_config=None):
    """The ranked query of a run of keyword ``units`` (whoosh queries) built
    from parse-tree ``nodes``; ``items`` is the sequence the nodes come from
    (word positions, for proximity).  Legacy scoring: a single unit as is,
    several in a :class:`~.matching.CoordinatedOr`."""
    if config.scoring == "legacy":
        from .matching import CoordinatedOr

        if len(units) == 1:
            return units[0]
        query = CoordinatedOr(units)
        exponent = config.exponent(len(units))
        if exponent != CoordinatedOr.exponent:
            query.exponent = exponent
        return query
    index = {id(item): i for i, item in enumerate(items)}
    positions = [index.get(id(node)) for node in nodes]
    if len(units) >= config.hyphen_split_min_units and any(isinstance(u, HyphenQuery) for u in units):
        split_units, split_positions = [], []
        for unit, position in zip(units, positions):
            words = unit.words() if isinstance(unit, HyphenQuery) else None
            if not words:
                split_units.append(unit)
                split_positions.append(position)
                continue
            for i, word in enumerate(words):
                if word not in split_units:
                    split_units.append(word)
                    split_positions.append(None if position is None else position + i / 16)
        units, positions = split_units, split_positions
    extras = []
    if config.query_parts_weight > 0:
        seen = {w.text for w in (_word_of(u) for u in units) if w is not None}
        for number, unit in enumerate(units):
            word = _word_of(unit)
            if word is None or not word.parts or len(word.word) < 7:
                continue
            for term in word_parts(word.word, analysis_config):
                if term not in seen and term not in stops:
                    seen.add(term)
                    extras.append(_PartQuery(term, config, number))
    return RankedUnits(units, positions, extras, config)


def drop_function_words(units: list, config: RankingConfig) -> tuple[list, list]:
    """``(kept, dropped)`` of ``(query, node)`` units: in long queries, units
    that are function words (and, with ``question_words``, question words) go,
    unless fewer than two units would be left."""
    if len(units) < config.long_query_units or not (config.function_words or config.question_words):
        return units, []
    from ..index.stemming import fold_accents

    words = (FUNCTION_WORDS if config.function_words else frozenset()) | \
        (QUESTION_WORDS if config.question_words else frozenset())
    kept, dropped = [], []
    for unit in units:
        word = _word_of(unit[0])
        surface = fold_accents(word.word).lower() if word is not None else None
        (dropped if surface in words else kept).append(unit)
    if len(kept) < 2:
        return units, []
    return kept, dropped


__all__ = ["DEFAULT_RANKING", "FUNCTION_WORDS", "QUESTION_WORDS", "HyphenQuery", "RankedUnits",
           "RankingConfig", "WordQuery", "as_prose", "combine", "drop_function_words", "resolve",
           "variants", "word_parts"]
