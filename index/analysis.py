"""Dutch text analysis for beleidzoek (Whoosh analyzers).

Two analyzers, both built from small composable parts::

    text_analyzer  = DutchTokenizer() | ConnectorFilter() | NormalizeFilter(...)
    parts_analyzer = DutchTokenizer() | ConnectorFilter(keep_whole=False)
                     | CompoundPartsFilter() | NormalizeFilter(...)

* :class:`DutchTokenizer` -- one regex: runs of letters/digits, joined by
  inner connectors (hyphen, underscore, dot, apostrophe): "ICT-voorzieningen",
  "kv-tk-2017Z07436", "auto's", "5.1", "www.overheid.nl" are single tokens.
* :class:`ConnectorFilter` -- a connected token gives its parts at consecutive
  positions and (index mode only) the joined whole at the first part's
  position: "ICT-voorzieningen" -> ictvoorzieningen@0, ict@0, voorzieningen@1.
  In query mode only the parts, so the query "privacy-by-design" is the phrase
  "privacy by design" (which also matches the hyphenated text).  "auto's" ->
  "auto" (the possessive/plural 's is dropped).
* :class:`NormalizeFilter` -- fold + lower + protected words + stem overrides +
  Snowball stemmer, one cached function per surface word
  (:mod:`.stemming`).  Stop words are kept (exact positions); the query layer
  drops :func:`stop_terms` from keyword queries.
* :class:`CompoundPartsFilter` -- index mode: replaces each word by the parts
  of its compound split ("informatiebeveiliging" -> informatie, beveiliging)
  and drops non-compounds; query mode: passes words through, so the query
  "beveiliging" looks up the term of "beveiliging" in the ``parts`` field.

Filters hold only configuration values (picklable: Whoosh stores the schema
in the index); caches and lexicons live in module-level lazily loaded caches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from whoosh.analysis import CompositeAnalyzer, Filter, Token, Tokenizer

from . import stemming

ANALYZER_NAME = "beleidzoek-dutch"
#: Bump whenever index terms produced by the same configuration would change.
ANALYZER_VERSION = 1


@dataclass(frozen=True)
class AnalysisConfig:
    """Switches of the Dutch analysis chain (see module docstring).

    stemmer: "dutch_porter" (default, chosen by measurement: see
        bench/quality.py and bench/stem_collisions.py), "dutch"
        (Kraaij-Pohlmann) or "none".
    fold_accents: "continuïteit" == "continuiteit".
    stem_overrides: apply index/data/stem_overrides.tsv and protected.txt
        (incl. automatic protection of all-caps acronyms).
    hyphen_parts: connected tokens ("ICT-voorzieningen") are indexed whole
        *and* by their parts; off: split into parts only (classic tokenizer).
    compounds: the parts analyzer emits dictionary compound parts; off: the
        parts field stays empty.
    """

    stemmer: str = "dutch_porter"
    fold_accents: bool = True
    stem_overrides: bool = True
    hyphen_parts: bool = True
    compounds: bool = True

    def __post_init__(self):
        if self.stemmer not in stemming.STEMMERS:
            raise ValueError(f"unknown stemmer {self.stemmer!r}; expected one of {stemming.STEMMERS}")


DEFAULT_CONFIG = AnalysisConfig()


def _onoff(flag: bool) -> str:
    return "on" if flag else "off"


def _library_versions(config: AnalysisConfig) -> str:
    from .versions import package_version

    def ver(dist):
        try:
            return package_version(dist)
        except ImportError:  # importlib.metadata.PackageNotFoundError
            return "none"

    parts = []
    if config.stemmer != "none":
        try:
            import Stemmer  # noqa: F401  (PyStemmer, used by snowballstemmer when present)

            parts.append(f"pystemmer={ver('PyStemmer')}")
        except ImportError:
            parts.append(f"snowballstemmer={ver('snowballstemmer')}")
    if config.compounds:
        parts.append(f"wordfreq={ver('wordfreq')}")
    return " ".join(parts)


@lru_cache(maxsize=8)
def analyzer_id(config: AnalysisConfig = DEFAULT_CONFIG) -> str:
    """A string that changes whenever the index terms could change.

    Recorded in each index and compared when it is opened.  Includes the
    configuration, a hash of the data files that shape terms (protected
    words, stem overrides, compound exceptions) and the versions of the
    stemmer and word-frequency libraries. Computed once per process: reading
    the data files and package metadata is a visible part of a search's start.
    """
    return (
        f"{ANALYZER_NAME}/{ANALYZER_VERSION}"
        f" stemmer={config.stemmer}"
        f" fold={_onoff(config.fold_accents)}"
        f" overrides={_onoff(config.stem_overrides)}"
        f" hyphen={_onoff(config.hyphen_parts)}"
        f" compounds={_onoff(config.compounds)}"
        f" data={stemming.data_fingerprint()}"
        f" {_library_versions(config)}"
    ).rstrip()


# --------------------------------------------------------------------------
# Tokenizer
# --------------------------------------------------------------------------

# Word characters: Unicode letters/digits (and "_", treated as a connector by
# ConnectorFilter) plus combining diacritics (decomposed text).
_W = r"[\w\u0300-\u036f]"
# Inner connectors: hyphen-minus, dot, apostrophes, Unicode hyphens.
_CONN_CHARS = "-.'\u2019\u2010\u2011"
TOKEN_PATTERN = re.compile(rf"{_W}+(?:[{_CONN_CHARS}]{_W}+)*")


class DutchTokenizer(Tokenizer):
    """Runs of word characters, with inner hyphens, dots and apostrophes
    kept inside the token ("ICT-voorzieningen", "5.1", "auto's")."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return
        pos = start_pos
        for m in TOKEN_PATTERN.finditer(value):
            t.text = m.group()
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = t.text
            if positions:
                t.pos = pos
                pos += 1
            if chars:
                t.startchar = start_char + m.start()
                t.endchar = start_char + m.end()
            yield t


