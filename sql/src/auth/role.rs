//! Roles and what each may do.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use voxlake_engine::TableAccess;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, including the audit log and key management.
    Admin,
    /// Read-only SQL on every table but the audit log.
    Analyst,
    /// Dashboard queries: read-only SQL, with tighter limits.
    Manager,
    /// Only the feedback (and tickets) whose `agent_id` is their own.
    Agent,
    /// Writes feedback; reads nothing.
    Ingest,
}

/// Limits on one query, by role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueryLimits {
    pub timeout: Duration,
    pub max_rows: usize,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::Analyst, Role::Manager, Role::Agent, Role::Ingest];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Analyst => "analyst",
            Role::Manager => "manager",
            Role::Agent => "agent",
            Role::Ingest => "ingest",
        }
    }

    pub fn can_query(self) -> bool {
        self != Role::Ingest
    }

    pub fn can_ingest(self) -> bool {
        matches!(self, Role::Admin | Role::Ingest)
    }

    /// The tables and rows a query of this role sees. `None` for roles that
    /// do not query (and for an agent key without an agent id).
    pub fn table_access(self, agent_id: Option<&str>) -> Option<TableAccess> {
        match self {
            Role::Admin => Some(TableAccess::Everything),
            Role::Analyst | Role::Manager => Some(TableAccess::AllButAudit),
            Role::Agent => agent_id.map(|id| TableAccess::OwnRows {
                agent_id: id.to_owned(),
            }),
            Role::Ingest => None,
        }
    }

    pub fn limits(self) -> QueryLimits {
        let minutes = |m: u64| Duration::from_secs(m * 60);
        match self {
            Role::Admin | Role::Analyst => QueryLimits {
                timeout: minutes(10),
                max_rows: 10_000_000,
            },
            Role::Manager => QueryLimits {
                timeout: minutes(2),
                max_rows: 1_000_000,
            },
            Role::Agent => QueryLimits {
                timeout: Duration::from_secs(30),
                max_rows: 100_000,
            },
            Role::Ingest => QueryLimits {
                timeout: Duration::ZERO,
                max_rows: 0,
            },
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown role `{s}` (admin, analyst, manager, agent, ingest)"))
    }
}
