"""Dutch compound splitting with the wordfreq Dutch lexicon.

"informatiebeveiliging" -> informatie + beveiliging,
"verwerkersovereenkomst" -> verwerker (+s) + overeenkomst,
"gegevensbeschermingseffectbeoordeling" -> gegevens + bescherming + effect + beoordeling.

Method (frequency-based, in the style of Koehn & Knight 2003):

* Lexicon: wordfreq's Dutch "large" list (accent-folded), loaded once per
  process (:func:`.stemming.freq_table`).  A part's frequency is its *family*
  frequency: the word plus its -s/-e/-n/-en forms ("verwerker" +
  "verwerkers").
* A *known part* has >= 4 letters and Zipf >= ``PART_ZIPF``; 3-letter parts
  only when listed under ``[shortparts]`` in ``data/compounds.txt`` ("wet",
  "ict").  Words under ``[nonparts]`` (particles, prefixes and suffix-like
  words: over, voor, ver, heid, lijk, ten...) and stop words are never parts.
* A binary split is ``head [+ linking -s-/-e-/-en-] + tail``.
* Fewest parts first: two known parts beat any split that needs a part to
  be split again (recursion, for 3+ part compounds); among equals the
  highest mean Zipf of the parts (the geometric mean frequency) wins.
* Keep the whole when it is a frequent word itself (Zipf of the word or its
  singular >= ``MAX_WHOLE_ZIPF``: "gemeenten", "bestuur", "maatregel"), or
  when the parts are not clearly more frequent than the whole (mean part
  Zipf < whole Zipf + ``KEEP_WHOLE_MARGIN``).  So "overheid" (over + heid),
  "beveiliging" (be + veiliging), "gemeente" stay whole.
* ``[nosplit]`` in ``data/compounds.txt`` lists words never split.

Results are cached per word (a plain dict, bounded).
"""

from __future__ import annotations

import math

from . import stemming

#: Shortest word that is considered for splitting.
MIN_WORD_LENGTH = 7
#: Shortest part (shorter parts only from [shortparts]).
MIN_PART_LENGTH = 4
#: Minimum (family) Zipf frequency of a part ...
PART_ZIPF = 2.0
#: ... and of a 4-letter part (short junk words abound in a web lexicon) ...
SHORT_PART_ZIPF = 3.0
#: ... whose own frequency (without the -s/-e/-n/-en family) is at least this.
OWN_ZIPF = 1.5
#: The -s/-e/-n/-en family may raise a word's Zipf by at most this much.
FAMILY_BOOST = 0.5
#: Words at least this frequent (or whose singular is) are never split.
MAX_WHOLE_ZIPF = 4.0
#: A known word is kept whole unless the parts' mean Zipf exceeds its own by this.
KEEP_WHOLE_MARGIN = 0.5
#: Longer "words" (hashes, base64, glued junk) are never split: the search for
#: a split is quadratic in the word's length.
MAX_WORD_LENGTH = 60
#: Maximum recursion depth (parts of parts of ...).
MAX_DEPTH = 4
#: Linking morphemes tried between head and tail.
LINKS = ("s", "e", "en")
#: Endings tried to find a word's family / singular.
_FAMILY_SUFFIXES = ("s", "e", "n", "en")

CACHE_SIZE = 200_000

_lists: dict[str, frozenset[str]] | None = None
_cache: dict[str, tuple] = {}
_best: dict[str, object] = {}
_part: dict[str, float] = {}
_fam: dict[str, float] = {}
_whole: dict[str, float] = {}


def clear_cache() -> None:
    _cache.clear()
    _best.clear()
    _part.clear()
    _fam.clear()
    _whole.clear()


def reload_data() -> None:
    global _lists
    _lists = None
    clear_cache()


def _data() -> dict[str, frozenset[str]]:
    """Sections of ``data/compounds.txt``: nosplit, nonparts, shortparts."""
    global _lists
    if _lists is None:
        sections: dict[str, set[str]] = {"nosplit": set(), "nonparts": set(), "shortparts": set()}
        current = None
        for line in stemming._data_lines("compounds.txt"):
            s = line.strip()
            if s.startswith("[") and s.endswith("]"):
                current = s[1:-1].strip()
                if current not in sections:
                    raise ValueError(f"compounds.txt: unknown section [{current}]")
                continue
            if current is None:
                raise ValueError("compounds.txt: words before the first [section]")
            sections[current].update(stemming._key(w) for w in s.split())
        sections["nonparts"] |= set(stemming.stop_words())
        _lists = {k: frozenset(v) for k, v in sections.items()}
    return _lists


def nosplit_words() -> frozenset[str]:
    return _data()["nosplit"]


def nonparts() -> frozenset[str]:
    return _data()["nonparts"]


def _z(f: float) -> float:
    return math.log10(f) + 9.0 if f > 0 else 0.0


