"""Snippets: the best short extracts of a passage, matched words in ``[[ ]]``.

Built on :mod:`whoosh.highlight` (fragmenter, fragment scoring, a custom
formatter), with our own token marking: a token is matched when its index term
is a query keyword, when it continues a query phrase in order (positions, so a
stop word is marked only inside a phrase), when it matches a wildcard, or when
one of its compound parts is a query keyword ("informatie[[beveiliging]]" for
the query "beveiliging").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

OPEN, CLOSE = "[[", "]]"
#: Characters per fragment, fragments per snippet, context around matches.
FRAGMENT_CHARS = 180
FRAGMENTS = 2
SURROUND = 60
ELLIPSIS = "…"

# Markers separated only by spaces or word connectors are merged:
# "[[Baseline]] [[Informatiebeveiliging]]" -> "[[Baseline Informatiebeveiliging]]".
_ADJACENT = re.compile(re.escape(CLOSE) + r"([\s\-\u2010\u2011]{1,3})" + re.escape(OPEN))
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def bracket_formatter():
    """A :class:`whoosh.highlight.Formatter` writing ``[[word]]``, with "…" where a
    fragment does not start or end the text (built lazily: Whoosh is heavy)."""
    from whoosh.highlight import Formatter

    class BracketFormatter(Formatter):
        between = " "

        def format_token(self, text, token, replace=False):
            return f"{OPEN}{text[token.startchar:token.endchar]}{CLOSE}"

        def format(self, fragments, replace=False):
            if not fragments:
                return ""
            bodies = [Formatter.format_fragment(self, f, replace).strip() for f in fragments]
            before = ELLIPSIS if fragments[0].startchar > 0 else ""
            after = ELLIPSIS if fragments[-1].endchar < len(fragments[-1].text) else ""
            return before + f" {ELLIPSIS} ".join(bodies) + after

    return BracketFormatter()


def _matched_tokens(text: str, analyzer, terms: frozenset, phrases: Iterable, wildcards: Iterable):
    """Index-mode tokens of ``text`` (copies) with ``.matched`` set."""
    from .matching import wildcard_regex

    tokens = [_copy(t) for t in analyzer(text, positions=True, chars=True, mode="index",
                                         removestops=False)]
    patterns = [wildcard_regex(w) for w in wildcards]
    for token in tokens:
        token.matched = token.text in terms or bool(patterns) and any(p.match(token.text) for p in patterns)
    phrases = [tuple(p) for p in phrases if p]
    if phrases:
        by_position: dict[int, list] = {}
        for token in tokens:
            by_position.setdefault(token.pos, []).append(token)
        for phrase in phrases:
            first = phrase[0]
            for start in [t.pos for t in tokens if t.text == first]:
                run = []
                for offset, term in enumerate(phrase):
                    found = [t for t in by_position.get(start + offset, ()) if t.text == term]
                    if not found:
                        run = None
                        break
                    run.append(found[0])
                if run:
                    for token in run:
                        token.matched = True
    if terms:
        _mark_compound_parts(text, tokens, terms)
    # Whole-word tokens (the joined form of "ICT-voorzieningen") overlap their
    # parts: drop an unmatched whole that covers matched parts, and keep the
    # stream ordered for the fragmenter.
    tokens.sort(key=lambda t: (t.startchar, -(t.endchar - t.startchar)))
    result = []
    for token in tokens:
        if result and token.startchar < result[-1].endchar:
            previous = result[-1]
            if token.matched and not previous.matched:
                result[-1] = token
            elif token.matched and previous.matched and token.endchar > previous.endchar:
                previous.endchar = token.endchar
            continue
        result.append(token)
    return result


def _copy(token):
    """A copy of the token an analyzer reuses: ``Token.copy`` passes every
    attribute through ``__init__`` as keywords, which took half of a snippet's time."""
    copy = object.__new__(type(token))
    copy.__dict__.update(token.__dict__)
    return copy


#: Compound-part matching for highlights: query terms of at least this many
#: letters are looked for inside longer unmatched words.
MIN_PART_TERM = 4
_WORD = re.compile(r"\w+")


