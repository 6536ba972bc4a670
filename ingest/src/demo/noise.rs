//! The dirt real feedback carries, so that cleaning, spam filtering, PII
//! masking and dedup have work to do: spam and gibberish, phone numbers,
//! e-mails, addresses and ID numbers inside the text, full-width characters,
//! HTML fragments, stray whitespace, typos, and one-character edits.

use std::fmt::Write as _;

use rand::Rng;
use rand::rngs::SmallRng;

use super::sampling::{chance, choose, mix64};
use super::vocab::{ADDRESSES, EMAIL_DOMAINS, EMAIL_GIVEN, EMAIL_NAMES, PHONE_PREFIXES};

const ADS: [&str; 8] = [
    "加微信{W}领优惠券",
    "加V：{W} 低价代购正品，假一赔十",
    "兼职刷单，日赚300+，联系QQ{Q}",
    "点击 http://t.cn/{W} 领取红包",
    "免费领取同款，私信我或加vx {W}",
    "代开发票，联系{T}",
    "高仿大牌一比一，微信{W}",
    "【福利】关注公众号回复888领现金红包",
];
const REPEATS: [&str; 8] = ["哈", "啊", "好", "赞", "。", "1", "6", "呵"];
const MASH: &[u8] = b"asdfghjklqwertyuiopzxcvbnm";
const FILLER: [char; 12] = ['的', '了', '是', '我', '在', '有', '就', '不', '人', '都', '这', '个'];

/// Writes a spam or noise text: an ad, a repeated character, keyboard mash or filler.
pub(super) fn spam(rng: &mut SmallRng, out: &mut String) {
    match rng.random_range(0..10) {
        0..=4 => ad(rng, out),
        5..=6 => {
            let unit = choose(rng, &REPEATS);
            (0..rng.random_range(10..30)).for_each(|_| out.push_str(unit));
        }
        7..=8 => (0..rng.random_range(10..26)).for_each(|_| out.push(char::from(choose(rng, MASH)))),
        _ => (0..rng.random_range(10..24)).for_each(|_| out.push(choose(rng, &FILLER))),
    }
}

fn ad(rng: &mut SmallRng, out: &mut String) {
    let template = choose(rng, &ADS);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        match rest.as_bytes().get(i + 1) {
            Some(b'W') => (0..rng.random_range(6..10))
                .for_each(|_| out.push(char::from(choose(rng, b"abcdefghjkmnpqrstuvwxyz23456789")))),
            Some(b'Q') => {
                let n = rng.random_range(8..11);
                push_digits(rng, out, n);
            }
            _ => phone(rng.random(), out),
        }
        rest = rest.get(i + 3..).unwrap_or("");
    }
    out.push_str(rest);
}

fn push_digits(rng: &mut SmallRng, out: &mut String, n: usize) {
    (0..n).for_each(|_| out.push(char::from(b'0' + rng.random_range(0..10u8))));
}

/// A mobile number like 13812345678 derived from a hash.
pub(super) fn phone(h: u64, out: &mut String) {
    let prefix = PHONE_PREFIXES[(h % PHONE_PREFIXES.len() as u64) as usize];
    let _ = write!(out, "{prefix}{:08}", (h >> 8) % 100_000_000);
}

