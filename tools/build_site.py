"""Build the albru site: ``python tools/build_site.py [--out site] [--no-execute] [--check]``.

The Makefile's ``report``, ``html`` and ``check`` targets run this; ``--help`` lists the options.
Ctrl-C is one line and status 130 from the first moment (the handler comes before any import).
"""

import os
import signal


def _interrupted(signum: int, frame: object) -> None:
    os.write(2, b"build stopped: interrupted before it started\n")
    os._exit(130)


signal.signal(signal.SIGINT, _interrupted)

if __name__ == "__main__":
    from sitebuild.command import main

    raise SystemExit(main())
