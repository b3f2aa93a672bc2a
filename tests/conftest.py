"""Settings shared by the whole test suite."""

from __future__ import annotations

import os

from hypothesis import settings

# Speed is measured in benchmarks/, never in tests: no per-example deadline. In CI the
# examples are derived from the test itself, so a failure there reproduces exactly.
settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

