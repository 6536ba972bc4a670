//! Hyperparameters of topic discovery; stored in the model file so that an
//! update clusters the next window exactly as the first fit did.

use serde::{Deserialize, Serialize};

use super::error::{Error, Result};
use super::features::TopicFeatureConfig;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TopicConfig {
    pub features: TopicFeatureConfig,
    /// Number of clusters per window; `None` chooses it by silhouette in `k_min..=k_max`.
    pub k: Option<usize>,
    pub k_min: usize,
    pub k_max: usize,
    /// LSA dimensions the window is reduced to before k-means.
    pub dims: usize,
    /// Power iterations of the randomized SVD.
    pub power_iters: usize,
    /// The SVD sees only this many of the most frequent features (the rare
    /// ones barely move the leading components and dominate its cost).
    pub svd_features: usize,
    /// Seeded k-means runs; the best (highest total cosine) is kept.
    pub n_init: usize,
    pub max_iter: usize,
    /// With automatic `k`, clusters whose centroids have at least this cosine
    /// are merged (1 disables merging).
    pub merge_similarity: f32,
    /// Term-space k-means steps after the latent-space clustering.
    pub refine_iters: usize,
    /// How many LSA vectors the automatic choice of `k` scores.
    pub selection_sample: usize,
    pub seed: u64,
    /// Buckets kept per stored centroid.
    pub centroid_terms: usize,
    /// Words in a topic's name.
    pub name_terms: usize,
    /// Below this cosine to every topic a text is unassigned (something new).
    pub min_similarity: f32,
    /// A new cluster keeps an existing topic's id when their centroids are at
    /// least this similar.
    pub match_similarity: f32,
    /// A topic no window matched for this many updates is retired (its id is
    /// never reused).
    pub retire_after: u32,
}

impl Default for TopicConfig {
    fn default() -> Self {
        TopicConfig {
            features: TopicFeatureConfig::default(),
            k: None,
            k_min: 4,
            k_max: 30,
            dims: 100,
            power_iters: 2,
            svd_features: 20_000,
            n_init: 4,
            max_iter: 50,
            merge_similarity: 0.3,
            refine_iters: 2,
            selection_sample: 3000,
            seed: 42,
            centroid_terms: 1500,
            name_terms: 4,
            min_similarity: 0.05,
            match_similarity: 0.5,
            retire_after: 4,
        }
    }
}

impl TopicConfig {
    /// Every field in range; [`super::TopicModel::new`] refuses a config that is not.
    pub fn check(&self) -> Result<()> {
        let fail = |m: String| Err(Error::Config(m));
        self.features.check().map_err(Error::Config)?;
        if self.k == Some(0) {
            return fail("k must be at least 1".into());
        }
        if self.k.is_none() && !(2 <= self.k_min && self.k_min <= self.k_max && self.k_max <= 200) {
            return fail(format!(
                "need 2 <= k_min <= k_max <= 200, got {}..={}",
                self.k_min, self.k_max
            ));
        }
        if !(1..=512).contains(&self.dims) {
            return fail(format!("dims must be in 1..=512, got {}", self.dims));
        }
        if self.n_init == 0 || self.max_iter == 0 || self.centroid_terms == 0 || self.svd_features == 0 {
            return fail("n_init, max_iter, centroid_terms and svd_features must be positive".into());
        }
        if self.k.is_none() && self.selection_sample < 50 {
            return fail(format!("selection_sample must be >= 50, got {}", self.selection_sample));
        }
        let unit = |x: f32| (0.0..=1.0).contains(&x);
        if !unit(self.min_similarity) || !unit(self.match_similarity) || !unit(self.merge_similarity) {
            return fail("min_similarity, match_similarity and merge_similarity must lie in [0, 1]".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_pass_and_bad_values_fail() {
        assert!(TopicConfig::default().check().is_ok());
        let bad = |c: TopicConfig| matches!(c.check(), Err(Error::Config(_)));
        assert!(bad(TopicConfig {
            k: Some(0),
            ..Default::default()
        }));
        assert!(bad(TopicConfig {
            k_min: 10,
            k_max: 5,
            ..Default::default()
        }));
        assert!(bad(TopicConfig {
            dims: 0,
            ..Default::default()
        }));
        assert!(bad(TopicConfig {
            min_similarity: 1.5,
            ..Default::default()
        }));
        assert!(bad(TopicConfig {
            match_similarity: f32::NAN,
            ..Default::default()
        }));
        // k set: the k range is not used, so it is not checked.
        assert!(
            TopicConfig {
                k: Some(9),
                k_min: 10,
                k_max: 5,
                ..Default::default()
            }
            .check()
            .is_ok()
        );
    }
}
