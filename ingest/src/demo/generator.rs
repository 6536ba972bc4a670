//! The record stream: walks the window day by day (sorted arrival times per
//! day), draws channel, customer, product, version and topic for each record,
//! writes the text, and now and then queues a resubmission of the previous one.
//!
//! One `SmallRng` seeded from the config drives everything in a fixed order,
//! which is what makes the output deterministic.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use super::calendar::{self, DayClock, format_cst};
use super::config::DemoConfig;
use super::customers::{Customer, CustomerBase};
use super::events::{EventPlan, Subject};
use super::noise;
use super::products::{CATEGORIES, catalog};
use super::record::DemoRecord;
use super::sampling::{WeightedTable, chance};
use super::sites::sites;
use super::templates::{self, TextContext};
use super::topic::{self, Topic, TopicTables};
use super::versions::{APP_VERSIONS, VersionSchedule};
use super::vocab::{CHANNELS, Channel, ChannelKind, REGIONS};
use super::{text_en, text_zh};

const SPAM_SHARE: f64 = 0.03;
const RESUBMIT_SHARE: f64 = 0.01;
const NEAR_DUPLICATE_SHARE: f64 = 0.01;
const PII_SHARE: f64 = 0.02;
const TYPO_SHARE: f64 = 0.03;
const MAX_TEXT_CHARS: usize = 200;
const CST: FixedOffset = match FixedOffset::east_opt(calendar::CST_OFFSET_SECS as i32) {
    Some(offset) => offset,
    None => panic!("invalid CST offset"),
};
/// Source ids count up from here, so they have a realistic width.
const FIRST_SOURCE_NUMBER: u64 = 10_000_000;

/// Iterator over the records of one `DemoConfig`.
pub(super) struct Generator {
    rows: u64,
    emitted: u64,
    rng: SmallRng,
    window_start: i64,
    window_end: i64,
    day_counts: Vec<u64>,
    day: usize,
    offsets: Vec<u32>,
    next_offset: usize,
    clock: DayClock,
    channels: WeightedTable,
    online_channels: WeightedTable,
    customers: CustomerBase,
    topics: TopicTables,
    versions: VersionSchedule,
    events: EventPlan,
    pending: Option<DemoRecord>,
}

impl Generator {
    pub(super) fn new(config: &DemoConfig) -> Self {
        let days = config.window_days();
        let window_start = calendar::midnight_utc(config.start);
        let always_open = |c: &Channel| if c.hours.is_some() { 0.0 } else { c.weight };
        Self {
            rows: config.rows,
            emitted: 0,
            rng: SmallRng::seed_from_u64(config.seed),
            window_start,
            window_end: window_start + i64::from(days) * 86_400,
            day_counts: calendar::daily_counts(config.rows, config.start, days),
            day: 0,
            offsets: Vec::new(),
            next_offset: 0,
            clock: DayClock::new(),
            channels: WeightedTable::new(CHANNELS.iter().map(|c| c.weight)),
            online_channels: WeightedTable::new(CHANNELS.iter().map(always_open)),
            customers: CustomerBase::new(config.rows, config.seed),
            topics: TopicTables::new(),
            versions: VersionSchedule::new(days),
            events: EventPlan::new(days),
            pending: None,
        }
    }

    /// The next arrival time (UTC seconds), moving to the next day when needed.
    fn next_timestamp(&mut self) -> i64 {
        while self.next_offset >= self.offsets.len() && self.day < self.day_counts.len() {
            let n = self.day_counts[self.day];
            self.clock.fill_day(&mut self.rng, n, &mut self.offsets);
            self.next_offset = 0;
            self.day += 1;
        }
        let offset = self.offsets.get(self.next_offset).copied().unwrap_or(86_399);
        self.next_offset += 1;
        self.window_start + (self.day as i64 - 1) * 86_400 + i64::from(offset)
    }

    fn at(ts: i64) -> DateTime<FixedOffset> {
        DateTime::from_timestamp(ts, 0).unwrap_or_default().with_timezone(&CST)
    }

