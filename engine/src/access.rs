//! What a query may see, decided by the caller's role and enforced here, in
//! the engine, as the set of tables registered in its session and a row
//! filter inside them: a table that is not registered cannot be named, and a
//! filtered table has no unfiltered twin, so no SQL (joins, subqueries, CTEs,
//! UNION, information_schema) can reach rows outside the filter.

use std::sync::Arc;

use datafusion::catalog::TableProvider;
use datafusion::catalog::view::ViewTable;
use datafusion::datasource::provider_as_source;
use datafusion::logical_expr::{LogicalPlanBuilder, col, lit};

use voxlake_ingest::schema::{AUDIT_TABLE, FEEDBACK_TABLE, col as fcol};

use crate::error::Result;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableAccess {
    /// Every table, the audit log included.
    Everything,
    /// Every table but the audit log.
    AllButAudit,
    /// Only the feedback handled by this agent.
    OwnRows { agent_id: String },
}

impl TableAccess {
    /// Whether `table` is visible at all (rows may still be filtered).
    pub fn allows(&self, table: &str) -> bool {
        match self {
            TableAccess::Everything => true,
            TableAccess::AllButAudit => table != AUDIT_TABLE,
            TableAccess::OwnRows { .. } => table == FEEDBACK_TABLE,
        }
    }

    /// The provider to register for `table`, or `None` when it is off limits.
    pub fn restrict(&self, table: &str, provider: Arc<dyn TableProvider>) -> Result<Option<Arc<dyn TableProvider>>> {
        match self {
            _ if !self.allows(table) => Ok(None),
            TableAccess::OwnRows { agent_id } => Ok(Some(own_rows(table, provider, agent_id)?)),
            TableAccess::Everything | TableAccess::AllButAudit => Ok(Some(provider)),
        }
    }
}

/// `provider` seen through `WHERE agent_id = '<agent>'`, as a view whose plan
/// scans the provider directly (the unfiltered table is never registered).
fn own_rows(table: &str, provider: Arc<dyn TableProvider>, agent_id: &str) -> Result<Arc<dyn TableProvider>> {
    let plan = LogicalPlanBuilder::scan(table, provider_as_source(provider), None)?
        .filter(col(fcol::AGENT_ID).eq(lit(agent_id)))?
        .build()?;
    Ok(Arc::new(ViewTable::new(plan, None)))
}
