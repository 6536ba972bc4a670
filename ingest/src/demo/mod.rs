//! Realistic demo data: synthetic customer feedback for a Chinese company that
//! sells through marketplaces, its app, social media, agents and stores.
//!
//! Used by `voxlake generate --rows N --out FILE`, `voxlake serve --demo` and
//! the benchmarks (10M+ rows). Each record is one flat object in Voxlake's
//! native input format ([`DemoRecord`], columns in [`COLUMNS`]).
//!
//! What makes it realistic enough to demo and benchmark on:
//! - a year (2025 by default, UTC) with growth, weekly and daily cycles, 618,
//!   Double 11 and the Spring Festival lull;
//! - skewed channels, Zipf-like customer activity (about one customer per ten
//!   rows, up to a million), ~200 products with Zipf popularity, 30 app
//!   versions released over the year, 34 provinces weighted by population;
//! - Chinese text (~90 %) and English (~10 %) composed from our own templates:
//!   aspects × tone × intensity × product, with connectors and closers;
//! - dirt for the cleaning pipeline: ~3 % spam and noise, ~1 % exact
//!   resubmissions, ~1 % near-duplicates, ~2 % PII inside the text, full-width
//!   characters, HTML fragments, stray whitespace and typos;
//! - three [`PLANTED_EVENTS`] the analytics should find.
//!
//! Generation is deterministic for a [`DemoConfig`] (same config → same bytes),
//! single-threaded, and streams: records are produced in time order (give or
//! take resubmissions a few minutes late) without holding them in memory.
//!
//! Planted events (see [`PLANTED_EVENTS`] for the exact expectations): app
//! 5.3.0 crash complaints spike in 2025-09-08..14; 四川 delivery complaints
//! climb through November and December; 家电-小满L76 gets a burst of safety
//! complaints (漏电/冒烟) in 2025-07-21..27.
//!
//! Layout: `config` (what to generate), `generator` (the record stream),
//! `calendar` (when), `customers`, `products`, `versions`, `sites` and `vocab`
//! (who and what), `topic` (aspect, tone, rating, tags), `templates` with
//! `text_zh` + `clauses_zh` and `text_en` (the text), `noise` (spam, PII,
//! dirt, duplicates), `events` (planted events), `record` and `writer`
//! (output), `sampling` (weighted tables, Zipf, hashing).
//!
//! This module deliberately depends only on `rand`, `serde`, `serde_json`,
//! `chrono`, `csv` and `thiserror`, and refers to its parts through `super::`
//! so it can be developed and benchmarked outside the crate.

mod calendar;
mod clauses_zh;
mod config;
mod customers;
mod events;
mod generator;
mod noise;
mod products;
mod record;
mod sampling;
mod sites;
mod templates;
mod text_en;
mod text_zh;
mod topic;
mod versions;
mod vocab;
mod writer;

#[cfg(test)]
mod tests;

pub use self::config::DemoConfig;
pub use self::events::{PLANTED_EVENTS, PlantedEvent};
pub use self::record::{COLUMNS, DemoRecord};
pub use self::writer::{
    DemoError, DemoFormat, Result, write_csv, write_file, write_file_with_progress, write_format, write_ndjson,
};

/// The records of `config`, exactly `config.rows` of them, in time order
/// (resubmissions follow their original, up to a day later).
///
/// Deterministic: the same config yields the same records (and source ids)
/// every time. Streams; memory does not grow with `rows`.
pub fn generate(config: &DemoConfig) -> impl ExactSizeIterator<Item = DemoRecord> + use<> {
    generator::Generator::new(config)
}