    fn source_id(&self, channel: &Channel) -> String {
        format!("{}-{:011}", channel.id_prefix, FIRST_SOURCE_NUMBER + self.emitted)
    }

    fn draw_channel(&mut self, ts: i64) -> usize {
        let mut index = self.channels.sample(&mut self.rng);
        if let Some((open, close)) = CHANNELS[index].hours
            && !(open..close).contains(&calendar::local_hour(ts))
        {
            index = self.online_channels.sample(&mut self.rng);
        }
        let day = (ts - self.window_start) / 86_400;
        self.events.reroute_to_app(&mut self.rng, day, index).unwrap_or(index)
    }

    /// What a new record arriving at `ts` is about.
    fn draw(&mut self, ts: i64) -> Draw {
        let channel = &CHANNELS[self.draw_channel(ts)];
        let customer = self.customers.draw(&mut self.rng);
        let product = catalog().popularity.sample(&mut self.rng);
        let in_app = channel.kind == ChannelKind::App || (channel.name == "chat" && chance(&mut self.rng, 0.6));
        let day = (ts - self.window_start) / 86_400;
        let version = in_app.then(|| self.versions.draw(&mut self.rng, day as usize));
        let english = chance(&mut self.rng, channel.english);
        let topic = (!chance(&mut self.rng, SPAM_SHARE)).then(|| {
            let subject = Subject {
                day,
                kind: channel.kind,
                region: customer.region,
                product,
                app_version: version,
            };
            let electrical = CATEGORIES[catalog().products[product].category].electrical;
            let forced = self.events.topic(&mut self.rng, &subject);
            forced.unwrap_or_else(|| self.topics.draw(&mut self.rng, channel, electrical))
        });
        Draw {
            channel,
            customer,
            product,
            version: version.map(|v| APP_VERSIONS[v].0),
            english,
            topic,
        }
    }

    /// A new record arriving at `ts`.
    fn fresh(&mut self, ts: i64) -> DemoRecord {
        let Draw {
            channel,
            customer,
            product,
            version,
            english,
            topic,
        } = self.draw(ts);
        let product = &catalog().products[product];
        let category = &CATEGORIES[product.category];
        let ctx = topic.map(|topic| TextContext {
            topic,
            product,
            category,
            app_version: version,
            channel,
        });
        let lexicon = if english { &text_en::LEXICON } else { &text_zh::LEXICON };
        let text = self.text(ctx.as_ref(), lexicon);
        DemoRecord {
            channel: channel.name,
            source_id: self.source_id(channel),
            received_at: Self::at(ts),
            customer_id: customer.id,
            customer_tier: customer.tier,
            contact: contact(&customer),
            product: product.name,
            product_model: product.model,
            order_id: self.order_id(channel, ts),
            app_version: version,
            region: REGIONS[customer.region].name,
            store_id: self.store_id(channel, &customer),
            agent_id: (channel.kind == ChannelKind::Agent).then(|| sites().agent(&mut self.rng)),
            rating: self.rating(channel, topic),
            title: ctx.as_ref().and_then(|ctx| self.title(ctx, lexicon)),
            text,
            tags: topic.map_or_else(Vec::new, |t| topic::tags(&mut self.rng, channel, t, customer.is_gold())),
        }
    }

    /// Feedback text: composed for a topic, or spam when there is none.
    fn text(&mut self, ctx: Option<&TextContext<'_>>, lexicon: &templates::Lexicon) -> String {
        let mut text = String::with_capacity(256);
        let Some(ctx) = ctx else {
            noise::spam(&mut self.rng, &mut text);
            return text;
        };
        templates::compose(lexicon, &mut self.rng, ctx, &mut text);
        if chance(&mut self.rng, PII_SHARE) {
            noise::add_pii(&mut self.rng, lexicon.english, &mut text);
        }
        if !lexicon.english && chance(&mut self.rng, TYPO_SHARE) {
            noise::typo(&mut self.rng, &mut text);
        }
        templates::truncate_chars(&mut text, MAX_TEXT_CHARS - 16);
        let dirty = if matches!(ctx.channel.kind, ChannelKind::WebForm) || ctx.channel.name == "email" {
            0.12
        } else {
            0.03
        };
        if chance(&mut self.rng, dirty) {
            noise::dirty(&mut self.rng, &mut text);
            templates::truncate_chars(&mut text, MAX_TEXT_CHARS);
        }
        text
    }

