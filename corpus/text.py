"""Bytes to clean text, and footnote marks out of sentences.

Files arrive in whatever encoding their author's editor used; readers want one
``str`` with ``\\n`` line ends, or a short reason why the file is not text.
"""

from __future__ import annotations

import codecs
import re

_SNIFF_BYTES = 8192
_TEXT_CONTROLS = {9, 10, 12, 13, 27}  # tab, LF, FF, CR, ESC occur in real text


class NotText(ValueError):
    """The bytes are not a readable text file; the message says why."""


def decode(data: bytes) -> tuple[str, list[str]]:
    """Decode file bytes to text with LF line ends, plus notices on what was repaired.

    UTF-8 (BOM dropped) and UTF-16/32 with a BOM are read as such; other bytes
    that are not valid UTF-8 are read as cp1252, the usual Windows encoding of
    Dutch text. Raises ``NotText("binary file")`` or ``NotText("empty file")``.
    """
    notices: list[str] = []
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        text = data.decode("utf-32", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        if _looks_binary(data[:_SNIFF_BYTES]):
            raise NotText("binary file")
        if b"\x00" in data:
            data = data.replace(b"\x00", b"")
            notices.append("stray NUL bytes removed")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            notices.append("not UTF-8, read as cp1252")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise NotText("empty file")
    return text, notices


def _looks_binary(sample: bytes) -> bool:
    """Many NULs or other control bytes: an image, archive, PDF or UTF-16 without BOM."""
    if not sample:
        return False
    nuls = sample.count(0)
    controls = sum(1 for byte in sample if (byte < 32 and byte not in _TEXT_CONTROLS) or byte == 127)
    return nuls > max(2, len(sample) // 100) or controls > max(4, len(sample) // 20)


# Footnote reference numbers that PDF extraction glued to the text ("experts?1").
# After closing punctuation: any 1-2 digits that end the token.
_AFTER_MARK = re.compile(r"(?<=[?!»”)])\d{1,2}(?=[\s,.;:?!)»”]|$)")
# After a full stop that ends a word of 4+ letters or a quotation ("geïnformeerd.3").
_AFTER_STOP = re.compile(r"(?:(?<=[^\W\d_]{4}\.)|(?<=[)»”]\.))\d{1,2}(?=[\s,;:?!)»”]|$)")
# After a word of 4+ letters that is lower case apart from a capital initial
# ("geïnformeerd3", "Enexis6"); acronyms ("MIND3") and tokens with digits stay.
_AFTER_WORD = re.compile(r"(?<![\w-])([^\W\d_]?[^\W\d_A-Z]*[a-zà-ÿ]{4})(\d{1,2})(?=([\s,.;:?!)»”]|$)(\s*\S+)?)")
# A number after these words is usually a real number whose space PDF
# extraction dropped ("sinds1 januari", "Kamerstuk36 600").
_NUMBER_WORDS = frozenset(
    "sinds voor vanaf tussen zijn totaal circa ruim bijna ongeveer maximaal minimaal"
    " kamerstuk kamerstukken artikel artikelen bijlage nummer paragraaf hoofdstuk".split()
)
_MONTHS = frozenset(
    "januari februari maart april mei juni juli augustus september oktober november december".split()
)


def strip_footnote_marks(text: str) -> str:
    """Remove footnote reference digits glued to words or punctuation.

    "experts?1" -> "experts?", "ggz»2?" -> "ggz»?", "geïnformeerd3 en" ->
    "geïnformeerd en"; real numbers ("2017", "artikel 4", "9.400", "G20",
    "2017Z07436", "sinds1 januari") are left alone.
    """
    text = _AFTER_MARK.sub("", text)
    text = _AFTER_STOP.sub("", text)
    return _AFTER_WORD.sub(_drop_word_mark, text)


def _drop_word_mark(match: re.Match) -> str:
    word, digits, next_word = match[1], match[2], (match[4] or "").strip()
    if word.lower() in _NUMBER_WORDS or word.lower() in _MONTHS:
        return match[0]
    if next_word and match[3].isspace():
        following = next_word.strip("(«“,.;:").lower()
        if following[:1].isdigit() or following in _MONTHS:
            return match[0]
    return word
