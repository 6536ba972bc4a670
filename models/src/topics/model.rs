//! [`TopicModel`]: stable topics over time. Each topic has an id that never
//! changes and is never reused, a name, and a term-space centroid; the model
//! assigns texts to topics and absorbs new windows with [`TopicModel::update`].

use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::cluster::{Cluster, fit_window};
use super::config::TopicConfig;
use super::error::Result;
use super::features::{Sparse, TopicFeaturizer, sparse_dot, tf_idf};
use super::index::Postings;
use crate::text::tokenize::Tokenizer;

/// A topic's id: unique within a model for its whole life, never reused.
pub type TopicId = u32;

/// One recurring issue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    pub id: TopicId,
    /// Most distinctive words, best first.
    pub terms: Vec<String>,
    /// Texts of the last window that matched it.
    pub size: usize,
    /// Model version that created it and that last matched it.
    pub created_version: u64,
    pub last_seen_version: u64,
    #[serde(skip)]
    pub(crate) centroid: Sparse,
}

impl Topic {
    /// The name shown to people: the terms joined, like "闪退 / 5.3.0 / 打开".
    pub fn name(&self) -> String {
        self.terms.join(" / ")
    }
}

/// Where a text goes: its topic (`None` when no topic is similar enough,
/// i.e. something new), the nearest topic anyway, and the cosine to it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Assignment {
    pub topic_id: Option<TopicId>,
    pub nearest: Option<TopicId>,
    pub similarity: f32,
}

/// What an update did, and where each text of its window went.
#[derive(Clone, Debug, PartialEq)]
pub struct UpdateReport {
    pub version: u64,
    pub assignments: Vec<Assignment>,
    /// Existing topics the window matched, with the centroid cosine.
    pub matched: Vec<(TopicId, f32)>,
    pub created: Vec<TopicId>,
    pub retired: Vec<TopicId>,
    /// Silhouette per candidate `k` when `k` was chosen automatically.
    pub k_scores: Vec<(usize, f32)>,
}

/// Topics, their centroids and the idf they were computed with. `Send + Sync`.
#[derive(Clone)]
pub struct TopicModel {
    pub(crate) config: TopicConfig,
    pub(crate) version: u64,
    pub(crate) next_id: TopicId,
    pub(crate) idf: Vec<f32>,
    pub(crate) topics: Vec<Topic>,
    pub(crate) featurizer: TopicFeaturizer,
    index: Postings,
}

impl TopicModel {
    /// A model with no topics yet (version 0); fails on an invalid config.
    pub fn new(config: TopicConfig, tokenizer: Arc<Tokenizer>) -> Result<TopicModel> {
        config.check()?;
        let featurizer = TopicFeaturizer::new(config.features.clone(), tokenizer);
        let idf = vec![0.0; config.features.buckets()];
        Ok(TopicModel::from_parts(config, 0, 1, idf, Vec::new(), featurizer))
    }

    pub(crate) fn from_parts(
        config: TopicConfig,
        version: u64,
        next_id: TopicId,
        idf: Vec<f32>,
        topics: Vec<Topic>,
        featurizer: TopicFeaturizer,
    ) -> TopicModel {
        let index = Postings::new(topics.iter().map(|t| t.centroid.as_slice()), idf.len());
        TopicModel {
            config,
            version,
            next_id,
            idf,
            topics,
            featurizer,
            index,
        }
    }

    /// Discovers the topics of a first window: [`TopicModel::new`] then
    /// [`TopicModel::update`]. Ids start at 1, largest topic first.
    pub fn fit<S: AsRef<str> + Sync>(
        texts: &[S],
        config: TopicConfig,
        tokenizer: Arc<Tokenizer>,
    ) -> Result<(TopicModel, UpdateReport)> {
        let mut model = TopicModel::new(config, tokenizer)?;
        let report = model.update(texts);
        Ok((model, report))
    }

    /// Number this model's new topics after `last_used`, so that they never
    /// take an id an earlier model gave out: rows stored with that model's
    /// ids then read as topics this one does not have, instead of as the
    /// wrong ones. Call it before the first update.
    pub fn number_after(&mut self, last_used: TopicId) {
        self.next_id = self.next_id.max(last_used.saturating_add(1));
    }

    pub fn config(&self) -> &TopicConfig {
        &self.config
    }

