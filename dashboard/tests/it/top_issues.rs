//! Top issues: either the server's issues, or a plain statement that it has none.

use voxlake_dashboard::i18n::{Key, Language};
use voxlake_dashboard::pages::Page;

use crate::harness::{assert_shows, dashboard};
use crate::server::server;

#[test]
fn says_plainly_when_the_server_has_no_topic_model() {
    let s = server();
    let (start, end) = s.window(7);
    let sql = format!("SELECT * FROM top_issues(TIMESTAMP '{start}T00:00:00Z', TIMESTAMP '{end}T00:00:00Z', 10)");
    let app = dashboard(Page::TopIssues);
    if s.sql_fails(&sql) {
        assert_shows(&app, Key::TopIssuesNa.text(Language::En));
    } else {
        let issues = s.sql(&sql);
        let name = ["name", "issue", "label", "title"]
            .iter()
            .find_map(|c| issues.text(c, 0));
        if let Some(name) = name {
            assert!(
                egui_kittest::kittest::Queryable::query_all_by_label_contains(&app, &name).count() >= 1,
                "issue {name:?} shown"
            );
        }
    }
}
