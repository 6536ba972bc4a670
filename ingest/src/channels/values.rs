//! Reading channel values into schema types: times to UTC, ratings to 1..5.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::record::Rating;

/// Formats tried, after RFC 3339, for times that carry no offset; they are
/// read in the channel's time zone.
const LOCAL_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y %H:%M",
];
const DATE_FORMATS: &[&str] = &["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"];

/// Earliest and latest instants accepted, so a unit mix-up (seconds read as
/// milliseconds) or a typo in the year is refused rather than stored.
const EARLIEST_YEAR: i32 = 1990;
const LATEST_YEAR: i32 = 2100;

/// Parse a time as a channel sends it: RFC 3339 / RFC 2822 with an offset,
/// Unix seconds or milliseconds, or a local time in one of the channel's
/// formats (then the common ones) in the channel's time zone.
pub fn parse_time(raw: &str, tz: Tz, formats: &[String]) -> Result<DateTime<Utc>, String> {
    let s = raw.trim();
    let parsed = parse_with_offset(s)
        .or_else(|| parse_unix(s))
        .or_else(|| parse_local(s, tz, formats.iter().map(String::as_str)))
        .or_else(|| parse_local(s, tz, LOCAL_FORMATS.iter().copied()))
        .or_else(|| parse_date(s, tz))
        .ok_or_else(|| format!("cannot read `{s}` as a time"))?;
    check_range(parsed)
}

fn parse_with_offset(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_rfc2822(s))
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%:z"))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn parse_unix(s: &str) -> Option<DateTime<Utc>> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = s.parse().ok()?;
    match s.len() {
        10 => DateTime::from_timestamp(n, 0),
        13 => DateTime::from_timestamp_millis(n),
        _ => None,
    }
}

fn parse_local<'a>(s: &str, tz: Tz, formats: impl Iterator<Item = &'a str>) -> Option<DateTime<Utc>> {
    formats
        .filter_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .find_map(|naive| tz.from_local_datetime(&naive).earliest())
        .map(|t| t.with_timezone(&Utc))
}

fn parse_date(s: &str, tz: Tz) -> Option<DateTime<Utc>> {
    DATE_FORMATS
        .iter()
        .filter_map(|f| NaiveDate::parse_from_str(s, f).ok())
        .find_map(|d| tz.from_local_datetime(&d.and_hms_opt(0, 0, 0)?).earliest())
        .map(|t| t.with_timezone(&Utc))
}

fn check_range(t: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    use chrono::Datelike;
    if (EARLIEST_YEAR..=LATEST_YEAR).contains(&t.year()) {
        Ok(t)
    } else {
        Err(format!("time {t} is outside {EARLIEST_YEAR}..{LATEST_YEAR}"))
    }
}

/// Read a rating on the channel's `(low, high)` scale and map it onto 1..5.
/// Accepts numbers, "4", "4.5", "4/5" (the scale in the value wins), "4星",
/// "4分" and star strings like "★★★★☆".
pub fn parse_rating(raw: &str, (low, high): (f64, f64)) -> Result<Rating, String> {
    let s = raw.trim();
    let (value, scale) = if let Some(stars) = count_stars(s) {
        (stars, (0.0_f64.max(low.min(1.0)), 5.0))
    } else if let Some((num, den)) = s.split_once('/') {
        let den: f64 = den
            .trim()
            .parse()
            .map_err(|_| format!("cannot read `{s}` as a rating"))?;
        (parse_number(num)?, (1.0, den))
    } else {
        (parse_number(s)?, (low, high))
    };
    if !(scale.0..=scale.1).contains(&value) {
        return Err(format!("rating {value} is outside the scale {}..{}", scale.0, scale.1));
    }
    let normalised = 1.0 + (value - scale.0) * 4.0 / (scale.1 - scale.0);
    Ok(Rating {
        normalised: (normalised * 100.0).round() / 100.0,
        raw: s.into(),
    })
}

fn parse_number(s: &str) -> Result<f64, String> {
    let trimmed = s.trim().trim_end_matches(['星', '分', '颗']).trim();
    trimmed
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("cannot read `{}` as a rating", s.trim()))
}

fn count_stars(s: &str) -> Option<f64> {
    let filled = s.chars().filter(|&c| c == '★').count();
    let all_stars = !s.is_empty() && s.chars().all(|c| c == '★' || c == '☆');
    all_stars.then_some(filled as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::Shanghai;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("valid").with_timezone(&Utc)
    }

    #[test]
    fn times_become_utc() {
        let cases = [
            ("2025-03-14T09:21:33+08:00", "2025-03-14T01:21:33Z"),
            ("2025-03-14T01:21:33Z", "2025-03-14T01:21:33Z"),
            ("2025-03-14 09:21:33", "2025-03-14T01:21:33Z"),
            ("2025/03/14 09:21", "2025-03-14T01:21:00Z"),
            ("2025年3月14日 09:21", "2025-03-14T01:21:00Z"),
            ("2025-03-14", "2025-03-13T16:00:00Z"),
            ("1741915293", "2025-03-14T01:21:33Z"),
            ("1741915293000", "2025-03-14T01:21:33Z"),
            ("Fri, 14 Mar 2025 09:21:33 +0800", "2025-03-14T01:21:33Z"),
        ];
        for (raw, expected) in cases {
            assert_eq!(parse_time(raw, Shanghai, &[]), Ok(utc(expected)), "{raw}");
        }
    }

    #[test]
    fn channel_formats_are_tried_first() {
        let formats = vec!["%m/%d/%Y %I:%M %p".to_owned()];
        let t = parse_time("03/14/2025 09:21 AM", chrono_tz::America::New_York, &formats);
        assert_eq!(t, Ok(utc("2025-03-14T13:21:00Z")));
    }

    #[test]
    fn bad_times_are_refused_with_the_value() {
        for raw in ["yesterday", "2025-13-40", "99999999999999", "1850-01-01"] {
            let err = parse_time(raw, Shanghai, &[]).expect_err(raw);
            assert!(err.contains(raw.trim()) || err.contains("outside"), "{err}");
        }
    }

    #[test]
    fn ratings_map_onto_one_to_five() {
        let cases = [
            ("5", (1.0, 5.0), 5.0),
            ("1", (1.0, 5.0), 1.0),
            ("4.5", (1.0, 5.0), 4.5),
            ("10", (0.0, 10.0), 5.0),
            ("0", (0.0, 10.0), 1.0),
            ("7", (1.0, 10.0), 3.67),
            ("3/5", (1.0, 5.0), 3.0),
            ("8/10", (1.0, 5.0), 4.11),
            ("4星", (1.0, 5.0), 4.0),
            ("★★★★☆", (1.0, 5.0), 4.0),
        ];
        for (raw, scale, expected) in cases {
            let rating = parse_rating(raw, scale).expect(raw);
            assert!(
                (rating.normalised - expected).abs() < 0.011,
                "{raw}: {}",
                rating.normalised
            );
            assert_eq!(rating.raw, raw);
        }
    }

    #[test]
    fn bad_ratings_are_refused() {
        for raw in ["six", "6", "-1", "NaN", "4/0x"] {
            assert!(parse_rating(raw, (1.0, 5.0)).is_err(), "{raw}");
        }
    }
}
