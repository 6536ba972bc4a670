//! Phone, resident ID and bank card numbers.
//!
//! The regex crate has no look-around, so "on digit boundaries" is checked
//! after each match and, on failure, the search resumes one character later
//! (see [`for_each_accepted`]). ID and card numbers must also pass their check
//! digits, which is what keeps order numbers from being masked.

use std::sync::LazyLock;

use regex::Regex;

use super::checksum::{id_checksum_valid, id_plausible, luhn_valid};
use super::{Candidate, PiiKind};

fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("constant regex {pattern:?}: {e}"))
}

// ok: the patterns are constants covered by the tests.
static MOBILE: LazyLock<Regex> = LazyLock::new(|| compile(r"(?:(?:\+|00)86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}"));
static LANDLINE: LazyLock<Regex> = LazyLock::new(|| compile(r"(?:\(0\d{2,3}\)[ -]?|0\d{2,3}[ -])\d{7,8}"));
static INTERNATIONAL: LazyLock<Regex> = LazyLock::new(|| compile(r"\+[1-9]\d{0,2}(?:[ -]?\d){7,12}"));
static ID_NUMBER: LazyLock<Regex> = LazyLock::new(|| compile(r"[1-8]\d{16}[\dXx]"));
static BANK_CARD: LazyLock<Regex> = LazyLock::new(|| compile(r"\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?|\d{16,19}"));

/// Finds phone, ID and card numbers in a text with at least `digits` ASCII digits.
pub(super) fn find_numbers(text: &str, digits: usize, out: &mut Vec<Candidate>) {
    if digits >= 16 {
        find_with(&ID_NUMBER, text, PiiKind::IdNumber, out, mask_id);
        find_with(&BANK_CARD, text, PiiKind::BankCard, out, mask_card);
    }
    if digits >= 8 {
        find_with(&MOBILE, text, PiiKind::Phone, out, mask_mobile);
        find_with(&LANDLINE, text, PiiKind::Phone, out, mask_landline);
        find_with(&INTERNATIONAL, text, PiiKind::Phone, out, mask_international);
    }
}

/// Runs `re` on digit boundaries; `mask` returns `None` to reject a match.
fn find_with(re: &Regex, text: &str, kind: PiiKind, out: &mut Vec<Candidate>, mask: fn(&str) -> Option<String>) {
    for_each_accepted(re, text, |start, end| {
        if digit_before(text, start) || digit_after(text, end) {
            return None;
        }
        let masked = mask(&text[start..end])?;
        out.push(Candidate {
            kind,
            start,
            end,
            masked,
        });
        Some(())
    });
}

/// Calls `accept` on every match of `re`; when `accept` rejects one
/// (returns `None`), searching resumes one character after its start, so a
/// shorter valid match inside a rejected one is still found.
pub(super) fn for_each_accepted(re: &Regex, text: &str, mut accept: impl FnMut(usize, usize) -> Option<()>) {
    let mut at = 0;
    while let Some(m) = re.find_at(text, at) {
        at = match accept(m.start(), m.end()) {
            Some(()) if m.end() > m.start() => m.end(),
            _ => m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8),
        };
        if at > text.len() {
            break;
        }
    }
}

fn digit_before(text: &str, at: usize) -> bool {
    text[..at].chars().next_back().is_some_and(|c| c.is_ascii_digit())
}

fn digit_after(text: &str, at: usize) -> bool {
    text[at..].chars().next().is_some_and(|c| c.is_ascii_digit())
}

fn ascii_digits(value: &str) -> String {
    value.chars().filter(char::is_ascii_digit).collect()
}

/// `138****5678`, keeping a `+86` / `0086` prefix as `+86 `.
fn mask_mobile(value: &str) -> Option<String> {
    let digits = ascii_digits(value);
    let national = digits.get(digits.len().checked_sub(11)?..)?;
    let prefix = if digits.len() > 11 { "+86 " } else { "" };
    Some(format!("{prefix}{}****{}", &national[..3], &national[7..]))
}

/// `010-****5678`: the area code as written, the last four digits.
fn mask_landline(value: &str) -> Option<String> {
    let area_end = value.find([')', '-', ' '])? + 1;
    let digits = ascii_digits(&value[area_end..]);
    Some(format!(
        "{}****{}",
        &value[..area_end],
        digits.get(digits.len().checked_sub(4)?..)?
    ))
}

/// `+44 ****0958`: the country code if it is set apart, the last four digits.
fn mask_international(value: &str) -> Option<String> {
    let code_end = value.find([' ', '-']).filter(|&at| at <= 4).map_or(1, |at| at + 1);
    let digits = ascii_digits(value);
    Some(format!(
        "{}****{}",
        &value[..code_end],
        digits.get(digits.len().checked_sub(4)?..)?
    ))
}

/// `110***********1234`: region prefix and last four kept, when the checksum
/// and birth date hold.
fn mask_id(value: &str) -> Option<String> {
    if !id_checksum_valid(value) || !id_plausible(value) {
        return None;
    }
    Some(format!("{}{}{}", &value[..3], "*".repeat(11), &value[14..]))
}

/// Issuer prefixes of cards used in China: UnionPay and debit (6), Visa (4),
/// Mastercard (5, and 2221-2720 for 16 digits), JCB and Amex (3). Requiring
/// one keeps date-prefixed order numbers ("2024…") out even if Luhn passes.
fn card_issuer_plausible(digits: &str) -> bool {
    let prefix4: u32 = digits.get(..4).and_then(|p| p.parse().ok()).unwrap_or(0);
    matches!(digits.as_bytes().first(), Some(b'3'..=b'6')) || (digits.len() == 16 && (2221..=2720).contains(&prefix4))
}

/// `****1234`, when Luhn and the issuer prefix hold.
fn mask_card(value: &str) -> Option<String> {
    let digits = ascii_digits(value);
    if !(16..=19).contains(&digits.len()) || !luhn_valid(value) || !card_issuer_plausible(&digits) {
        return None;
    }
    Some(format!("****{}", &digits[digits.len() - 4..]))
}
