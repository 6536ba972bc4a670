//! Masking personal data in feedback text before it is stored.
//!
//! Feedback is kept for years and read by many people, but the contact in
//! it is needed once, to reply. So ingest masks phones, e-mails, resident ID
//! numbers, bank cards and street addresses in the stored text and keeps
//! what was found ([`Masked::found`]) for the contact fields.
//!
//! Precision matters as much as recall: feedback is full of order numbers,
//! prices, dates, versions and model names. Numbers are matched only on digit
//! boundaries, ID numbers must pass the GB 11643 checksum and have a plausible
//! birth date, card numbers must pass Luhn and start like a real card. Most
//! texts have no PII at all, so a byte scan decides first whether any regex
//! needs to run.
//!
//! Masks (readable, and saying what was there):
//!
//! | kind | example | masked |
//! |---|---|---|
//! | mobile | `13812345678`, `+86 138 1234 5678` | `138****5678`, `+86 138****5678` |
//! | landline | `010-12345678`, `(0755)87654321` | `010-****5678`, `(0755)****4321` |
//! | international | `+44 20 7946 0958` | `+44 ****0958` |
//! | e-mail | `zhang.san@example.com` | `z***@example.com` |
//! | ID number | 18 characters | first 3, 11 `*`, last 4 |
//! | bank card | 16-19 digits | `****` and the last 4 |
//! | address | `上海市浦东新区张江路123号` | `上海市***` (province and city kept) |
//! | English address | `221B Baker Street` | `***` |

mod address;
mod checksum;
mod numbers;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

pub use checksum::{id_checksum_valid, luhn_valid};

/// What kind of personal data was masked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PiiKind {
    Phone,
    Email,
    IdNumber,
    BankCard,
    Address,
}

impl PiiKind {
    /// Stable snake_case name, as stored in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Email => "email",
            Self::IdNumber => "id_number",
            Self::BankCard => "bank_card",
            Self::Address => "address",
        }
    }
}

/// One piece of personal data found in the original text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PiiMatch {
    pub kind: PiiKind,
    /// Byte range in the original text.
    pub span: Range<usize>,
    /// The original value, e.g. the phone number to reply to.
    pub value: String,
}

/// The masked text and what was masked, in order of position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Masked<'a> {
    /// Borrowed when nothing was found.
    pub text: Cow<'a, str>,
    pub found: Vec<PiiMatch>,
}

/// A match before overlaps between kinds are resolved.
struct Candidate {
    kind: PiiKind,
    start: usize,
    end: usize,
    masked: String,
}

/// Masks personal data in `text` (best on normalised text: full-width digits
/// are not recognised). See the module docs for the masks.
pub fn mask_pii(text: &str) -> Masked<'_> {
    let candidates = find_candidates(text);
    if candidates.is_empty() {
        return Masked {
            text: Cow::Borrowed(text),
            found: Vec::new(),
        };
    }
    let accepted = resolve_overlaps(candidates);
    assemble(text, &accepted)
}

/// [`mask_pii`]'s text alone, for callers that store it and need nothing of
/// what was found (ingest): owned exactly when something was masked.
pub fn mask_pii_text(text: &str) -> Cow<'_, str> {
    let candidates = find_candidates(text);
    if candidates.is_empty() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(masked_text(text, &resolve_overlaps(candidates)))
}

/// Cheap facts about a text that decide which detectors run.
struct Signals {
    digits: usize,
    at_sign: bool,
    uppercase: bool,
}

fn signals(text: &str) -> Signals {
    let mut signals = Signals {
        digits: 0,
        at_sign: false,
        uppercase: false,
    };
    for b in text.bytes() {
        signals.digits += usize::from(b.is_ascii_digit());
        signals.at_sign |= b == b'@';
        signals.uppercase |= b.is_ascii_uppercase();
    }
    signals
}

fn find_candidates(text: &str) -> Vec<Candidate> {
    let signals = signals(text);
    let mut out = Vec::new();
    if signals.digits >= 7 {
        numbers::find_numbers(text, signals.digits, &mut out);
    }
    if signals.at_sign {
        find_emails(text, &mut out);
    }
    if signals.digits > 0 && text.contains('号') {
        address::find_chinese(text, &mut out);
    }
    if signals.digits > 0 && signals.uppercase {
        address::find_english(text, &mut out);
    }
    out
}

// ok: constant pattern, covered by the tests.
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
        .unwrap_or_else(|e| panic!("constant regex: {e}"))
});

/// `z***@example.com`: first character of the local part and the domain.
fn find_emails(text: &str, out: &mut Vec<Candidate>) {
    for m in EMAIL.find_iter(text) {
        let (local, domain) = m.as_str().split_once('@').unwrap_or(("", m.as_str()));
        let first = local.chars().next().map_or(String::new(), String::from);
        let masked = format!("{first}***@{domain}");
        out.push(Candidate {
            kind: PiiKind::Email,
            start: m.start(),
            end: m.end(),
            masked,
        });
    }
}

/// Keeps the earliest, then longest, then highest-priority candidate of
/// each overlapping group.
fn resolve_overlaps(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    candidates.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end), priority(c.kind)));
    let mut accepted: Vec<Candidate> = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        if accepted.last().is_none_or(|last| candidate.start >= last.end) {
            accepted.push(candidate);
        }
    }
    accepted
}

/// Lower wins when two kinds match the same span (an 18-digit valid ID
/// can also pass Luhn).
fn priority(kind: PiiKind) -> u8 {
    match kind {
        PiiKind::Email => 0,
        PiiKind::IdNumber => 1,
        PiiKind::BankCard => 2,
        PiiKind::Phone => 3,
        PiiKind::Address => 4,
    }
}

fn assemble<'a>(text: &'a str, accepted: &[Candidate]) -> Masked<'a> {
    let found = accepted
        .iter()
        .map(|c| PiiMatch {
            kind: c.kind,
            span: c.start..c.end,
            value: text[c.start..c.end].to_owned(),
        })
        .collect();
    Masked {
        text: Cow::Owned(masked_text(text, accepted)),
        found,
    }
}

/// `text` with each accepted candidate replaced by its mask.
fn masked_text(text: &str, accepted: &[Candidate]) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut done = 0;
    for c in accepted {
        masked.push_str(&text[done..c.start]);
        masked.push_str(&c.masked);
        done = c.end;
    }
    masked.push_str(&text[done..]);
    masked
}
