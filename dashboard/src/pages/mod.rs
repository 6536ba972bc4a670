//! The pages, one file each. A page owns the data it shows (in
//! [`Slot`](crate::slot::Slot)s), asks for it through [`PageCtx`] while it
//! draws, and reports what the user wants changed as [`Action`]s, which the
//! app applies after the frame (so a click on a bar filters every page).

pub mod distributions;
pub mod explorer;
pub mod overview;
pub mod sql_console;
pub mod top_issues;
pub mod trends;

use serde::{Deserialize, Serialize};

use crate::backend::{Backend, Request, RequestId};
use crate::error::Result;
use crate::filters::Dim;
use crate::i18n::{Key, Language};
use crate::queries::Scope;
use crate::theme::Palette;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Page {
    #[default]
    Overview,
    Trends,
    Distributions,
    TopIssues,
    Explorer,
    SqlConsole,
}

impl Page {
    pub const ALL: [Self; 6] = [
        Self::Overview,
        Self::Trends,
        Self::Distributions,
        Self::TopIssues,
        Self::Explorer,
        Self::SqlConsole,
    ];

    pub fn key(self) -> Key {
        match self {
            Self::Overview => Key::PageOverview,
            Self::Trends => Key::PageTrends,
            Self::Distributions => Key::PageDistributions,
            Self::TopIssues => Key::PageTopIssues,
            Self::Explorer => Key::PageExplorer,
            Self::SqlConsole => Key::PageSqlConsole,
        }
    }

    /// Whether the page shows the global window and filters.
    pub fn is_scoped(self) -> bool {
        self != Self::SqlConsole
    }
}

/// What a reply is for: the tag of every backend job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Health,
    Anchor,
    Options(Dim),
    Overview(overview::Part),
    Trends,
    Distribution(Dim),
    TopIssues(top_issues::Part),
    Explorer(explorer::Part),
    Console,
}

/// A change the user asked for on a page, applied by the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    SetFilter {
        dim: Dim,
        value: String,
        label: String,
    },
    RemoveFilter(Dim),
    Navigate(Page),
    /// Fetch everything again (after an error).
    Retry,
}

/// What a page may use while it draws.
pub struct PageCtx<'a> {
    pub language: Language,
    pub palette: Palette,
    pub scope: &'a Scope,
    pub backend: &'a mut Backend<Purpose>,
    pub actions: &'a mut Vec<Action>,
}

impl PageCtx<'_> {
    pub fn t(&self, key: Key) -> &'static str {
        key.text(self.language)
    }

    /// Send `sql`, tagged `purpose`, to the workers.
    pub fn submit(&mut self, purpose: Purpose, sql: String) -> Result<RequestId> {
        self.backend.submit(purpose, Request::Sql(sql))
    }
}