# --------------------------------------------------------------------------
# Connected tokens: hyphens, underscores, dots, apostrophes
# --------------------------------------------------------------------------

_HAS_CONN = re.compile(r"[-._'\u2019\u2010\u2011]")
_PART = re.compile(r"[^-._'\u2019\u2010\u2011]+")
_APOS_S = re.compile(r"['\u2019][sS]$")
_JOIN_DROP = str.maketrans("", "", "-_\u2010\u2011")


def split_connected(text: str):
    """Split a connected token into ``(whole, [(part, start, end), ...])``.

    ``start``/``end`` are offsets into ``text``.  ``whole`` is the joined
    form (hyphens and underscores removed, dots kept, apostrophes as "'").
    A trailing "'s" is dropped first ("auto's" -> "auto"); a token whose only
    connectors are apostrophes stays one token ("zo'n").  Returns
    ``(text, [])`` when there is nothing to split.
    """
    end = len(text)
    if _APOS_S.search(text) and end > 2:
        end -= 2
    body = text[:end]
    if "\u2019" in body:
        body = body.replace("\u2019", "'")
    if not _HAS_CONN.search(body):
        return body, []
    parts = [(m.group(), m.start(), m.end()) for m in _PART.finditer(body)]
    if len(parts) <= 1:
        return body, parts
    if "'" in body and not _HAS_CONN.search(body.replace("'", "")):
        return body, []  # zo'n, d'r, m'n: one token
    whole = body.translate(_JOIN_DROP).replace("'", "")
    return whole, parts


def expand_connected(text: str, keep_whole: bool):
    """The sub-tokens of one raw token as ``(text, start, end, pos_offset)``
    (offsets relative to the token), or ``None`` when the token is a plain
    word (no connector).  ``keep_whole``: also the joined whole (first, at
    offset 0)."""
    if _HAS_CONN.search(text) is None:
        return None
    whole, parts = split_connected(text)
    if not parts:
        return [(whole, 0, len(text), 0)] if whole else []
    if len(parts) == 1:
        part, s, e = parts[0]
        return [(part, s, e, 0)]
    out = [(whole, 0, len(text), 0)] if keep_whole else []
    out.extend((part, s, e, i) for i, (part, s, e) in enumerate(parts))
    return out


