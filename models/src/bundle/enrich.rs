//! What ingest stores with every feedback (the enrichment columns), computed
//! in one place so that ingest, `voxlake reenrich` and the `enrich` SQL
//! function agree.

use crate::sentiment::Sentiment;
use crate::taxonomy::Classification;
use crate::text::lang::Language;
use crate::topics::{CustomerTier, Priority, PriorityInput, priority};

use super::Models;

/// Keywords stored per feedback.
pub const ENRICH_KEYWORDS: usize = 5;

/// The enrichment of one feedback text.
#[derive(Clone, Debug, PartialEq)]
pub struct Enrichment {
    pub sentiment: Sentiment,
    pub classification: Classification,
    pub keywords: Vec<String>,
    /// Priority of this feedback alone: reach across customers is only known
    /// per topic, so it counts one customer here (`top_issues` scores topics).
    pub priority: Priority,
    /// The recurring-issue topic of negative feedback, from the saved topics
    /// model (`None` without one, or when the text is close to no topic).
    pub topic_id: Option<i64>,
}

impl Models {
    /// Enriches one text; `language` when already detected (ingest stores it)
    /// saves detecting it again, `tier` is the customer's value tier.
    pub fn enrich(&self, text: &str, language: Option<Language>, tier: Option<CustomerTier>) -> Enrichment {
        let sentiment = match language {
            Some(language) => self.sentiment.predict_as(text, language),
            None => self.sentiment.predict(text),
        };
        let priority = priority(&PriorityInput {
            text,
            sentiment: Some(f64::from(sentiment.score)),
            customers: 1,
            tier,
        });
        // Topics are learnt from negative feedback; other texts get none.
        let topic_id = match &self.topics {
            Some(topics) if sentiment.score < 0.0 => topics.assign(text).topic_id.map(i64::from),
            _ => None,
        };
        Enrichment {
            topic_id,
            sentiment,
            classification: self.taxonomy.classify(text),
            keywords: self.keywords.keywords(text, ENRICH_KEYWORDS),
            priority,
        }
    }
}
