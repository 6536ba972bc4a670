//! Overview tiles against SQL run directly on the engine.

use voxlake_dashboard::format;
use voxlake_dashboard::i18n::{Key, Language};
use voxlake_dashboard::pages::Page;

use crate::harness::{assert_shows, click_button, dashboard};
use crate::server::server;

#[test]
fn volume_tile_equals_count_of_the_last_seven_days() {
    let s = server();
    let expected = s.count(&format!("SELECT count(*) AS n FROM feedback {}", s.window_where(7)));
    assert!(expected > 0, "the demo window should hold feedback");
    let app = dashboard(Page::Overview);
    assert_shows(&app, Key::Volume.text(Language::En));
    assert_shows(&app, &format::count(expected));
}

#[test]
fn rating_and_backlog_tiles_say_what_they_know() {
    let s = server();
    let rating = s
        .sql(&format!("SELECT avg(rating) AS r FROM feedback {}", s.window_where(7)))
        .f64("r", 0)
        .expect("rating");
    let app = dashboard(Page::Overview);
    assert_shows(&app, &format!("{rating:.2}"));
    assert_shows(&app, Key::BacklogNa.text(Language::En));
}

#[test]
fn negative_share_is_honest_about_missing_sentiment() {
    let s = server();
    let w = s.window_where(7);
    let labelled = s.count(&format!("SELECT count(sentiment_label) AS n FROM feedback {w}"));
    let app = dashboard(Page::Overview);
    if labelled == 0 {
        assert_shows(&app, Key::SentimentNa.text(Language::En));
    } else {
        let negative = s.count(&format!(
            "SELECT count(*) AS n FROM feedback {w} AND sentiment_label = 'negative'"
        ));
        assert_shows(&app, &format::percent(negative as f64 / labelled as f64));
    }
}

#[test]
fn choosing_thirty_days_shows_the_thirty_day_volume() {
    let s = server();
    let expected = s.count(&format!("SELECT count(*) AS n FROM feedback {}", s.window_where(30)));
    let mut app = dashboard(Page::Overview);
    click_button(&mut app, "Last 30 days");
    assert_shows(&app, &format::count(expected));
}

#[test]
fn switching_to_chinese_renders_chinese() {
    let mut app = dashboard(Page::Overview);
    click_button(&mut app, "中文");
    // The harness panics on a missing glyph, so drawing the page is the test.
    assert_shows(&app, Key::Volume.text(Language::Zh));
    assert_shows(&app, Key::PageOverview.text(Language::Zh));
}