class ConnectorFilter(Filter):
    """Expands connected tokens.

    Index mode, ``keep_whole=True``: the joined whole at the first part's
    position, then each part at consecutive positions (later tokens shift).
    Query mode, or ``keep_whole=False``: the parts only.
    """

    def __init__(self, keep_whole: bool = True):
        self.keep_whole = keep_whole

    def __call__(self, tokens):
        shift = 0
        for t in tokens:
            if shift and t.positions:
                t.pos += shift
            text = t.text
            if text.isalnum():
                yield t
                continue
            subs = expand_connected(text, self.keep_whole and t.mode != "query")
            if subs is None:
                yield t
                continue
            base = t.startchar if t.chars else 0
            first = t.pos if t.positions else 0
            yield from _emit_parts(t, subs, first, base)
            shift += subs[-1][3] if subs else 0


def _emit_parts(t, parts, first: int, base: int):
    """Yield ``t`` as each ``(text, start, end, offset)`` of ``parts``: at
    position ``first + offset``, characters ``base + start`` to ``base + end``."""
    positions, chars = t.positions, t.chars
    for text, s, e, off in parts:
        t.text = text
        if positions:
            t.pos = first + off
        if chars:
            t.startchar, t.endchar = base + s, base + e
        yield t


# --------------------------------------------------------------------------
# Per-word normalisation (fold, lower, protect, override, stem)
# --------------------------------------------------------------------------


class NormalizeFilter(Filter):
    """Replaces each token's text by its index term (cached per surface
    word, see :class:`.stemming.Normalizer`).  Never removes stop words."""

    is_morph = True

    def __init__(self, stemmer: str = DEFAULT_CONFIG.stemmer, fold: bool = True, overrides: bool = True):
        self.stemmer = stemmer
        self.fold = fold
        self.overrides = overrides

    def __call__(self, tokens):
        lookup = stemming.get_normalizer(self.stemmer, self.fold, self.overrides).terms
        for t in tokens:
            yield from _emit_term(t, lookup(t.text), index_mode=t.mode != "query")


def _emit_term(t, term, index_mode: bool):
    """Yield ``t`` with the index term(s) the normalizer gave for its word: a
    string (empty: the word gives no term) or, for an acronym-like all-caps
    word, its protected form plus (index mode) the stemmed form at the same
    position."""
    if type(term) is str:
        if term:
            t.text = term
            yield t
    else:
        t.text = term[0]
        yield t
        if index_mode:
            t.text = term[1]
            yield t


class CompoundPartsFilter(Filter):
    """Index mode: each word is replaced by its compound parts (all
    constituents of the split, see :func:`.compounds.constituents`); words
    that are not compounds give nothing.  Query mode: pass-through."""

    def __call__(self, tokens):
        from . import compounds

        parts_of = compounds.constituents
        for t in tokens:
            if t.mode == "query":
                yield t
                continue
            text = t.text
            if len(text) < compounds.MIN_WORD_LENGTH:
                continue
            parts = parts_of(text)
            if not parts:
                continue
            chars = t.chars
            if chars:
                base, end = t.startchar, t.endchar
                exact = end - base == len(text)
            for part, s, e in parts:
                t.text = part
                if chars:
                    if exact:
                        t.startchar, t.endchar = base + s, base + e
                    else:
                        t.startchar, t.endchar = base, end
                yield t


class _DropAllFilter(Filter):
    """Index mode: drops every token (parts field with compounds off)."""

    def __call__(self, tokens):
        for t in tokens:
            if t.mode == "query":
                yield t


# --------------------------------------------------------------------------
# Public factories
# --------------------------------------------------------------------------


def _normalize(config: AnalysisConfig) -> NormalizeFilter:
    return NormalizeFilter(config.stemmer, config.fold_accents, config.stem_overrides)


