//! Noise and spam in the feedback stream: empty texts, key mashing, a
//! character held down, advertisements.
//!
//! A rejected text is lost feedback, so every rule is conservative: short
//! Chinese reviews ("很好", "差评") are real feedback, so are angry ones
//! ("垃圾垃圾垃圾", "送餐太慢了！！！"), and so is a complaint that quotes a URL,
//! a phone number or a WeChat account. Advertising needs several signals
//! together, or a contact handle with hardly any other text. Gibberish is
//! judged on Latin letters only (random Han characters are left to the
//! models). One pass collects character counts; the link and advertising
//! regexes run only when one of their trigger literals occurs.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::{Regex, RegexSet};

use super::script::{is_han, is_latin_letter, is_word_char};

/// Why a text was rejected as noise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpamReason {
    Empty,
    TooShort,
    RepeatedCharacters,
    Gibberish,
    Advertising,
    LinksOnly,
}

impl SpamReason {
    /// Stable snake_case name, as stored in the rejects table.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::TooShort => "too_short",
            Self::RepeatedCharacters => "repeated_characters",
            Self::Gibberish => "gibberish",
            Self::Advertising => "advertising",
            Self::LinksOnly => "links_only",
        }
    }
}

/// Why `text` (normalised) is noise, or `None` for real feedback. Rules in
/// order: empty; only links; one character repeated (8+ times, 60 %+ of the
/// text, fewer than 2 other letters or digits); fewer than 2 letters or
/// digits; advertising; gibberish.
pub fn detect_spam(text: &str) -> Option<SpamReason> {
    let text = text.trim();
    if text.is_empty() {
        return Some(SpamReason::Empty);
    }
    // Most feedback has none of the literals every link and advertising
    // signal contains: one scan for them spares it the regexes.
    let may_advertise = AD_TRIGGER.is_match(text);
    if may_advertise && is_links_only(text) {
        return Some(SpamReason::LinksOnly);
    }
    let counts = CharCounts::of(text);
    if is_repeated_character(text, &counts) {
        return Some(SpamReason::RepeatedCharacters);
    }
    if counts.meaningful < 2 {
        return Some(SpamReason::TooShort);
    }
    if may_advertise && is_advertising(text, &counts) {
        return Some(SpamReason::Advertising);
    }
    is_gibberish(text, &counts).then_some(SpamReason::Gibberish)
}

/// Counts over the non-space characters of a text.
#[derive(Debug, Default)]
struct CharCounts {
    non_space: usize,
    /// Letters (any script) and digits.
    meaningful: usize,
    han: usize,
    latin: usize,
    /// Not letters, digits, whitespace, sentence punctuation or emoji:
    /// `@#$%^&*` and the like.
    symbols: usize,
    /// The first [`DISTINCT_TRACKED`] different letters and digits.
    distinct: [Option<char>; DISTINCT_TRACKED],
}

/// Three different letters or digits rule out a repeated character (at most
/// one other letter or digit may come with it), so no more are tracked.
const DISTINCT_TRACKED: usize = 3;

impl CharCounts {
    fn of(text: &str) -> Self {
        let mut counts = Self::default();
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            counts.non_space += 1;
            if is_word_char(c) {
                counts.note_distinct(c);
                counts.meaningful += 1;
                counts.han += usize::from(is_han(c));
                counts.latin += usize::from(is_latin_letter(c));
            } else if !is_sentence_punctuation(c) && !is_emoji(c) {
                counts.symbols += 1;
            }
        }
        counts
    }

    fn note_distinct(&mut self, c: char) {
        if let Some(slot) = self.distinct.iter_mut().find(|d| d.is_none_or(|d| d == c)) {
            *slot = Some(c);
        }
    }

    fn has_distinct_letters(&self, n: usize) -> bool {
        self.distinct.iter().flatten().count() >= n
    }
}

fn is_sentence_punctuation(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | '!'
            | '?'
            | ';'
            | ':'
            | '\''
            | '"'
            | '('
            | ')'
            | '-'
            | '~'
            | '…'
            | '。'
            | '，'
            | '、'
            | '！'
            | '？'
            | '；'
            | '：'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '（'
            | '）'
            | '【'
            | '】'
            | '《'
            | '》'
            | '·'
            | '～'
    )
}

fn is_emoji(c: char) -> bool {
    matches!(c, '\u{1F000}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}' | '\u{FE0F}' | '\u{200D}')
}

// ok: constant pattern, covered by the tests.
static URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:https?://|www\.)[^\s\p{Han}]+").unwrap_or_else(|e| panic!("URL: {e}")));

fn has_url_marker(text: &str) -> bool {
    text.contains("://") || text.contains("www.") || text.contains("WWW.")
}

