//! What to generate: how many rows, from which seed, over which window.

use chrono::NaiveDate;

/// Days in the default window (2025-01-01 .. 2026-01-01 UTC).
pub(super) const DEFAULT_DAYS: u32 = 365;

/// The first day of the default window; the benchmark queries assume it.
pub(super) const fn default_start() -> NaiveDate {
    match NaiveDate::from_ymd_opt(2025, 1, 1) {
        Some(date) => date,
        None => panic!("invalid default start"),
    }
}

/// Settings of the demo-data generator.
///
/// The same `DemoConfig` always produces the same records, byte for byte, so a
/// file can be regenerated and re-imported (source ids included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoConfig {
    /// Number of records to generate.
    pub rows: u64,
    /// Seed of every random choice.
    pub seed: u64,
    /// First UTC day of the window.
    pub start: NaiveDate,
    /// Length of the window in days; 0 is treated as 1.
    pub days: u32,
}

impl Default for DemoConfig {
    /// 200 000 rows, seed 42, 2025-01-01 for 365 days.
    fn default() -> Self {
        Self {
            rows: 200_000,
            seed: 42,
            start: default_start(),
            days: DEFAULT_DAYS,
        }
    }
}

impl DemoConfig {
    /// The window length actually used (at least one day).
    pub fn window_days(&self) -> u32 {
        self.days.max(1)
    }

    /// The first day after the window.
    pub fn end(&self) -> NaiveDate {
        self.start + chrono::Days::new(u64::from(self.window_days()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_window_is_calendar_2025() {
        let config = DemoConfig::default();
        assert_eq!(config.end(), NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default());
        assert_eq!(DemoConfig { days: 0, ..config }.window_days(), 1);
    }
}
