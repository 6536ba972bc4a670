//! The enrichment columns of `feedback` (sentiment, categories, keywords,
//! topic, priority, model version): computed by the models as rows land, and
//! again by `voxlake reenrich`, so both build them here, the same way.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Float64Builder, Int64Builder, ListBuilder, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field, Fields};

use voxlake_models::bundle::{Enrichment, Models};
use voxlake_models::text::lang::Language;
use voxlake_models::topics::CustomerTier;

use crate::schema::{col, feedback_schema};

/// The enrichment columns, in schema order.
pub const ENRICHMENT_COLUMNS: [&str; 8] = [
    col::SENTIMENT_LABEL,
    col::SENTIMENT_SCORE,
    col::CATEGORY_L1,
    col::CATEGORY_L2,
    col::KEYWORDS,
    col::TOPIC_ID,
    col::PRIORITY,
    col::MODEL_VERSION,
];

/// What the models said about one feedback, and which models said it.
#[derive(Clone, Debug, PartialEq)]
pub struct Enriched {
    pub enrichment: Enrichment,
    pub model_version: Arc<str>,
}

impl Enriched {
    /// Enriches `text`; `language` when already detected, `tier` as the
    /// channel sent it (unknown tiers count as none).
    pub fn new(
        models: &Models,
        version: &Arc<str>,
        text: &str,
        language: Option<Language>,
        tier: Option<&str>,
    ) -> Self {
        Enriched {
            enrichment: models.enrich(text, language, tier.and_then(CustomerTier::parse)),
            model_version: Arc::clone(version),
        }
    }
}

/// The fields of the enrichment columns, as in the `feedback` schema.
pub fn enrichment_fields() -> Fields {
    let schema = feedback_schema();
    ENRICHMENT_COLUMNS
        .iter()
        .filter_map(|name| schema.field_with_name(name).ok().cloned())
        .collect()
}

/// Builds the enrichment columns row by row; a row without enrichment is null
/// in every one of them.
pub struct EnrichmentColumns {
    label: StringBuilder,
    score: Float64Builder,
    l1: StringBuilder,
    l2: StringBuilder,
    keywords: ListBuilder<StringBuilder>,
    topic: Int64Builder,
    priority: StringBuilder,
    version: StringBuilder,
}

impl EnrichmentColumns {
    pub fn with_capacity(rows: usize) -> Self {
        let element = Field::new("element", DataType::Utf8, true);
        EnrichmentColumns {
            label: StringBuilder::with_capacity(rows, rows * 8),
            score: Float64Builder::with_capacity(rows),
            l1: StringBuilder::with_capacity(rows, rows * 12),
            l2: StringBuilder::with_capacity(rows, rows * 20),
            keywords: ListBuilder::with_capacity(StringBuilder::new(), rows).with_field(element),
            topic: Int64Builder::with_capacity(rows),
            priority: StringBuilder::with_capacity(rows, rows * 6),
            version: StringBuilder::with_capacity(rows, rows * 48),
        }
    }

    pub fn push(&mut self, row: Option<&Enriched>) {
        let e = row.map(|r| &r.enrichment);
        self.label.append_option(e.map(|e| e.sentiment.label.as_str()));
        self.score.append_option(e.map(|e| f64::from(e.sentiment.score)));
        self.l1.append_option(e.map(|e| &*e.classification.l1));
        self.l2.append_option(e.and_then(|e| e.classification.l2.as_deref()));
        match e {
            Some(e) => {
                e.keywords.iter().for_each(|k| self.keywords.values().append_value(k));
                self.keywords.append(true);
            }
            None => self.keywords.append(false),
        }
        // Null when no topics model is trained (`voxlake train topics`).
        self.topic.append_option(e.and_then(|e| e.topic_id));
        self.priority.append_option(e.map(|e| e.priority.level.as_str()));
        self.version.append_option(row.map(|r| &*r.model_version));
    }

    /// The columns, in [`ENRICHMENT_COLUMNS`] order.
    pub fn finish(mut self) -> Vec<ArrayRef> {
        vec![
            Arc::new(self.label.finish()),
            Arc::new(self.score.finish()),
            Arc::new(self.l1.finish()),
            Arc::new(self.l2.finish()),
            Arc::new(self.keywords.finish()),
            Arc::new(self.topic.finish()),
            Arc::new(self.priority.finish()),
            Arc::new(self.version.finish()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{Array, AsArray};
    use voxlake_models::bundle::LiveModels;

    use super::*;

    #[test]
    fn columns_match_the_schema_and_nulls_stay_null() {
        let models = LiveModels::shipped().current();
        let version: Arc<str> = models.version().into();
        let row = Enriched::new(&models, &version, "快递太慢了，等了一个星期", None, Some("gold"));
        let mut columns = EnrichmentColumns::with_capacity(2);
        columns.push(Some(&row));
        columns.push(None);
        let arrays = columns.finish();
        let fields = enrichment_fields();
        assert_eq!(fields.len(), arrays.len());
        for (field, array) in fields.iter().zip(&arrays) {
            assert_eq!(field.data_type(), array.data_type(), "{}", field.name());
            assert!(array.is_null(1), "{}", field.name());
        }
        assert_eq!(arrays[0].as_string::<i32>().value(0), "negative");
        assert_eq!(arrays[2].as_string::<i32>().value(0), "logistics");
        assert_eq!(arrays[3].as_string::<i32>().value(0), "logistics.slow_delivery");
        assert!(arrays[5].is_null(0), "no topic at ingest");
        assert_eq!(arrays[7].as_string::<i32>().value(0), models.version());
    }
}