def _family_zipf(word: str, freqs) -> float:
    """Zipf of the word plus its -s/-e/-n/-en forms; 0.0 when the word
    itself is rarer than ``OWN_ZIPF`` ("tuss" is not "tussen")."""
    z = _fam.get(word)
    if z is None:
        z = _fam[word] = _family_zipf_uncached(word, freqs)
    return z


def _family_zipf_uncached(word: str, freqs) -> float:
    get = freqs.get
    own = get(word, 0.0)
    z_own = _z(own)
    if z_own < OWN_ZIPF:
        return 0.0
    f = own
    for suf in _FAMILY_SUFFIXES:
        f += get(word + suf, 0.0)
    # The family may lift a word by at most FAMILY_BOOST ("tuss" + "tussen").
    return min(_z(f), z_own + FAMILY_BOOST)


def _whole_zipf(word: str, freqs) -> float:
    """Family Zipf of the word, or of its singular/base form when higher."""
    z = _whole.get(word)
    if z is None:
        z = _whole[word] = _whole_zipf_uncached(word, freqs)
    return z


def _whole_zipf_uncached(word: str, freqs) -> float:
    best = _family_zipf(word, freqs)
    for suf in _FAMILY_SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 4:
            best = max(best, _family_zipf(word[: -len(suf)], freqs))
    return best


def _part_zipf(word: str) -> float:
    """(Family) Zipf of ``word`` as a part, or 0.0 when not acceptable."""
    z = _part.get(word)
    if z is None:
        n = len(word)
        data = _data()
        if n < 3 or word in data["nonparts"]:
            z = 0.0
        elif n < MIN_PART_LENGTH and word not in data["shortparts"]:
            z = 0.0
        else:
            z = _family_zipf(word, stemming.freq_table())
            if z < (SHORT_PART_ZIPF if n == MIN_PART_LENGTH else PART_ZIPF):
                z = 0.0
        _part[word] = z
    return z


_NO_LINK_END = LINKS  # heads not ending in a linking morpheme have one reading


def _head_variants(head: str):
    """``(base, link)`` readings of a head: as is, and minus a linking
    morpheme when the base is more frequent than the head as is
    ("persoons" -> persoon + s, but "politie" stays "politie")."""
    if not head.endswith(_NO_LINK_END):
        return ((head, ""),)
    out = [(head, "")]
    get = stemming.freq_table().get
    f_head = get(head, 0.0)
    for link in LINKS:
        if head.endswith(link) and len(head) - len(link) >= 3:
            base = head[: -len(link)]
            if get(base, 0.0) > f_head:
                out.append((base, link))
    return out


# A split tree is a leaf (str) or (left_tree, link, right_tree).


def _analyse(word: str, depth: int):
    """Best reading of ``word`` as a part: a known part, or a compound of
    known parts: ``(n_parts, mean_zipf, tree)`` or None."""
    r = _best.get(word, False)
    if r is not False:
        return r
    z_whole = _part_zipf(word)
    if z_whole and _whole_zipf(word, stemming.freq_table()) >= MAX_WHOLE_ZIPF:
        _best[word] = r = (1, z_whole, word)  # frequent: a part as is
        return r
    split = _best_split(word, depth)
    if z_whole and (split is None or not _split_wins(word, split[1], stemming.freq_table())):
        r = (1, z_whole, word)
    else:
        r = split
    _best[word] = r
    return r


def _best_split(word: str, depth: int):
    """Best binary split (fewest parts, then highest mean Zipf) or None."""
    if depth > MAX_DEPTH or len(word) < 6 or word in nosplit_words():
        return None
    best = None
    n = len(word)
    freqs = stemming.freq_table()
    # Pass 1: two known parts.
    for i in range(3, n - 2):
        tail = word[i:]
        if tail not in freqs:  # cheap pre-check: parts are lexicon words
            continue
        t_z = _part_zipf(tail)
        if not t_z:
            continue
        for base, link in _head_variants(word[:i]):
            if base not in freqs:
                continue
            h_z = _part_zipf(base)
            if h_z:
                mean = (h_z + t_z) / 2
                if best is None or mean > best[1]:
                    best = (2, mean, (base, link, tail))
    if best is not None or n < 2 * MIN_PART_LENGTH + 2:
        return best
    # Pass 2 (only when pass 1 found nothing): one side is a compound itself
    # (the other a known part), so 3+ part compounds are found.
    for i in range(3, n - 2):
        tail = word[i:]
        t_z = _part_zipf(tail) if tail in freqs else 0.0
        for base, link in _head_variants(word[:i]):
            if t_z:
                h = _analyse(base, depth + 1)
                if h is None:
                    continue
                cand_n, cand = h[0] + 1, (h[1] * h[0] + t_z) / (h[0] + 1)
                tree = (h[2], link, tail)
            else:
                h_z = _part_zipf(base) if base in freqs else 0.0
                if not h_z or len(tail) < 2 * MIN_PART_LENGTH - 1:
                    continue
                t = _analyse(tail, depth + 1)
                if t is None:
                    continue
                cand_n, cand = t[0] + 1, (t[1] * t[0] + h_z) / (t[0] + 1)
                tree = (base, link, t[2])
            if best is None or cand_n < best[0] or (cand_n == best[0] and cand > best[1]):
                best = (cand_n, cand, tree)
    return best


