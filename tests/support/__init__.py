"""Helpers the tests (and the benchmarks in bench/) share; no fixtures, no test modules."""
