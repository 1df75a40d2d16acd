"""The test suite; a package so that benchmarks can reuse the fake Bot API server."""
