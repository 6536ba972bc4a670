//! Which language a feedback text is written in, so that each text goes to the
//! tokenizer, stopwords and models of its language.
//!
//! Most feedback is Chinese, often with Latin product names mixed in
//! ("iPhone 15 屏幕坏了"), so one pass counts scripts and decides from those
//! counts alone. Only a text that is mostly Latin letters and long enough to
//! judge goes further: a quick English function-word check, then, when the
//! text shows a sign of another language (an accented letter, or a frequent
//! word of one), `whatlang` restricted to Latin-script languages to tell
//! English from the rest.

use std::str::FromStr;
use std::sync::LazyLock;

use whatlang::{Detector, Lang};

use super::script::{is_han, is_kana_or_hangul, is_latin_letter};

/// The languages Voxlake analyses separately; everything else is `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Zh,
    En,
    Other,
}

impl Language {
    /// Stable lowercase code, as stored in tables: "zh", "en" or "other".
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Zh => "zh",
            Self::En => "en",
            Self::Other => "other",
        }
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A language code that is not "zh", "en" or "other".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language code {0:?} (expected zh, en or other)")]
pub struct UnknownLanguage(pub String);

impl FromStr for Language {
    type Err = UnknownLanguage;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        match code.trim().to_ascii_lowercase().as_str() {
            "zh" => Ok(Self::Zh),
            "en" => Ok(Self::En),
            "other" => Ok(Self::Other),
            _ => Err(UnknownLanguage(code.to_owned())),
        }
    }
}

/// Letters by script, and Latin words, in one text.
#[derive(Default, Debug)]
struct ScriptCounts {
    han: usize,
    kana_hangul: usize,
    latin_letters: usize,
    /// Latin letters outside ASCII: é, ü, ñ, ş, ...
    accented_letters: usize,
    latin_words: usize,
    other_letters: usize,
}

fn count_scripts(text: &str) -> ScriptCounts {
    let mut counts = ScriptCounts::default();
    let mut in_latin_word = false;
    for c in text.chars() {
        let latin = is_latin_letter(c);
        if latin {
            counts.latin_letters += 1;
            counts.accented_letters += usize::from(!c.is_ascii());
            counts.latin_words += usize::from(!in_latin_word);
        } else if is_han(c) {
            counts.han += 1;
        } else if is_kana_or_hangul(c) {
            counts.kana_hangul += 1;
        } else if c.is_alphabetic() {
            counts.other_letters += 1;
        }
        in_latin_word = latin;
    }
    counts
}

/// The language of `text` (best on normalised text).
///
/// - Kana or hangul making up a fifth or more of the CJK characters: `Other`
///   (Japanese, Korean).
/// - Han characters making up 30 % or more of the units, where a unit is a Han
///   character or a Latin word: `Zh`.
/// - Mostly Latin letters: `En`, unless the text has at least
///   [`MIN_WORDS_TO_JUDGE`] words, no English function words, a sign of
///   another language (an accented letter or one of [`OTHER_LANGUAGE_WORDS`])
///   and `whatlang` finds another Latin-script language.
/// - Anything else (empty, digits only, other scripts): `Other`.
pub fn detect_language(text: &str) -> Language {
    let counts = count_scripts(text);
    let cjk = counts.han + counts.kana_hangul;
    if counts.kana_hangul > 0 && counts.kana_hangul * 5 >= cjk {
        return Language::Other;
    }
    let units = counts.han + counts.latin_words;
    if counts.han > 0 && counts.han * 10 >= units * 3 {
        return Language::Zh;
    }
    if counts.latin_letters == 0 || counts.latin_letters < counts.other_letters {
        return Language::Other;
    }
    latin_language(text, &counts)
}

/// Latin texts with fewer words than this are taken as English: in Chinese
/// companies' feedback, short Latin texts ("ok", "good", "App crashes") are
/// English far more often than not, and too short for `whatlang` to judge.
pub const MIN_WORDS_TO_JUDGE: usize = 4;

fn latin_language(text: &str, counts: &ScriptCounts) -> Language {
    let words = counts.latin_words;
    if words < MIN_WORDS_TO_JUDGE || has_english_function_words(text, words) {
        return Language::En;
    }
    // whatlang costs some twenty times the rest of detection: it is asked only
    // when something points away from English.
    if counts.accented_letters == 0 && !has_other_language_words(text) {
        return Language::En;
    }
    match LATIN_DETECTOR.detect_lang(text) {
        Some(Lang::Eng) => Language::En,
        _ => Language::Other,
    }
}

/// Frequent English words that are not words in the other Latin languages
/// whatlang tells apart (so "die", "a", "in" are left out).
const ENGLISH_FUNCTION_WORDS: &[&str] = &[
    "the", "is", "are", "was", "were", "and", "to", "of", "it", "this", "that", "not", "my", "you", "your", "with",
    "for", "have", "has", "be", "but", "on", "at", "i", "can't", "don't", "didn't", "doesn't", "very", "when", "after",
    "app", "please",
];

