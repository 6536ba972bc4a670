//! Spherical k-means (Dhillon & Modha 2001) on unit vectors: assign each point
//! to the centroid of highest cosine, recompute centroids as normalised means.
//! Cosine is the similarity text vectors are compared by everywhere else in
//! this module (assignment, topic matching), and on LSA vectors it clusters
//! text better than Euclidean k-means.
//!
//! Seeding is k-means++ (Arthur & Vassilvitskii 2007) with distance `1 - cos`
//! and `2 + ln k` candidate draws per centre, as scikit-learn's greedy variant;
//! the best of `n_init` seeded runs (highest total cosine) wins. Everything is
//! driven by [`SplitMix64`] from one seed, and ties go to the lowest index, so
//! the same input gives the same clusters on every run.
//!
//! Why not linfa-clustering's `KMeans`: it is Euclidean only (no cosine), needs
//! an `ndarray` dataset, and its seeding goes through `rand` versions we do
//! not control; this file is ~150 lines.

use rayon::prelude::*;

use super::matrix::{Dense, dot, normalize};
use super::rng::SplitMix64;

#[derive(Clone, Debug)]
pub(crate) struct KMeansParams {
    pub(crate) k: usize,
    pub(crate) n_init: usize,
    pub(crate) max_iter: usize,
    pub(crate) seed: u64,
}

#[derive(Clone, Debug)]
pub(crate) struct Clustering {
    pub(crate) labels: Vec<usize>,
    pub(crate) centroids: Dense,
    /// Sum over points of the cosine to their centroid.
    pub(crate) objective: f64,
}

/// Clusters the unit rows of `x` (zero rows go to cluster 0 and do not move it).
pub(crate) fn spherical_kmeans(x: &Dense, p: &KMeansParams) -> Clustering {
    let k = p.k.clamp(1, x.rows.max(1));
    (0..p.n_init.max(1) as u64)
        .map(|run| {
            let mut rng = SplitMix64::new(p.seed ^ run.wrapping_mul(0xA24B_AED4_963E_E407));
            lloyd(x, seed_plus_plus(x, k, &mut rng), p.max_iter, &mut rng)
        })
        .fold(None, |best: Option<Clustering>, c| match best {
            Some(b) if b.objective >= c.objective => Some(b),
            _ => Some(c),
        })
        .unwrap_or_else(|| Clustering {
            labels: vec![0; x.rows],
            centroids: Dense::zeros(k, x.cols),
            objective: 0.0,
        })
}

/// Index and cosine of the centroid nearest to `v`.
pub(crate) fn nearest(centroids: &Dense, v: &[f32]) -> (usize, f32) {
    let mut best = (0, f32::NEG_INFINITY);
    for c in 0..centroids.rows {
        let s = dot(centroids.row(c), v);
        if s > best.1 {
            best = (c, s);
        }
    }
    best
}

fn seed_plus_plus(x: &Dense, k: usize, rng: &mut SplitMix64) -> Dense {
    let mut centroids = Dense::zeros(k, x.cols);
    if x.rows == 0 {
        return centroids;
    }
    let first = rng.below(x.rows);
    centroids.row_mut(0).copy_from_slice(x.row(first));
    let mut dist: Vec<f32> = (0..x.rows).map(|i| distance(x.row(i), x.row(first))).collect();
    let trials = 2 + (k as f64).ln() as usize;
    for c in 1..k {
        let total: f64 = dist.iter().map(|&d| f64::from(d)).sum();
        let best = (0..trials)
            .map(|_| sample(&dist, total, rng))
            .map(|cand| {
                let d: Vec<f32> = (0..x.rows)
                    .into_par_iter()
                    .map(|i| dist[i].min(distance(x.row(i), x.row(cand))))
                    .collect();
                (d.iter().map(|&v| f64::from(v)).sum::<f64>(), cand, d)
            })
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        if let Some((_, cand, d)) = best {
            centroids.row_mut(c).copy_from_slice(x.row(cand));
            dist = d;
        }
    }
    centroids
}

/// `(1 - cos)²`, the k-means++ weight for unit vectors.
fn distance(a: &[f32], b: &[f32]) -> f32 {
    let d = (1.0 - dot(a, b)).max(0.0);
    d * d
}

