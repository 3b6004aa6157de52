"""Rebuild the bundled sample corpus (corpus/sample/) from ../shared.

The sample is what `beleidzoek search` indexes on first use, so it must be
small (at most 2 MB) yet real: both seeds, every Kamervraag of the shared
corpus, then the guidance, blogs, laws and news richest in the project's
vocabulary (BIO, AVG, uitbesteding, ...) until the budget is spent.

    python tools/make_sample.py [--shared ../shared] [--budget 2000000]
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VOCABULARY = re.compile(
    r"\b(BIO|AVG|BIG|Wbp|Woo|Wob|GIBIT|DPIA|NIS2|informatiebeveiliging\w*|uitbested\w*|"
    r"outsourc\w*|privacy|persoonsgegevens|verwerkersovereenkomst\w*|cloud\w*|aanbested\w*|"
    r"inkoop\w*|datalek\w*|beveiliging\w*|archief\w*|leverancier\w*)\b", re.IGNORECASE)
KIND_FOLDERS = ("guidance", "blogs", "laws", "news")
LARGEST_FILE = 60_000


def density(path: Path) -> float:
    text = path.read_text(encoding="utf-8")
    return len(VOCABULARY.findall(text)) / (len(text) / 1000 + 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--budget", type=int, default=2_000_000)
    args = parser.parse_args()
    target = REPO / "corpus" / "sample"
    shutil.rmtree(target, ignore_errors=True)
    chosen: list[tuple[Path, str]] = [(p, "seeds") for p in sorted((args.shared / "seeds").iterdir())]
    seed_names = {p.name for p, _ in chosen}
    chosen += [(p, "kamervragen") for p in sorted((args.shared / "corpus" / "kamervragen").iterdir())
               if p.name not in seed_names]
    used = sum(p.stat().st_size for p, _ in chosen)
    candidates = [p for folder in KIND_FOLDERS for p in (args.shared / "corpus" / folder).iterdir()
                  if p.stat().st_size <= LARGEST_FILE and p.name not in seed_names]
    for path in sorted(candidates, key=lambda p: (-density(p), p.name)):
        if used + path.stat().st_size > args.budget:
            continue
        chosen.append((path, path.parent.name))
        used += path.stat().st_size
    for path, folder in chosen:
        (target / folder).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / folder / path.name)
    print(f"{len(chosen)} files, {used:,} bytes in {target.relative_to(REPO)}")


if __name__ == "__main__":
    main()