def _split_wins(word: str, mean: float, freqs) -> bool:
    """Is a split with this mean part Zipf better than keeping ``word``?"""
    z_whole = _whole_zipf(word, freqs)
    if z_whole >= MAX_WHOLE_ZIPF:
        return False
    return not z_whole or mean >= z_whole + KEEP_WHOLE_MARGIN


def _decide(word: str, depth: int = 0):
    """The split tree of ``word`` when splitting beats keeping it whole,
    else None.  Parts that are compounds themselves are split too."""
    if depth > MAX_DEPTH or not MIN_WORD_LENGTH <= len(word) <= MAX_WORD_LENGTH \
            or word in nosplit_words():
        return None
    if _whole_zipf(word, stemming.freq_table()) >= MAX_WHOLE_ZIPF:
        return None  # frequent words stay whole: no need to search
    best = _best_split(word, 0)
    if best is None or not _split_wins(word, best[1], stemming.freq_table()):
        return None
    return _refine(best[2], depth)


def _refine(tree, depth):
    if isinstance(tree, str):
        sub = _decide(tree, depth + 1)
        return tree if sub is None else sub
    left, link, right = tree
    return (_refine(left, depth + 1), link, _refine(right, depth + 1))


def _flatten(tree, start: int, out: list, nodes: bool):
    """Collect ``(surface, start, end)`` of leaves (and inner nodes when
    ``nodes``) in pre-order; returns ``(surface_of_tree, end)``."""
    if isinstance(tree, str):
        out.append((tree, start, start + len(tree)))
        return tree, start + len(tree)
    left, link, right = tree
    slot = len(out)
    if nodes:
        out.append(None)  # the node itself, filled in below
    if nodes and link == "s" and isinstance(left, str) and (left + "s") in stemming.freq_table():
        # Keep a genitive -s head as the word it is ("gegevens", "persoons"):
        # it stems like the query word ("gegevens" -> "gegeven", while
        # "gegeven" -> "gegev").
        out.append((left + "s", start, start + len(left) + 1))
        ltext, mid = left, start + len(left)
    else:
        ltext, mid = _flatten(left, start, out, nodes)
    rtext, end = _flatten(right, mid + len(link), out, nodes)
    text = ltext + link + rtext
    if nodes:
        out[slot] = (text, start, end)
    return text, end


def _split_word(word: str):
    """Uncached: ``(leaves, constituents)`` with offsets, both () when the
    word is not a compound."""
    low = stemming.fold_accents(word).lower()
    if len(low) < MIN_WORD_LENGTH or not low.isalpha():
        return (), ()
    tree = _decide(low)
    if tree is None:
        return (), ()
    leaves: list = []
    _flatten(tree, 0, leaves, nodes=False)
    nodes: list = []
    _flatten(tree, 0, nodes, nodes=True)
    del nodes[0]  # the word itself
    # Inner nodes only when they are words themselves ("informatiebeveiliging"
    # in "informatiebeveiligingsbeleid", not "gegevensbeschermingseffect").
    freqs = stemming.freq_table()
    leafset = set(leaves)
    nodes = [n for n in nodes if n in leafset or n[0] in freqs]
    return tuple(leaves), tuple(nodes)


def _lookup(word: str):
    r = _cache.get(word)
    if r is None:
        r = _split_word(word)
        if len(_cache) >= CACHE_SIZE:
            clear_cache()
        _cache[word] = r
    return r


def split(word: str) -> list[str]:
    """The leaf parts of a compound (folded, lower-case, linking morphemes
    removed), or ``[word]`` (folded, lower-case) when it is not a compound.

    >>> split("informatiebeveiliging")
    ['informatie', 'beveiliging']
    """
    leaves = _lookup(word)[0]
    if not leaves:
        return [stemming.fold_accents(word).lower()]
    return [p for p, _, _ in leaves]


def constituents(word: str) -> list[tuple[str, int, int]]:
    """All parts of a compound's split tree except the whole word, in
    pre-order, as ``(part, start, end)`` (offsets into the folded word):
    "informatiebeveiligingsbeleid" -> informatiebeveiliging, informatie,
    beveiliging, beleid.  Empty when the word is not a compound."""
    return list(_lookup(word)[1])


def is_compound(word: str) -> bool:
    return bool(_lookup(word)[0])