def _mark_compound_parts(text: str, tokens: list, terms: frozenset) -> None:
    """Mark words that contain a query term as a compound part
    ("informatiebeveiligingsdienst" for "beveiliging"), as the ``parts`` field
    matched them. A cheap stand-in for the parts analyzer, whose compound
    lexicon takes a second to load: a term of 4+ letters inside a longer word,
    leaving at least 3 letters of the word outside it."""
    from ..index.stemming import fold_accents

    long_terms = [t for t in terms if len(t) >= MIN_PART_TERM and t.isalpha()]
    if not long_terms:
        return
    for token in tokens:
        if token.matched:
            continue
        surface = text[token.startchar:token.endchar]
        if len(surface) < MIN_PART_TERM + 3:
            continue
        word = fold_accents(surface).lower()
        for term in long_terms:
            at = word.find(term)
            if at == -1 or len(word) - len(term) < 3:
                continue
            if at == 0 and not _splits_after(word, len(term)):
                continue  # "beleid" in "beleidsmatig" yes, "data" in "datum" no
            token.matched = True
            break


def _splits_after(word: str, length: int) -> bool:
    """Does a compound boundary plausibly follow ``word[:length]``? (the rest is
    a word of 3+ letters, possibly after a linking s/e/en)."""
    rest = word[length:]
    for link in ("", "s", "e", "en", "n"):
        if rest.startswith(link) and len(rest) - len(link) >= 4:
            return True
    return False


def snippet(text: str, analyzer, *, terms=frozenset(), phrases=(), wildcards=(),
            fragment_chars: int = FRAGMENT_CHARS, fragments: int = FRAGMENTS) -> str:
    """The best ``fragments`` extracts of ``text`` with matched words in ``[[ ]]``,
    on one line; the start of the text when nothing matches."""
    from whoosh.highlight import BasicFragmentScorer, ContextFragmenter, FIRST, top_fragments

    if not text:
        return ""
    tokens = _matched_tokens(text, analyzer, frozenset(terms), phrases, wildcards)
    if any(t.matched for t in tokens):
        fragmenter = ContextFragmenter(maxchars=fragment_chars, surround=SURROUND, charlimit=None)
        found = list(fragmenter.fragment_tokens(text, iter(tokens)))
        best = _merge_close(top_fragments(found, fragments, BasicFragmentScorer(), FIRST))
        if best:
            _widen(best, text, fragment_chars)
            formatted = bracket_formatter().format(best)
            formatted = _ADJACENT.sub(lambda m: m.group(1), formatted)
            return _SPACES.sub(" ", formatted).strip()
    return _start_of(text, fragment_chars + SURROUND)


def marked(text: str, analyzer, *, terms=frozenset(), phrases=(), wildcards=()) -> str:
    """The whole of ``text`` with matched words in ``[[ ]]`` (``--full``); line breaks kept."""
    if not text:
        return ""
    tokens = [t for t in _matched_tokens(text, analyzer, frozenset(terms), phrases, wildcards)
              if t.matched]
    out, last = [], 0
    for token in tokens:
        out += [text[last:token.startchar], OPEN, text[token.startchar:token.endchar], CLOSE]
        last = token.endchar
    out.append(text[last:])
    return _ADJACENT.sub(lambda m: m.group(1), "".join(out))


def _merge_close(fragments: list) -> list:
    """Join fragments that (nearly) touch, so no "… …" appears between them."""
    from whoosh.highlight import Fragment

    merged: list = []
    for fragment in fragments:
        if merged and fragment.startchar - merged[-1].endchar <= SURROUND // 2:
            previous = merged[-1]
            merged[-1] = Fragment(previous.text, previous.matches + fragment.matches,
                                  previous.startchar, max(previous.endchar, fragment.endchar))
        else:
            merged.append(fragment)
    return merged


def _widen(fragments, text: str, fragment_chars: int) -> None:
    """Let a lone short fragment show more context, cut at word boundaries."""
    if len(fragments) != 1:
        return
    fragment = fragments[0]
    room = fragment_chars + 2 * SURROUND - (fragment.endchar - fragment.startchar)
    if room <= 0:
        return
    start = max(0, fragment.startchar - room // 3)
    end = min(len(text), fragment.endchar + room - (fragment.startchar - start))
    if start > 0:
        space = text.find(" ", start, fragment.startchar)
        start = space + 1 if space != -1 else fragment.startchar
    if end < len(text):
        space = text.rfind(" ", fragment.endchar, end)
        end = space if space != -1 else fragment.endchar
    fragment.startchar, fragment.endchar = start, end


def _start_of(text: str, chars: int) -> str:
    flat = _SPACES.sub(" ", text).strip()
    if len(flat) <= chars:
        return flat
    cut = flat.rfind(" ", 0, chars)
    return flat[: cut if cut > chars // 2 else chars].rstrip(" ,;:") + ELLIPSIS


def shorten(text: str | None, chars: int) -> str | None:
    """``text`` on one line, cut at a word boundary to at most ``chars`` (+ "…")."""
    if text is None:
        return None
    return _start_of(text, chars)
