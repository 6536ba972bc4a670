//! Word segmentation for Chinese and English feedback.
//!
//! Chinese has no spaces, so runs containing Han characters go to jieba (with
//! HMM for unknown words), together with any Latin letters and digits glued
//! to them, so that user words like "小满L76" survive. Runs without Han are
//! split by a simple scan in the spirit of Unicode word boundaries ("don't",
//! "v3.2.1" and "1,299" stay whole). Every token is lowercased; whitespace,
//! symbols and emoji are dropped.
//!
//! Loading the jieba dictionary takes a moment, so build one [`Tokenizer`] at
//! start-up and share it (`Arc<Tokenizer>`): it is `Send + Sync` and
//! tokenising takes `&self`.

mod negation;
mod stopwords;

use std::borrow::Cow;

use jieba_rs::Jieba;

pub use negation::{NEGATION_WORDS, NegationScope, is_negation};
pub use stopwords::{CHINESE_STOPWORDS, ENGLISH_STOPWORDS, is_stopword};

use super::script::{is_han, is_punctuation};

/// E-commerce, delivery, telecom and finance words that jieba's general
/// dictionary splits wrongly; always added before a company's own words.
pub const DEFAULT_USER_WORDS: &[&str] = &[
    "差评",
    "好评",
    "中评",
    "客服",
    "快递",
    "物流",
    "退款",
    "退货",
    "换货",
    "闪退",
    "卡顿",
    "性价比",
    "包邮",
    "给力",
    "坑爹",
    "售后",
    "发货",
    "到货",
    "送达",
    "外卖",
    "骑手",
    "外卖小哥",
    "送餐员",
    "配送员",
    "快递员",
    "商家",
    "店家",
    "下单",
    "秒杀",
    "满减",
    "优惠券",
    "红包",
    "五星",
    "差劲",
    "踩雷",
    "种草",
    "拔草",
    "翻车",
    "智商税",
    "吐槽",
    "坑人",
    "黑店",
    "假货",
    "正品",
    "水货",
    "山寨",
    "掉线",
    "断网",
    "死机",
    "黑屏",
    "白屏",
    "耗电",
    "发烫",
    "扣费",
    "乱扣费",
    "话费",
    "流量",
    "套餐",
    "宽带",
    "提现",
    "手续费",
    "逾期",
    "催收",
    "还款",
    "额度",
    "送错",
    "少送",
    "漏送",
    "超时",
    "洒了",
    "凉了",
    "态度差",
    "不送",
    "没收到",
];

/// A piece of text found by the scan: a word run or one punctuation mark.
enum Piece<'a> {
    Word(&'a str),
    Punctuation(&'a str),
}

/// Segments feedback into lowercase tokens. Build once, share with `Arc`.
pub struct Tokenizer {
    jieba: Jieba,
}

impl Default for Tokenizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Tokenizer {
    /// jieba's default dictionary plus [`DEFAULT_USER_WORDS`].
    pub fn new() -> Self {
        let mut tokenizer = Self { jieba: Jieba::new() };
        tokenizer.add_words(DEFAULT_USER_WORDS);
        tokenizer
    }

    /// [`Tokenizer::new`] plus a company's own words (products, brands, slang).
    pub fn with_user_dict(words: &[String]) -> Self {
        let mut tokenizer = Self::new();
        tokenizer.add_words(words);
        tokenizer
    }

    /// Adds words so that they are kept whole; blank entries are ignored.
    pub fn add_words<S: AsRef<str>>(&mut self, words: &[S]) {
        for word in words.iter().map(|w| w.as_ref().trim()) {
            if !word.is_empty() {
                self.jieba.add_word(word, None, None);
            }
        }
    }

    /// All word tokens, lowercase, in order; punctuation and whitespace dropped.
    pub fn tokens(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.for_each_piece(text, |piece| {
            if let Piece::Word(word) = piece {
                out.push(lowercase(word).into_owned());
            }
        });
        out
    }

    /// [`Tokenizer::tokens`] without stopwords (negation words are kept).
    pub fn content_tokens(&self, text: &str) -> Vec<String> {
        let mut tokens = self.tokens(text);
        tokens.retain(|t| is_negation(t) || !is_stopword(t));
        tokens
    }

    /// Word tokens plus each punctuation mark as its own token, the input
    /// [`NegationScope::mark`] expects.
    pub fn tokens_with_punctuation(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.for_each_piece(text, |piece| match piece {
            Piece::Word(word) => out.push(lowercase(word).into_owned()),
            Piece::Punctuation(mark) => out.push(mark.to_owned()),
        });
        out
    }

    fn for_each_piece<'a>(&self, text: &'a str, mut emit: impl FnMut(Piece<'a>)) {
        for_each_run(text, |run, has_han| match run {
            Piece::Word(word) if has_han => self.cut_han_run(word, &mut emit),
            piece => emit(piece),
        });
    }

    /// Cuts a run containing Han with jieba, except Latin or digit words
    /// with joiners ("1,299", "v3.2.1") which jieba would split.
    fn cut_han_run<'a>(&self, run: &'a str, emit: &mut impl FnMut(Piece<'a>)) {
        let mut done = 0;
        for (start, end) in joined_segments(run) {
            self.cut_jieba(&run[done..start], emit);
            emit(Piece::Word(&run[start..end]));
            done = end;
        }
        self.cut_jieba(&run[done..], emit);
    }

    fn cut_jieba<'a>(&self, run: &'a str, emit: &mut impl FnMut(Piece<'a>)) {
        for token in self.jieba.cut(run, true) {
            if token.word.chars().any(char::is_alphanumeric) {
                emit(Piece::Word(token.word));
            }
        }
    }
}

fn lowercase(word: &str) -> Cow<'_, str> {
    if word.chars().any(char::is_uppercase) {
        Cow::Owned(word.to_lowercase())
    } else {
        Cow::Borrowed(word)
    }
}

