//! Voxlake dashboard: not built yet (issue 5).
