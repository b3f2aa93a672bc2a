"""Let ``python -m albru`` run the ``albru`` command."""

from albru.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
