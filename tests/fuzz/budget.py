"""How hard the fuzz tests try: small and repeatable in `make test` and CI, deeper on demand.

``TONGXIN_FUZZ_EXAMPLES=500 .venv/bin/pytest tests/fuzz`` raises the number of generated examples
per test (and per API operation) and lets Hypothesis pick fresh random data on every run; without
it the bounded run draws the same examples each time, so CI does not flicker."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

DEEP = int(os.environ.get("TONGXIN_FUZZ_EXAMPLES", "0") or 0)


def fuzz_settings(bounded: int) -> settings:
    """``bounded`` examples in the everyday run, TONGXIN_FUZZ_EXAMPLES in a deep one."""
    return settings(
        max_examples=DEEP or bounded,
        derandomize=not DEEP,
        database=None,
        deadline=None,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )
