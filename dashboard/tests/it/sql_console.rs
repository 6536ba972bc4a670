//! The SQL console: results, errors with their position, CSV export.

use std::time::{Duration, Instant};

use egui_kittest::kittest::{NodeT, Queryable};
use voxlake_dashboard::format;
use voxlake_dashboard::pages::Page;

use crate::harness::{App, assert_shows, click_button, dashboard, settle};
use crate::server::server;

fn run(app: &mut App, sql: &str) {
    app.state_mut().state_mut().console.sql = sql.to_owned();
    click_button(app, "Run");
}

#[test]
fn a_query_shows_its_rows_and_count() {
    let s = server();
    let n = s.count("SELECT count(*) AS n FROM feedback WHERE NOT is_spam");
    let mut app = dashboard(Page::SqlConsole);
    run(&mut app, "SELECT count(*) AS n FROM feedback WHERE NOT is_spam");
    assert_shows(&app, &n.to_string());
    let status = app.query_all_by_label_contains("Rows: 1 ·").count();
    assert_eq!(status, 1, "row count and elapsed time");
}

#[test]
fn errors_point_at_their_position() {
    let mut app = dashboard(Page::SqlConsole);
    run(&mut app, "SELECT 1\nFROM feedback WHERE )");
    assert_shows(&app, "Query failed");
    let shown: Vec<String> = app
        .query_all_by_label_contains("")
        .filter_map(|n| n.accesskit_node().value())
        .collect();
    assert!(
        app.query_all_by_label_contains("at line 2, column").count() >= 1,
        "the position of the error in {shown:?}"
    );
}

#[test]
fn results_export_to_csv() {
    let s = server();
    let expected = s.sql("SELECT channel, count(*) AS n FROM feedback GROUP BY channel ORDER BY channel");
    let path = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("dashboard-export.csv");
    std::fs::remove_file(&path).ok();
    let mut app = dashboard(Page::SqlConsole);
    app.state_mut().state_mut().console.export_path = path.display().to_string();
    run(
        &mut app,
        "SELECT channel, count(*) AS n FROM feedback GROUP BY channel ORDER BY channel",
    );
    click_button(&mut app, "Export CSV");
    let deadline = Instant::now() + Duration::from_secs(10);
    while app.query_all_by_label_contains("Exported").count() == 0 && Instant::now() < deadline {
        settle(&mut app);
    }
    let csv = std::fs::read_to_string(&path).expect("exported file");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "channel,n");
    assert_eq!(lines.len(), expected.num_rows() + 1);
    let first = format!(
        "{},{}",
        expected.text("channel", 0).expect("channel"),
        expected.i64("n", 0).expect("n")
    );
    assert_eq!(lines[1], first);
    assert!(
        app.query_all_by_label_contains(&format!("Exported {} rows", format::count(expected.num_rows() as i64)))
            .count()
            == 1
    );
}
