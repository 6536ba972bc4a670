//! Cleaning one valid record: the CPU-heavy, order-independent part of ingest,
//! run in parallel before the (ordered) deduplication and commit.

use std::borrow::Cow;

use smol_str::SmolStr;
use xxhash_rust::xxh3::{xxh3_64, xxh3_128};

use voxlake_models::text::{lang, normalize::normalize_cow, pii, simhash, spam};

use crate::crypto::ContactCipher;
use crate::error::Result;
use crate::record::{CleanFeedback, ValidFeedback};

/// Cleans records; cheap to share across threads.
#[derive(Clone, Debug)]
pub struct Cleaner {
    cipher: ContactCipher,
}

impl Cleaner {
    pub fn new(cipher: ContactCipher) -> Self {
        Self { cipher }
    }

    /// Normalise and mask the text, protect the contact, detect language and
    /// spam, and compute the fingerprints deduplication needs.
    pub fn clean(&self, mut valid: ValidFeedback) -> Result<CleanFeedback> {
        let normalised = normalize_cow(&valid.text);
        let language = valid
            .language_hint
            .unwrap_or_else(|| lang::detect_language(&normalised));
        let spam = spam::detect_spam(&normalised);
        if let Some(stored) = masked_if_changed(normalised) {
            valid.text = stored;
        }
        // Fingerprints of the stored (masked) text, so that the index rebuilt
        // from the table at start-up computes the same ones.
        let text_hash = text_hash(&valid.text);
        let simhash = simhash::simhash(&valid.text);
        if let Some(title) = &mut valid.title
            && let Some(stored) = masked_if_changed(normalize_cow(title))
        {
            *title = stored;
        }
        let (contact_masked, contact_encrypted) = self.protect_contact(valid.contact.take())?;
        let source_id = valid
            .source_id
            .clone()
            .unwrap_or_else(|| derived_source_id(&valid).into());
        Ok(CleanFeedback {
            source_key: source_key(&valid.channel, &source_id),
            source_id,
            contact_masked,
            contact_encrypted,
            language,
            spam,
            text_hash,
            simhash,
            valid,
            enriched: None,
        })
    }

    fn protect_contact(&self, contact: Option<String>) -> Result<(Option<SmolStr>, Option<Vec<u8>>)> {
        let Some(contact) = contact else {
            return Ok((None, None));
        };
        let masked = mask_contact(&contact);
        Ok((Some(masked), Some(self.cipher.encrypt(&contact)?)))
    }
}

/// A normalised text with its PII masked, or `None` when neither step
/// changed the original: most feedback is stored as it came, without a copy.
fn masked_if_changed(normalised: Cow<'_, str>) -> Option<String> {
    if let Cow::Owned(masked) = pii::mask_pii_text(&normalised) {
        return Some(masked);
    }
    match normalised {
        Cow::Owned(normalised) => Some(normalised),
        Cow::Borrowed(_) => None,
    }
}

