//! Priority of a piece of feedback: high / medium / low, from how negative it
//! is, how many customers report the same topic, whether it names a severe
//! problem (safety, leak, fraud, legal threat) and the customer's tier.
//!
//! The score is a weighted sum in [0, 1] of four factors, each in [0, 1]:
//! negativity `max(0, -sentiment)` (0.35), reach `ln(customers) / ln(100)`
//! (0 for a lone customer, 1 from 100 customers on) (0.25), severity (0.30: safety 1.0, fraud 0.9,
//! legal threat 0.8, leak 0.7) and tier (0.10: regular 0, silver 0.5, gold 1).
//! High from 0.55, medium from 0.30. Two rules override the sum: a safety or
//! fraud report is always high (one burnt hand is enough), a legal threat at
//! least medium. The reason names every factor that contributed.

use std::fmt::Write;

/// Customer value, as `customer_tier` in the feedback table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CustomerTier {
    Regular,
    Silver,
    Gold,
}

impl CustomerTier {
    /// `regular`, `silver`, `gold` (any case); anything else is `None`.
    pub fn parse(s: &str) -> Option<CustomerTier> {
        match s.trim().to_ascii_lowercase().as_str() {
            "regular" => Some(CustomerTier::Regular),
            "silver" => Some(CustomerTier::Silver),
            "gold" => Some(CustomerTier::Gold),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CustomerTier::Regular => "regular",
            CustomerTier::Silver => "silver",
            CustomerTier::Gold => "gold",
        }
    }

    fn weight(self) -> f32 {
        match self {
            CustomerTier::Regular => 0.0,
            CustomerTier::Silver => 0.5,
            CustomerTier::Gold => 1.0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PriorityLevel {
    Low,
    Medium,
    High,
}

impl PriorityLevel {
    /// `high`, `medium`, `low`: the values of the `priority` column.
    pub fn as_str(self) -> &'static str {
        match self {
            PriorityLevel::Low => "low",
            PriorityLevel::Medium => "medium",
            PriorityLevel::High => "high",
        }
    }
}

/// Kinds of severe problem a text can name, most severe first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Safety,
    Fraud,
    Legal,
    Leak,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Safety => "safety",
            Severity::Fraud => "fraud",
            Severity::Legal => "legal threat",
            Severity::Leak => "leak",
        }
    }

    /// A safety or fraud report is high priority on its own (one burnt hand
    /// is enough), whatever else the score says.
    pub fn is_always_high(self) -> bool {
        matches!(self, Severity::Safety | Severity::Fraud)
    }

    /// The word topics of such reports are named by, in the language of the
    /// term that was found.
    pub fn topic_word(self, term: &str) -> &'static str {
        match (self, term.is_ascii()) {
            (Severity::Safety, false) => "安全隐患",
            (Severity::Safety, true) => "safety",
            (Severity::Fraud, false) => "欺诈",
            (Severity::Fraud, true) => "fraud",
            (Severity::Legal, false) => "维权",
            (Severity::Legal, true) => "legal",
            (Severity::Leak, false) => "泄漏",
            (Severity::Leak, true) => "leak",
        }
    }

    fn weight(self) -> f32 {
        match self {
            Severity::Safety => 1.0,
            Severity::Fraud => 0.9,
            Severity::Legal => 0.8,
            Severity::Leak => 0.7,
        }
    }
}

/// Chinese terms match as substrings; English ones as whole words or phrases.
const TERMS: &[(Severity, &[&str], &[&str])] = &[
    (
        Severity::Safety,
        &[
            "安全隐患",
            "安全问题",
            "不安全",
            "安全事故",
            "起火",
            "着火",
            "失火",
            "自燃",
            "漏电",
            "触电",
            "冒烟",
            "爆炸",
            "炸了",
            "烫伤",
            "烧伤",
            "焦糊",
            "烧焦",
            "烧黑",
        ],
        &[
            "fire",
            "caught fire",
            "on fire",
            "smoke",
            "smoking",
            "exploded",
            "explosion",
            "explode",
            "burned",
            "burnt",
            "burn",
            "burns",
            "electric shock",
            "shocked me",
            "unsafe",
            "safety hazard",
            "safety issue",
        ],
    ),
    (
        Severity::Fraud,
        &["诈骗", "欺诈", "盗刷", "骗子", "被骗", "骗钱"],
        &[
            "fraud",
            "fraudulent",
            "scam",
            "scammed",
            "unauthorized charge",
            "unauthorised charge",
            "stolen card",
        ],
    ),
    (
        Severity::Legal,
        &[
            "起诉",
            "律师",
            "12315",
            "消协",
            "消费者协会",
            "曝光",
            "媒体",
            "法院",
            "工商局",
            "市场监管",
        ],
        &[
            "sue",
            "suing",
            "lawsuit",
            "lawyer",
            "attorney",
            "legal action",
            "court",
            "bbb",
            "the media",
            "the press",
        ],
    ),
    (
        Severity::Leak,
        &["泄露", "泄漏", "漏水", "漏气", "漏液", "渗水"],
        &["leak", "leaks", "leaked", "leaking", "leakage"],
    ),
];

