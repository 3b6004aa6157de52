"""Word normalisation for Dutch: accent folding, lower-casing, protected words,
the stem-override table and the Snowball stemmer, cached per surface word.

This is the hot path of indexing, so everything a single word goes through
(fold + lower + protect + override + stem) is one cached function:
:meth:`Normalizer.term`.  A :class:`Normalizer` is created once per process
and per configuration (:func:`get_normalizer`); its cache is a plain dict,
bounded to ``CACHE_SIZE`` entries (cleared when full).

Data files (``index/data/``, loaded lazily, once per process):

* ``protected.txt`` -- words that are never stemmed (acronyms, law names...).
* ``stem_overrides.tsv`` -- ``word<TAB>term`` pairs that replace the stemmer.
* ``stopwords.txt`` -- the Dutch stop words (used by ``analysis.stop_terms``).

Nothing here is pickled: analyzers hold only configuration values and look up
their normaliser in the module-level registry at call time.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

#: Maximum number of surface words cached per normaliser.
CACHE_SIZE = 200_000

#: Zipf frequency (wordfreq, Dutch) from which an all-caps token is treated
#: as a shouted ordinary word ("MOETEN", "ZAAK") rather than an acronym.
ALLCAPS_COMMON_ZIPF = 4.0

STEMMERS = ("dutch", "dutch_porter", "none")

_lock = threading.Lock()

# --------------------------------------------------------------------------
# Accent folding
# --------------------------------------------------------------------------

# Letters that NFKD does not decompose into base letter + combining mark.
_SPECIAL_FOLD = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "þ": "th",
        "ı": "i",
    }
)


def fold_accents(text: str) -> str:
    """Remove diacritics: "continuïteit" -> "continuiteit", "één" -> "een".

    Also applies NFKD compatibility mappings ("ĳ" -> "ij", "ﬁ" -> "fi").
    The result can be longer or shorter than the input; callers never use
    it for character offsets.
    """
    if text.isascii():
        return text
    text = text.translate(_SPECIAL_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --------------------------------------------------------------------------
# Data files
# --------------------------------------------------------------------------


def _data_lines(name: str):
    """Yield the meaningful lines of a data file (comments and blanks dropped)."""
    path = DATA_DIR / name
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.split("#", 1)[0].rstrip("\n").rstrip()
            if line.strip():
                yield line


def _key(word: str) -> str:
    return fold_accents(word.strip()).lower()


_protected: frozenset[str] | None = None
_overrides: dict[str, dict[str, str]] | None = None
_stopwords: tuple[str, ...] | None = None


def protected_words() -> frozenset[str]:
    """Words never stemmed (lower-case, accent-folded), from ``protected.txt``."""
    global _protected
    if _protected is None:
        words = set()
        for line in _data_lines("protected.txt"):
            for w in line.split():
                words.add(_key(w))
        _protected = frozenset(words)
    return _protected


_SECTION = re.compile(r"^\[([a-z_]+)\]$")


def stem_overrides(stemmer: str) -> dict[str, str]:
    """The override table for ``stemmer``: word -> index term.

    Lines before any ``[section]`` apply to every stemmer; lines after
    ``[dutch]`` or ``[dutch_porter]`` only to that stemmer (and win over the
    common lines).  Keys starting with ``*`` are suffix rules (see
    :func:`suffix_overrides`) and are not included here.
    """
    table = _override_table()
    merged = {k: v for k, v in table["*"].items() if not k.startswith("*")}
    merged.update((k, v) for k, v in table.get(stemmer, {}).items() if not k.startswith("*"))
    return merged


def suffix_overrides(stemmer: str) -> list[tuple[str, str]]:
    """Suffix rules for ``stemmer`` as ``(suffix, replacement)``, longest
    suffix first: ``*plaatsen<TAB>*plaats`` makes "werkplaatsen" ->
    "werkplaats"."""
    table = _override_table()
    rules = {}
    for section in ("*", stemmer):
        for k, v in table.get(section, {}).items():
            if k.startswith("*"):
                if not v.startswith("*"):
                    raise ValueError(f"stem_overrides.tsv: suffix rule {k!r} needs a '*' replacement")
                rules[k[1:]] = v[1:]
    return sorted(rules.items(), key=lambda kv: -len(kv[0]))


def _override_table() -> dict[str, dict[str, str]]:
    global _overrides
    if _overrides is None:
        table: dict[str, dict[str, str]] = {"*": {}}
        section = "*"
        for line in _data_lines("stem_overrides.tsv"):
            m = _SECTION.match(line.strip())
            if m:
                section = m.group(1)
                if section not in ("dutch", "dutch_porter"):
                    raise ValueError(f"stem_overrides.tsv: unknown section [{section}]")
                table.setdefault(section, {})
                continue
            if "\t" in line:
                word, term = line.split("\t", 1)
            else:
                parts = line.split()
                if len(parts) != 2:
                    raise ValueError(f"stem_overrides.tsv: bad line {line!r}")
                word, term = parts
            word, term = _key(word), _key(term)
            if not word or not term:
                raise ValueError(f"stem_overrides.tsv: bad line {line!r}")
            table.setdefault(section, {})[word] = term
        _overrides = table
    return _overrides


def stop_words() -> tuple[str, ...]:
    """The Dutch stop words (surface forms) from ``stopwords.txt``."""
    global _stopwords
    if _stopwords is None:
        words = []
        for line in _data_lines("stopwords.txt"):
            words.extend(_key(w) for w in line.split())
        _stopwords = tuple(dict.fromkeys(words))
    return _stopwords


def data_fingerprint() -> str:
    """Short hash of the data files that change index terms.

    SHA-1 without ``hashlib``, which loads OpenSSL, for 14 kB of text.
    """
    from .lean_imports import own_hash

    h = own_hash("sha1")()
    for name in ("protected.txt", "stopwords.txt", "stem_overrides.tsv", "compounds.txt"):
        path = DATA_DIR / name
        if path.exists():
            h.update(name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:8]


# --------------------------------------------------------------------------
# Word frequencies (wordfreq), shared with compounds.py
# --------------------------------------------------------------------------

_lexicon = None


def freq_table():
    """Dutch word -> frequency (wordfreq "large" list, accents folded and
    lower-cased), a :class:`.lexicon.Lexicon`: one per process, opened fast."""
    global _lexicon
    if _lexicon is None:
        with _lock:
            if _lexicon is None:
                from .lexicon import Lexicon

                _lexicon = Lexicon(fold_accents)
    return _lexicon


def zipf(word: str) -> float:
    """Zipf frequency (log10 per billion words) of a folded lower-case Dutch
    word; 0.0 when unknown."""
    f = freq_table().get(word)
    return math.log10(f) + 9.0 if f else 0.0


# --------------------------------------------------------------------------
# Stemmers
# --------------------------------------------------------------------------

_PURE_PYTHON = False


def use_pure_python_stemmer(flag: bool = True) -> None:
    """Benchmark hook: build stemmers from snowballstemmer's pure-Python
    classes instead of PyStemmer (the C extension).  Clears all caches."""
    global _PURE_PYTHON
    _PURE_PYTHON = flag
    _stemmers.clear()
    clear_caches()


_stemmers: dict[str, object] = {}


def get_stemmer(name: str):
    """A Snowball stemmer object with ``stemWord(word)`` (one per process)."""
    st = _stemmers.get(name)
    if st is None:
        if name not in ("dutch", "dutch_porter"):
            raise ValueError(f"unknown stemmer {name!r}; expected one of {STEMMERS}")
        if _PURE_PYTHON:
            if name == "dutch":
                from snowballstemmer.dutch_stemmer import DutchStemmer as cls
            else:
                from snowballstemmer.dutch_porter_stemmer import DutchPorterStemmer as cls
            st = cls()
        else:
            import snowballstemmer

            st = snowballstemmer.stemmer(name)
        _stemmers[name] = st
    return st


# --------------------------------------------------------------------------
# The per-word pipeline
# --------------------------------------------------------------------------

class Normalizer:
    """fold + lower + protect + override + stem for one surface word, cached.

    ``term(word)`` returns the index term (a str).  ``terms(word)`` may
    return a tuple of two terms for an all-caps acronym-like token whose
    stemmed form differs ("IBDS" -> ("ibds", "ibd")), so that both the
    upper-case query "IBDS" and the lower-case query "ibds" find it.
    """

    def __init__(self, stemmer: str = "dutch_porter", fold: bool = True, overrides: bool = True,
                 cache: bool = True):
        if stemmer not in STEMMERS:
            raise ValueError(f"unknown stemmer {stemmer!r}; expected one of {STEMMERS}")
        self.stemmer_name = stemmer
        self.fold = fold
        self.use_overrides = overrides
        self.use_cache = cache
        self._cache: dict[str, object] = {}
        self._ready = False

    def _load(self):
        if self.stemmer_name != "none":
            self._stem = get_stemmer(self.stemmer_name).stemWord
        else:
            self._stem = None
        if self.use_overrides:
            # Stop words are function words: never stemmed (so "reeds",
            # "maar", "tegen" do not become "red", "mar", "teg" and swallow
            # content words with the same stem).
            self._protected = protected_words() | frozenset(stop_words())
            self._overrides = stem_overrides(self.stemmer_name)
            self._suffix_rules = suffix_overrides(self.stemmer_name)
        else:
            self._protected = frozenset()
            self._overrides = {}
            self._suffix_rules = []
        self._suffixes = tuple(suf for suf, _ in self._suffix_rules)
        self._ready = True

    def clear(self):
        self._cache.clear()

    # The uncached pipeline --------------------------------------------------
    def compute(self, word: str):
        if not self._ready:
            self._load()
        low = word.lower()
        if self.fold:
            low = fold_accents(low).lower()
        if not low:
            return ""
        if self._stem is None:
            return low
        if not low.isalpha():
            # digits, dots, apostrophes: "2017z07436", "nis2", "27001",
            # "www.overheid.nl", "zo'n" are never stemmed
            return low
        if not self.use_overrides:
            return self._stem(low)
        if low in self._protected:
            return low
        over = self._overrides.get(low)
        if over is not None:
            return over
        if self._suffixes and low.endswith(self._suffixes):
            for suf, repl in self._suffix_rules:
                if low.endswith(suf) and len(low) > len(suf):
                    return low[: -len(suf)] + repl
        stemmed = self._stem(low)
        if stemmed != low and 2 <= len(word) <= 6 and word.isupper():
            # All-caps 2-6 letters: an acronym, protected automatically --
            # unless it is a common Dutch word written in capitals
            # ("MOETEN", "ZAAK").  Index both forms so lower-case queries
            # (which are stemmed) still find it.
            if zipf(low) < ALLCAPS_COMMON_ZIPF:
                return (low, stemmed)
        return stemmed

    # The cached entry points ------------------------------------------------
    def terms(self, word: str):
        """Index term(s) of a surface word: a str, or a tuple of two strs."""
        cache = self._cache
        t = cache.get(word)
        if t is None:
            t = self.compute(word)
            if self.use_cache:
                if len(cache) >= CACHE_SIZE:
                    cache.clear()
                cache[word] = t
        return t

    def term(self, word: str) -> str:
        """The primary index term of a surface word."""
        t = self.terms(word)
        return t if type(t) is str else t[0]


_normalizers: dict[tuple, Normalizer] = {}


def get_normalizer(stemmer: str = "dutch_porter", fold: bool = True, overrides: bool = True) -> Normalizer:
    """The process-wide cached :class:`Normalizer` for a configuration."""
    key = (stemmer, fold, overrides, _CACHE_ENABLED)
    n = _normalizers.get(key)
    if n is None:
        n = Normalizer(stemmer, fold, overrides, cache=_CACHE_ENABLED)
        _normalizers[key] = n
    return n


_CACHE_ENABLED = True


def set_cache_enabled(flag: bool) -> None:
    """Benchmark hook: disable/enable the per-word caches (clears them)."""
    global _CACHE_ENABLED
    _CACHE_ENABLED = flag
    clear_caches()


def clear_caches() -> None:
    """Forget all cached per-word results (normalisers and compound splits)."""
    _normalizers.clear()
    try:
        from . import compounds
    except ImportError:  # pragma: no cover - when loaded outside the package
        return
    compounds.clear_cache()


def reload_data() -> None:
    """Re-read the data files (after editing them in a running process)."""
    global _protected, _overrides, _stopwords
    _protected = _overrides = _stopwords = None
    clear_caches()
