//! Planted events: patterns put into the demo data on purpose, so that spike
//! alerts, root-cause attribution and trend panels have something true to find.
//!
//! Events work by overriding the topic of records that match (and, for the
//! crash, routing a little extra traffic to the app), with probabilities rather
//! than counts, so they scale with the row count: as visible at 200k rows as at
//! 10M. Dates are UTC days of the default window; other windows move and
//! stretch them proportionally (see [`PlantedEvent::days_in`]).

use chrono::NaiveDate;
use rand::rngs::SmallRng;

use super::config::{DEFAULT_DAYS, DemoConfig, default_start};
use super::products::catalog;
use super::sampling::chance;
use super::topic::{Aspect, Tone, Topic};
use super::versions::version_index;
use super::vocab::{ChannelKind, channel_index, region_index};

/// A pattern deliberately planted in the demo data, and what to expect from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlantedEvent {
    /// Short stable name.
    pub name: &'static str,
    pub description: &'static str,
    /// The channel concerned, if only one.
    pub channel: Option<&'static str>,
    pub app_version: Option<&'static str>,
    pub region: Option<&'static str>,
    pub product: Option<&'static str>,
    /// First and last UTC day (inclusive) in the default 2025 window.
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// What an analyst should see.
    pub expected_effect: &'static str,
}

const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid planted event date"),
    }
}

/// The events planted in every generated data set.
pub const PLANTED_EVENTS: [PlantedEvent; 3] = [
    PlantedEvent {
        name: "app-5.3.0-crash",
        description: "App 5.3.0 (released 2025-09-03) crashes on launch and at checkout until 5.3.1 ships on 2025-09-15",
        channel: Some("app"),
        app_version: Some("5.3.0"),
        region: None,
        product: None,
        first_day: ymd(2025, 9, 8),
        last_day: ymd(2025, 9, 14),
        expected_effect: "about 70 % of app and chat feedback on 5.3.0 that week is a strong crash complaint \
            (闪退/崩溃/crash): ~5x the weekly crash complaints of all versions together in other weeks; \
            app volume is up ~30 % and the share of app ratings <= 2 goes from ~1/3 to over 1/2; \
            attribution should point at app_version = 5.3.0",
    },
    PlantedEvent {
        name: "sichuan-logistics",
        description: "Delivery problems in 四川 grow through the Double 11 season to the end of the year",
        channel: None,
        app_version: None,
        region: Some("四川"),
        product: None,
        first_day: ymd(2025, 11, 1),
        last_day: ymd(2025, 12, 31),
        expected_effect: "the share of 四川 feedback (online and agent channels) about delivery \
            (物流/快递/驿站) climbs steadily from the ~12 % baseline to ~45 % in the last week of December, \
            nearly all of it complaints; other regions stay flat; \
            attribution should point at region = 四川 and the logistics category",
    },
    PlantedEvent {
        name: "xiaoman-l76-safety",
        description: "A batch of 家电-小满L76 with a wiring fault: leakage current and smoke",
        channel: None,
        app_version: None,
        region: None,
        product: Some("家电-小满L76"),
        first_day: ymd(2025, 7, 21),
        last_day: ymd(2025, 7, 27),
        expected_effect: "about 45 % of feedback on 家电-小满L76 that week is a severe safety complaint \
            (漏电/冒烟/焦糊/跳闸/发烫) against well under 1 % in other weeks (dozens in the week at 200k rows \
            against about one a month); its ratings that week drop to mostly 1",
    },
];

impl PlantedEvent {
    /// The event's first and last day in `config`'s window: the default dates,
    /// moved to `config.start` and stretched by `config.days / 365`.
    pub fn days_in(&self, config: &DemoConfig) -> (NaiveDate, NaiveDate) {
        let (first, last) = self.day_range(config.days.max(1));
        let at = |d: i64| config.start + chrono::Days::new(d.max(0) as u64);
        (at(first), at(last))
    }

