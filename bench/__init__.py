"""whyno's benchmarks and accuracy evaluations: run each from the repository root
as ``python -m bench.NAME`` (see bench/README.md)."""