class DutchAnalyzer(CompositeAnalyzer):
    """``DutchTokenizer | ConnectorFilter | [CompoundPartsFilter |] NormalizeFilter``
    with a fused fast path.

    ``items`` are the ordinary composable parts, and calling the analyzer
    gives exactly what chaining them gives (tests check this on the corpus);
    the fast path just runs the chain in one loop with per-word caches
    (indexing throughput).  Any unusual call (``no_morph``, ``tokenize=False``,
    ``keeporiginal``) or a modified ``items`` list takes the generic path.
    """

    def __init__(self, config: AnalysisConfig, parts: bool = False):
        self.config = config
        self.parts = parts
        if parts:
            split = CompoundPartsFilter() if config.compounds else _DropAllFilter()
            items = (DutchTokenizer(), ConnectorFilter(keep_whole=False), split, _normalize(config))
        else:
            items = (DutchTokenizer(), ConnectorFilter(keep_whole=config.hyphen_parts), _normalize(config))
        super().__init__(*items)
        self._standard = tuple(self.items)

    def __getstate__(self):
        return {"config": self.config, "parts": self.parts}

    def __setstate__(self, state):
        self.__init__(state["config"], state["parts"])

    def __eq__(self, other):
        return (other is not None and self.__class__ is other.__class__
                and self.config == other.config and self.parts == other.parts)

    def __repr__(self):
        return f"{self.__class__.__name__}({self.config!r}, parts={self.parts})"

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", no_morph=False, **kwargs):
        std = self._standard
        if no_morph or not tokenize or keeporiginal or len(self.items) != len(std) \
                or any(a is not b for a, b in zip(self.items, std)):
            return super().__call__(value, positions=positions, chars=chars, keeporiginal=keeporiginal,
                                    removestops=removestops, start_pos=start_pos, start_char=start_char,
                                    tokenize=tokenize, mode=mode, no_morph=no_morph, **kwargs)
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if self.parts and mode != "query":
            if not self.config.compounds:
                return iter(())
            return self._parts(value, t, start_pos, start_char)
        return self._text(value, t, mode == "query", start_pos, start_char)

    def _text(self, value, t, query, pos, start_char):
        config = self.config
        norm = stemming.get_normalizer(config.stemmer, config.fold_accents, config.stem_overrides)
        cache = norm._cache
        lookup = norm.terms
        keep_whole = config.hyphen_parts and not query and not self.parts
        positions, chars = t.positions, t.chars
        for m in TOKEN_PATTERN.finditer(value):
            text = m.group()
            if text.isalnum():
                term = cache.get(text)
                if term is None:
                    term = lookup(text)
                if type(term) is str:
                    if term:
                        t.text = term
                        if positions:
                            t.pos = pos
                        if chars:
                            t.startchar = start_char + m.start()
                            t.endchar = start_char + m.end()
                        yield t
                    pos += 1
                    continue
                subs = [(text, 0, len(text), 0)]
            else:
                subs = expand_connected(text, keep_whole)
                if subs is None:
                    subs = [(text, 0, len(text), 0)]
            base = start_char + m.start()
            last = 0
            for sub, s, e, off in subs:
                term = lookup(sub)
                if positions:
                    t.pos = pos + off
                if chars:
                    t.startchar, t.endchar = base + s, base + e
                last = off
                yield from _emit_term(t, term, index_mode=not query)
            pos += last + 1

    def _parts(self, value, t, pos, start_char):
        from . import compounds

        config = self.config
        norm = stemming.get_normalizer(config.stemmer, config.fold_accents, config.stem_overrides)
        cache = _parts_cache(config)
        minlen = compounds.MIN_WORD_LENGTH
        for m in TOKEN_PATTERN.finditer(value):
            text = m.group()
            if len(text) < minlen:
                # no part of a shorter token can be a compound
                pos += 1 if text.isalnum() else _n_positions(text)
                continue
            entry = cache.get(text)
            if entry is None:
                entry = _parts_of_token(text, norm, compounds)
                if len(cache) >= stemming.CACHE_SIZE:
                    cache.clear()
                cache[text] = entry
            npos, parts = entry
            if parts:
                yield from _emit_parts(t, parts, pos, start_char + m.start())
            pos += npos


