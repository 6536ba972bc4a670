//! The global scope every page shows: a time window (whole UTC days, anchored
//! on the newest feedback so demo data looks alive) and the filters chosen
//! in the filter bar or by clicking a bar.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::i18n::Key;

/// How the user picked the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WindowChoice {
    /// The last `n` days up to and including the newest feedback's day.
    LastDays(u32),
    /// From `start` to `end`, both included.
    Custom { start: NaiveDate, end: NaiveDate },
}

impl Default for WindowChoice {
    fn default() -> Self {
        Self::LastDays(7)
    }
}

/// The presets offered next to "custom".
pub const PRESET_DAYS: [u32; 3] = [7, 30, 90];

/// A half-open range of UTC days `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Window {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Window {
    /// The window `choice` means when the newest feedback is from `anchor`.
    pub fn resolve(choice: WindowChoice, anchor: NaiveDate) -> Self {
        match choice {
            WindowChoice::LastDays(n) => {
                let end = anchor + Days::new(1);
                Self {
                    start: end - Days::new(u64::from(n.max(1))),
                    end,
                }
            }
            WindowChoice::Custom { start, end } => Self {
                start,
                end: end + Days::new(1),
            },
        }
    }

    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days().max(1)
    }

    /// The window of the same length just before this one.
    pub fn previous(&self) -> Self {
        Self {
            start: self.start - Days::new(self.days().unsigned_abs()),
            end: self.start,
        }
    }

    /// The last day included.
    pub fn last_day(&self) -> NaiveDate {
        self.end - Days::new(1)
    }
}

/// A dimension feedback can be filtered or split by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Dim {
    Channel,
    Product,
    Region,
    CategoryL1,
    CategoryL2,
    Rating,
    Topic,
}

impl Dim {
    /// The SQL expression of this dimension over `feedback`.
    pub fn expr(self) -> &'static str {
        match self {
            Self::Channel => "channel",
            Self::Product => "product",
            Self::Region => "region",
            Self::CategoryL1 => "category_l1",
            Self::CategoryL2 => "category_l2",
            Self::Rating => "CAST(round(rating) AS BIGINT)",
            Self::Topic => "topic_id",
        }
    }

    pub fn key(self) -> Key {
        match self {
            Self::Channel => Key::Channel,
            Self::Product => Key::Product,
            Self::Region => Key::Region,
            Self::CategoryL1 => Key::Category,
            Self::CategoryL2 => Key::Subcategory,
            Self::Rating => Key::Rating,
            Self::Topic => Key::Issue,
        }
    }

    /// Whether values are numbers in SQL (no quotes).
    fn is_numeric(self) -> bool {
        matches!(self, Self::Rating | Self::Topic)
    }
}

/// One active filter: the value compared in SQL and the text shown on its chip.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterValue {
    pub value: String,
    pub label: String,
}

/// The active filters, at most one value per dimension, in a stable order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters(BTreeMap<Dim, FilterValue>);

impl Filters {
    pub fn set(&mut self, dim: Dim, value: impl Into<String>) {
        let value = value.into();
        self.set_labelled(dim, value.clone(), value);
    }

    pub fn set_labelled(&mut self, dim: Dim, value: String, label: String) {
        if dim == Dim::CategoryL1 && self.get(dim) != Some(value.as_str()) {
            self.0.remove(&Dim::CategoryL2);
        }
        self.0.insert(dim, FilterValue { value, label });
    }

    pub fn remove(&mut self, dim: Dim) {
        self.0.remove(&dim);
        if dim == Dim::CategoryL1 {
            self.0.remove(&Dim::CategoryL2);
        }
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn get(&self, dim: Dim) -> Option<&str> {
        self.0.get(&dim).map(|f| f.value.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (Dim, &FilterValue)> {
        self.0.iter().map(|(dim, value)| (*dim, value))
    }

    /// `AND`-ed SQL conditions, values escaped; empty when no filter is set.
    /// A numeric filter whose value is not a number matches nothing.
    pub fn sql(&self) -> Vec<String> {
        self.iter().map(|(dim, f)| condition(dim, &f.value)).collect()
    }
}

fn condition(dim: Dim, value: &str) -> String {
    if !dim.is_numeric() {
        return format!("{} = {}", dim.expr(), quote(value));
    }
    match value.parse::<i64>() {
        Ok(n) => format!("{} = {n}", dim.expr()),
        Err(_) => "FALSE".to_owned(),
    }
}

/// An SQL string literal: single quotes doubled.
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn last_days_end_after_the_anchor_day() {
        let w = Window::resolve(WindowChoice::LastDays(7), day("2025-12-31"));
        assert_eq!((w.start, w.end), (day("2025-12-25"), day("2026-01-01")));
        assert_eq!(
            w.previous(),
            Window {
                start: day("2025-12-18"),
                end: day("2025-12-25")
            }
        );
    }

    #[test]
    fn custom_windows_include_their_last_day() {
        let w = Window::resolve(
            WindowChoice::Custom {
                start: day("2025-03-01"),
                end: day("2025-03-01"),
            },
            day("2025-12-31"),
        );
        assert_eq!(w.days(), 1);
        assert_eq!(w.last_day(), day("2025-03-01"));
    }

    #[test]
    fn literals_are_escaped() {
        let mut f = Filters::default();
        f.set(Dim::Product, "O'Brien's \"phone\"");
        f.set(Dim::Rating, "4");
        f.set(Dim::Topic, "1; DROP TABLE x");
        assert_eq!(
            f.sql(),
            vec![
                "product = 'O''Brien''s \"phone\"'",
                "CAST(round(rating) AS BIGINT) = 4",
                "FALSE"
            ]
        );
    }

    #[test]
    fn changing_category_drops_its_subcategory() {
        let mut f = Filters::default();
        f.set(Dim::CategoryL1, "a");
        f.set(Dim::CategoryL2, "a1");
        f.set(Dim::CategoryL1, "b");
        assert_eq!(f.get(Dim::CategoryL2), None);
    }
}