/// Whether `c`, between `before` and `after`, joins them into one word:
/// apostrophes between letters, `.` `,` between digits, `-` `_` between
/// letters or digits.
fn is_joiner(before: char, c: char, after: char) -> bool {
    match c {
        '\'' | '’' => before.is_alphabetic() && after.is_alphabetic(),
        '.' | ',' => before.is_ascii_digit() && after.is_ascii_digit(),
        '-' | '_' => before.is_alphanumeric() && after.is_alphanumeric() && !is_han(before),
        _ => false,
    }
}

/// Byte ranges of the non-Han segments of a word run that contain a joiner.
fn joined_segments(run: &str) -> Vec<(usize, usize)> {
    let mut segments = Vec::new();
    if run.chars().all(char::is_alphanumeric) {
        return segments;
    }
    let mut segment: Option<(usize, bool)> = None;
    for (at, c) in run.char_indices().chain([(run.len(), '中')]) {
        if !is_han(c) {
            let (start, joined) = segment.unwrap_or((at, false));
            segment = Some((start, joined || !c.is_alphanumeric()));
        } else if let Some((start, true)) = segment.take() {
            segments.push((start, at));
        }
    }
    segments
}

/// Scans `text` into word runs (with whether they contain Han) and
/// punctuation marks; whitespace, symbols and emoji are skipped.
fn for_each_run<'a>(text: &'a str, mut emit: impl FnMut(Piece<'a>, bool)) {
    let mut run: Option<(usize, bool)> = None;
    let mut before = ' ';
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let after = chars.peek().map_or(' ', |&(_, next)| next);
        if c.is_alphanumeric() || (run.is_some() && is_joiner(before, c, after)) {
            let (start, has_han) = run.unwrap_or((at, false));
            run = Some((start, has_han || is_han(c)));
        } else {
            if let Some((start, has_han)) = run.take() {
                emit(Piece::Word(&text[start..at]), has_han);
            }
            if is_punctuation(c) {
                emit(Piece::Punctuation(&text[at..at + c.len_utf8()]), false);
            }
        }
        before = c;
    }
    if let Some((start, has_han)) = run {
        emit(Piece::Word(&text[start..]), has_han);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, LazyLock};

    use super::*;

    static TOKENIZER: LazyLock<Tokenizer> =
        LazyLock::new(|| Tokenizer::with_user_dict(&["小满L76".to_owned(), "  ".to_owned()]));

    #[test]
    fn tokenizer_is_shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Tokenizer>();
        let shared = Arc::new(Tokenizer::new());
        let worker = Arc::clone(&shared);
        let tokens = std::thread::spawn(move || worker.tokens("快递很快"))
            .join()
            .unwrap_or_default();
        assert_eq!(tokens, ["快递", "很快"]);
    }

    #[test]
    fn tokenizes_real_looking_feedback() {
        let cases: &[(&str, &[&str])] = &[
            ("", &[]),
            ("！！！ ...", &[]),
            ("iPhone 15 屏幕坏了", &["iphone", "15", "屏幕", "坏", "了"]),
            ("iPhone15屏幕坏了", &["iphone15", "屏幕", "坏", "了"]),
            ("小满L76不好用", &["小满l76", "不好", "用"]),
            (
                "这个APP闪退卡顿太坑爹了",
                &["这个", "app", "闪退", "卡顿", "太", "坑爹", "了"],
            ),
            ("性价比很高,包邮,给力", &["性价比", "很", "高", "包邮", "给力"]),
            ("客服态度很差,不给退款!", &["客服", "态度", "很差", "不", "给", "退款"]),
            ("The app crashes on login", &["the", "app", "crashes", "on", "login"]),
            (
                "I don't like v3.2.1, it's slow",
                &["i", "don't", "like", "v3.2.1", "it's", "slow"],
            ),
            ("价格1,299元 太贵", &["价格", "1,299", "元", "太贵"]),
            ("Wi-Fi断网 😡😡", &["wi-fi", "断网"]),
            ("配送-超时", &["配送", "超时"]),
            ("升级到v3.2.1后闪退", &["升级", "到", "v3.2.1", "后", "闪退"]),
        ];
        for (text, expected) in cases {
            assert_eq!(TOKENIZER.tokens(text), *expected, "{text:?}");
        }
    }

    #[test]
    fn content_tokens_drop_stopwords_but_keep_negations() {
        let cases: &[(&str, &[&str])] = &[
            ("我觉得这个外卖不好吃", &["外卖", "不", "好吃"]),
            ("送餐员没有按时送达,差评", &["送餐员", "没有", "按时", "送达", "差评"]),
            ("It is not what I ordered", &["not", "ordered"]),
        ];
        for (text, expected) in cases {
            assert_eq!(TOKENIZER.content_tokens(text), *expected, "{text:?}");
        }
    }

    #[test]
    fn punctuation_tokens_close_negation_scope() {
        let tokens = TOKENIZER.tokens_with_punctuation("没有收到货,客服态度好");
        let negated: Vec<&str> = tokens
            .iter()
            .zip(NegationScope::default().mark(&tokens))
            .filter(|(_, negated)| *negated)
            .map(|(t, _)| t.as_str())
            .collect();
        assert_eq!(negated, ["收到", "货"]);
    }
}
