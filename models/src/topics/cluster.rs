//! Clustering one window of texts: the pipeline behind [`TopicModel::fit`] and
//! [`TopicModel::update`](super::TopicModel::update).
//!
//! 1. TF-IDF over hashed character n-grams and jieba words ([`super::features`]),
//!    idf fitted on the window.
//! 2. LSA: randomized truncated SVD to `dims` dimensions, rows re-normalised
//!    ([`super::svd`]). In the raw term space two complaints about the same
//!    thing often share no n-gram; in the latent space they are close, and
//!    k-means there is far less sensitive to its seeds.
//! 3. Spherical k-means with k-means++ seeding ([`super::kmeans`]), `k` given or
//!    chosen by silhouette ([`super::select`]).
//! 4. Each cluster's centroid is taken back to the term space (the normalised
//!    mean of its members' TF-IDF vectors), refined by a few term-space k-means
//!    steps so that a text's cluster is exactly its nearest stored centroid, and
//!    pruned to its heaviest `centroid_terms` buckets. Term-space centroids do
//!    not depend on the window's SVD basis, so centroids of different windows
//!    can be compared (topic matching) and a saved model assigns new texts with
//!    nothing but the idf table and the centroids.
//! 5. Names: [`super::naming`].

use rayon::prelude::*;

use super::config::TopicConfig;
use super::features::{Sparse, TopicFeaturizer, fit_idf, tf_idf};
use super::index::Postings;
use super::kmeans::{KMeansParams, spherical_kmeans};
use super::matrix::{Csr, dot, normalize};
use super::naming::distinctive_terms;
use super::select::{candidates, choose_k};
use super::svd::reduce;

/// A window clustered: idf, per-text vectors and words, and the clusters.
pub(crate) struct WindowFit {
    pub(crate) idf: Vec<f32>,
    pub(crate) vectors: Vec<Sparse>,
    pub(crate) clusters: Vec<Cluster>,
    /// Silhouette of each `k` tried when `k` was chosen automatically.
    pub(crate) k_scores: Vec<(usize, f32)>,
}

pub(crate) struct Cluster {
    pub(crate) centroid: Sparse,
    pub(crate) terms: Vec<String>,
    pub(crate) size: usize,
}

pub(crate) fn fit_window<S: AsRef<str> + Sync>(
    texts: &[S],
    featurizer: &TopicFeaturizer,
    config: &TopicConfig,
) -> WindowFit {
    let (tfs, words): (Vec<Sparse>, Vec<Vec<String>>) = texts
        .par_iter()
        .map(|t| {
            let mut words = Vec::new();
            (featurizer.term_frequencies(t.as_ref(), Some(&mut words)), words)
        })
        .unzip();
    let idf = fit_idf(&tfs, featurizer.config());
    let vectors: Vec<Sparse> = tfs.par_iter().map(|tf| tf_idf(tf, &idf)).collect();
    let (clusters, k_scores) = cluster_vectors(&vectors, &words, &idf, config);
    WindowFit {
        idf,
        vectors,
        clusters,
        k_scores,
    }
}

fn cluster_vectors(
    vectors: &[Sparse],
    words: &[Vec<String>],
    idf: &[f32],
    config: &TopicConfig,
) -> (Vec<Cluster>, Vec<(usize, f32)>) {
    let docs: Vec<usize> = (0..vectors.len()).filter(|&i| !vectors[i].is_empty()).collect();
    if docs.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let columns = Columns::new(idf, usize::MAX);
    let a = Csr::from_rows(
        columns.len(),
        docs.iter()
            .map(|&i| columns.compact(&vectors[i]))
            .collect::<Vec<_>>()
            .iter()
            .map(Vec::as_slice),
    );
    let frequent = Columns::new(idf, config.svd_features);
    let rows: Vec<Sparse> = docs.iter().map(|&i| frequent.compact(&vectors[i])).collect();
    let mut lsa = reduce(
        &Csr::from_rows(frequent.len(), rows.iter().map(Vec::as_slice)),
        config.dims,
        config.power_iters,
        config.seed,
    );
    lsa.normalize_rows();
    let params = KMeansParams {
        k: config.k.unwrap_or(0),
        n_init: config.n_init,
        max_iter: config.max_iter,
        seed: config.seed,
    };
    let (k, k_scores) = match config.k {
        Some(k) => (k, Vec::new()),
        None => choose_k(
            &lsa,
            &candidates(config.k_min, config.k_max),
            config.selection_sample,
            &params,
        ),
    };
    let latent = spherical_kmeans(&lsa, &KMeansParams { k, ..params });
    let mut centroids = term_centroids(&a, &latent.labels, latent.centroids.rows);
    if config.k.is_none() && config.merge_similarity < 1.0 {
        centroids = merge_similar(&a, centroids, config.merge_similarity);
    }
    for _ in 0..config.refine_iters {
        let labels = nearest_all(&a, &centroids);
        centroids = term_centroids(&a, &labels, centroids.len());
    }
    let centroids: Vec<Sparse> = centroids
        .iter()
        .map(|c| columns.expand(&prune(c, config.centroid_terms)))
        .collect();
    (finish(vectors, words, centroids, config), k_scores)
}

