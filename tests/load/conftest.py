"""Benchmarks run only through `make bench`, never in the default test run."""
