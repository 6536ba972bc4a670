//! What the dashboard remembers between runs (eframe persistence), kept
//! apart from the runtime state (connections, results) that is rebuilt on
//! start, as in egui's `wrap_app.rs`.

use serde::{Deserialize, Serialize};

use crate::client::Connection;
use crate::filters::{Filters, WindowChoice};
use crate::i18n::Language;
use crate::pages::Page;
use crate::pages::sql_console::ConsoleState;
use crate::pages::trends::TrendSettings;
use crate::theme::ThemeChoice;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub connection: Connection,
    /// Whether the API key is saved with the rest (in plain text).
    pub remember_key: bool,
    pub window: WindowChoice,
    pub filters: Filters,
    pub page: Page,
    pub language: Language,
    pub theme: ThemeChoice,
    /// Automatic refresh period; 0 is off.
    pub refresh_secs: u32,
    pub trends: TrendSettings,
    pub console: ConsoleState,
}

impl Default for State {
    fn default() -> Self {
        Self {
            connection: Connection::default(),
            remember_key: true,
            window: WindowChoice::default(),
            filters: Filters::default(),
            page: Page::default(),
            language: Language::default(),
            theme: ThemeChoice::default(),
            refresh_secs: 0,
            trends: TrendSettings::default(),
            console: ConsoleState::default(),
        }
    }
}

impl State {
    /// The state as written to disk: without the key unless asked to keep it.
    pub fn for_storage(&self) -> Self {
        let mut state = self.clone();
        if !state.remember_key {
            state.connection.api_key = None;
        }
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::Dim;

    #[test]
    fn state_survives_a_round_trip() {
        let mut state = State {
            page: Page::Trends,
            language: Language::En,
            refresh_secs: 30,
            ..State::default()
        };
        state.filters.set(Dim::Region, "四川");
        state.window = WindowChoice::Custom {
            start: "2025-02-01".parse().expect("day"),
            end: "2025-02-10".parse().expect("day"),
        };
        let text = serde_json::to_string(&state).expect("serialise");
        assert_eq!(serde_json::from_str::<State>(&text).expect("deserialise"), state);
    }

    #[test]
    fn the_key_is_kept_only_when_asked() {
        let mut state = State::default();
        state.connection.api_key = Some("secret".into());
        assert_eq!(state.for_storage().connection.api_key.as_deref(), Some("secret"));
        state.remember_key = false;
        assert_eq!(state.for_storage().connection.api_key, None);
    }

    #[test]
    fn unknown_or_missing_fields_fall_back_to_defaults() {
        let state: State = serde_json::from_str(r#"{"page":"Explorer","future_field":1}"#).expect("lenient");
        assert_eq!(state.page, Page::Explorer);
        assert_eq!(state.connection, Connection::default());
    }
}
