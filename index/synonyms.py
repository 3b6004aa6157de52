"""Synonyms and acronyms for query expansion (``index/data/synonyms.txt``).

The data file holds equivalence groups ("AVG = Algemene verordening
gegevensbescherming = GDPR"); see its header for the format.  Matching is done
on index terms (the analysis chain in query mode, stop words ignored), so
"Wet bescherming persoonsgegevens", "wet bescherming van persoonsgegevens"
and "WBP" all match the Wbp group.

API:

* :func:`expansions` -- the alternatives for a whole query (one word or a
  phrase): ``expansions(["AVG"])`` -> ``[["algemene", "verordening",
  "gegevensbescherming"], ["gdpr"], ...]``.
* :func:`find_matches` -- group members found inside a longer word list
  (longest first, non-overlapping), each with its span and alternatives, so
  "regels van de wet bescherming persoonsgegevens" finds Wbp at words 3..6.
* :func:`groups` -- all groups.

The file is read once per process and configuration; nothing is pickled.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import stemming
from .analysis import DEFAULT_CONFIG, AnalysisConfig, ConnectorFilter, DutchTokenizer

DATA_FILE = "synonyms.txt"


@dataclass(frozen=True)
class Member:
    """One way of writing a group's meaning: an acronym, a name or a synonym."""

    words: tuple[str, ...]        # surface words, lower-cased ("algemene", "verordening", ...)
    text: str                     # as written in the file
    exact_case: bool = False      # quoted in the file: matches only this capitalisation


@dataclass(frozen=True)
class SynonymGroup:
    """Members that mean the same; the first is the label."""

    members: tuple[Member, ...]

    @property
    def label(self) -> str:
        return self.members[0].text


@dataclass(frozen=True)
class Match:
    """A member found among query words, with what to expand it to."""

    start: int                    # first query word of the match
    end: int                      # one past the last query word
    group: SynonymGroup
    member: Member                # the member that matched
    alternatives: tuple[tuple[str, ...], ...]  # the other members' surface words


@lru_cache(maxsize=1)
def _word_splitter():
    """The tokenizer chain that splits members and query words, built once:
    building it took as long as splitting."""
    return DutchTokenizer() | ConnectorFilter(keep_whole=False)


def _split_words(text: str) -> tuple[str, ...]:
    """Surface words of a member/query as the query analyzer splits them
    (hyphen parts separate), lower-cased."""
    return tuple(t.text.lower() for t in _word_splitter()(text, mode="query"))


