"""Whoosh imported through the hook: without what it never needs, and everything else real."""

import os
import subprocess
import sys

_CHECK = """
import sys
import beleidzoek.index
import whoosh.compat, whoosh.reading, whoosh.searching
from whoosh.query import Variations
print("AWAY", [m for m in ("urllib.request", "asyncio", "cached_property", "whoosh.lang.morph_en",
                           "html") if m in sys.modules])
from whoosh.query import terms
found = terms.variations("render")
escaped = whoosh.compat.htmlescape('<a href="x">')
import urllib.request, cached_property
from whoosh.lang import morph_en
print("REAL", urllib.request.urlretrieve.__module__, cached_property.__file__.endswith("cached_property.py"),
      found == morph_en.variations("render"), escaped == '&lt;a href=&quot;x&quot;&gt;')
"""


def test_whoosh_imports_without_what_it_never_uses():
    output = subprocess.run([sys.executable, "-c", _CHECK], capture_output=True, text=True, timeout=60,
                            env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    assert output.returncode == 0, output.stderr
    lines = output.stdout.splitlines()
    assert lines[0] == "AWAY []"
    assert lines[1] == "REAL urllib.request True True True"