/// Whether at least a fifth of the words (and at least two) are English function words.
fn has_english_function_words(text: &str, words: usize) -> bool {
    let hits = text
        .split(|c: char| !(c.is_alphabetic() || c == '\''))
        .filter(|w| w.len() <= 7 && ENGLISH_FUNCTION_WORDS.iter().any(|f| f.eq_ignore_ascii_case(w)))
        .count();
    hits >= 2 && hits * 5 >= words
}

/// Frequent short words of the Latin-script languages [`LATIN_DETECTOR`]
/// tells apart that are not English words (so "die", "van", "is" are left
/// out, and Portuguese "com", which e-mail addresses are full of). Written
/// without accents: accented letters are a sign on their own.
pub const OTHER_LANGUAGE_WORDS: &[&str] = &[
    "der", "das", "und", "ist", "nicht", "ich", "sehr", "mit", "ein", "eine", "auch", "zu", // German
    "le", "les", "des", "est", "et", "pas", "je", "une", "tres", "du", "pour", "avec", "mais", // French
    "el", "los", "las", "que", "muy", "pero", "con", "para", "es", "del", "una", "por", // Spanish
    "os", "um", "uma", "nao", "mas", "muito", // Portuguese
    "il", "che", "non", "di", "per", "sono", "molto", "della", // Italian
    "het", "een", "niet", "ik", "zijn", "heel", "maar", "ook", "dat", // Dutch
    "dan", "yang", "tidak", "ini", "itu", "saya", "sangat", "tapi", "sudah", // Indonesian
    "khong", "rat", "cua", "toi", // Vietnamese, without its marks
    "ve", "bir", "bu", "ama", "cok", // Turkish
    "och", "att", "det", "inte", "jag", "mycket", // Swedish
    "nie", "jest", "bardzo", "ale", "na", "sie", // Polish
];

/// Whether any word of `text` is one of [`OTHER_LANGUAGE_WORDS`].
fn has_other_language_words(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| (2..=7).contains(&w.len()))
        .any(|w| OTHER_LANGUAGE_WORDS.iter().any(|o| o.eq_ignore_ascii_case(w)))
}

/// Latin-script languages seen in feedback; restricting whatlang to them makes
/// it both faster and more accurate on short texts.
static LATIN_DETECTOR: LazyLock<Detector> = LazyLock::new(|| {
    Detector::with_allowlist(vec![
        Lang::Eng,
        Lang::Deu,
        Lang::Fra,
        Lang::Spa,
        Lang::Por,
        Lang::Ita,
        Lang::Nld,
        Lang::Ind,
        Lang::Vie,
        Lang::Tur,
        Lang::Pol,
        Lang::Swe,
    ])
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_language_of_real_looking_feedback() {
        use Language::*;
        let cases = [
            ("", Other),
            ("   ", Other),
            ("12345 !!!", Other),
            ("iPhone 15 屏幕坏了", Zh),
            ("送餐太慢了,差评!", Zh),
            ("很好", Zh),
            ("华为Mate 60 Pro信号不好,经常断网", Zh),
            ("APP v3.2.1 update后一直闪退", Zh),
            ("ok", En),
            ("App crashes!!!", En),
            ("The app crashes on login", En),
            ("My flight was delayed for 5 hours and nobody told us anything", En),
            (
                "Bought a Xiaomi 小米 phone, the screen broke after two days and support never replied",
                En,
            ),
            ("Das ist schlecht und teuer", Other),
            ("La livraison était très lente et le produit est cassé", Other),
            ("El producto llegó roto y nadie responde", Other),
            // No accents: a frequent word of the language is the sign.
            ("Pengiriman sangat lambat dan barang rusak", Other),
            ("De bezorging duurde heel lang en het pakket kwam kapot aan", Other),
            ("Il prodotto non funziona, molto deluso", Other),
            // English without function words: no sign of another language.
            ("Great build quality, feels solid. Highly recommend!", En),
            ("Looks exactly like the pictures. Will buy again.", En),
            ("配達が遅すぎます", Other),
            ("배송이 너무 느려요", Other),
            ("Доставка очень медленная", Other),
        ];
        for (text, expected) in cases {
            assert_eq!(detect_language(text), expected, "{text:?}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for lang in [Language::Zh, Language::En, Language::Other] {
            assert_eq!(lang.as_str().parse::<Language>(), Ok(lang));
            assert_eq!(lang.to_string(), lang.as_str());
        }
        assert_eq!(" ZH ".parse::<Language>(), Ok(Language::Zh));
        assert!("de".parse::<Language>().is_err());
    }
}
