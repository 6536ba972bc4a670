//! The planted events are visible at the default size; and generation speed.

use chrono::NaiveDate;

use super::super::*;
use super::{day, default_run, has_any};

/// Crash complaints on 5.3.0 in the event week versus the weekly baseline.
#[test]
fn planted_crash_spike_is_several_times_the_baseline() {
    let records = default_run();
    let (first, last) = PLANTED_EVENTS[0].days_in(&DemoConfig::default());
    let crash = |r: &&DemoRecord| r.app_version.is_some() && has_any(&r.text, &["闪退", "崩溃", "crash"]);
    let in_week = |r: &&DemoRecord| (first..=last).contains(&day(r));
    let spike = records
        .iter()
        .filter(crash)
        .filter(in_week)
        .filter(|r| r.app_version == Some("5.3.0"))
        .count();
    let baseline = records.iter().filter(crash).filter(|r| !in_week(r)).count() as f64 / (358.0 / 7.0);
    assert!(
        spike as f64 >= 4.0 * baseline,
        "spike {spike} vs weekly baseline {baseline:.1}"
    );
}

#[test]
fn planted_sichuan_logistics_trend_rises() {
    let records = default_run();
    let delivery = [
        "物流",
        "快递",
        "驿站",
        "次日达",
        "送货",
        "delivery",
        "courier",
        "tracking",
        "parcel",
    ];
    let rate = |region: &str, from: NaiveDate, to: NaiveDate| {
        let rs: Vec<&DemoRecord> = records
            .iter()
            .filter(|r| r.region == region && (from..to).contains(&day(r)))
            .collect();
        rs.iter().filter(|r| has_any(&r.text, &delivery)).count() as f64 / rs.len().max(1) as f64
    };
    let date = |m, d| NaiveDate::from_ymd_opt(2025, m, d).unwrap_or_default();
    let (before, late) = (
        rate("四川", date(1, 1), date(10, 1)),
        rate("四川", date(12, 15), date(12, 31)),
    );
    let (other_before, other_late) = (
        rate("广东", date(1, 1), date(10, 1)),
        rate("广东", date(12, 15), date(12, 31)),
    );
    assert!(late > 2.5 * before, "四川 {before:.3} -> {late:.3}");
    assert!(
        other_late < 1.5 * other_before,
        "广东 {other_before:.3} -> {other_late:.3}"
    );
}

#[test]
fn planted_product_safety_burst_stands_out() {
    let records = default_run();
    let event = PLANTED_EVENTS[2];
    let safety = [
        "漏电",
        "冒烟",
        "焦糊",
        "烧黑",
        "跳闸",
        "发烫",
        "electric shock",
        "smoking",
        "scorched",
    ];
    let hits = records
        .iter()
        .filter(|r| Some(r.product) == event.product && has_any(&r.text, &safety));
    let (inside, outside) = hits.fold((0, 0), |(i, o), r| {
        if (event.first_day..=event.last_day).contains(&day(r)) {
            (i + 1, o)
        } else {
            (i, o + 1)
        }
    });
    let weekly_outside = outside as f64 / (358.0 / 7.0);
    assert!(
        inside >= 20 && inside as f64 > 10.0 * weekly_outside,
        "inside {inside}, weekly outside {weekly_outside:.1}"
    );
}

/// Generation speed in release: `cargo test --release -- --ignored --nocapture speed`.
#[test]
#[ignore = "measures speed; run in release with --ignored --nocapture"]
fn speed_one_million_rows() {
    let config = DemoConfig {
        rows: 1_000_000,
        ..DemoConfig::default()
    };
    let timed = |label: &str, f: &dyn Fn() -> u64| {
        let started = std::time::Instant::now();
        let n = f();
        let secs = started.elapsed().as_secs_f64();
        println!("{label}: {n} rows in {secs:.2} s = {:.0} rows/s", n as f64 / secs);
    };
    timed("generate", &|| generate(&config).count() as u64);
    timed("ndjson", &|| write_ndjson(&config, std::io::sink()).unwrap_or(0));
    timed("csv", &|| write_csv(&config, std::io::sink()).unwrap_or(0));
}
