"""Write the generated tables of the data card (data/README.md) from albru.provenance.

Each table sits between ``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->``; the rest of
the card is left as it is. tests/test_provenance.py fails when the card and the computation differ.

    python3 data/scripts/write_card.py            # the checkout's data/
"""

from __future__ import annotations

import sys
from pathlib import Path

import albru
from albru.provenance import write_card


def main(directory: str) -> None:
    card = Path(directory) / "README.md"
    changed = write_card(str(card), albru.load(directory))
    print(f"{card}: {'rewritten' if changed else 'already up to date'}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "data")
