//! Trend charts: totals per grain and the honest sentiment state.

use voxlake_dashboard::format;
use voxlake_dashboard::i18n::{Key, Language};
use voxlake_dashboard::pages::Page;

use crate::harness::{assert_shows, click_button, dashboard};
use crate::server::server;

#[test]
fn totals_and_periods_follow_the_grain_and_split() {
    let s = server();
    let w = s.window_where(30);
    let n = format::count(s.count(&format!("SELECT count(*) AS n FROM feedback {w}")));
    let weeks = s.count(&format!(
        "SELECT count(DISTINCT date_trunc('week', received_at)) AS n FROM feedback {w}"
    ));
    let scored = s.count(&format!("SELECT count(sentiment_score) AS n FROM feedback {w}"));

    let mut app = dashboard(Page::Trends);
    click_button(&mut app, "Last 30 days");
    assert_shows(&app, &format!("{n} feedback in 30 periods"));
    click_button(&mut app, "Week");
    assert_shows(&app, &format!("{n} feedback in {weeks} periods"));
    click_button(&mut app, "Region");
    assert_shows(&app, &format!("{n} feedback in {weeks} periods"));
    if scored == 0 {
        assert_shows(&app, Key::SentimentScoreNa.text(Language::En));
    }
}
