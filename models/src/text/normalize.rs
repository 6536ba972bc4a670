//! Canonical form of a feedback text, so that equal texts compare equal.
//!
//! Feedback arrives from web forms (with HTML), e-commerce exports (full-width
//! digits and letters), chat transcripts (control characters, stray line
//! breaks). Every later step — language detection, PII masking, spam rules,
//! near-duplicate hashing — assumes this canonical form, so ingest runs it on
//! every record. Each step first checks cheaply whether it has anything to do;
//! a text that is already canonical is returned borrowed by [`normalize_cow`].

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// The canonical form of `text`: HTML tags stripped and entities decoded,
/// NFKC (which folds full-width ASCII and digits to half-width), control and
/// zero-width characters removed, whitespace runs collapsed to one space,
/// ends trimmed.
pub fn normalize(text: &str) -> String {
    normalize_cow(text).into_owned()
}

/// [`normalize`] without allocating when `text` is already canonical.
pub fn normalize_cow(text: &str) -> Cow<'_, str> {
    let text = strip_html(text);
    let text = nfkc(text);
    match clean_spacing(&text) {
        Some(cleaned) => Cow::Owned(cleaned),
        None => text,
    }
}

fn nfkc(text: Cow<'_, str>) -> Cow<'_, str> {
    if text.is_ascii() {
        return text;
    }
    if let Some(folded) = fold_full_width(&text) {
        return match folded {
            Some(owned) => Cow::Owned(owned),
            None => text,
        };
    }
    if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        return text;
    }
    Cow::Owned(text.nfkc().collect())
}

/// Characters NFKC leaves alone whatever surrounds them: ASCII, basic Han,
/// common CJK punctuation and quotes, emoji.
fn is_nfkc_stable(c: char) -> bool {
    matches!(c,
        '\0'..='\u{7F}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{3001}'..='\u{3003}'
        | '\u{3008}'..='\u{3011}'
        | '\u{3014}'..='\u{301B}'
        | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}'
        | '\u{1F300}'..='\u{1FAFF}')
}

/// NFKC of a full-width form that maps to one ASCII character (U+3000 to space).
fn full_width_to_ascii(c: char) -> Option<char> {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        '\u{3000}' => Some(' '),
        _ => None,
    }
}

/// The common case of Chinese feedback — stable characters plus full-width
/// forms — without the full NFKC machinery: `Some(None)` if nothing changes,
/// `Some(Some(folded))` if only full-width forms change, `None` if another
/// character needs real NFKC.
///
/// One pass: Chinese punctuation is mostly full-width (，！？ fold to ASCII),
/// so most Chinese texts change; the unchanged runs between folded
/// characters are copied as slices.
fn fold_full_width(text: &str) -> Option<Option<String>> {
    let mut folded: Option<String> = None;
    let mut copied = 0;
    for (i, c) in text.char_indices() {
        if let Some(ascii) = full_width_to_ascii(c) {
            let out = folded.get_or_insert_with(|| String::with_capacity(text.len()));
            out.push_str(&text[copied..i]);
            out.push(ascii);
            copied = i + c.len_utf8();
        } else if !is_nfkc_stable(c) {
            return None;
        }
    }
    if let Some(out) = &mut folded {
        out.push_str(&text[copied..]);
    }
    Some(folded)
}

/// Characters that carry no text and are dropped (besides control characters).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

fn is_dropped(c: char) -> bool {
    (c.is_control() && !c.is_whitespace()) || is_invisible(c)
}

/// Whether `text` already has single inner spaces, no other whitespace, no
/// dropped characters and trimmed ends.
fn is_clean_spacing(text: &str) -> bool {
    let mut previous_space = true;
    for c in text.chars() {
        if c == ' ' {
            if previous_space {
                return false;
            }
            previous_space = true;
        } else if c.is_whitespace() || is_dropped(c) {
            return false;
        } else {
            previous_space = false;
        }
    }
    !previous_space || text.is_empty()
}

