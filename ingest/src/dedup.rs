//! What ingest must remember about earlier feedback to decide about new
//! feedback: which `(channel, source_id)` pairs are stored (idempotency), the
//! recent texts of each customer (exact and near duplicates), and each
//! customer's last known region and tier (filling gaps).
//!
//! Decisions are staged while a batch is prepared, so that records of one
//! batch see each other, and either kept when the batch commits or rolled back
//! when it fails: the memory never claims a row the table does not have.

use std::collections::hash_map::Entry;

use chrono::{DateTime, Duration, Utc};
use rustc_hash::FxHashMap;
use smallvec::SmallVec;
use smol_str::SmolStr;
use ulid::Ulid;

use voxlake_models::text::simhash::hamming;

use crate::record::{CleanFeedback, FeedbackRow};

/// How long a text counts as a possible resubmission.
pub const DEFAULT_DUPLICATE_WINDOW: Duration = Duration::days(7);
/// SimHash distance at or under which two texts of one customer are near
/// duplicates. One changed character moves a short review 5-19 bits while
/// unrelated reviews sit 22-39 bits apart (measured on waimai reviews), and the
/// comparison is only among one customer's recent texts, so 10 bits is safe.
pub const NEAR_DUPLICATE_BITS: u32 = 10;
/// Texts shorter than this are too short to call near duplicates of each other.
const MIN_NEAR_DUP_CHARS: usize = 8;

/// One earlier text of a customer.
#[derive(Clone, Copy, Debug)]
struct RecentText {
    /// The id's 16 bytes: a `Ulid` would align the entry to 16 and pad it.
    id: [u8; 16],
    /// Microseconds since the epoch: compared for every record of a customer,
    /// so kept as a plain integer rather than a calendar time.
    at: i64,
    text_hash: u64,
    simhash: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profile {
    pub region: Option<SmolStr>,
    pub tier: Option<SmolStr>,
}

/// What the index remembers of one customer, in one map entry: each record
/// of a known customer reads and updates both parts, and one entry costs one
/// cache miss where separate maps (and a list on the heap) cost three.
#[derive(Debug, Default)]
struct Customer {
    profile: Profile,
    /// Texts within the window, oldest first. Customers rarely write more
    /// than twice a week, so these usually sit inline in the entry.
    recent: SmallVec<[RecentText; 2]>,
}

/// What the index decided for one record.
// Consumed right where it is returned; boxing the row would cost an
// allocation per record on the writer's hot path.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// A new row; `duplicate_of` links it to an earlier text.
    New(FeedbackRow),
    /// The same `(channel, source_id)` is already stored under this id.
    Existing(Ulid),
}

/// One staged change, kept so a failed commit can be undone. A bulk import
/// stages a few per row until its commit, so the rare profile is boxed to
/// keep every entry at 24 bytes instead of 64.
enum Undo {
    Source(u64),
    Recent(i64),
    Profile(i64, Box<Profile>),
}

/// Every record looks up two maps on the single writer thread; their keys
/// are integers (the source key already an xxh3 hash), so a multiply-based
/// hash serves where std's SipHash would cost more than the lookup. Feedback
/// ids are kept as their 16 bytes: a `Ulid` is a `u128`, aligned to 16, which
/// would pad each entry of the map with one entry per stored row from 24
/// bytes to 32.
#[derive(Default)]
pub struct DedupIndex {
    sources: FxHashMap<u64, [u8; 16]>,
    customers: FxHashMap<i64, Customer>,
    staged: Vec<Undo>,
    window: Duration,
}

impl DedupIndex {
    pub fn new(window: Duration) -> Self {
        Self {
            window,
            ..Self::default()
        }
    }

    /// Remember a row already in the table (used when loading at start-up).
    pub fn remember_source(&mut self, source_key: u64, id: Ulid) {
        self.sources.insert(source_key, id.to_bytes());
    }

    /// Remember a customer's earlier text (used when loading at start-up).
    pub fn remember_text(
        &mut self,
        customer: i64,
        id: Ulid,
        at: DateTime<Utc>,
        text_hash: u64,
        simhash: u64,
        chars: usize,
    ) {
        let simhash = (chars >= MIN_NEAR_DUP_CHARS).then_some(simhash);
        self.customers.entry(customer).or_default().recent.push(RecentText {
            id: id.to_bytes(),
            at: at.timestamp_micros(),
            text_hash,
            simhash,
        });
    }

    /// Remember a customer's profile (used when loading at start-up).
    pub fn remember_profile(&mut self, customer: i64, profile: Profile) {
        self.customers.entry(customer).or_default().profile = profile;
    }