    /// Day offsets (inclusive) in a window of `days` days.
    fn day_range(&self, days: u32) -> (i64, i64) {
        let offset = |date: NaiveDate| (date - default_start()).num_days();
        let scale = f64::from(days) / f64::from(DEFAULT_DAYS);
        let first = (offset(self.first_day) as f64 * scale).floor() as i64;
        let end = ((offset(self.last_day) + 1) as f64 * scale).ceil() as i64;
        (first, (end - 1).max(first))
    }
}

/// The planted events resolved against one window, ready to apply per record.
#[derive(Debug)]
pub(super) struct EventPlan {
    crash_days: (i64, i64),
    crash_version: Option<usize>,
    app_channel: Option<usize>,
    ramp_days: (i64, i64),
    ramp_region: Option<usize>,
    safety_days: (i64, i64),
    safety_product: Option<usize>,
}

/// What the generator knows about a record when events are applied.
#[derive(Debug, Clone, Copy)]
pub(super) struct Subject {
    pub day: i64,
    pub kind: ChannelKind,
    pub region: usize,
    pub product: usize,
    pub app_version: Option<usize>,
}

impl EventPlan {
    pub(super) fn new(days: u32) -> Self {
        let [crash, ramp, safety] = PLANTED_EVENTS.map(|e| e.day_range(days));
        let product = |name| catalog().products.iter().position(|p| p.name == name);
        Self {
            crash_days: crash,
            crash_version: PLANTED_EVENTS[0].app_version.and_then(version_index),
            app_channel: channel_index("app"),
            ramp_days: ramp,
            ramp_region: PLANTED_EVENTS[1].region.and_then(region_index),
            safety_days: safety,
            safety_product: PLANTED_EVENTS[2].product.and_then(product),
        }
    }

    /// During the crash week some users who would have written elsewhere use
    /// the in-app form instead: returns the app channel for them.
    pub(super) fn reroute_to_app(&self, rng: &mut SmallRng, day: i64, channel: usize) -> Option<usize> {
        let app = self.app_channel?;
        (within(day, self.crash_days) && channel != app && chance(rng, 0.05)).then_some(app)
    }

    /// The topic an event imposes on this record, if any.
    pub(super) fn topic(&self, rng: &mut SmallRng, s: &Subject) -> Option<Topic> {
        let crash = within(s.day, self.crash_days) && s.app_version.is_some() && s.app_version == self.crash_version;
        if crash && chance(rng, 0.7) {
            return Some(Topic {
                aspect: Aspect::AppCrash,
                tone: Tone::Complaint(if chance(rng, 0.5) { 3 } else { 2 }),
            });
        }
        if Some(s.product) == self.safety_product && within(s.day, self.safety_days) && chance(rng, 0.45) {
            return Some(Topic {
                aspect: Aspect::Safety,
                tone: Tone::Complaint(3),
            });
        }
        let online = !matches!(s.kind, ChannelKind::App | ChannelKind::Offline);
        if online && Some(s.region) == self.ramp_region && within(s.day, self.ramp_days) {
            let progress = (s.day - self.ramp_days.0 + 1) as f64 / (self.ramp_days.1 - self.ramp_days.0 + 1) as f64;
            if chance(rng, 0.6 * progress) {
                return Some(Topic {
                    aspect: Aspect::Logistics,
                    tone: Tone::Complaint(1 + (progress * 2.5) as u8),
                });
            }
        }
        None
    }
}

fn within(day: i64, (first, last): (i64, i64)) -> bool {
    (first..=last).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_window_keeps_the_documented_dates() {
        let config = DemoConfig::default();
        for e in PLANTED_EVENTS {
            assert_eq!(e.days_in(&config), (e.first_day, e.last_day), "{}", e.name);
        }
    }

    #[test]
    fn shorter_windows_shrink_events_but_keep_them() {
        let config = DemoConfig {
            days: 30,
            ..DemoConfig::default()
        };
        for e in PLANTED_EVENTS {
            let (first, last) = e.days_in(&config);
            assert!(
                first <= last && last < config.start + chrono::Days::new(30),
                "{}",
                e.name
            );
        }
        let plan = EventPlan::new(365);
        assert!(plan.crash_version.is_some() && plan.ramp_region.is_some() && plan.safety_product.is_some());
    }
}
