//! Stopword lists for Chinese and English feedback.
//!
//! Function words that carry no topic of their own. Negation words are kept
//! out of the lists (sentiment needs them) and so are degree adverbs (很, 太,
//! 非常, very): they set sentiment intensity.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Chinese function words: particles, pronouns, conjunctions, prepositions.
pub const CHINESE_STOPWORDS: &[&str] = &[
    "的", "地", "得", "了", "着", "过", "是", "在", "有", "和", "与", "及", "或", "而", "并", "就", "都", "也", "还",
    "又", "再", "才", "只", "但", "但是", "而且", "因为", "所以", "如果", "虽然", "然后", "还是", "或者", "以及",
    "的话", "我", "你", "您", "他", "她", "它", "我们", "你们", "他们", "她们", "它们", "咱们", "自己", "这", "那",
    "这个", "那个", "这些", "那些", "这样", "那样", "这里", "那里", "这么", "那么", "什么", "怎么", "哪", "哪里", "谁",
    "一个", "一些", "一下", "一点", "一直", "把", "被", "让", "给", "从", "对", "向", "于", "以", "为", "之", "所",
    "其", "等", "吧", "啊", "呢", "吗", "嘛", "呀", "哦", "噢", "哈", "啦", "么", "喔", "嗯", "额", "呗", "吖", "咯",
    "个", "上", "下", "里", "中", "来", "去", "说", "要", "会", "能", "可以", "已经", "还有", "就是", "真的", "感觉",
    "觉得",
];

/// English function words.
pub const ENGLISH_STOPWORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "if", "then", "so", "because", "as", "of", "at", "by", "for", "with",
    "about", "to", "from", "in", "on", "into", "onto", "over", "under", "up", "down", "out", "off", "again", "once",
    "here", "there", "when", "where", "why", "how", "all", "any", "both", "each", "few", "more", "most", "other",
    "some", "such", "own", "same", "than", "too", "can", "will", "just", "should", "now", "i", "me", "my", "myself",
    "we", "our", "ours", "you", "your", "yours", "he", "him", "his", "she", "her", "hers", "it", "its", "they", "them",
    "their", "what", "which", "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be",
    "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "would", "could", "also", "get",
    "got", "im", "i'm", "it's", "i've", "you're", "that's", "there's", "let", "us", "via",
];

static STOPWORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| CHINESE_STOPWORDS.iter().chain(ENGLISH_STOPWORDS).copied().collect());

/// Whether `token` (lowercase, as the tokenizer emits it) is a stopword.
pub fn is_stopword(token: &str) -> bool {
    STOPWORDS.contains(token)
}

#[cfg(test)]
mod tests {
    use super::super::is_negation;
    use super::*;

    #[test]
    fn stopwords_exclude_negations_and_degree_words() {
        for word in CHINESE_STOPWORDS.iter().chain(ENGLISH_STOPWORDS) {
            assert!(!is_negation(word), "{word} is a negation");
        }
        for word in ["很", "太", "非常", "very", "不", "not"] {
            assert!(!is_stopword(word), "{word}");
        }
        for word in ["的", "了", "吗", "the", "is"] {
            assert!(is_stopword(word), "{word}");
        }
    }
}