/// One or more URLs and fewer than two letters or digits besides them.
fn is_links_only(text: &str) -> bool {
    if !has_url_marker(text) || !URL.is_match(text) {
        return false;
    }
    let rest = URL.replace_all(text, "");
    rest.chars().filter(|c| c.is_alphanumeric()).count() < 2
}

/// The most frequent non-space character, if it is a strict majority
/// (Boyer–Moore vote, then a count), with its count.
fn majority_char(text: &str) -> Option<(char, usize)> {
    let mut candidate = None;
    let mut votes = 0usize;
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        match candidate {
            Some(k) if k == c => votes += 1,
            _ if votes == 0 => (candidate, votes) = (Some(c), 1),
            _ => votes -= 1,
        }
    }
    let c = candidate?;
    Some((c, text.chars().filter(|&x| x == c).count()))
}

fn is_repeated_character(text: &str, counts: &CharCounts) -> bool {
    if counts.non_space < 8 || counts.has_distinct_letters(DISTINCT_TRACKED) {
        return false;
    }
    let Some((c, count)) = majority_char(text) else {
        return false;
    };
    let others_meaningful = counts.meaningful - if c.is_alphanumeric() { count } else { 0 };
    count >= 8 && count * 10 >= counts.non_space * 6 && others_meaningful < 2
}

/// Literals one of which every link and advertising signal contains
/// (ASCII letters in any case); texts without any skip those regexes.
const AD_TRIGGERS: &[&str] = &[
    "微",
    "威",
    "薇",
    "vx",
    "wx",
    "v信",
    "qq",
    "扣扣",
    "加",
    "代购",
    "刷单",
    "兼职",
    "日结",
    "点击",
    "链接",
    "优惠券",
    "领券",
    "领取",
    "免费",
    "红包",
    "返利",
    "福利",
    "私聊",
    "私信",
    "招代理",
    "日赚",
    "月入",
    "躺赚",
    "://",
    "www.",
];

// ok: constant patterns, covered by the tests.
static AD_TRIGGER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(AD_TRIGGERS)
        .unwrap_or_else(|e| panic!("AD_TRIGGER: {e}"))
});

/// Advertising signals and their weights; a text scoring 3 or more is an ad.
const AD_SIGNALS: &[(&str, u32)] = &[
    (r"兼职日结|日结兼职|日结工资|日赚\d|月入[过上]?[万\d]|躺赚|招代理", 3),
    (r"(?i)加\s*(?:微信|微|威信|薇信|v信|vx|wx|v|q|qq|扣扣)", 2),
    (r"刷单|点击链接|点链接", 2),
    (r"(?i)(?:https?://|www\.)\S*", 1),
    (r"代购|优惠券|领券|领取|免费|红包|返利|福利|私聊|私信|折扣|低价", 1),
];

// ok: constant patterns, covered by the tests.
static AD_SET: LazyLock<RegexSet> =
    LazyLock::new(|| RegexSet::new(AD_SIGNALS.iter().map(|(p, _)| *p)).unwrap_or_else(|e| panic!("AD_SET: {e}")));

/// A contact handle: WeChat/QQ keyword followed by an ID of 5 to 20 characters.
// ok: constant pattern, covered by the tests.
static HANDLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:微信|威信|薇信|v信|vx|wx|qq|扣扣|加v|\+v)\s*号?\s*[:：]?\s*[a-z0-9][a-z0-9_-]{4,19}")
        .unwrap_or_else(|e| panic!("HANDLE: {e}"))
});

/// Weighted signals reach 3, or a contact handle comes with fewer than six
/// other letters or digits (a bare "vx: abc12345").
fn is_advertising(text: &str, counts: &CharCounts) -> bool {
    let handle = HANDLE.find(text);
    let score: u32 =
        AD_SET.matches(text).iter().map(|i| AD_SIGNALS[i].1).sum::<u32>() + if handle.is_some() { 2 } else { 0 };
    let handle_len = handle.map_or(0, |m| m.as_str().chars().filter(|c| c.is_alphanumeric()).count());
    score >= 3 || (handle.is_some() && counts.meaningful - handle_len < 6)
}

/// Symbols make up most of the text, or most Latin words look like key
/// mashing, in a text without Han characters to speak of.
fn is_gibberish(text: &str, counts: &CharCounts) -> bool {
    if counts.symbols * 2 > counts.non_space {
        return true;
    }
    if counts.latin < 4 || counts.han * 2 > counts.latin {
        return false;
    }
    let (mut words, mut junk) = (0usize, 0usize);
    for word in text.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() >= 3) {
        words += 1;
        junk += usize::from(is_junk_word(word));
    }
    junk >= 1 && junk * 2 >= words
}