    /// Incremented by every update.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Live topics, by id.
    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }

    pub fn topic(&self, id: TopicId) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }

    /// The topic of one text.
    pub fn assign(&self, text: &str) -> Assignment {
        let tf = self.featurizer.term_frequencies(text, None);
        self.assign_vector(&tf_idf(&tf, &self.idf))
    }

    /// [`TopicModel::assign`] over many texts, in parallel, in order.
    pub fn assign_all<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<Assignment> {
        texts.par_iter().map(|t| self.assign(t.as_ref())).collect()
    }

    fn assign_vector(&self, v: &[(u32, f32)]) -> Assignment {
        let best = self.index.nearest(v);
        let nearest = best.map(|(t, _)| self.topics[t].id);
        let similarity = best.map_or(0.0, |(_, s)| s);
        Assignment {
            topic_id: nearest.filter(|_| similarity >= self.config.min_similarity && similarity > 0.0),
            nearest,
            similarity,
        }
    }

    /// Clusters a new window and folds it in: a cluster whose centroid is
    /// close enough to an existing topic's (greedy one-to-one matching, best
    /// pair first) takes over that topic's id; the others become new topics
    /// with fresh ids; topics unmatched for `retire_after` updates are retired.
    /// The idf becomes the window's. Returns where every text of the window went.
    pub fn update<S: AsRef<str> + Sync>(&mut self, texts: &[S]) -> UpdateReport {
        let fit = fit_window(texts, &self.featurizer, &self.config);
        self.version += 1;
        let pairs = match_clusters(&self.topics, &fit.clusters, self.config.match_similarity);
        let mut report = UpdateReport {
            version: self.version,
            assignments: Vec::new(),
            matched: Vec::new(),
            created: Vec::new(),
            retired: Vec::new(),
            k_scores: fit.k_scores,
        };
        for (cluster, matched) in fit.clusters.into_iter().zip(pairs) {
            match matched {
                Some((t, sim)) => {
                    self.refresh(t, cluster);
                    report.matched.push((self.topics[t].id, sim));
                }
                None => report.created.push(self.create(cluster)),
            }
        }
        report.retired = self.retire();
        self.topics.sort_by_key(|t| t.id);
        report.matched.sort_by_key(|&(id, _)| id);
        self.idf = fit.idf;
        self.index = Postings::new(self.topics.iter().map(|t| t.centroid.as_slice()), self.idf.len());
        report.assignments = fit.vectors.par_iter().map(|v| self.assign_vector(v)).collect();
        report
    }

    fn refresh(&mut self, t: usize, cluster: Cluster) {
        let topic = &mut self.topics[t];
        topic.centroid = cluster.centroid;
        topic.terms = cluster.terms;
        topic.size = cluster.size;
        topic.last_seen_version = self.version;
    }

    fn create(&mut self, cluster: Cluster) -> TopicId {
        let id = self.next_id;
        self.next_id += 1;
        self.topics.push(Topic {
            id,
            terms: cluster.terms,
            size: cluster.size,
            created_version: self.version,
            last_seen_version: self.version,
            centroid: cluster.centroid,
        });
        id
    }

    fn retire(&mut self) -> Vec<TopicId> {
        let (version, after) = (self.version, u64::from(self.config.retire_after.max(1)));
        let (retired, live): (Vec<Topic>, Vec<Topic>) = std::mem::take(&mut self.topics)
            .into_iter()
            .partition(|t| version - t.last_seen_version >= after);
        self.topics = live;
        retired.iter().map(|t| t.id).collect()
    }
}

/// For each cluster (in order), the existing topic it continues, if any.
fn match_clusters(topics: &[Topic], clusters: &[Cluster], threshold: f32) -> Vec<Option<(usize, f32)>> {
    let mut pairs: Vec<(f32, usize, usize)> = clusters
        .iter()
        .enumerate()
        .flat_map(|(c, cl)| {
            topics
                .iter()
                .enumerate()
                .map(move |(t, tp)| (sparse_dot(&cl.centroid, &tp.centroid), c, t))
        })
        .filter(|&(s, _, _)| s >= threshold)
        .collect();
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut out = vec![None; clusters.len()];
    let mut taken = vec![false; topics.len()];
    for (s, c, t) in pairs {
        if out[c].is_none() && !taken[t] {
            out[c] = Some((t, s));
            taken[t] = true;
        }
    }
    out
}