def _n_positions(text: str) -> int:
    subs = expand_connected(text, False)
    return 1 if subs is None else max(1, len(subs))


def _parts_of_token(text: str, norm, compounds):
    """``(n_positions, ((term, start, end, pos_offset), ...))`` of a raw
    token in the parts field (what ConnectorFilter(keep_whole=False) |
    CompoundPartsFilter | NormalizeFilter give)."""
    subs = expand_connected(text, False)
    if subs is None:
        subs = [(text, 0, len(text), 0)]
    out = []
    for sub, s, e, off in subs:
        if len(sub) < compounds.MIN_WORD_LENGTH:
            continue
        exact = e - s == len(sub)
        for part, ps, pe in compounds.constituents(sub):
            term = norm.term(part)
            if not term:
                continue
            if exact:
                out.append((term, s + ps, s + pe, off))
            else:
                out.append((term, s, e, off))
    return max(1, len(subs)), tuple(out)


_parts_caches: dict[AnalysisConfig, dict] = {}


def _parts_cache(config: AnalysisConfig) -> dict:
    c = _parts_caches.get(config)
    if c is None or not stemming._CACHE_ENABLED:
        c = {}
        if stemming._CACHE_ENABLED:
            _parts_caches[config] = c
    return c


def text_analyzer(config: AnalysisConfig = DEFAULT_CONFIG):
    """Analyzer of the ``text`` and ``title`` fields (use with positions and
    ``chars=True`` for highlighting).  Index and query mode give the same
    terms, except that a connected token's joined whole is index-only.

    ``DutchTokenizer() | ConnectorFilter(keep_whole=config.hyphen_parts) |
    NormalizeFilter(...)``, run by :class:`DutchAnalyzer`."""
    return DutchAnalyzer(config)


def parts_analyzer(config: AnalysisConfig = DEFAULT_CONFIG):
    """Analyzer of the ``parts`` field: index mode emits only the compound
    parts of compound words; query mode emits the query words' terms (same
    as :func:`text_analyzer` in query mode).

    ``DutchTokenizer() | ConnectorFilter(keep_whole=False) |
    CompoundPartsFilter() | NormalizeFilter(...)``, run by :class:`DutchAnalyzer`."""
    return DutchAnalyzer(config, parts=True)


def stop_terms(config: AnalysisConfig = DEFAULT_CONFIG) -> frozenset[str]:
    """Index terms of the Dutch stop words (``index/data/stopwords.txt``)."""
    norm = stemming.get_normalizer(config.stemmer, config.fold_accents, config.stem_overrides)
    return frozenset(norm.term(w) for w in stemming.stop_words())


def terms(text: str, config: AnalysisConfig = DEFAULT_CONFIG, mode: str = "index",
          analyzer: str = "text") -> list[str]:
    """Token texts of ``text`` through the text (or ``analyzer="parts"``)
    analyzer, in stream order.  For tests and tools."""
    ana = parts_analyzer(config) if analyzer == "parts" else text_analyzer(config)
    return [t.text for t in ana(text, mode=mode, positions=True, chars=True)]


def tokens(text: str, config: AnalysisConfig = DEFAULT_CONFIG, mode: str = "index",
           analyzer: str = "text") -> list[tuple[str, int, int, int]]:
    """``(term, pos, startchar, endchar)`` for each token (tests and tools)."""
    ana = parts_analyzer(config) if analyzer == "parts" else text_analyzer(config)
    return [(t.text, t.pos, t.startchar, t.endchar)
            for t in ana(text, mode=mode, positions=True, chars=True)]


__all__ = [
    "ANALYZER_NAME",
    "ANALYZER_VERSION",
    "AnalysisConfig",
    "DEFAULT_CONFIG",
    "CompoundPartsFilter",
    "ConnectorFilter",
    "DutchAnalyzer",
    "DutchTokenizer",
    "NormalizeFilter",
    "analyzer_id",
    "expand_connected",
    "parts_analyzer",
    "split_connected",
    "stop_terms",
    "terms",
    "text_analyzer",
    "tokens",
]