const KEYBOARD_ROWS: &[&str] = &[
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "poiuytrewq",
    "lkjhgfdsa",
    "mnbvcxz",
];

/// A run of 4+ neighbouring keys ("asdf", "qwerty"), or a word of 5+
/// letters with no vowel or with 6 consonants in a row. All-caps words
/// (acronyms) are never junk.
fn is_junk_word(word: &str) -> bool {
    if word.bytes().all(|b| b.is_ascii_uppercase()) {
        return false;
    }
    let keyboard_run = word.len() >= 4 && starts_with_keyboard_run(word.as_bytes());
    keyboard_run || (word.len() >= 5 && max_consonant_run(word) >= word.len().min(6))
}

/// Whether the word's first four letters are neighbouring keys of one row.
fn starts_with_keyboard_run(word: &[u8]) -> bool {
    let mut head = [0u8; 4];
    head.iter_mut().zip(word).for_each(|(h, b)| *h = b.to_ascii_lowercase());
    KEYBOARD_ROWS
        .iter()
        .any(|row| row.as_bytes().windows(4).any(|keys| keys == head))
}

fn max_consonant_run(word: &str) -> usize {
    let (mut longest, mut run) = (0, 0);
    for b in word.bytes() {
        run = if b"aeiouyAEIOUY".contains(&b) { 0 } else { run + 1 };
        longest = longest.max(run);
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize::normalize;

    #[test]
    fn detects_spam_and_keeps_real_feedback() {
        use SpamReason::*;
        let cases: &[(&str, Option<SpamReason>)] = &[
            ("", Some(Empty)),
            ("   ", Some(Empty)),
            ("好", Some(TooShort)),
            ("a", Some(TooShort)),
            ("。。", Some(TooShort)),
            ("👍", Some(TooShort)),
            ("哈哈哈哈哈哈哈哈哈哈", Some(RepeatedCharacters)),
            ("aaaaaaaaaa", Some(RepeatedCharacters)),
            ("好好好好好好好好好坏", Some(RepeatedCharacters)),
            ("!!!!!!!!!", Some(RepeatedCharacters)),
            ("。。。。。。。。。。。", Some(RepeatedCharacters)),
            ("asdfghjkl qwerty zxcv", Some(Gibberish)),
            ("sdfsdfsdf dfgdfgdfg", Some(Gibberish)),
            ("xkcdqwrtp", Some(Gibberish)),
            ("Asdfgh Qwerty", Some(Gibberish)),
            ("@#$%^&*()_+ ab", Some(Gibberish)),
            ("加微信abc12345领取优惠券", Some(Advertising)),
            ("vx: wxid_abc123", Some(Advertising)),
            ("兼职日结,手机就能做,加V详聊", Some(Advertising)),
            ("代购正品,加QQ 12345678 私聊", Some(Advertising)),
            ("点击链接领取红包 http://t.cn/abc", Some(Advertising)),
            ("刷单返利,日赚300", Some(Advertising)),
            ("http://t.cn/A6abcdE", Some(LinksOnly)),
            ("https://item.jd.com/100012345.html www.example.com", Some(LinksOnly)),
            // Real feedback.
            ("很好", None),
            ("差评", None),
            ("ok", None),
            ("好好好", None),
            ("垃圾垃圾垃圾", None),
            ("送餐太慢了！！！", None),
            ("App crashes!!!", None),
            ("哈哈哈哈哈哈哈哈哈哈太好吃了", None),
            ("太慢了!!!!!!!!!!!!!!!!", None),
            ("？？？？？怎么回事", None),
            ("The app crashes on login", None),
            ("SKU HDMI USB not working", None),
            ("strengths and rhythm are fine", None),
            ("商家刷单,好评都是假的", None),
            ("客服让我加微信处理,结果一直不回", None),
            ("客服微信号是 abc12345,一直不回消息,退款也不处理", None),
            ("商品链接https://item.jd.com/100012345.html 描述和实物不符", None),
            ("电话13812345678打了三次都没人接", None),
            ("iPhone 15 屏幕坏了", None),
            ("免费送的小菜很好吃", None),
            ("10分", None),
            ("😡😡😡差评", None),
        ];
        for (text, expected) in cases {
            assert_eq!(detect_spam(&normalize(text)), *expected, "{text:?}");
        }
    }

    #[test]
    fn reasons_have_stable_names() {
        use SpamReason::*;
        let names = [Empty, TooShort, RepeatedCharacters, Gibberish, Advertising, LinksOnly].map(SpamReason::as_str);
        assert_eq!(
            names,
            [
                "empty",
                "too_short",
                "repeated_characters",
                "gibberish",
                "advertising",
                "links_only"
            ]
        );
    }
}
