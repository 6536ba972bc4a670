//! Character classes by script, shared by language detection, tokenisation
//! and the spam rules so that they agree on what counts as Chinese.

/// A CJK unified ideograph (the basic block, extension A and the
/// compatibility and supplementary-plane blocks).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2EBEF}')
}

/// A letter or digit of any script, with the common cases (basic Han, ASCII)
/// decided by a range check before the Unicode tables.
pub(crate) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    matches!(c, '\u{4E00}'..='\u{9FFF}') || c.is_alphanumeric()
}

/// Japanese kana or Korean hangul.
pub(crate) fn is_kana_or_hangul(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'
        | '\u{31F0}'..='\u{31FF}'
        | '\u{FF66}'..='\u{FF9D}'
        | '\u{AC00}'..='\u{D7AF}'
        | '\u{1100}'..='\u{11FF}'
        | '\u{3130}'..='\u{318F}')
}

/// A letter of the Latin script (ASCII, Latin-1, Latin Extended A/B and Additional).
pub(crate) fn is_latin_letter(c: char) -> bool {
    // The range first: most characters of Chinese feedback are Han, and the
    // Unicode table lookup behind `is_alphabetic` is the slow part.
    c.is_ascii_alphabetic() || (matches!(c, '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}') && c.is_alphabetic())
}

/// Sentence or clause punctuation (ASCII, general and CJK punctuation,
/// full-width forms), as opposed to symbols and emoji.
pub(crate) fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c, '\u{2010}'..='\u{205E}' | '\u{3001}'..='\u{303F}' | '\u{FE30}'..='\u{FE6F}')
        || (matches!(c, '\u{FF01}'..='\u{FF65}') && !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_characters() {
        for c in ['中', 'a', '7', 'é', 'ж', 'の', '𠮷'] {
            assert!(is_word_char(c), "{c}");
        }
        for c in [' ', ',', '，', '😡', '¥'] {
            assert!(!is_word_char(c), "{c}");
        }
        assert!(is_han('中') && is_han('𠮷') && !is_han('の') && !is_han('a'));
        assert!(is_kana_or_hangul('の') && is_kana_or_hangul('한') && !is_kana_or_hangul('中'));
        assert!(is_latin_letter('é') && is_latin_letter('Z') && !is_latin_letter('ж'));
        for c in ['，', '。', '!', '、', '…', '“', '？', '~'] {
            assert!(is_punctuation(c), "{c}");
        }
        for c in ['中', 'a', '1', '😡', '¥'] {
            assert!(!is_punctuation(c), "{c}");
        }
    }
}