    pub fn len(&self) -> usize {
        self.sources.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// Decide about one record and stage what the decision changes.
    pub fn decide(&mut self, mut clean: CleanFeedback, now: DateTime<Utc>) -> Decision {
        // One probe of the largest map, whose entries are rarely in cache.
        let id = match self.sources.entry(clean.source_key) {
            Entry::Occupied(stored) => return Decision::Existing(Ulid::from_bytes(*stored.get())),
            Entry::Vacant(slot) => {
                let id = Ulid::from_datetime(clean.valid.received_at.into());
                slot.insert(id.to_bytes());
                id
            }
        };
        self.staged.push(Undo::Source(clean.source_key));
        let mut duplicate_of = None;
        if let Some(customer) = clean.valid.customer_id {
            let memory = self.customers.entry(customer).or_default();
            duplicate_of = link_text(memory, id, &clean, self.window);
            self.staged.push(Undo::Recent(customer));
            if let Some(previous) = fill_gaps(&mut memory.profile, &mut clean) {
                self.staged.push(Undo::Profile(customer, previous));
            }
        }
        Decision::New(FeedbackRow {
            feedback_id: id,
            ingested_at: now,
            duplicate_of,
            clean,
        })
    }

    /// Keep every staged change: the batch is committed.
    pub fn commit(&mut self) {
        self.staged.clear();
    }

    /// Undo every staged change: the batch did not commit.
    pub fn rollback(&mut self) {
        while let Some(undo) = self.staged.pop() {
            match undo {
                Undo::Source(key) => {
                    self.sources.remove(&key);
                }
                Undo::Recent(customer) => {
                    if let Some(memory) = self.customers.get_mut(&customer) {
                        memory.recent.pop();
                    }
                }
                Undo::Profile(customer, previous) => {
                    if let Some(memory) = self.customers.get_mut(&customer) {
                        memory.profile = *previous;
                    }
                }
            }
        }
    }
}

/// Find an earlier text of the customer this one repeats, then remember
/// this one. Texts older than the window are forgotten on the way.
fn link_text(memory: &mut Customer, id: Ulid, clean: &CleanFeedback, window: Duration) -> Option<Ulid> {
    let at = clean.valid.received_at.timestamp_micros();
    let window = window.num_microseconds().unwrap_or(i64::MAX).unsigned_abs();
    let long_enough = has_at_least_chars(&clean.valid.text, MIN_NEAR_DUP_CHARS);
    let simhash = long_enough.then_some(clean.simhash);
    let texts = &mut memory.recent;
    let original = texts
        .iter()
        .filter(|t| at.abs_diff(t.at) <= window)
        .find(|t| t.text_hash == clean.text_hash || near(t.simhash, simhash))
        .map(|t| Ulid::from_bytes(t.id));
    if texts.len() > 16 {
        texts.retain(|t| at.abs_diff(t.at) <= window);
    }
    texts.push(RecentText {
        id: id.to_bytes(),
        at,
        text_hash: clean.text_hash,
        simhash,
    });
    original
}

/// Fill region and tier from the customer's earlier feedback when this one
/// lacks them, and remember what this one says for later ones. Returns the
/// profile as it was when it changed.
fn fill_gaps(known: &mut Profile, clean: &mut CleanFeedback) -> Option<Box<Profile>> {
    let valid = &mut clean.valid;
    if valid.region.is_none() {
        valid.region.clone_from(&known.region);
    }
    if valid.customer_tier.is_none() {
        valid.customer_tier.clone_from(&known.tier);
    }
    if known.region == valid.region && known.tier == valid.customer_tier {
        return None;
    }
    let current = Profile {
        region: valid.region.clone(),
        tier: valid.customer_tier.clone(),
    };
    Some(Box::new(std::mem::replace(known, current)))
}

/// Whether `text` has `n` characters or more, without counting all of a long one.
fn has_at_least_chars(text: &str, n: usize) -> bool {
    text.len() >= n * 4 || (text.len() >= n && text.chars().nth(n - 1).is_some())
}

fn near(a: Option<u64>, b: Option<u64>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if hamming(a, b) <= NEAR_DUPLICATE_BITS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Position, ValidFeedback};
    use chrono::TimeZone;

    fn clean(source: &str, customer: Option<i64>, text: &str, hour: u32) -> CleanFeedback {
        let received_at = Utc.with_ymd_and_hms(2025, 5, 1, hour, 0, 0).single().expect("valid");
        let valid = ValidFeedback {
            position: Position(1),
            channel: "app".into(),
            source_id: Some(source.into()),
            received_at,
            customer_id: customer,
            customer_tier: None,
            contact: None,
            product: None,
            product_model: None,
            order_id: None,
            app_version: None,
            region: None,
            store_id: None,
            agent_id: None,
            rating: None,
            language_hint: None,
            title: None,
            text: text.into(),
            tags: vec![],
            extra: None,
        };
        CleanFeedback {
            source_key: crate::clean::source_key("app", source),
            source_id: source.into(),
            contact_masked: None,
            contact_encrypted: None,
            language: voxlake_models::text::lang::Language::Zh,
            spam: None,
            text_hash: crate::clean::text_hash(text),
            simhash: voxlake_models::text::simhash::simhash(text),
            valid,
            enriched: None,
        }
    }

