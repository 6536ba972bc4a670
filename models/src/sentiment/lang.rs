//! Which of the two language models scores a text. Language detection itself is
//! [`crate::text::lang::detect_language`]; this only decides what to do with the
//! texts it calls `Other`, since every text gets a sentiment.

use crate::text::lang::{Language, detect_language};

/// The language model a text is sent to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    Chinese,
    English,
}

/// The detected language and the model to use: `zh` → Chinese, `en` → English;
/// `other` by script: any Han character (Japanese kanji included) → Chinese,
/// else any Latin letter → English, else (emoji, digits, punctuation) Chinese,
/// the majority language of Voxlake feedback.
pub(crate) fn route(text: &str) -> (Language, Route) {
    let language = detect_language(text);
    (language, route_known(text, language))
}

/// The model for a text whose language is known.
pub(crate) fn route_known(text: &str, language: Language) -> Route {
    match language {
        Language::Zh => Route::Chinese,
        Language::En => Route::English,
        Language::Other if text.chars().any(is_han) => Route::Chinese,
        Language::Other if text.chars().any(|c| c.is_alphabetic()) => Route::English,
        Language::Other => Route::Chinese,
    }
}

/// CJK unified ideographs (basic block, extension A, compatibility ideographs).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_by_language_then_script() {
        assert_eq!(route("质量很好"), (Language::Zh, Route::Chinese));
        assert_eq!(route("iPhone 15 屏幕坏了").1, Route::Chinese);
        assert_eq!(route("@united thanks for the upgrade!"), (Language::En, Route::English));
        assert_eq!(route("👍👍").1, Route::Chinese);
        assert_eq!(route("").1, Route::Chinese);
    }
}
