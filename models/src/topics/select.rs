//! Choosing the number of topics when the caller does not set it.
//!
//! Each candidate `k` (a geometric grid over `k_min..=k_max`) is clustered on a
//! fixed sample of the LSA vectors and scored by the mean silhouette (cosine
//! distance) of that sample; the best `k` wins, the smaller on a tie. The
//! sample keeps this O(sample² + candidates x sample x k x dims): on 50k texts
//! the whole choice costs about as much as one full clustering. Silhouette
//! prefers well-separated groups, which is what a recurring issue is; it is not
//! told how many topics to expect.

use rayon::prelude::*;

use super::kmeans::{KMeansParams, spherical_kmeans};
use super::matrix::{Dense, dot};
use super::rng::SplitMix64;

/// The candidate `k`s: every value up to 10, then steps of about 25 %.
pub(crate) fn candidates(k_min: usize, k_max: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut k = k_min.max(2);
    while k <= k_max {
        out.push(k);
        k = if k < 10 { k + 1 } else { k + k.div_ceil(4) };
    }
    out
}

/// The best `k` by silhouette on a sample of `x`, and every candidate's score.
pub(crate) fn choose_k(x: &Dense, ks: &[usize], sample: usize, params: &KMeansParams) -> (usize, Vec<(usize, f32)>) {
    let sub = subsample(x, sample, params.seed);
    let gram = pairwise(&sub);
    let scores: Vec<(usize, f32)> = ks
        .iter()
        .filter(|&&k| k < sub.rows)
        .map(|&k| {
            // One short run per k: the score only has to rank the ks.
            let one = KMeansParams {
                k,
                n_init: 1,
                max_iter: 20,
                ..params.clone()
            };
            let c = spherical_kmeans(&sub, &one);
            (k, silhouette(&gram, sub.rows, &c.labels, k))
        })
        .collect();
    let best = scores
        .iter()
        .fold(None, |best: Option<(usize, f32)>, &(k, s)| match best {
            Some((_, b)) if b >= s => best,
            _ => Some((k, s)),
        })
        .map_or(ks.first().copied().unwrap_or(1), |(k, _)| k);
    (best, scores)
}

fn subsample(x: &Dense, n: usize, seed: u64) -> Dense {
    if x.rows <= n {
        return x.clone();
    }
    let mut rng = SplitMix64::new(seed ^ 0x5EED);
    let mut idx: Vec<usize> = (0..x.rows).collect();
    for i in 0..n {
        let j = i + rng.below(x.rows - i);
        idx.swap(i, j);
    }
    idx.truncate(n);
    idx.sort_unstable();
    Dense {
        rows: n,
        cols: x.cols,
        data: idx.iter().flat_map(|&i| x.row(i).iter().copied()).collect(),
    }
}

/// Cosine distances `1 - x_i · x_j`, row-major.
fn pairwise(x: &Dense) -> Vec<f32> {
    let mut d = vec![0f32; x.rows * x.rows];
    d.par_chunks_mut(x.rows.max(1)).enumerate().for_each(|(i, row)| {
        for (j, v) in row.iter_mut().enumerate() {
            *v = (1.0 - dot(x.row(i), x.row(j))).max(0.0);
        }
    });
    d
}

/// Mean silhouette `(b - a) / max(a, b)`; points alone in their cluster score 0.
pub(crate) fn silhouette(dist: &[f32], n: usize, labels: &[usize], k: usize) -> f32 {
    let mut sizes = vec![0usize; k];
    labels.iter().for_each(|&l| sizes[l] += 1);
    let total: f64 = (0..n)
        .into_par_iter()
        .map(|i| {
            let mut sums = vec![0f64; k];
            for (j, &l) in labels.iter().enumerate() {
                sums[l] += f64::from(dist[i * n + j]);
            }
            let own = labels[i];
            if sizes[own] < 2 {
                return 0.0;
            }
            let a = sums[own] / (sizes[own] - 1) as f64;
            let b = (0..k)
                .filter(|&c| c != own && sizes[c] > 0)
                .map(|c| sums[c] / sizes[c] as f64)
                .fold(f64::INFINITY, f64::min);
            if b.is_finite() && a.max(b) > 0.0 {
                (b - a) / a.max(b)
            } else {
                0.0
            }
        })
        .sum();
    (total / n.max(1) as f64) as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topics::matrix::normalize;

    #[test]
    fn candidate_grid() {
        assert_eq!(candidates(2, 12), vec![2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(candidates(8, 40), vec![8, 9, 10, 13, 17, 22, 28, 35]);
        assert!(candidates(5, 4).is_empty());
    }

    #[test]
    fn silhouette_of_two_separated_pairs() {
        // Points 0,1 together and 2,3 together, far apart.
        let d = [
            0.0, 0.1, 1.0, 1.0, 0.1, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.1, 1.0, 1.0, 0.1, 0.0,
        ];
        assert!((silhouette(&d, 4, &[0, 0, 1, 1], 2) - 0.9).abs() < 1e-6);
        assert!(silhouette(&d, 4, &[0, 1, 0, 1], 2) < 0.0);
    }

    #[test]
    fn chooses_the_planted_number_of_groups() {
        let mut rng = SplitMix64::new(5);
        let mut data = Vec::new();
        for i in 0..200 {
            let mut v: Vec<f32> = (0..8).map(|_| 0.15 * rng.symmetric()).collect();
            v[i % 4] += 1.0;
            normalize(&mut v);
            data.extend(v);
        }
        let x = Dense {
            rows: 200,
            cols: 8,
            data,
        };
        let params = KMeansParams {
            k: 0,
            n_init: 2,
            max_iter: 30,
            seed: 1,
        };
        let (k, scores) = choose_k(&x, &candidates(2, 9), 150, &params);
        assert_eq!(k, 4, "{scores:?}");
    }
}