/// Sizes and names of the final clusters (text → nearest pruned centroid),
/// empty ones dropped, largest first.
fn finish(vectors: &[Sparse], words: &[Vec<String>], centroids: Vec<Sparse>, config: &TopicConfig) -> Vec<Cluster> {
    let buckets = config.features.buckets();
    let index = Postings::new(centroids.iter().map(Vec::as_slice), buckets);
    let labels: Vec<Option<usize>> = vectors
        .par_iter()
        .map(|v| index.nearest(v).filter(|&(_, s)| s > 0.0).map(|(c, _)| c))
        .collect();
    let k = centroids.len();
    let names = distinctive_terms(words, &labels, k, config.name_terms);
    let mut sizes = vec![0usize; k];
    labels.iter().flatten().for_each(|&c| sizes[c] += 1);
    let mut clusters: Vec<Cluster> = centroids
        .into_iter()
        .zip(names)
        .zip(sizes)
        .filter(|&(_, size)| size > 0)
        .map(|((centroid, terms), size)| Cluster { centroid, terms, size })
        .collect();
    clusters.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.terms.cmp(&b.terms)));
    clusters
}

/// Average-linkage merging of clusters whose centroids have cosine >=
/// `threshold`, most similar pair first: the automatic `k` follows how crisply
/// texts separate, which on templated or repetitive feedback splits one issue
/// into its phrasings; merging puts them back together.
fn merge_similar(a: &Csr, centroids: Vec<Vec<f32>>, threshold: f32) -> Vec<Vec<f32>> {
    let labels = nearest_all(a, &centroids);
    let mut sizes = vec![0f32; centroids.len()];
    labels.iter().for_each(|&l| sizes[l] += 1.0);
    let mut live: Vec<(Vec<f32>, f32)> = centroids.into_iter().zip(sizes).filter(|(_, n)| *n > 0.0).collect();
    let k = live.len();
    let mut sim = vec![f32::NEG_INFINITY; k * k];
    for i in 0..k {
        for j in i + 1..k {
            sim[i * k + j] = dot(&live[i].0, &live[j].0);
        }
    }
    let mut alive = vec![true; k];
    while let Some((i, j)) = best_pair(&sim, &alive, k, threshold) {
        let (cj, nj) = std::mem::take(&mut live[j]);
        let (ci, ni) = &mut live[i];
        ci.iter_mut().zip(&cj).for_each(|(x, y)| *x = *x * *ni + y * nj);
        normalize(ci);
        *ni += nj;
        alive[j] = false;
        for o in (0..k).filter(|&o| alive[o] && o != i) {
            let s = dot(&live[i].0, &live[o].0);
            sim[i.min(o) * k + i.max(o)] = s;
        }
    }
    live.into_iter()
        .zip(alive)
        .filter(|(_, a)| *a)
        .map(|((c, _), _)| c)
        .collect()
}

/// The most similar live pair `(i, j)`, `i < j`, at or above `threshold`.
fn best_pair(sim: &[f32], alive: &[bool], k: usize, threshold: f32) -> Option<(usize, usize)> {
    let mut best: Option<(f32, usize, usize)> = None;
    for i in (0..k).filter(|&i| alive[i]) {
        for j in (i + 1..k).filter(|&j| alive[j]) {
            let s = sim[i * k + j];
            if s >= threshold && best.is_none_or(|(b, _, _)| s > b) {
                best = Some((s, i, j));
            }
        }
    }
    best.map(|(_, i, j)| (i, j))
}