    fn new_row(decision: Decision) -> FeedbackRow {
        match decision {
            Decision::New(row) => row,
            Decision::Existing(id) => panic!("expected a new row, got existing {id}"),
        }
    }

    #[test]
    fn index_entries_stay_small() {
        assert_eq!(std::mem::size_of::<(u64, [u8; 16])>(), 24);
        assert_eq!(std::mem::size_of::<Undo>(), 24);
    }

    #[test]
    fn same_source_is_answered_with_the_original_id() {
        let mut index = DedupIndex::new(DEFAULT_DUPLICATE_WINDOW);
        let first = new_row(index.decide(clean("s1", Some(1), "物流太慢了", 8), Utc::now()));
        index.commit();
        assert_eq!(
            index.decide(clean("s1", Some(1), "whatever", 9), Utc::now()),
            Decision::Existing(first.feedback_id)
        );
    }

    #[test]
    fn resubmitted_text_links_to_the_original() {
        let mut index = DedupIndex::new(DEFAULT_DUPLICATE_WINDOW);
        let first = new_row(index.decide(
            clean("s1", Some(1), "快递三天了还没到，客服也不回复消息", 8),
            Utc::now(),
        ));
        let exact = new_row(index.decide(
            clean("s2", Some(1), "快递三天了还没到，客服也不回复消息", 9),
            Utc::now(),
        ));
        let near = new_row(index.decide(
            clean("s3", Some(1), "快递三天了还没到，客服也不回复消息！", 10),
            Utc::now(),
        ));
        let other_customer = new_row(index.decide(
            clean("s4", Some(2), "快递三天了还没到，客服也不回复消息", 10),
            Utc::now(),
        ));
        assert_eq!(exact.duplicate_of, Some(first.feedback_id));
        assert_eq!(near.duplicate_of, Some(first.feedback_id));
        assert_eq!(other_customer.duplicate_of, None);
    }

    #[test]
    fn texts_outside_the_window_are_not_duplicates() {
        let mut index = DedupIndex::new(Duration::hours(1));
        new_row(index.decide(clean("s1", Some(1), "屏幕有坏点，申请换货", 8), Utc::now()));
        let later = new_row(index.decide(clean("s2", Some(1), "屏幕有坏点，申请换货", 12), Utc::now()));
        assert_eq!(later.duplicate_of, None);
    }

    #[test]
    fn rollback_forgets_the_failed_batch() {
        let mut index = DedupIndex::new(DEFAULT_DUPLICATE_WINDOW);
        new_row(index.decide(clean("s1", Some(1), "第一条反馈内容比较长", 8), Utc::now()));
        index.commit();
        new_row(index.decide(clean("s2", Some(1), "第二条反馈内容也很长", 9), Utc::now()));
        index.rollback();
        let retried = new_row(index.decide(clean("s2", Some(1), "第二条反馈内容也很长", 9), Utc::now()));
        assert_eq!(
            retried.duplicate_of, None,
            "the rolled-back text must not count as an original"
        );
        assert_eq!(index.len(), 2);
    }

    #[test]
    fn rollback_restores_the_profile_before_the_batch() {
        let mut index = DedupIndex::new(DEFAULT_DUPLICATE_WINDOW);
        let mut first = clean("s1", Some(1), "好评", 8);
        first.valid.region = Some("四川".into());
        new_row(index.decide(first, Utc::now()));
        index.commit();
        let mut moved = clean("s2", Some(1), "搬家了", 9);
        moved.valid.region = Some("上海".into());
        new_row(index.decide(moved, Utc::now()));
        let mut newcomer = clean("s3", Some(2), "第一次买", 9);
        newcomer.valid.customer_tier = Some("gold".into());
        new_row(index.decide(newcomer, Utc::now()));
        index.rollback();
        let later = new_row(index.decide(clean("s4", Some(1), "还行吧", 10), Utc::now()));
        assert_eq!(later.clean.valid.region.as_deref(), Some("四川"));
        let stranger = new_row(index.decide(clean("s5", Some(2), "还行吧", 10), Utc::now()));
        assert_eq!(
            stranger.clean.valid.customer_tier, None,
            "the rolled-back tier is forgotten"
        );
    }

    #[test]
    fn gaps_are_filled_from_the_customer_profile() {
        let mut index = DedupIndex::new(DEFAULT_DUPLICATE_WINDOW);
        let mut first = clean("s1", Some(1), "好评", 8);
        first.valid.region = Some("四川".into());
        first.valid.customer_tier = Some("gold".into());
        new_row(index.decide(first, Utc::now()));
        let second = new_row(index.decide(clean("s2", Some(1), "还行吧", 9), Utc::now()));
        assert_eq!(second.clean.valid.region.as_deref(), Some("四川"));
        assert_eq!(second.clean.valid.customer_tier.as_deref(), Some("gold"));
        let stranger = new_row(index.decide(clean("s3", Some(2), "还行吧", 9), Utc::now()));
        assert_eq!(stranger.clean.valid.region, None);
    }
}
