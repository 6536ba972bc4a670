//! Names a topic by its most distinctive words: class-based TF-IDF
//! (c-TF-IDF, as BERTopic), counting each word once per text. A word scores
//! `p(word | topic) x ln(1 + A / df(word))`, where `A` is the average topic
//! size and `df` the number of texts of the window containing the word: common
//! in the topic, rare elsewhere. A word must occur in at least two texts of the
//! topic, and a word that contains or is contained in a better one ("退款" after
//! "申请退款") is skipped so that the few names shown say different things.

use std::collections::HashMap;

/// Up to `n_terms` distinctive words for each of the `k` topics.
pub(crate) fn distinctive_terms(
    words: &[Vec<String>],
    labels: &[Option<usize>],
    k: usize,
    n_terms: usize,
) -> Vec<Vec<String>> {
    let mut vocab: HashMap<&str, usize> = HashMap::new();
    let mut df: Vec<u32> = Vec::new();
    let mut per_topic: Vec<HashMap<usize, u32>> = vec![HashMap::new(); k];
    let mut sizes = vec![0u32; k];
    for (doc, label) in words.iter().zip(labels) {
        let mut ids: Vec<usize> = doc
            .iter()
            .map(|w| {
                let next = vocab.len();
                *vocab.entry(w.as_str()).or_insert(next)
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        df.resize(vocab.len(), 0);
        ids.iter().for_each(|&t| df[t] += 1);
        if let Some(c) = label.filter(|&c| c < k) {
            sizes[c] += 1;
            ids.iter().for_each(|&t| *per_topic[c].entry(t).or_insert(0) += 1);
        }
    }
    let mut names: Vec<&str> = vec![""; vocab.len()];
    vocab.iter().for_each(|(w, &t)| names[t] = w);
    let average = f64::from(sizes.iter().sum::<u32>()) / k.max(1) as f64;
    (0..k)
        .map(|c| {
            let mut scored: Vec<(f64, &str)> = per_topic[c]
                .iter()
                .filter(|&(_, &n)| n >= 2)
                .map(|(&t, &n)| {
                    let p = f64::from(n) / f64::from(sizes[c].max(1));
                    (p * (1.0 + average / f64::from(df[t])).ln(), names[t])
                })
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
            pick_distinct(scored.into_iter().map(|(_, w)| w), n_terms)
        })
        .collect()
}

fn pick_distinct<'a>(ranked: impl Iterator<Item = &'a str>, n: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(n);
    for w in ranked {
        if out.len() == n {
            break;
        }
        if !out.iter().any(|o| o.contains(w) || w.contains(o.as_str())) {
            out.push(w.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn picks_words_frequent_in_topic_rare_elsewhere() {
        let words = vec![
            doc(&["闪退", "5.3.0", "质量"]),
            doc(&["闪退", "5.3.0", "打开"]),
            doc(&["闪退", "打开", "质量"]),
            doc(&["物流", "慢", "质量"]),
            doc(&["物流", "慢", "质量"]),
            doc(&["物流", "快递", "质量"]),
        ];
        let labels = [Some(0), Some(0), Some(0), Some(1), Some(1), Some(1)];
        let names = distinctive_terms(&words, &labels, 2, 3);
        assert_eq!(names[0], ["闪退", "5.3.0", "打开"]);
        assert_eq!(names[1], ["物流", "慢", "质量"]);
    }

    #[test]
    fn overlapping_words_are_skipped_and_unlabelled_texts_only_count_in_df() {
        let words = vec![doc(&["申请退款", "退款"]), doc(&["申请退款", "退款"]), doc(&["退款"])];
        let names = distinctive_terms(&words, &[Some(0), Some(0), None], 1, 3);
        assert_eq!(names[0], ["申请退款"]);
    }
}
