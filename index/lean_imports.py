"""Importing Whoosh and ``pathlib`` without the modules they import for features beleidzoek never uses.

``whoosh.compat`` imports ``urllib.request`` (http, email, ssl) for a download
helper and ``html`` for the highlighter, ``whoosh.reading`` imports the
``cached_property`` package, which imports asyncio, and ``whoosh.query.terms``
compiles the English morphology tables for ``Variations`` queries: together
about half of Whoosh's import time, paid by every search. Of the standard
library, ``whoosh.filedb.filestore`` imports ``tempfile`` for a temporary
storage, ``whoosh.filedb.compound`` ``shutil`` to write compound files,
``whoosh.util`` and ``whoosh.classify`` ``random`` to name new segments and
to cluster, and ``whoosh.util.times`` ``calendar`` to parse dates: another
6 ms. ``whoosh.filedb.filetables`` takes ``md5`` from ``hashlib`` to hash
the keys of its tables: CPython's own ``_md5`` gives the same digests without
loading OpenSSL (with :func:`.stemming.data_fingerprint`'s SHA-1, 1.4%
of a search's instructions; see :func:`own_hash`), and hashes a term's few bytes twice as fast.
``pathlib`` imports ``urllib.parse`` (and with it ``ipaddress``) for
``Path.as_uri`` alone: another 1.4%.

:func:`install` adds an import hook that runs those modules with stand-ins
for what they import -- a function that imports the real module on its first
call, and ``functools.cached_property`` (what the package does, for Whoosh's
one synchronous use) -- and takes the stand-ins out of ``sys.modules`` again,
so any other importer gets the real modules. Installing is cheap and imports
nothing; it must happen before ``pathlib`` is first imported to help there,
so both packages that start a run (``index``, ``search``) install it first.
"""

from __future__ import annotations

import sys
from functools import cached_property, lru_cache
from types import ModuleType


def _lazily(module: str, *names: str) -> dict:
    """Stand-ins for ``names`` of ``module``: functions that import the real
    module when first called, and call its function of that name."""
    def stand_in(name):
        def call(*args, **kwargs):
            from importlib import import_module

            return getattr(import_module(module), name)(*args, **kwargs)

        call.__name__ = call.__qualname__ = name
        return call

    return {name: stand_in(name) for name in names}


@lru_cache(maxsize=None)
def own_hash(name: str):
    """``hashlib``'s constructor ``name`` ("md5", "sha1") from CPython's own
    module for it (``_md5``, ``_sha1``) where there is one: the same digests
    without loading OpenSSL."""
    from importlib import import_module

    try:
        return getattr(import_module(f"_{name}"), name)
    except ImportError:  # a Python built without its own hashes
        return getattr(import_module("hashlib"), name)


def _md5(*args, **kwargs):
    return own_hash("md5")(*args, **kwargs)


#: Module -> {module it imports: the names it takes from there, as stand-ins}.
STAND_INS = {
    "whoosh.compat": {"urllib.request": _lazily("urllib.request", "urlretrieve"),
                      "html": _lazily("html", "escape")},
    "whoosh.reading": {"cached_property": {"cached_property": cached_property}},
    "whoosh.query.terms": {"whoosh.lang.morph_en": _lazily("whoosh.lang.morph_en", "variations")},
    "whoosh.filedb.filestore": {"tempfile": _lazily("tempfile", "gettempdir")},
    "whoosh.filedb.compound": {"shutil": _lazily("shutil", "copyfileobj")},
    "whoosh.util": {"random": _lazily("random", "choice", "randint")},
    "whoosh.classify": {"random": _lazily("random", "sample")},
    "whoosh.util.times": {"calendar": _lazily("calendar", "monthrange")},
    "whoosh.filedb.filetables": {"hashlib": {"md5": _md5}},
    "pathlib": {"urllib.parse": _lazily("urllib.parse", "quote_from_bytes")},
}


class _Loader:
    """The real loader of a module of :data:`STAND_INS`, run with the stand-ins in ``sys.modules``."""

    def __init__(self, loader, stand_ins: dict):
        self.loader = loader
        self.stand_ins = stand_ins

    def __getattr__(self, name):  # get_source, get_filename ... of the real loader
        return getattr(self.loader, name)

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        added = [name for name in self.stand_ins if name not in sys.modules]
        for name in added:
            stand_in = sys.modules[name] = ModuleType(name)
            stand_in.__dict__.update(self.stand_ins[name])
        try:
            self.loader.exec_module(module)
        finally:
            for name in added:
                del sys.modules[name]


class _Finder:
    """Finds the modules of :data:`STAND_INS` as usual, with a :class:`_Loader`."""

    @staticmethod
    def find_spec(fullname, path=None, target=None):
        stand_ins = STAND_INS.get(fullname)
        if stand_ins is None:
            return None
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(fullname, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader, stand_ins)
        return spec


def install() -> None:
    """Add the import hook (once), unless Whoosh is imported already."""
    if "whoosh.compat" in sys.modules or any(f is _Finder for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _Finder)
