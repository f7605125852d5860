"""Benchmarks. `python -m bench.linkage` runs the record-linkage suites (see BENCHMARKS.md)."""