/// Removes dropped characters and collapses whitespace; `None` if nothing changes.
fn clean_spacing(text: &str) -> Option<String> {
    if is_clean_spacing(text) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else if !is_dropped(c) {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    Some(out)
}

/// Strips HTML tags and decodes entities; borrows when there is neither `<` nor `&`.
fn strip_html(text: &str) -> Cow<'_, str> {
    if !text.contains(['<', '&']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['<', '&']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let consumed = if rest.starts_with('<') {
            skip_tag(rest, &mut out)
        } else {
            decode_entity(rest, &mut out)
        };
        rest = &rest[consumed..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Tags after which the text reads as a new word or line.
const BLOCK_TAGS: &[&str] = &[
    "br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "hr",
];

/// At a `<`: if a tag or comment starts here, skip it (a block tag leaves a
/// space) and return its length; otherwise copy the `<` literally.
fn skip_tag(rest: &str, out: &mut String) -> usize {
    if let Some(body) = rest.strip_prefix("<!--") {
        return body.find("-->").map_or_else(|| copy_one(rest, out), |end| 4 + end + 3);
    }
    let starts_tag = rest[1..]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
    match rest.find('>') {
        Some(end) if starts_tag && !rest[1..end].contains('<') => {
            if BLOCK_TAGS.contains(&tag_name(&rest[1..end]).as_str()) {
                out.push(' ');
            }
            end + 1
        }
        _ => copy_one(rest, out),
    }
}

fn tag_name(inner: &str) -> String {
    inner
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// At a `&`: decode a known named or numeric entity, else copy the `&`.
fn decode_entity(rest: &str, out: &mut String) -> usize {
    let Some(end) = rest.bytes().take(12).position(|b| b == b';') else {
        return copy_one(rest, out);
    };
    match entity_char(&rest[1..end]) {
        Some(c) => {
            out.push(c);
            end + 1
        }
        None => copy_one(rest, out),
    }
}

fn entity_char(name: &str) -> Option<char> {
    let numeric = name.strip_prefix('#');
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => numeric.and_then(numeric_entity),
    }
}

fn numeric_entity(digits: &str) -> Option<char> {
    let code = match digits.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => digits.parse().ok()?,
    };
    char::from_u32(code)
}

/// Copies the first character of `rest` and returns its length.
fn copy_one(rest: &str, out: &mut String) -> usize {
    let c = rest.chars().next().unwrap_or(' ');
    out.push(c);
    c.len_utf8()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_real_looking_feedback() {
        let cases = [
            ("", ""),
            ("   ", ""),
            ("送餐太慢了", "送餐太慢了"),
            ("  送餐   太慢了 \n", "送餐 太慢了"),
            ("ＡＰＰ闪退，版本１２．３", "APP闪退,版本12.3"),
            ("订单号：２０２４０１１５", "订单号:20240115"),
            ("全角空格\u{3000}也算空格", "全角空格 也算空格"),
            ("<p>快递很快</p><p>包装完好</p>", "快递很快 包装完好"),
            ("<b>非常</b>满意", "非常满意"),
            ("第一行<br/>第二行", "第一行 第二行"),
            ("Tom &amp; Jerry &lt;3", "Tom & Jerry <3"),
            ("&quot;差评&quot; &#39;坑&#39;", "\"差评\" '坑'"),
            ("价格&nbsp;&nbsp;太贵", "价格 太贵"),
            ("&#20013;&#x6587;", "中文"),
            ("a &unknown; b & c", "a &unknown; b & c"),
            ("价格<100元 and 3 < 5", "价格<100元 and 3 < 5"),
            ("<!-- tracking -->好评", "好评"),
            ("line1\r\nline2\tend", "line1 line2 end"),
            ("bell\u{7}char", "bellchar"),
            ("零\u{200B}宽\u{FEFF}字符", "零宽字符"),
            ("The app crashes on login", "The app crashes on login"),
            ("&lt;script&gt;", "<script>"),
            ("unclosed <b tag", "unclosed <b tag"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize(input), expected, "input: {input:?}");
        }
    }

    #[test]
    fn full_width_fold_agrees_with_nfkc() {
        let samples = [
            "送餐太慢了！！！差评～",
            "ＡＰＰ（版本１２）：闪退。",
            "“好评”、《书》【赠品】😀",
            "\u{3000}ａ\u{3000}",
        ];
        for text in samples {
            let folded = fold_full_width(text).map(|f| f.unwrap_or_else(|| text.to_owned()));
            assert_eq!(folded, Some(text.nfkc().collect::<String>()), "{text:?}");
        }
        assert_eq!(fold_full_width("Ｅ\u{301}"), None);
        assert_eq!(fold_full_width("…"), None);
    }

    #[test]
    fn canonical_text_is_borrowed() {
        for text in ["送餐太慢了,差评!", "The app crashes on login", "iPhone 15 屏幕坏了", ""] {
            assert!(matches!(normalize_cow(text), Cow::Borrowed(_)), "{text:?}");
        }
    }

    #[test]
    fn normalize_is_idempotent() {
        // Not for double-escaped entities: "&amp;lt;" decodes one level per call.
        for text in ["ＡＰＰ闪退 <br> &amp;", "  a\t\tb ", "①②③ ﬁ", "<p> x </p>"] {
            let once = normalize(text);
            assert_eq!(normalize(&once), once, "{text:?}");
        }
    }
}
