//! Agreement between a clustering and reference labels: normalised mutual
//! information (arithmetic-mean normalisation, scikit-learn's default) and the
//! adjusted Rand index. Labels are any hashable values; both are symmetric
//! and invariant to renaming the labels.

use std::collections::HashMap;
use std::hash::Hash;

/// `MI(a, b) / ((H(a) + H(b)) / 2)`; 1 for identical partitions, 0 when
/// independent; 1 when both partitions are a single cluster.
pub fn normalized_mutual_info<A: Hash + Eq, B: Hash + Eq>(a: &[A], b: &[B]) -> f64 {
    let t = Contingency::new(a, b);
    let n = t.n as f64;
    let entropy = |counts: &[u64]| -> f64 {
        counts
            .iter()
            .filter(|&&c| c > 0)
            .map(|&c| {
                let p = c as f64 / n;
                -p * p.ln()
            })
            .sum()
    };
    let (ha, hb) = (entropy(&t.rows), entropy(&t.cols));
    if ha == 0.0 && hb == 0.0 {
        return 1.0;
    }
    let mi: f64 = t
        .cells
        .iter()
        .map(|(&(i, j), &c)| {
            let c = c as f64;
            c / n * (c * n / (t.rows[i] as f64 * t.cols[j] as f64)).ln()
        })
        .sum();
    (mi / ((ha + hb) / 2.0)).clamp(0.0, 1.0)
}

/// Hubert & Arabie's adjusted Rand index: 1 for identical partitions, about 0
/// for random ones (can be negative).
pub fn adjusted_rand_index<A: Hash + Eq, B: Hash + Eq>(a: &[A], b: &[B]) -> f64 {
    let t = Contingency::new(a, b);
    let pairs = |c: u64| (c * c.saturating_sub(1) / 2) as f64;
    let index: f64 = t.cells.values().map(|&c| pairs(c)).sum();
    let (sa, sb): (f64, f64) = (
        t.rows.iter().map(|&c| pairs(c)).sum(),
        t.cols.iter().map(|&c| pairs(c)).sum(),
    );
    let total = pairs(t.n);
    let expected = if total > 0.0 { sa * sb / total } else { 0.0 };
    let max = (sa + sb) / 2.0;
    if max == expected {
        return 1.0;
    }
    (index - expected) / (max - expected)
}

struct Contingency {
    n: u64,
    rows: Vec<u64>,
    cols: Vec<u64>,
    cells: HashMap<(usize, usize), u64>,
}

impl Contingency {
    fn new<A: Hash + Eq, B: Hash + Eq>(a: &[A], b: &[B]) -> Self {
        assert_eq!(a.len(), b.len(), "label slices differ in length");
        let (ia, ib) = (intern(a), intern(b));
        let size = |ids: &[usize]| ids.iter().max().map_or(0, |m| m + 1);
        let mut t = Contingency {
            n: a.len() as u64,
            rows: vec![0; size(&ia)],
            cols: vec![0; size(&ib)],
            cells: HashMap::new(),
        };
        for (&i, &j) in ia.iter().zip(&ib) {
            t.rows[i] += 1;
            t.cols[j] += 1;
            *t.cells.entry((i, j)).or_insert(0) += 1;
        }
        t
    }
}

fn intern<T: Hash + Eq>(labels: &[T]) -> Vec<usize> {
    let mut ids: HashMap<&T, usize> = HashMap::new();
    labels
        .iter()
        .map(|l| {
            let next = ids.len();
            *ids.entry(l).or_insert(next)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn identical_partitions_score_one_whatever_the_names() {
        let a = [0, 0, 1, 1, 2, 2];
        let b = ["x", "x", "y", "y", "z", "z"];
        assert!(close(normalized_mutual_info(&a, &b), 1.0));
        assert!(close(adjusted_rand_index(&a, &b), 1.0));
    }

    #[test]
    fn matches_scikit_learn_reference_values() {
        // sklearn.metrics: nmi([0,0,1,1],[0,0,1,2]) = 0.8, ari = 0.5714285714.
        let (a, b) = ([0, 0, 1, 1], [0, 0, 1, 2]);
        assert!(
            close(normalized_mutual_info(&a, &b), 0.8),
            "{}",
            normalized_mutual_info(&a, &b)
        );
        assert!(close(adjusted_rand_index(&a, &b), 4.0 / 7.0));
        // ari([0,0,1,1],[0,1,0,1]) = -0.5, nmi = 0.
        let c = [0, 1, 0, 1];
        assert!(close(adjusted_rand_index(&a, &c), -0.5));
        assert!(close(normalized_mutual_info(&a, &c), 0.0));
    }

    #[test]
    fn degenerate_partitions() {
        assert!(close(normalized_mutual_info(&[1, 1, 1], &[2, 2, 2]), 1.0));
        assert!(close(adjusted_rand_index(&[1, 1, 1], &[2, 2, 2]), 1.0));
        assert!(close(normalized_mutual_info(&[0, 0, 1, 1], &[5, 5, 5, 5]), 0.0));
        let empty: [u8; 0] = [];
        assert!(close(adjusted_rand_index(&empty, &empty), 1.0));
    }
}
