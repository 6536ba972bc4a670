//! Street addresses, Chinese and English.
//!
//! A Chinese address is recognised by its shape: optional province and city,
//! optional district or county, a street name ending in 路/街/道/巷/弄/胡同
//! and a house number ending in 号, then optional building, unit and room.
//! The province and city are kept (they are useful for regional analysis and
//! identify no one); everything from the district on becomes `***`. A bare
//! "…道N号" without province, city or district is not taken, so that "不知道3号
//! 能不能到" stays as it is. English addresses ("221B Baker Street") are a
//! house number, one to three capitalised words and a street type; they are
//! replaced by `***` entirely.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::numbers::for_each_accepted;
use super::{Candidate, PiiKind};

// ok: constant patterns, covered by the tests.
static CHINESE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<keep>(?:\p{Han}{2,8}?(?:省|自治区))?(?:\p{Han}{2,8}?市)?)",
        r"(?P<district>\p{Han}{1,8}?(?:区|县|旗))?",
        r"(?:\p{Han}{1,8}?(?:镇|乡|街道))?",
        r"[\p{Han}\d]{1,10}?(?P<street>路|大街|大道|街|道|巷|弄|胡同)",
        r"\d{1,5}(?:-\d{1,5})?号",
        r"(?:\d{1,4}(?:号楼|栋|幢|座|单元|楼|层|室|号)|[A-Za-z](?:座|栋))*",
    ))
    .unwrap_or_else(|e| panic!("constant regex: {e}"))
});

// ok: constant pattern, covered by the tests.
static ENGLISH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\b\d{1,5}[A-Za-z]?(?:\s+[A-Z][a-z]+){1,3}\s+",
        r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Parkway|Pkwy",
        r"|Way|Court|Ct|Place|Pl|Terrace|Square|Highway|Hwy)\b\.?",
    ))
    .unwrap_or_else(|e| panic!("constant regex: {e}"))
});

/// Finds Chinese addresses (only called when the text contains 号).
pub(super) fn find_chinese(text: &str, out: &mut Vec<Candidate>) {
    for_each_accepted(&CHINESE, text, |start, end| {
        let caps = CHINESE.captures(&text[start..end])?;
        let masked = mask_chinese(&caps)?;
        out.push(Candidate {
            kind: PiiKind::Address,
            start,
            end,
            masked,
        });
        Some(())
    });
}

/// The kept province/city plus `***`; `None` for a bare "…道N号".
fn mask_chinese(caps: &Captures<'_>) -> Option<String> {
    let keep = caps.name("keep").map_or("", |m| m.as_str());
    let anchored = !keep.is_empty() || caps.name("district").is_some();
    let street = caps.name("street").map_or("", |m| m.as_str());
    if !anchored && street == "道" {
        return None;
    }
    Some(format!("{keep}***"))
}

/// Finds English street addresses.
pub(super) fn find_english(text: &str, out: &mut Vec<Candidate>) {
    for m in ENGLISH.find_iter(text) {
        let masked = "***".to_owned();
        out.push(Candidate {
            kind: PiiKind::Address,
            start: m.start(),
            end: m.end(),
            masked,
        });
    }
}
