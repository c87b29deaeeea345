"""Performance figures quoted in the README: `make bench` (python -m benchmarks)."""
