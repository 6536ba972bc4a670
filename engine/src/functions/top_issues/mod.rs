//! `top_issues(start, end[, k])`: the recurring issues of a time window,
//! ranked by how much more they were reported than in the equally long window
//! before, then by priority.
//!
//! # Why the work happens in `scan`
//! DataFusion 55's table functions receive their arguments at planning time
//! and return a table; clustering needs the whole window at once, so the
//! table's `scan` reads the window from `feedback` (the provider registered
//! for this session, so an agent's row filter applies), clusters it on a
//! blocking thread (seconds of CPU must not stall the async runtime), and
//! returns the few result rows as an in-memory plan. The cost is that
//! `EXPLAIN` of a query over `top_issues` runs it too.

mod args;
mod input;
mod output;
mod rank;

use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::{Session, TableFunctionArgs, TableFunctionImpl, TableProvider};
use datafusion::common::{DataFusionError, Result};
use datafusion::datasource::TableType;
use datafusion::datasource::memory::MemorySourceConfig;
use datafusion::logical_expr::Expr;
use datafusion::physical_plan::ExecutionPlan;

use voxlake_models::bundle::Models;

use args::IssueQuery;

/// The table function, bound to the session's `feedback` table (if any).
#[derive(Debug)]
pub struct TopIssuesFunction {
    feedback: Option<Arc<dyn TableProvider>>,
    models: Arc<Models>,
}

impl TopIssuesFunction {
    pub fn new(feedback: Option<Arc<dyn TableProvider>>, models: Arc<Models>) -> Self {
        Self { feedback, models }
    }
}

impl TableFunctionImpl for TopIssuesFunction {
    fn call_with_args(&self, args: TableFunctionArgs) -> Result<Arc<dyn TableProvider>> {
        Ok(Arc::new(TopIssuesTable {
            query: args::parse(&args)?,
            feedback: self.feedback.clone(),
            models: Arc::clone(&self.models),
        }))
    }
}

/// One call's result, computed when scanned.
#[derive(Debug)]
struct TopIssuesTable {
    query: IssueQuery,
    feedback: Option<Arc<dyn TableProvider>>,
    models: Arc<Models>,
}

#[async_trait]
impl TableProvider for TopIssuesTable {
    fn schema(&self) -> SchemaRef {
        output::schema()
    }

    fn table_type(&self) -> TableType {
        TableType::Temporary
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        _filters: &[Expr],
        _limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let batches = match &self.feedback {
            Some(feedback) => input::read_window(state, Arc::clone(feedback), self.query.window).await?,
            None => Vec::new(),
        };
        let (models, query) = (Arc::clone(&self.models), self.query);
        let issues = tokio::task::spawn_blocking(move || {
            let rows = input::negative_rows(&models, &batches)?;
            rank::top_issues(&models, &rows, query.window, query.k).map_err(DataFusionError::Execution)
        })
        .await
        .map_err(|e| DataFusionError::Execution(format!("top_issues failed: {e}")))??;
        let batch = output::issues_batch(&issues)?;
        Ok(MemorySourceConfig::try_new_exec(
            &[vec![batch]],
            output::schema(),
            projection.cloned(),
        )?)
    }
}