/// The masked form of a contact field: what PII masking makes of it, or, when
/// it holds nothing recognisable (a WeChat id, say), all but its ends hidden.
fn mask_contact(contact: &str) -> SmolStr {
    if let Cow::Owned(masked) = pii::mask_pii_text(contact) {
        return masked.into();
    }
    let chars: Vec<char> = contact.chars().collect();
    match chars.len() {
        0..=2 => "*".repeat(chars.len()).into(),
        n => smol_str::format_smolstr!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

/// The exact-duplicate fingerprint of a stored text.
pub fn text_hash(text: &str) -> u64 {
    if text.chars().any(may_have_lowercase) {
        xxh3_64(text.to_lowercase().as_bytes())
    } else {
        xxh3_64(text.as_bytes())
    }
}

/// Whether `c` might change under `to_lowercase`. Chinese, Japanese and
/// Korean script and punctuation (U+2E80..U+9FFF) have no case, so most
/// feedback needs no lowercase copy and no case-table lookup per character.
fn may_have_lowercase(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_uppercase()
    } else {
        !('\u{2E80}'..='\u{9FFF}').contains(&c)
    }
}

/// The idempotency key: one per `(channel, source_id)`.
pub fn source_key(channel: &str, source_id: &str) -> u64 {
    let mut bytes = Vec::with_capacity(channel.len() + source_id.len() + 1);
    bytes.extend_from_slice(channel.as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(source_id.as_bytes());
    xxh3_64(&bytes)
}

/// A source id for channels that send none, derived from what identifies the
/// feedback, so that re-importing the same file yields the same ids.
fn derived_source_id(valid: &ValidFeedback) -> String {
    let key = format!(
        "{}\0{}\0{:?}\0{}",
        valid.channel,
        valid.received_at.timestamp_micros(),
        valid.customer_id,
        valid.text
    );
    format!("h{:032x}", xxh3_128(key.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Position;
    use chrono::{TimeZone, Utc};

    fn valid(text: &str, contact: Option<&str>) -> ValidFeedback {
        ValidFeedback {
            position: Position(1),
            channel: "app".into(),
            source_id: None,
            received_at: Utc.with_ymd_and_hms(2025, 3, 1, 8, 0, 0).single().expect("valid"),
            customer_id: Some(7),
            customer_tier: None,
            contact: contact.map(str::to_owned),
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
        }
    }

    fn cleaner() -> Cleaner {
        Cleaner::new(ContactCipher::from_base64(&ContactCipher::generate_key()).expect("key"))
    }

    #[test]
    fn text_is_normalised_and_masked() {
        let clean = cleaner()
            .clean(valid("  <p>快递太慢！！</p> 打我电话１３８１２３４５６７８  ", None))
            .expect("cleans");
        assert!(!clean.valid.text.contains("13812345678"), "{}", clean.valid.text);
        assert!(!clean.valid.text.contains('<'));
        assert!(clean.valid.text.starts_with("快递太慢"));
        assert_eq!(clean.language, lang::Language::Zh);
    }

    #[test]
    fn title_is_normalised_and_masked_and_clean_text_kept() {
        let mut record = valid("物流很快", None);
        record.title = Some("  联系我 13812345678 ".into());
        let clean = cleaner().clean(record).expect("cleans");
        let title = clean.valid.title.expect("title kept");
        assert!(
            title.starts_with("联系我 ") && !title.contains("13812345678"),
            "{title}"
        );
        assert_eq!(clean.valid.text, "物流很快");
    }

    #[test]
    fn contact_is_masked_and_encrypted() {
        let c = cleaner();
        let clean = c.clean(valid("好", Some("13812345678"))).expect("cleans");
        assert_ne!(clean.contact_masked.as_deref(), Some("13812345678"));
        let sealed = clean.contact_encrypted.expect("encrypted");
        assert_eq!(c.cipher.decrypt(&sealed).expect("decrypts"), "13812345678");
        assert_eq!(mask_contact("wx_lily88"), "w*******8");
    }

    #[test]
    fn derived_source_ids_are_stable_and_distinct() {
        let c = cleaner();
        let a = c.clean(valid("好评", None)).expect("cleans");
        let b = c.clean(valid("好评", None)).expect("cleans");
        let other = c.clean(valid("差评", None)).expect("cleans");
        assert_eq!(a.source_id, b.source_id);
        assert_eq!(a.source_key, b.source_key);
        assert_ne!(a.source_id, other.source_id);
    }

    #[test]
    fn caseless_text_hashes_as_its_lowercase() {
        for text in [
            "快递太慢了，差评！",
            "物流很快。ｶ",
            "App 闪退 V2.3",
            "ÉCRAN cassé",
            "ΣΟΦΙΑ",
            "Ⅻ号店",
            "ok",
        ] {
            assert_eq!(text_hash(text), xxh3_64(text.to_lowercase().as_bytes()), "{text}");
        }
    }

    #[test]
    fn equal_texts_after_normalisation_share_a_hash() {
        let c = cleaner();
        let a = c.clean(valid("ＡＢＣ 太差了", None)).expect("cleans");
        let b = c.clean(valid("abc   太差了", None)).expect("cleans");
        assert_eq!(a.text_hash, b.text_hash);
    }
}
