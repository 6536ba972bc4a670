//! Voxlake's SQL functions: the text models of `voxlake-models` as
//! DataFusion functions, one file each, registered by [`register_all`]; and
//! `date_trunc`, DataFusion's own with a fast path for UTC timestamps.
//!
//! Every scalar function is vectorised over Arrow arrays, accepts any string
//! encoding (Utf8, LargeUtf8, Utf8View), returns null for a null text, and
//! evaluates a scalar argument once. The models are loaded once per process
//! ([`LiveModels`]) and shared by every session; a session sees the models
//! that were current when it was built, so a taxonomy edit applies from the
//! next query on.

mod args;
mod aspect_sentiment;
mod classify;
mod date_trunc;
mod keywords;
mod lists;
mod sentiment;
mod sentiment_score;
mod tokenize;
mod top_issues;

use std::sync::{Arc, Mutex};

use datafusion::logical_expr::ScalarUDF;
use datafusion::prelude::SessionContext;
use tracing::warn;

use voxlake_ingest::schema::FEEDBACK_TABLE;
use voxlake_models::bundle::{LiveModels, Models};

use crate::error::Result;

pub use aspect_sentiment::AspectSentimentUdf;
pub use classify::ClassifyUdf;
pub use date_trunc::DateTruncUdf;
pub use keywords::KeywordsUdf;
pub use sentiment::SentimentUdf;
pub use sentiment_score::SentimentScoreUdf;
pub use tokenize::TokenizeUdf;
pub use top_issues::TopIssuesFunction;

/// Voxlake's scalar functions over one set of models: built once per models
/// version and registered in every session (a `ScalarUDF` is an `Arc`).
pub struct Functions {
    models: Arc<Models>,
    scalars: Vec<ScalarUDF>,
}

impl Functions {
    pub fn new(models: Arc<Models>) -> Self {
        let m = || Arc::clone(&models);
        let scalars = vec![
            ScalarUDF::new_from_impl(SentimentUdf::new(m())),
            ScalarUDF::new_from_impl(SentimentScoreUdf::new(m())),
            ScalarUDF::new_from_impl(ClassifyUdf::new(m())),
            ScalarUDF::new_from_impl(KeywordsUdf::new(m())),
            ScalarUDF::new_from_impl(TokenizeUdf::new(m())),
            ScalarUDF::new_from_impl(AspectSentimentUdf::new(m())),
            // Replaces the built-in `date_trunc` (same name): a fast path for UTC.
            ScalarUDF::new_from_impl(DateTruncUdf::new()),
        ];
        Self { models, scalars }
    }
}

/// Registers every Voxlake function with `ctx`. Call it after the tables:
/// `top_issues` reads the `feedback` table registered for this session, so
/// it is made per session, not kept in [`Functions`].
pub async fn register_all(ctx: &SessionContext, functions: &Functions) -> Result<()> {
    for udf in &functions.scalars {
        ctx.register_udf(udf.clone());
    }
    // Absent (no feedback yet, or not visible to this caller): no issues.
    let feedback = ctx.table_provider(FEEDBACK_TABLE).await.ok();
    let top_issues = TopIssuesFunction::new(feedback, Arc::clone(&functions.models));
    ctx.register_udtf("top_issues", Arc::new(top_issues));
    Ok(())
}

/// The [`Functions`] of the current models, rebuilt only when they change.
#[derive(Default)]
pub(crate) struct FunctionCache {
    held: Mutex<Option<Arc<Functions>>>,
}

impl FunctionCache {
    pub(crate) fn current(&self, live: &LiveModels) -> Arc<Functions> {
        let models = current_models(live);
        // A panic elsewhere cannot leave an `Option<Arc>` half-written.
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        match held.as_ref() {
            Some(functions) if Arc::ptr_eq(&functions.models, &models) => Arc::clone(functions),
            _ => Arc::clone(held.insert(Arc::new(Functions::new(models)))),
        }
    }
}

/// The models for a new session: reloaded first if a model file changed. A
/// failed reload is logged and the previous models stay in use, so a
/// half-saved taxonomy edit does not stop queries.
pub fn current_models(live: &LiveModels) -> Arc<Models> {
    live.refresh().unwrap_or_else(|e| {
        warn!(error = %e, "could not reload the models; using the ones loaded before");
        live.current()
    })
}
