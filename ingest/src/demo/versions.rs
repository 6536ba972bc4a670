//! App versions: thirty releases over the year, and on each day a mix in
//! which the newest release ramps up over a few days and older ones fade.

use rand::rngs::SmallRng;

use super::sampling::WeightedTable;

/// `(version, release day)` in the default 365-day window (day 0 = 2025-01-01);
/// other windows stretch the schedule proportionally.
pub(super) const APP_VERSIONS: [(&str, i64); 30] = [
    ("4.9.0", -40),
    ("4.9.1", -10),
    ("4.10.0", 8),
    ("4.10.1", 20),
    ("4.11.0", 33),
    ("4.11.2", 45),
    ("4.12.0", 58),
    ("5.0.0", 72),
    ("5.0.1", 80),
    ("5.0.2", 92),
    ("5.1.0", 106),
    ("5.1.1", 118),
    ("5.1.2", 131),
    ("5.1.3", 145),
    ("5.2.0", 158),
    ("5.2.1", 170),
    ("5.2.2", 183),
    ("5.2.3", 197),
    ("5.2.4", 210),
    ("5.2.5", 224),
    ("5.3.0", 245),
    ("5.3.1", 257),
    ("5.3.2", 270),
    ("5.4.0", 286),
    ("5.4.1", 299),
    ("5.4.2", 312),
    ("5.5.0", 327),
    ("5.5.1", 340),
    ("5.5.2", 352),
    ("5.6.0", 362),
];

/// How many recent versions are still in use on a day.
const IN_USE: usize = 6;
/// Days a new release needs to reach its full share.
const RAMP_DAYS: f64 = 4.0;

/// Maps a day of the default 365-day window onto a window of `days` days.
pub(super) fn scale_day(default_day: i64, days: u32) -> i64 {
    (default_day as f64 * f64::from(days) / 365.0).round() as i64
}

/// Per-day version mix.
#[derive(Debug)]
pub(super) struct VersionSchedule {
    /// For each day: index of the oldest version in use and the mix from there.
    days: Vec<(usize, WeightedTable)>,
}

impl VersionSchedule {
    pub(super) fn new(days: u32) -> Self {
        let releases: Vec<i64> = APP_VERSIONS.iter().map(|&(_, d)| scale_day(d, days)).collect();
        Self {
            days: (0..i64::from(days)).map(|d| day_mix(&releases, d)).collect(),
        }
    }

    /// Index into `APP_VERSIONS` of the version a user runs on `day`.
    pub(super) fn draw(&self, rng: &mut SmallRng, day: usize) -> usize {
        let (first, table) = &self.days[day.min(self.days.len() - 1)];
        first + table.sample(rng)
    }
}

fn day_mix(releases: &[i64], day: i64) -> (usize, WeightedTable) {
    let released = releases.iter().filter(|&&r| r <= day).count().max(1);
    let first = released.saturating_sub(IN_USE);
    let latest = released - 1;
    let weights = (first..released).map(|i| {
        let age = (latest - i) as i32;
        if age == 0 {
            1.2 * ((day - releases[i] + 1) as f64 / RAMP_DAYS).clamp(0.05, 1.0)
        } else {
            0.5f64.powi(age)
        }
    });
    (first, WeightedTable::new(weights))
}

/// Index of a version by name.
pub(super) fn version_index(name: &str) -> Option<usize> {
    APP_VERSIONS.iter().position(|&(v, _)| v == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn newer_versions_appear_later() {
        let schedule = VersionSchedule::new(365);
        let mut rng = SmallRng::seed_from_u64(4);
        let mean = |rng: &mut SmallRng, day| (0..2000).map(|_| schedule.draw(rng, day)).sum::<usize>() as f64 / 2000.0;
        let (spring, autumn) = (mean(&mut rng, 60), mean(&mut rng, 300));
        assert!(autumn > spring + 10.0, "{spring} {autumn}");
        let v530 = version_index("5.3.0").unwrap_or(0);
        let share = (0..4000).filter(|_| schedule.draw(&mut rng, 252) == v530).count();
        assert!(share > 1600, "5.3.0 share on 2025-09-10: {share}/4000");
    }
}
