//! Routes a text to the Chinese or the English model. A Han-vs-Latin check is all
//! routing needs: the two models only have to agree with the script of the text.

use serde::{Deserialize, Serialize};

/// The language model that scored a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Language {
    Chinese,
    English,
}

impl Language {
    /// ISO 639-1 code: `"zh"` or `"en"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Chinese => "zh",
            Language::English => "en",
        }
    }

    /// Any Han character → Chinese; otherwise any Latin letter → English;
    /// otherwise (emoji, digits, punctuation only) Chinese, the majority language.
    pub fn of(text: &str) -> Language {
        let mut latin = false;
        for c in text.chars() {
            if is_han(c) {
                return Language::Chinese;
            }
            latin |= c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c);
        }
        if latin { Language::English } else { Language::Chinese }
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
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
    fn routes_by_script() {
        assert_eq!(Language::of("质量很好"), Language::Chinese);
        assert_eq!(Language::of("iPad 很好用"), Language::Chinese);
        assert_eq!(Language::of("@united thanks!"), Language::English);
        assert_eq!(Language::of("👍👍"), Language::Chinese);
        assert_eq!(Language::of(""), Language::Chinese);
    }
}
