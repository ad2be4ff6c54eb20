"""Benchmarks at province scale (``make bench``): a synthetic generator, the runner and the floors.

Kept out of ``make test`` and CI; ``tests/bench/test_generator.py`` checks the generator's data.
"""
