"""Kamervragen in the openkamer.nl text layout of the seed file.

The layout (see the shared corpus README) is a header of labelled lines, then
one block per question ("  • Vraag 3"): the question paragraphs, a blank line,
the answer paragraphs. Each question and each answer becomes one passage, so a
hit can point at exactly the answer that matches.
"""

from __future__ import annotations

import re

from .dates import parse_date
from .model import Document, Passage
from .text import strip_footnote_marks

# Header labels, longest first so "Beantwoord door" is not read as "Beantwoord".
_HEADERS = (
    ("Beantwoord door", "answerers"),
    ("Beantwoord", "answered"),
    ("Ingediend", "submitted"),
    ("Indieners", "submitters"),
    ("Indiener", "submitters"),
    ("Onderwerpen", "topics"),
    ("Bron vraag", "question_source"),
    ("Bron antwoord", "answer_source"),
)
_FOOTER = re.compile(r"^(Kamervraag document nummer|Kamerantwoord document nummer|Volledige titel):\s*(.*)$")
_BLOCK = re.compile(r"^\s*•\s*Vraag\b\s*(.*?)\s*$")
_FIRST_LINE = re.compile(r"^Kamervraag(?:\s+(\S+))?\s*$")
_DAYS = re.compile(r"\(na (\d+) dagen?\)")


def is_kamervraag(text: str) -> bool:
    """Whether the text is in the Kamervraag layout: a first line "Kamervraag [number]"."""
    return bool(_FIRST_LINE.match(text.lstrip("\ufeff").split("\n", 1)[0]))


def parse_kamervraag(text: str, stem: str) -> Document:
    """One Kamervraag document; ``stem`` (the file name) is its id when it has no number."""
    lines = text.lstrip("\ufeff").split("\n")
    first = _FIRST_LINE.match(lines[0])
    number = first[1] if first else None
    header: dict[str, str] = {}
    title_lines: list[str] = []
    index = 1
    while index < len(lines) and not _BLOCK.match(lines[index]) and not _FOOTER.match(lines[index]):
        line = lines[index].strip()
        label = _header_label(line)
        if label:
            header[label[1]] = line[len(label[0]):].strip()
        elif line and not header:
            title_lines.append(line)
        index += 1
    blocks, footer = _blocks(lines[index:])

    answered = parse_date(header.get("answered"))
    submitted = parse_date(header.get("submitted"))
    extra: dict = {"document_ids": [value for key, value in footer if key.endswith("nummer")]}
    full_titles = [value for key, value in footer if key == "Volledige titel"]
    if full_titles:
        extra["full_title"] = full_titles[0]
    if days := _DAYS.search(header.get("answered", "")):
        extra["days_to_answer"] = int(days[1])
    return Document(
        doc_id=number or stem,
        kind="kamervraag",
        title=" ".join(title_lines) or extra.get("full_title") or number or stem,
        passages=qa_passages(blocks),
        date=answered or submitted,
        source=header.get("answer_source") or header.get("question_source"),
        number=number,
        submitted=submitted,
        answered=answered,
        submitters=split_people(header.get("submitters", "")),
        answerers=split_people(header.get("answerers", "")),
        topics=header.get("topics", "").split(),
        extra=extra,
    )


def qa_passages(blocks: list[tuple[str, str, str | None]]) -> list[Passage]:
    """Passages for (label, question, answer) triples, footnote marks removed.

    An empty question (the source printed only the answer) gives no question
    passage; a missing answer gives no answer passage.
    """
    passages = []
    for number, question, answer in blocks:
        question = strip_footnote_marks(question)
        if question:
            passages.append(Passage(kind="question", text=question, number=number))
        if answer:
            passages.append(
                Passage(kind="answer", text=strip_footnote_marks(answer), number=number, question=question or None)
            )
    return passages


def split_people(value: str) -> list[str]:
    """Split "A (P), B (Q)" into persons; commas inside brackets or before one stay.

    "Van Weel (minister Justitie en Veiligheid), Coenradie (staatssecretaris
    Justitie en Veiligheid)" gives two, "Westerveld en Bushoff (beiden
    GroenLinks-PvdA)" one.
    """
    people, depth, start = [], 0, 0
    for position, char in enumerate(value):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
            if depth == 0 and value.startswith(", ", position + 1):
                people.append(value[start:position + 1])
                start = position + 2
    people.append(value[start:])
    return [person.strip() for person in people if person.strip()]


def _header_label(line: str) -> tuple[str, str] | None:
    for label, key in _HEADERS:
        if line == label or line.startswith(label + " "):
            return label, key
    return None


def _blocks(lines: list[str]) -> tuple[list[tuple[str, str, str | None]], list[tuple[str, str]]]:
    """The (label, question, answer) of each block, and the footer's (key, value) lines."""
    blocks: list[tuple[str, list[list[str]], bool]] = []
    footer: list[tuple[str, str]] = []
    for line in lines:
        if match := _FOOTER.match(line):
            footer.append((match[1], match[2].strip()))
        elif footer:
            continue  # nothing but footer lines after the footer starts
        elif match := _BLOCK.match(line):
            blocks.append((match[1], [], False))
        elif blocks:
            label, groups, question_empty = blocks[-1]
            if not line.strip():
                if not groups:
                    # A blank line straight after the label: the source has no question text.
                    blocks[-1] = (label, groups, True)
                elif groups[-1]:
                    groups.append([])
            elif groups:
                groups[-1].append(line.strip())
            else:
                groups.append([line.strip()])
    result = []
    for label, groups, question_empty in blocks:
        texts = ["\n\n".join(group) for group in groups if group]
        if question_empty:
            texts.insert(0, "")
        question = texts[0] if texts else ""
        answer = "\n\n".join(texts[1:]) or None
        result.append((label, question, answer))
    return result, footer
