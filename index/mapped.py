"""Segment files read in place from a memory map, not copied into memory when opened.

Whoosh maps a compound segment file (``.seg``), but gives each file inside it
an ``io.BytesIO``, which copies it: opening a searcher copied every segment's
terms and postings (300 MB at 100,000 passages, most of the time to open an
index) to read a header from each. :class:`MappedStorage` hands Whoosh views
of the map instead; reads at a position slice the map, as before, and the few
sequential reads go through a small reader over the view.
"""

from __future__ import annotations

import mmap

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile

#: The extension of Whoosh's compound segment files.
COMPOUND_EXT = ".seg"
#: What :meth:`_Reader.peek` returns at most (more than a block header's pickle).
PEEK_BYTES = 512


class _Reader:
    """``read``, ``readline``, ``seek`` and ``tell`` over a buffer, as ``io.BytesIO``
    has them, without copying the buffer; and ``peek``, with which ``pickle.load``
    (Whoosh reads a pickle at the head of every postings block) asks for its
    bytes once instead of a few at a time."""

    __slots__ = ("_buf", "_pos")

    def __init__(self, buf):
        self._buf = buf
        self._pos = 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = len(self._buf) if size is None or size < 0 else min(start + size, len(self._buf))
        self._pos = max(start, end)
        return bytes(self._buf[start:end])

    def readline(self, size: int | None = -1) -> bytes:
        end = len(self._buf) if size is None or size < 0 else min(self._pos + size, len(self._buf))
        start = self._pos
        while start < end:  # look for the newline a little at a time: no copy of the rest
            chunk = bytes(self._buf[start:min(start + 256, end)])
            newline = chunk.find(b"\n")
            if newline >= 0:
                return self.read(start + newline + 1 - self._pos)
            start += len(chunk)
        return self.read(end - self._pos)

    def peek(self, size: int = 0) -> bytes:
        return bytes(self._buf[self._pos:self._pos + PEEK_BYTES])

    def seek(self, offset: int, whence: int = 0) -> int:
        if whence == 0 and offset < 0:
            raise ValueError(f"negative seek value {offset}")
        base = 0 if whence == 0 else self._pos if whence == 1 else len(self._buf)
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos


class _View(BufferFile):
    """One file inside a mapped segment (Whoosh's ``BufferFile`` without the copy)."""

    def __init__(self, buf, name=None, onclose=None):
        self._buf = buf
        self._name = name
        self.file = _Reader(buf)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    def subset(self, position, length, name=None):
        return _View(self._buf[position:position + length], name=name or self._name)


class _MappedFile(StructFile):
    """A compound segment file, opened as usual (Whoosh reads its directory
    from it) and mapped for the files inside it."""

    def __init__(self, fileobj, name=None, onclose=None):
        super().__init__(fileobj, name=name, onclose=onclose)
        self._map = mmap.mmap(fileobj.fileno(), 0, access=mmap.ACCESS_READ)

    def subset(self, offset, length, name=None):
        return _View(memoryview(self._map)[offset:offset + length], name=name or self._name)

    def close(self):
        super().close()
        try:
            self._map.close()
        except BufferError:  # views still in use: the map closes when they are gone
            pass


class MappedStorage(FileStorage):
    """A folder of index files whose compound segments are read through :class:`_View`."""

    def __init__(self, path: str, readonly: bool = False):
        # Whoosh's own mapping (supports_mmap) is what copies: this class maps instead.
        super().__init__(path, supports_mmap=False, readonly=readonly)

    def open_file(self, name, **kwargs):
        if not name.endswith(COMPOUND_EXT):
            return super().open_file(name, **kwargs)
        fileobj = open(self._fpath(name), "rb")
        try:
            return _MappedFile(fileobj, name=name, **kwargs)
        except (OSError, ValueError):  # cannot be mapped (an empty or special file)
            return StructFile(fileobj, name=name, **kwargs)
