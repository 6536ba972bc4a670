//! The feedback explorer: row count, and the detail of a clicked row.

use egui_kittest::kittest::Queryable;
use voxlake_dashboard::format;
use voxlake_dashboard::i18n::{Key, Language};
use voxlake_dashboard::pages::Page;

use crate::harness::{assert_shows, dashboard, settle};
use crate::server::server;

#[test]
fn row_count_matches_and_a_click_opens_the_detail() {
    let s = server();
    let w = s.window_where(7);
    let n = s.count(&format!("SELECT count(*) AS n FROM feedback {w}"));
    let newest = s.sql(&format!(
        "SELECT feedback_id, channel, received_at FROM feedback {w} ORDER BY received_at DESC LIMIT 1"
    ));
    let id = newest.text("feedback_id", 0).expect("id");

    let mut app = dashboard(Page::Explorer);
    assert_shows(&app, &format!("Rows: {}", format::count(n)));
    app.get_by_label(&id).click();
    settle(&mut app);
    assert_shows(&app, Key::Detail.text(Language::En));
    assert!(
        app.query_all_by_label(&id).count() >= 2,
        "the detail should repeat the id"
    );
    assert_shows(&app, Key::Hidden.text(Language::En));
}
