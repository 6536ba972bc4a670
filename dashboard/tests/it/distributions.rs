//! Distribution bars, and clicking one to filter every page.

use voxlake_dashboard::format;
use voxlake_dashboard::i18n::{Key, Language};
use voxlake_dashboard::pages::Page;

use crate::harness::{assert_shows, click_button, dashboard, shows};
use crate::server::server;

#[test]
fn clicking_a_channel_bar_filters_the_overview_and_the_chip_removes_it() {
    let s = server();
    let w = s.window_where(7);
    let top = s.sql(&format!(
        "SELECT channel, count(*) AS n FROM feedback {w} GROUP BY channel ORDER BY n DESC, channel LIMIT 1"
    ));
    let (channel, n) = (top.text("channel", 0).expect("channel"), top.i64("n", 0).expect("n"));
    let total = s.count(&format!("SELECT count(*) AS n FROM feedback {w}"));

    let mut app = dashboard(Page::Distributions);
    click_button(&mut app, &format!("{channel} ({})", format::count(n)));
    let chip = format!("Channel: {channel}  ×");
    assert_shows(&app, &chip);

    click_button(&mut app, "Overview");
    assert_shows(&app, &format::count(n));
    click_button(&mut app, &chip);
    assert!(!shows(&app, &chip), "the chip should be gone");
    assert_shows(&app, &format::count(total));
}

#[test]
fn region_bars_match_sql_and_categories_are_honest() {
    let s = server();
    let w = s.window_where(7);
    let regions = s.sql(&format!("SELECT region, count(*) AS n FROM feedback {w} AND region IS NOT NULL GROUP BY region ORDER BY n DESC, region LIMIT 3"));
    let categorised = s.count(&format!("SELECT count(category_l1) AS n FROM feedback {w}"));
    let app = dashboard(Page::Distributions);
    for r in 0..regions.num_rows() {
        let (region, n) = (
            regions.text("region", r).expect("region"),
            regions.i64("n", r).expect("n"),
        );
        assert_shows(&app, &format!("{region} ({})", format::count(n)));
    }
    if categorised == 0 {
        assert_shows(&app, Key::CategoryNa.text(Language::En));
    }
}
