//! Benchmarks live here (see RESULTS.md).
