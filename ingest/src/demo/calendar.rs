//! When feedback arrives: how many records fall on each UTC day (growth trend,
//! weekly cycle, shopping festivals, Spring Festival lull) and at what second
//! (a daily cycle in China Standard Time), plus a fast RFC 3339 formatter.

use chrono::{Datelike, NaiveDate, Weekday};
use rand::Rng;
use rand::rngs::SmallRng;

use super::sampling::WeightedTable;

/// China Standard Time, the offset every `received_at` is written with.
pub(super) const CST_OFFSET_SECS: i64 = 8 * 3600;
const DAY_SECS: i64 = 86_400;

/// Relative volume per local hour 0..23: quiet at night, peaks late morning and evening.
const LOCAL_HOUR_WEIGHTS: [f64; 24] = [
    2.0, 1.2, 0.7, 0.5, 0.4, 0.5, 1.0, 2.0, 3.2, 4.5, 5.2, 5.0, 4.2, 4.3, 4.8, 4.9, 4.6, 4.2, 4.0, 4.6, 5.4, 5.8, 4.8,
    3.2,
];

/// Lunar new year's day, when logistics and shopping slow down for a week.
const SPRING_FESTIVALS: [(i32, u32, u32); 5] =
    [(2024, 2, 10), (2025, 1, 29), (2026, 2, 17), (2027, 2, 6), (2028, 1, 26)];

/// Number of records on each day of the window; sums to `rows` exactly.
pub(super) fn daily_counts(rows: u64, start: NaiveDate, days: u32) -> Vec<u64> {
    let weights: Vec<f64> = (0..days).map(|d| day_weight(start, d, days)).collect();
    let total: f64 = weights.iter().sum();
    let mut acc = 0.0;
    let mut emitted = 0u64;
    let mut counts = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        acc += w / total;
        let last = i + 1 == weights.len();
        let upto = if last {
            rows
        } else {
            ((acc * rows as f64).round() as u64).min(rows)
        };
        counts.push(upto - emitted);
        emitted = upto;
    }
    counts
}

/// Relative volume of day `d`: mild growth × weekly cycle × festivals.
fn day_weight(start: NaiveDate, d: u32, days: u32) -> f64 {
    let date = start + chrono::Days::new(u64::from(d));
    let growth = 1.0 + 0.35 * f64::from(d) / f64::from(days.max(1));
    growth * weekday_factor(date.weekday()) * festival_factor(date)
}

fn weekday_factor(day: Weekday) -> f64 {
    match day {
        Weekday::Mon => 1.08,
        Weekday::Tue | Weekday::Wed => 1.0,
        Weekday::Thu => 0.97,
        Weekday::Fri => 0.93,
        Weekday::Sat => 1.02,
        Weekday::Sun => 1.1,
    }
}

/// 618 and Double 11 (with the complaint tail of late deliveries), National Day, Spring Festival.
fn festival_factor(date: NaiveDate) -> f64 {
    let (m, d) = (date.month(), date.day());
    let spring = SPRING_FESTIVALS
        .iter()
        .filter_map(|&(y, sm, sd)| NaiveDate::from_ymd_opt(y, sm, sd))
        .any(|sf| (0..7).contains(&(date - sf).num_days()));
    match (m, d) {
        _ if spring => 0.6,
        (6, 16..=20) => 1.5,
        (11, 10..=13) => 2.2,
        (11, 14..=20) => 1.5,
        (10, 1..=7) => 0.85,
        _ => 1.0,
    }
}

/// Draws `n` seconds-of-day (UTC), sorted, following the local daily cycle.
pub(super) struct DayClock {
    utc_hours: WeightedTable,
}

impl DayClock {
    pub(super) fn new() -> Self {
        let local = |utc: usize| LOCAL_HOUR_WEIGHTS[(utc + 8) % 24];
        Self {
            utc_hours: WeightedTable::new((0..24).map(local)),
        }
    }

    /// Fills `out` with `n` sorted second offsets within one UTC day.
    pub(super) fn fill_day(&self, rng: &mut SmallRng, n: u64, out: &mut Vec<u32>) {
        out.clear();
        out.extend((0..n).map(|_| self.utc_hours.sample(rng) as u32 * 3600 + rng.random_range(0..3600)));
        out.sort_unstable();
    }
}

/// The local (CST) hour of a UTC timestamp.
pub(super) fn local_hour(ts: i64) -> u32 {
    ((ts + CST_OFFSET_SECS).rem_euclid(DAY_SECS) / 3600) as u32
}

/// Seconds since the Unix epoch of midnight UTC at `date`.
pub(super) fn midnight_utc(date: NaiveDate) -> i64 {
    date.and_time(chrono::NaiveTime::MIN).and_utc().timestamp()
}

/// Writes `ts` as RFC 3339 in CST, e.g. `2025-03-14T09:21:33+08:00`.
pub(super) fn format_cst(ts: i64, out: &mut [u8; 25]) -> &str {
    let local = ts + CST_OFFSET_SECS;
    let (days, secs) = (local.div_euclid(DAY_SECS), local.rem_euclid(DAY_SECS));
    let (y, m, d) = civil_from_days(days);
    let fields = [
        (y / 100, 0),
        (y % 100, 2),
        (m, 5),
        (d, 8),
        (secs / 3600, 11),
        (secs / 60 % 60, 14),
        (secs % 60, 17),
    ];
    *out = *b"0000-00-00T00:00:00+08:00";
    for (value, at) in fields {
        out[at] = b'0' + (value / 10) as u8;
        out[at + 1] = b'0' + (value % 10) as u8;
    }
    std::str::from_utf8(out).unwrap_or("")
}

/// Days since 1970-01-01 to (year, month, day), after H. Hinnant's algorithm.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn format_matches_chrono() {
        let mut buf = [0u8; 25];
        for ts in [0i64, 1_735_689_600, 1_741_915_293, 1_767_225_599, 951_782_400 + 86_399] {
            let expected = chrono::DateTime::from_timestamp(ts, 0).map(|t| {
                t.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| unreachable!()))
                    .to_rfc3339()
            });
            assert_eq!(Some(format_cst(ts, &mut buf).to_string()), expected);
        }
    }

    #[test]
    fn daily_counts_sum_exactly_and_show_festivals() {
        let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
        let counts = daily_counts(1_000_003, start, 365);
        assert_eq!(counts.iter().sum::<u64>(), 1_000_003);
        let nov11 = counts[314];
        let nov25 = counts[328];
        assert!(nov11 as f64 > 1.8 * nov25 as f64, "{nov11} vs {nov25}");
        assert!(counts[364] > counts[7], "growth trend");
    }

    #[test]
    fn day_offsets_are_sorted_and_follow_the_daily_cycle() {
        let mut rng = SmallRng::seed_from_u64(3);
        let mut out = Vec::new();
        DayClock::new().fill_day(&mut rng, 20_000, &mut out);
        assert!(out.windows(2).all(|w| w[0] <= w[1]) && out.iter().all(|&s| s < 86_400));
        let at = |local: u32| out.iter().filter(|&&s| local_hour(i64::from(s)) == local).count();
        assert!(at(21) > 5 * at(4), "evening {} vs night {}", at(21), at(4));
    }
}
