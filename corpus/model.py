"""Documents and passages: the plain data every other layer speaks.

Nothing here knows about files or Whoosh; readers build these, the index stores
them, the search layer shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Passage:
    """A unit of text a search hit points at: a question, an answer or a section."""

    kind: str
    text: str
    position: int = 0
    #: The question label exactly as printed ("3", "2 en 3"), for questions and answers.
    number: str | None = None
    #: The heading of the section the passage comes from, where there is one.
    section: str | None = None
    #: For an answer, the text of the question it answers, so a hit can say so.
    question: str | None = None


@dataclass
class Document:
    """One source document with its metadata and its passages in reading order."""

    doc_id: str
    kind: str
    title: str
    passages: list[Passage] = field(default_factory=list)
    date: str | None = None  # ISO date: answered, else submitted, else published
    source: str | None = None  # public URL or origin of the text
    path: str | None = None  # the file it was read from
    number: str | None = None  # Tweede Kamer zaaknummer, e.g. "2017Z07436"
    submitted: str | None = None
    answered: str | None = None
    submitters: list[str] = field(default_factory=list)  # "Ronald van Raak (SP)"
    answerers: list[str] = field(default_factory=list)  # "Ronald Plasterk (minister ...) (PvdA)"
    topics: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    #: Everything else the source gives (document ids, full title, footnotes, ...).
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.renumber()

    def renumber(self) -> None:
        """Give passages their position in the document; ids derive from it."""
        for position, passage in enumerate(self.passages):
            passage.position = position

    @property
    def parties(self) -> list[str]:
        """Parties of the submitters, taken from "Name (Party)"."""
        return unique(p for p in (party_of(s) for s in self.submitters) if p)

    @property
    def ministries(self) -> list[str]:
        """Departments of the answerers, taken from "Name (minister Department)"."""
        return unique(m for m in (ministry_of(a) for a in self.answerers) if m)


@dataclass
class Skipped:
    """A file, or a line of a file, that could not be read, and why."""

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"


def unique(items) -> list:
    """Items in first-seen order without repeats."""
    return list(dict.fromkeys(items))


_ROLE_WORDS = ("minister", "staatssecretaris", "minister-president")


def _parenthesised(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        if char == "(":
            depth += 1
            if depth == 1:
                current = ""
                continue
        elif char == ")":
            depth -= 1
            if depth == 0:
                parts.append(current.strip())
                continue
        if depth >= 1:
            current += char
    return parts


def party_of(person: str) -> str | None:
    """The party in "Name (Party)", or None when the brackets hold a role."""
    for part in reversed(_parenthesised(person)):
        if part and not part.lower().startswith(_ROLE_WORDS):
            return part
    return None


def ministry_of(person: str) -> str | None:
    """The department in "Name (minister Department)", in lower case."""
    for part in _parenthesised(person):
        lowered = part.lower()
        for role in sorted(_ROLE_WORDS, key=len, reverse=True):
            if lowered.startswith(role):
                rest = lowered[len(role):].strip(" ,")
                for prefix in ("van ", "voor "):
                    if rest.startswith(prefix):
                        rest = rest[len(prefix):]
                return rest or None
    return None