/// An e-mail address like zhangwei88@163.com derived from a hash.
pub(super) fn email(h: u64, out: &mut String) {
    let pick = |list: &[&'static str], shift: u32| list[((h >> shift) % list.len() as u64) as usize];
    let sep = if h & 1 == 0 { "" } else { "." };
    let _ = write!(
        out,
        "{}{sep}{}{}@{}",
        pick(&EMAIL_NAMES, 4),
        pick(&EMAIL_GIVEN, 12),
        (h >> 20) % 100,
        pick(&EMAIL_DOMAINS, 28)
    );
}

/// Puts personal data into the text (in about 2 % of records).
pub(super) fn add_pii(rng: &mut SmallRng, english: bool, out: &mut String) {
    let lead = if english {
        ["Call me at ", "My email: ", "Ship to ", "ID: "]
    } else {
        ["我的电话", "邮箱", "收货地址：", "身份证号"]
    };
    let after_sentence = out.ends_with(['。', '！', '…', '~', '.', '!']);
    out.push_str(match (english, after_sentence) {
        (true, true) => " ",
        (true, false) => ". ",
        (false, true) => "",
        (false, false) => "，",
    });
    let kind = rng.random_range(0..4);
    out.push_str(lead[kind]);
    match kind {
        0 => phone(rng.random(), out),
        1 => email(rng.random(), out),
        2 => address(rng, out),
        _ => id_number(rng, out),
    }
    out.push_str(if english { "." } else { "。" });
}

/// A street address like 上海市浦东新区张江路123号.
fn address(rng: &mut SmallRng, out: &mut String) {
    let (city, district, road) = choose(rng, &ADDRESSES);
    let _ = write!(out, "{city}{district}{road}{}号", rng.random_range(1..1000));
    if chance(rng, 0.4) {
        let _ = write!(out, "{}栋{}室", rng.random_range(1..30), rng.random_range(101..2400));
    }
}

/// An 18-digit resident ID number with a valid check digit.
fn id_number(rng: &mut SmallRng, out: &mut String) {
    let area = choose(rng, &["110105", "310115", "440305", "510107", "330106", "420111"]);
    let body = format!(
        "{area}{}{:02}{:02}{:03}",
        rng.random_range(1960..2006),
        rng.random_range(1..13),
        rng.random_range(1..29),
        rng.random_range(0..1000)
    );
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    out.push_str(&body);
    out.push(char::from(b"10X98765432"[(sum % 11) as usize]));
}

/// Mixed-width characters, HTML fragments or stray whitespace.
pub(super) fn dirty(rng: &mut SmallRng, text: &mut String) {
    match rng.random_range(0..7) {
        0 | 6 if text.bytes().any(|b| b.is_ascii_alphanumeric()) => *text = text.chars().map(full_width).collect(),
        0 | 6 => *text = text.chars().map(half_width).collect(),
        1 => *text = format!("<p>{text}</p>"),
        2 => *text = text.replacen('，', "，<br>", 1).replacen('。', "。&nbsp;", 1),
        3 => *text = format!("  {}\n", text.replacen('，', "，  ", 2)),
        4 => *text = text.replacen('，', "\u{3000}，", 1) + "\t",
        _ => *text = format!("<div class=\"msg\">{}</div>", text.replace('&', "&amp;")),
    }
}

/// Chinese punctuation typed with a half-width keyboard layout.
fn half_width(c: char) -> char {
    match c {
        '，' => ',',
        '！' => '!',
        '？' => '?',
        '：' => ':',
        '；' => ';',
        _ => c,
    }
}

fn full_width(c: char) -> char {
    match c {
        '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
        ' ' => '\u{3000}',
        _ => c,
    }
}

const TYPOS: [(&str, &str); 10] = [
    ("登录", "登陆"),
    ("已经", "以经"),
    ("的", "得"),
    ("再", "在"),
    ("质量", "质亮"),
    ("一直", "一只"),
    ("反应", "反映"),
    ("耐心", "耐性"),
    ("根本", "跟本"),
    ("而且", "而切"),
];

/// Replaces one word with a common homophone typo, if the text has one.
pub(super) fn typo(rng: &mut SmallRng, text: &mut String) {
    let start = rng.random_range(0..TYPOS.len());
    let found = (0..TYPOS.len())
        .map(|i| TYPOS[(start + i) % TYPOS.len()])
        .find(|(w, _)| text.contains(w));
    if let Some((word, wrong)) = found {
        *text = text.replacen(word, wrong, 1);
    }
}

/// The same text with exactly one character replaced by a different one.
pub(super) fn near_duplicate(rng: &mut SmallRng, text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = rng.random_range(0..chars.len().max(1));
    let old = chars.get(at).copied().unwrap_or(' ');
    let options: &[char] = if old.is_ascii_alphanumeric() {
        &['x', 'e', '0']
    } else {
        &['！', '。', '了', '很', '啊', '的']
    };
    let start = (mix64(u64::from(old)) % options.len() as u64) as usize;
    let new = (0..options.len())
        .map(|i| options[(start + i) % options.len()])
        .find(|&c| c != old)
        .unwrap_or('。');
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| if i == at { new } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn id_numbers_have_valid_check_digits() {
        let mut rng = SmallRng::seed_from_u64(1);
        let mut s = String::new();
        id_number(&mut rng, &mut s);
        assert_eq!(s.len(), 18);
        let mut phone_s = String::new();
        phone(12345, &mut phone_s);
        assert_eq!(phone_s.len(), 11);
    }

    #[test]
    fn near_duplicates_differ_in_exactly_one_char() {
        let mut rng = SmallRng::seed_from_u64(2);
        for text in [
            "物流很快，隔天就到了。",
            "The app keeps crashing",
            "哈哈哈哈哈哈哈哈哈哈",
        ] {
            let dup = near_duplicate(&mut rng, text);
            let diff = text.chars().zip(dup.chars()).filter(|(a, b)| a != b).count();
            assert_eq!(
                (diff, dup.chars().count()),
                (1, text.chars().count()),
                "{text} -> {dup}"
            );
        }
    }

    #[test]
    fn spam_is_long_enough() {
        let mut rng = SmallRng::seed_from_u64(3);
        for _ in 0..200 {
            let mut s = String::new();
            spam(&mut rng, &mut s);
            assert!(s.chars().count() >= 10, "{s}");
        }
    }
}
