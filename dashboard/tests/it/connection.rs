//! Connection states: unreachable server, refused key.

use voxlake_dashboard::LaunchOptions;
use voxlake_dashboard::app::ConnectionStatus;
use voxlake_dashboard::i18n::{Key, Language};
use voxlake_dashboard::pages::Page;

use crate::harness::{assert_shows, options, with_options};
use crate::server::server;

#[test]
fn an_unreachable_server_gets_a_banner_with_retry() {
    let app = with_options(LaunchOptions {
        url: Some("http://127.0.0.1:9".into()),
        ..options(Page::Overview)
    });
    assert!(matches!(app.state().status(), ConnectionStatus::Unreachable(_)));
    assert_shows(&app, Key::Unreachable.text(Language::En));
    assert_shows(&app, Key::Retry.text(Language::En));
}

#[test]
fn a_refused_key_shows_unauthorised() {
    let s = server();
    let app = with_options(LaunchOptions {
        url: Some(s.url.clone()),
        api_key: Some("vxk_wrong".into()),
        ..options(Page::Overview)
    });
    assert_eq!(app.state().status(), &ConnectionStatus::Unauthorised);
    assert_shows(&app, Key::Unauthorised.text(Language::En));
}
