"""Whoosh and pathlib imported through the hook: without what they never need, and everything else real."""

import os
import subprocess
import sys

_CHECK = """
import sys
# An editable install's finder imports pathlib at start-up, before the hook: start it afresh.
for name in ("pathlib", "urllib.parse", "ipaddress"):
    sys.modules.pop(name, None)
import beleidzoek.index
import pathlib
import whoosh.compat, whoosh.reading, whoosh.searching, whoosh.classify, whoosh.filedb.filetables
from whoosh.query import Variations
from whoosh.util import random_name, times
from whoosh.filedb import compound, filestore
print("AWAY", [m for m in ("urllib.request", "asyncio", "cached_property", "whoosh.lang.morph_en",
                           "html", "tempfile", "shutil", "random", "calendar", "urllib.parse",
                           "ipaddress", "hashlib") if m in sys.modules])
from whoosh.query import terms
found = terms.variations("render")
escaped = whoosh.compat.htmlescape('<a href="x">')
name = random_name(12)
sampled = whoosh.classify.random.sample(range(10), 3)
february = times.calendar.monthrange(2024, 2)
temporary = filestore.tempfile.gettempdir()
import io
copied = io.BytesIO()
compound.copyfileobj(io.BytesIO(b"segment"), copied)
key_hash = whoosh.filedb.filetables.md5_hash(b"informatiebeveiliging")
uri = pathlib.PurePosixPath("/tmp/een map/ü").as_uri()
import urllib.request, cached_property, tempfile, calendar, hashlib
from whoosh.lang import morph_en
print("REAL", urllib.request.urlretrieve.__module__, cached_property.__file__.endswith("cached_property.py"),
      found == morph_en.variations("render"), escaped == '&lt;a href=&quot;x&quot;&gt;')
print("STDLIB", len(name), len(set(sampled)), february == calendar.monthrange(2024, 2),
      temporary == tempfile.gettempdir(), copied.getvalue(), uri,
      key_hash == int(hashlib.md5(b"informatiebeveiliging").hexdigest(), 16) & 0xFFFFFFFF)
"""


def test_whoosh_and_pathlib_import_without_what_they_never_use():
    output = subprocess.run([sys.executable, "-c", _CHECK], capture_output=True, text=True, timeout=60,
                            env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    assert output.returncode == 0, output.stderr
    lines = output.stdout.splitlines()
    assert lines[0] == "AWAY []"
    assert lines[1] == "REAL urllib.request True True True"
    assert lines[2] == "STDLIB 12 3 True True b'segment' file:///tmp/een%20map/%C3%BC True"