/// Normalised means of the rows of `a` per label, dense over `a`'s columns.
fn term_centroids(a: &Csr, labels: &[usize], k: usize) -> Vec<Vec<f32>> {
    let mut sums = vec![vec![0f32; a.cols]; k];
    for (i, &c) in labels.iter().enumerate() {
        let (idx, val) = a.row(i);
        idx.iter().zip(val).for_each(|(&j, &v)| sums[c][j as usize] += v);
    }
    sums.par_iter_mut().for_each(|s| normalize(s));
    sums
}

fn nearest_all(a: &Csr, centroids: &[Vec<f32>]) -> Vec<usize> {
    (0..a.rows())
        .into_par_iter()
        .map(|i| {
            let (idx, val) = a.row(i);
            let score = |c: &Vec<f32>| idx.iter().zip(val).map(|(&j, &v)| v * c[j as usize]).sum::<f32>();
            centroids
                .iter()
                .map(score)
                .enumerate()
                .fold((0, f32::NEG_INFINITY), |b, (c, s)| if s > b.1 { (c, s) } else { b })
                .0
        })
        .collect()
}

/// The `n` heaviest entries of a dense centroid, as a sorted sparse vector.
fn prune(dense: &[f32], n: usize) -> Sparse {
    let mut entries: Vec<(u32, f32)> = dense
        .iter()
        .enumerate()
        .filter(|&(_, &v)| v > 0.0)
        .map(|(j, &v)| (j as u32, v))
        .collect();
    if entries.len() > n {
        entries.select_nth_unstable_by(n, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        entries.truncate(n);
    }
    entries.sort_unstable_by_key(|&(j, _)| j);
    entries
}

/// The used buckets (idf > 0) numbered densely as matrix columns: all of
/// them, or the `max` most frequent (lowest idf).
struct Columns {
    to_column: Vec<u32>,
    to_bucket: Vec<u32>,
}

impl Columns {
    fn new(idf: &[f32], max: usize) -> Self {
        let mut to_bucket: Vec<u32> = (0..idf.len() as u32).filter(|&b| idf[b as usize] > 0.0).collect();
        if to_bucket.len() > max {
            to_bucket.sort_by(|&a, &b| idf[a as usize].total_cmp(&idf[b as usize]).then(a.cmp(&b)));
            to_bucket.truncate(max);
            to_bucket.sort_unstable();
        }
        let mut to_column = vec![u32::MAX; idf.len()];
        to_bucket
            .iter()
            .enumerate()
            .for_each(|(c, &b)| to_column[b as usize] = c as u32);
        Columns { to_column, to_bucket }
    }

    fn len(&self) -> usize {
        self.to_bucket.len()
    }

    /// Bucket ids → column ids (order kept: both numberings are increasing);
    /// buckets without a column are dropped.
    fn compact(&self, v: &[(u32, f32)]) -> Sparse {
        v.iter()
            .filter_map(|&(b, x)| {
                let c = self.to_column[b as usize];
                (c != u32::MAX).then_some((c, x))
            })
            .collect()
    }

    fn expand(&self, v: &[(u32, f32)]) -> Sparse {
        v.iter().map(|&(c, x)| (self.to_bucket[c as usize], x)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_keeps_heaviest_sorted() {
        let v = [0.0, 0.5, 0.1, 0.9, 0.3];
        assert_eq!(prune(&v, 2), vec![(1, 0.5), (3, 0.9)]);
        assert_eq!(prune(&v, 10).len(), 4);
    }

    #[test]
    fn columns_round_trip() {
        let c = Columns::new(&[0.0, 1.0, 0.0, 2.0], usize::MAX);
        assert_eq!(c.len(), 2);
        let v = vec![(1, 0.5), (3, 0.25)];
        assert_eq!(c.compact(&v), vec![(0, 0.5), (1, 0.25)]);
        assert_eq!(c.expand(&c.compact(&v)), v);
        let frequent = Columns::new(&[0.0, 1.0, 0.0, 2.0], 1);
        assert_eq!(frequent.compact(&v), vec![(0, 0.5)]);
    }
}