/// Every term of [`TERMS`] in one automaton, so a text is scanned once
/// rather than once per term. Pattern ids follow the table's order (each
/// kind's Chinese terms, then its English ones).
struct TermIndex {
    automaton: aho_corasick::AhoCorasick,
    /// Per pattern id: its kind, the term, and whether it must be a whole word.
    terms: Vec<(Severity, &'static str, bool)>,
}

static TERM_INDEX: std::sync::LazyLock<Option<TermIndex>> = std::sync::LazyLock::new(|| {
    let terms: Vec<(Severity, &'static str, bool)> = TERMS
        .iter()
        .flat_map(|&(kind, zh, en)| {
            let zh = zh.iter().map(move |t| (kind, *t, false));
            zh.chain(en.iter().map(move |t| (kind, *t, true)))
        })
        .collect();
    let automaton = aho_corasick::AhoCorasick::new(terms.iter().map(|(_, t, _)| t)).ok()?;
    Some(TermIndex { automaton, terms })
});

/// The severe problems `text` names, each kind once with the first term
/// found, most severe first.
pub fn severity_terms(text: &str) -> Vec<(Severity, &'static str)> {
    let Some(index) = TERM_INDEX.as_ref() else {
        return Vec::new();
    };
    let lower = text.to_lowercase();
    // The first term of each kind, by the table's order, that occurs.
    let mut first: Vec<usize> = index
        .automaton
        .find_overlapping_iter(&lower)
        .filter(|m| {
            let (_, term, whole_word) = index.terms[m.pattern().as_usize()];
            !whole_word || is_word_at(&lower, m.start(), term)
        })
        .map(|m| m.pattern().as_usize())
        .collect();
    first.sort_unstable();
    let mut found: Vec<(Severity, &'static str)> = Vec::new();
    for id in first {
        let (kind, term, _) = index.terms[id];
        if !found.iter().any(|(k, _)| *k == kind) {
            found.push((kind, term));
        }
    }
    found
}

/// Whether `phrase`, found at byte `at` of `text`, has no letter or digit
/// right before or after it.
fn is_word_at(text: &str, at: usize, phrase: &str) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + phrase.len()..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// What priority is computed from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PriorityInput<'a> {
    pub text: &'a str,
    /// Sentiment score in [-1, 1]; `None` counts as neutral.
    pub sentiment: Option<f64>,
    /// Distinct customers reporting the same topic in the window (this one included).
    pub customers: u64,
    pub tier: Option<CustomerTier>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Priority {
    pub level: PriorityLevel,
    /// Weighted sum of the factors, in [0, 1].
    pub score: f32,
    /// The factors that contributed, e.g. "safety (漏电); very negative (-0.90); 37 customers; gold customer".
    pub reason: String,
}

const HIGH_FROM: f32 = 0.55;
const MEDIUM_FROM: f32 = 0.30;

/// Scores one piece of feedback; see the module docs for the weights.
pub fn priority(input: &PriorityInput<'_>) -> Priority {
    let severe = severity_terms(input.text);
    let negativity = input
        .sentiment
        .filter(|s| s.is_finite())
        .map_or(0.0, |s| (-s).clamp(0.0, 1.0) as f32);
    let customers = input.customers.max(1);
    let reach = ((customers as f32).ln() / 100f32.ln()).min(1.0);
    let severity = severe.first().map_or(0.0, |(s, _)| s.weight());
    let tier = input.tier.map_or(0.0, CustomerTier::weight);
    let score = 0.35 * negativity + 0.25 * reach + 0.30 * severity + 0.10 * tier;
    let level = level(score, &severe);
    Priority {
        level,
        score,
        reason: reason(&severe, input.sentiment, negativity, customers, input.tier),
    }
}

fn level(score: f32, severe: &[(Severity, &str)]) -> PriorityLevel {
    let by_score = if score >= HIGH_FROM {
        PriorityLevel::High
    } else if score >= MEDIUM_FROM {
        PriorityLevel::Medium
    } else {
        PriorityLevel::Low
    };
    let floor = match severe.first().map(|(s, _)| *s) {
        Some(s) if s.is_always_high() => PriorityLevel::High,
        Some(Severity::Legal) => PriorityLevel::Medium,
        _ => PriorityLevel::Low,
    };
    by_score.max(floor)
}

fn reason(
    severe: &[(Severity, &str)],
    sentiment: Option<f64>,
    negativity: f32,
    customers: u64,
    tier: Option<CustomerTier>,
) -> String {
    let mut parts: Vec<String> = severe.iter().map(|(s, t)| format!("{} ({t})", s.as_str())).collect();
    if let Some(s) = sentiment.filter(|_| negativity > 0.0) {
        let how = if negativity >= 0.7 { "very negative" } else { "negative" };
        parts.push(format!("{how} ({s:.2})"));
    }
    if customers > 1 {
        parts.push(format!("{customers} customers"));
    }
    if let Some(t) = tier.filter(|&t| t != CustomerTier::Regular) {
        parts.push(format!("{} customer", t.as_str()));
    }
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        let _ = write!(out, "{}{p}", if i > 0 { "; " } else { "" });
    }
    if out.is_empty() {
        out.push_str("no aggravating factor");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use CustomerTier::{Gold, Regular, Silver};
    use PriorityLevel::{High, Low, Medium};

    fn input(text: &str, sentiment: f64, customers: u64, tier: Option<CustomerTier>) -> PriorityInput<'_> {
        PriorityInput {
            text,
            sentiment: Some(sentiment),
            customers,
            tier,
        }
    }

    #[test]
    fn levels_from_the_factors() {
        // (text, sentiment, customers, tier, level, reason)
        type Case<'a> = (&'a str, f64, u64, Option<CustomerTier>, PriorityLevel, &'a str);
        let cases: &[Case<'_>] = &[
            ("物流有点慢", -0.2, 1, Some(Regular), Low, "negative (-0.20)"),
            ("东西不错，下次还来", 0.9, 1, None, Low, "no aggravating factor"),
            (
                "物流太慢了，差评",
                -0.9,
                1,
                Some(Regular),
                Medium,
                "very negative (-0.90)",
            ),
            (
                "快递丢件了没人管",
                -0.95,
                60,
                Some(Gold),
                High,
                "very negative (-0.95); 60 customers; gold customer",
            ),
            (
                "用的时候突然冒烟，吓死了",
                -0.5,
                1,
                None,
                High,
                "safety (冒烟); negative (-0.50)",
            ),
            (
                "小满L76漏电，手被电了一下",
                -0.9,
                3,
                Some(Silver),
                High,
                "safety (漏电); very negative (-0.90); 3 customers; silver customer",
            ),
            ("信用卡被盗刷了", -0.6, 1, None, High, "fraud (盗刷); negative (-0.60)"),
            (
                "再不处理就投诉到12315",
                -0.3,
                1,
                None,
                Medium,
                "legal threat (12315); negative (-0.30)",
            ),
            ("热水器漏水", -0.4, 1, None, Medium, "leak (漏水); negative (-0.40)"),
            ("好像有点漏水", -0.1, 1, None, Low, "leak (漏水); negative (-0.10)"),
            (
                "热水器漏水，地板都泡了",
                -0.9,
                20,
                None,
                High,
                "leak (漏水); very negative (-0.90); 20 customers",
            ),
            (
                "My card was charged twice, this is a scam",
                -0.8,
                1,
                None,
                High,
                "fraud (scam); very negative (-0.80)",
            ),
            (
                "I will contact my lawyer",
                -0.7,
                1,
                Some(Gold),
                High,
                "legal threat (lawyer); very negative (-0.70); gold customer",
            ),
            (
                "I will contact my lawyer",
                -0.1,
                1,
                None,
                Medium,
                "legal threat (lawyer); negative (-0.10)",
            ),
            (
                "The charger caught fire!",
                -0.9,
                1,
                None,
                High,
                "safety (fire); very negative (-0.90)",
            ),
        ];
        for &(text, sentiment, customers, tier, want, why) in cases {
            let p = priority(&input(text, sentiment, customers, tier));
            assert_eq!(p.level, want, "{text}: score {:.3}, {}", p.score, p.reason);
            assert_eq!(p.reason, why, "{text}");
            assert!((0.0..=1.0).contains(&p.score));
        }
    }

    #[test]
    fn severity_terms_by_kind_and_word_boundaries() {
        let cases: &[(&str, &[Severity])] = &[
            (
                "有一股焦糊味，还冒烟，已经找律师了",
                &[Severity::Safety, Severity::Legal],
            ),
            ("个人信息泄露，还被骗了", &[Severity::Fraud, Severity::Leak]),
            ("The bottle leaked everywhere", &[Severity::Leak]),
            ("Smokers lounge was great", &[]),
            ("nice suede jacket", &[]),
            ("质量很好", &[]),
        ];
        for &(text, want) in cases {
            let got: Vec<Severity> = severity_terms(text).iter().map(|(s, _)| *s).collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn tiers_parse_and_missing_sentiment_is_neutral() {
        assert_eq!(CustomerTier::parse(" Gold "), Some(Gold));
        assert_eq!(CustomerTier::parse("platinum"), None);
        let p = priority(&PriorityInput {
            text: "一般",
            sentiment: None,
            customers: 0,
            tier: None,
        });
        assert_eq!((p.level, p.score), (Low, 0.0));
        assert_eq!(High.as_str(), "high");
    }
}