def parse(lines) -> list[tuple[tuple[str, bool], ...]]:
    """Parse synonym lines into groups of ``(member_text, exact_case)``."""
    out = []
    for lineno, raw in enumerate(lines, 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        members = []
        for part in line.split("="):
            m = part.strip()
            exact = len(m) >= 2 and m[0] == '"' and m[-1] == '"'
            if exact:
                m = m[1:-1].strip()
            if not m:
                raise ValueError(f"{DATA_FILE}:{lineno}: empty member in {raw.strip()!r}")
            members.append((m, exact))
        if len(members) < 2:
            raise ValueError(f"{DATA_FILE}:{lineno}: a group needs at least two members: {raw.strip()!r}")
        out.append(tuple(members))
    return out


class _Table:
    """Groups plus an index from (term, ...) keys to members."""

    def __init__(self, config: AnalysisConfig):
        self.config = config
        self.norm = stemming.get_normalizer(config.stemmer, config.fold_accents, config.stem_overrides)
        from .analysis import stop_terms

        self.stops = stop_terms(config)
        with open(stemming.DATA_DIR / DATA_FILE, encoding="utf-8") as fh:
            parsed = parse(fh)
        self.groups: list[SynonymGroup] = []
        self.index: dict[tuple[str, ...], list[tuple[SynonymGroup, Member]]] = {}
        self.max_len = 1
        for members in parsed:
            group = SynonymGroup(tuple(Member(_split_words(t), t, exact) for t, exact in members))
            self.groups.append(group)
            for member in group.members:
                key = self.key(member.words)
                if not key:
                    continue
                self.index.setdefault(key, []).append((group, member))
                self.max_len = max(self.max_len, len(member.words))

    def term(self, word: str) -> str:
        return self.norm.term(word)

    def key(self, words) -> tuple[str, ...]:
        terms = tuple(self.term(w) for w in words)
        content = tuple(t for t in terms if t not in self.stops)
        return content or terms


_tables: dict[AnalysisConfig, _Table] = {}


def _table(config: AnalysisConfig) -> _Table:
    t = _tables.get(config)
    if t is None:
        t = _Table(config)
        _tables[config] = t
    return t


def reload_data() -> None:
    _tables.clear()


def groups(config: AnalysisConfig = DEFAULT_CONFIG) -> list[SynonymGroup]:
    return list(_table(config).groups)


def _case_ok(member: Member, surface: list[str]) -> bool:
    if not member.exact_case:
        return True
    written = _split_words_keep_case(member.text)
    return [w for w in surface] == list(written)


def _split_words_keep_case(text: str) -> tuple[str, ...]:
    return tuple(t.text for t in _word_splitter()(text, mode="query"))


def _flatten_query(words) -> tuple[list[str], list[int]]:
    """Query words -> (surface sub-words, index of the query word of each)."""
    subs: list[str] = []
    owner: list[int] = []
    for i, w in enumerate(words):
        for s in _split_words_keep_case(w):
            subs.append(s)
            owner.append(i)
    return subs, owner


def _alternatives(table: "_Table", group: SynonymGroup, member: Member) -> tuple[tuple[str, ...], ...]:
    """The other members, minus those that analyse to the same terms as the
    matched one ("uitbesteding" when "uitbesteden" matched)."""
    key = table.key(member.words)
    return tuple(m.words for m in group.members if m is not member and table.key(m.words) != key)


def find_matches(words: list[str], config: AnalysisConfig = DEFAULT_CONFIG) -> list[Match]:
    """Group members occurring in ``words`` (the user's query words, in
    order), longest match first, non-overlapping, left to right.  Spans are
    in query-word indices; stop words inside the span are skipped when
    matching ("wet openbaarheid bestuur" matches the Wob group)."""
    table = _table(config)
    subs, owner = _flatten_query(words)
    terms = [table.term(s) for s in subs]
    # positions of content (non-stop) sub-words
    content = [i for i, t in enumerate(terms) if t not in table.stops]
    matches: list[Match] = []
    used_until = -1  # last sub-word index consumed
    k = 0
    while k < len(content):
        start_sub = content[k]
        if start_sub <= used_until:
            k += 1
            continue
        found = None
        for length in range(min(table.max_len, len(content) - k), 0, -1):
            idx = content[k:k + length]
            key = tuple(terms[i] for i in idx)
            for group, member in table.index.get(key, ()):
                first, last = idx[0], idx[-1]
                # a match covers whole query words only
                if (first > 0 and owner[first - 1] == owner[first]) or \
                        (last + 1 < len(subs) and owner[last + 1] == owner[last]):
                    continue
                if member.exact_case and not _case_ok(member, [subs[i] for i in idx]):
                    continue
                found = (length, last, group, member, first)
                break
            if found:
                break
        if found:
            length, last, group, member, first = found
            matches.append(Match(owner[first], owner[last] + 1, group, member, _alternatives(table, group, member)))
            used_until = last
            k += length
        else:
            k += 1
    return matches


def expansions(words: list[str], config: AnalysisConfig = DEFAULT_CONFIG) -> list[list[str]]:
    """Alternative phrasings (lists of lower-case surface words) when the
    whole of ``words`` is a member of a group; ``[]`` otherwise.

    >>> expansions(["AVG"])[:2]
    [['algemene', 'verordening', 'gegevensbescherming'], ['gdpr']]
    """
    for m in find_matches(words, config):
        if m.start == 0 and m.end == len(words):
            return [list(a) for a in m.alternatives]
    return []


def expand_word(word: str, config: AnalysisConfig = DEFAULT_CONFIG) -> list[list[str]]:
    """Shorthand for ``expansions([word])``."""
    return expansions([word], config)
