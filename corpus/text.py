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

    UTF-8 (BOM dropped) and UTF-16/32 with a BOM are read as such, and so is
    UTF-16 without a BOM when its NUL bytes say so; other bytes that are not
    valid UTF-8 are read as cp1252, the usual Windows encoding of Dutch text.
    Raises ``NotText("binary file")`` or ``NotText("empty file")``.
    """
    notices: list[str] = []
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        text = data.decode("utf-32", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    elif (utf16 := _utf16_without_bom(data)) is not None:
        text, codec = utf16
        notices.append(f"no byte order mark, read as {codec.upper()}")
    else:
        if looks_binary(data[:_SNIFF_BYTES]):
            raise NotText("binary file")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            notices.append("not UTF-8, read as cp1252")
    if "\x00" in text:  # in any encoding: a NUL is never meant as text
        text = text.replace("\x00", "")
        notices.append("stray NUL bytes removed")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise NotText("empty file")
    return text, notices


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """(text, codec) for UTF-16 without a byte order mark, else None.

    Some Windows tools save "Unicode" text that way. Text in a Latin script
    then has a NUL in every other byte: the odd ones for little endian, the
    even ones for big endian; binary files have NULs scattered over both.
    """
    sample = data[:_SNIFF_BYTES]
    half = len(sample) // 2
    if half < 2:
        return None
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    many, few = max(1, half * 3 // 10), half // 20
    if odd >= many and even <= few:
        codec = "utf-16-le"
    elif even >= many and odd <= few:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = data[:len(data) // 2 * 2].decode(codec)
    except UnicodeDecodeError:
        return None
    if looks_binary(text[:_SNIFF_BYTES].encode("utf-8")):
        return None
    return text, codec


def looks_binary(sample: bytes) -> bool:
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
    word, next_word = match[1], (match[4] or "").strip()
    if word.lower() in _NUMBER_WORDS or word.lower() in _MONTHS:
        return match[0]
    if next_word and match[3].isspace():
        following = next_word.strip("(«“,.;:").lower()
        if following[:1].isdigit() or following in _MONTHS:
            return match[0]
    return word