/// An index drawn with probability proportional to `weights`.
fn sample(weights: &[f32], total: f64, rng: &mut SplitMix64) -> usize {
    if total <= 0.0 {
        return rng.below(weights.len());
    }
    let mut target = rng.next_f64() * total;
    for (i, &w) in weights.iter().enumerate() {
        target -= f64::from(w);
        if target < 0.0 {
            return i;
        }
    }
    weights.len() - 1
}

fn lloyd(x: &Dense, mut centroids: Dense, max_iter: usize, rng: &mut SplitMix64) -> Clustering {
    let mut labels = vec![usize::MAX; x.rows];
    let mut objective = 0.0;
    for _ in 0..max_iter.max(1) {
        let assigned: Vec<(usize, f32)> = (0..x.rows)
            .into_par_iter()
            .map(|i| nearest(&centroids, x.row(i)))
            .collect();
        objective = assigned.iter().map(|&(_, s)| f64::from(s)).sum();
        let changed = assigned.iter().zip(&labels).filter(|&(&(c, _), &l)| c != l).count();
        labels = assigned.iter().map(|&(c, _)| c).collect();
        // Converged when fewer than 1 in 2000 points move (the last few
        // flip-flop between near-equal centroids and change nothing visible).
        if changed * 2000 <= x.rows {
            break;
        }
        centroids = means(x, &labels, &assigned, centroids.rows, rng);
    }
    Clustering {
        labels,
        centroids,
        objective,
    }
}

/// Normalised cluster means; an empty cluster is re-seeded with the point
/// farthest from its own centroid (so k clusters survive).
fn means(x: &Dense, labels: &[usize], assigned: &[(usize, f32)], k: usize, rng: &mut SplitMix64) -> Dense {
    let mut sums = Dense::zeros(k, x.cols);
    let mut sizes = vec![0usize; k];
    for (i, &c) in labels.iter().enumerate() {
        sizes[c] += 1;
        sums.row_mut(c).iter_mut().zip(x.row(i)).for_each(|(s, v)| *s += v);
    }
    let mut far: Vec<usize> = (0..x.rows).collect();
    far.sort_by(|&a, &b| assigned[a].1.total_cmp(&assigned[b].1).then(a.cmp(&b)));
    let mut far = far.into_iter();
    for (c, &size) in sizes.iter().enumerate() {
        if size == 0 {
            let i = far.next().unwrap_or_else(|| rng.below(x.rows.max(1)));
            sums.row_mut(c).copy_from_slice(x.row(i));
        }
        normalize(sums.row_mut(c));
    }
    sums
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three tight bundles of unit vectors around the axes of R³.
    fn bundles() -> (Dense, Vec<usize>) {
        let mut rng = SplitMix64::new(11);
        let mut data = Vec::new();
        let mut truth = Vec::new();
        for i in 0..90 {
            let axis = i % 3;
            let mut v: Vec<f32> = (0..3).map(|_| 0.1 * rng.symmetric()).collect();
            v[axis] += 1.0;
            normalize(&mut v);
            data.extend(v);
            truth.push(axis);
        }
        (
            Dense {
                rows: 90,
                cols: 3,
                data,
            },
            truth,
        )
    }

    fn params(k: usize) -> KMeansParams {
        KMeansParams {
            k,
            n_init: 3,
            max_iter: 50,
            seed: 42,
        }
    }

    #[test]
    fn finds_obvious_clusters() {
        let (x, truth) = bundles();
        let c = spherical_kmeans(&x, &params(3));
        // Same partition as the truth, whatever the label permutation.
        for i in 0..90 {
            for j in 0..90 {
                assert_eq!(truth[i] == truth[j], c.labels[i] == c.labels[j]);
            }
        }
        assert!(c.objective > 85.0);
    }

    #[test]
    fn deterministic_for_a_seed() {
        let (x, _) = bundles();
        let (a, b) = (spherical_kmeans(&x, &params(5)), spherical_kmeans(&x, &params(5)));
        assert_eq!(a.labels, b.labels);
        assert_eq!(a.centroids, b.centroids);
    }

    #[test]
    fn k_is_capped_by_points_and_never_empty() {
        let (x, _) = bundles();
        let few = Dense {
            rows: 2,
            cols: 3,
            data: x.data[..6].to_vec(),
        };
        let c = spherical_kmeans(&few, &params(10));
        assert_eq!(c.centroids.rows, 2);
        let c = spherical_kmeans(&x, &params(8));
        let mut sizes = [0; 8];
        c.labels.iter().for_each(|&l| sizes[l] += 1);
        assert!(sizes.iter().all(|&s| s > 0), "{sizes:?}");
    }
}