    fn title(&mut self, ctx: &TextContext<'_>, lexicon: &templates::Lexicon) -> Option<String> {
        let share = match ctx.channel.name {
            "email" => 0.8,
            "web_form" => 0.5,
            _ => return None,
        };
        chance(&mut self.rng, share).then(|| {
            let mut title = String::new();
            templates::title(lexicon, &mut self.rng, ctx, &mut title);
            title
        })
    }

    fn rating(&mut self, channel: &Channel, topic: Option<Topic>) -> Option<u8> {
        match topic {
            Some(topic) => topic::rating(&mut self.rng, channel, topic.tone),
            None => chance(&mut self.rng, 0.4).then_some(5),
        }
    }

    /// Marketplace order number: prefix, order date (up to ten days earlier), serial.
    fn order_id(&mut self, channel: &Channel, ts: i64) -> Option<String> {
        if channel.kind != ChannelKind::Marketplace {
            return None;
        }
        let ordered = ts - self.rng.random_range(0..10 * 86_400);
        let mut buf = [0u8; 25];
        let date = format_cst(ordered, &mut buf);
        let mut id = String::with_capacity(18);
        id.push_str(channel.order_prefix);
        [&date[0..4], &date[5..7], &date[8..10]]
            .iter()
            .for_each(|part| id.push_str(part));
        let _ = write!(id, "{:08}", self.rng.random_range(0..100_000_000u32));
        Some(id)
    }

    fn store_id(&mut self, channel: &Channel, customer: &Customer) -> Option<&'static str> {
        let share = match channel.name {
            "store" => 1.0,
            "survey" => 0.6,
            _ => return None,
        };
        chance(&mut self.rng, share).then(|| sites().store(&mut self.rng, customer.region))
    }

    /// Queues a resubmission of `record` (exact or with one character changed).
    fn maybe_queue_duplicate(&mut self, record: &DemoRecord) {
        let u: f64 = self.rng.random();
        let (delay, near) = if u < RESUBMIT_SHARE {
            (self.rng.random_range(60..1800), false)
        } else if u < RESUBMIT_SHARE + NEAR_DUPLICATE_SHARE {
            (self.rng.random_range(300..86_400), true)
        } else {
            return;
        };
        let mut dup = record.clone();
        let ts = (record.received_at.timestamp() + delay).min(self.window_end - 1);
        dup.received_at = Self::at(ts);
        if near {
            dup.text = noise::near_duplicate(&mut self.rng, &record.text);
        }
        self.pending = Some(dup);
    }
}

/// The random choices behind a fresh record; no topic means spam.
struct Draw {
    channel: &'static Channel,
    customer: Customer,
    product: usize,
    version: Option<&'static str>,
    english: bool,
    topic: Option<Topic>,
}

fn contact(customer: &Customer) -> Option<String> {
    let mut out = String::new();
    customer.contact_into(&mut out).then_some(out)
}

impl Iterator for Generator {
    type Item = DemoRecord;

    fn next(&mut self) -> Option<DemoRecord> {
        if self.emitted >= self.rows {
            return None;
        }
        let ts = self.next_timestamp();
        let record = match self.pending.take() {
            Some(mut dup) => {
                let channel = CHANNELS.iter().find(|c| c.name == dup.channel).unwrap_or(&CHANNELS[0]);
                dup.source_id = self.source_id(channel);
                dup
            }
            None => {
                let record = self.fresh(ts);
                self.maybe_queue_duplicate(&record);
                record
            }
        };
        self.emitted += 1;
        Some(record)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = usize::try_from(self.rows - self.emitted).unwrap_or(usize::MAX);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Generator {}
