//! Speed measurements (issue #5), kept in user-facing builds: off unless
//! `--timings FILE` is given, then one JSON line per measurement, also sent
//! as a `tracing` info event.
//!
//! What is measured, and when it counts as done:
//! - `first_frame`: process start → the first frame painted.
//! - `ready`: an action (start, page switch, filter or window change) → the
//!   frame that draws the page with all its queries answered, on screen. An
//!   action starts at the beginning of the frame that handled it; a frame
//!   counts as on screen when the next one starts (after the buffer swap:
//!   the recorder asks for that next frame at once, so this errs long by at
//!   most the event loop's turnaround).
//! - `frame`: while [`Recorder::frames`] is set, each frame's time in the
//!   app (`ui_ms`: from the frame's start to the end of its UI), its cost
//!   with tessellation and GL calls (`cost_ms`, eframe's `cpu_usage`) and the
//!   interval since the frame before (`interval_ms`: everything, including
//!   the buffer swap).
//! - `query`: each reply's time on its worker (HTTP round trip + decode).
//!
//! The [`speed_run`] submodule drives the app through a fixed scenario so a
//! script can collect these figures without a person at the keyboard.

pub mod speed_run;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::pages::Page;

/// A page and its scope (window and filters, as text; empty while unknown
/// or on a page that shows none).
pub type View = (Page, String);

/// What changed on screen to start a measurement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    Start,
    Switch,
    Scope,
}

impl Cause {
    fn name(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Switch => "switch",
            Self::Scope => "filter",
        }
    }
}

/// An action waiting for its page to be complete.
struct Pending {
    cause: Cause,
    /// The view that completes it (`None`: whatever is shown first).
    target: Option<View>,
    since: Instant,
    /// Whether the page had to ask the server (false: the data was held).
    queried: bool,
}

/// A measurement that ends when the frame that drew it is on screen.
struct Drawn {
    record: Value,
    since: Instant,
}

/// Where the figures go. `None` inside [`Timings`] costs nothing per frame.
pub struct Recorder {
    out: BufWriter<File>,
    process_start: Instant,
    frame_start: Instant,
    previous_frame_start: Option<Instant>,
    first_frame_done: bool,
    watched: Option<View>,
    pending: Option<Pending>,
    drawn: Vec<Drawn>,
    /// Frame costs are recorded, under this label, while it is set.
    pub frames: Option<&'static str>,
    /// The last frame's time in the app (from its start to the end of its UI).
    last_ui: Option<Duration>,
}

/// The app's handle: a recorder when asked for, else nothing.
#[derive(Default)]
pub struct Timings(Option<Recorder>);

impl Timings {
    /// Record to `path`, measuring from `process_start`.
    pub fn to_file(path: &Path, process_start: Instant) -> std::io::Result<Self> {
        let out = BufWriter::new(File::create(path)?);
        Ok(Self(Some(Recorder {
            out,
            process_start,
            frame_start: process_start,
            previous_frame_start: None,
            first_frame_done: false,
            watched: None,
            pending: Some(Pending {
                cause: Cause::Start,
                target: None,
                since: process_start,
                queried: true,
            }),
            drawn: Vec::new(),
            frames: None,
            last_ui: None,
        })))
    }

    pub fn is_on(&self) -> bool {
        self.0.is_some()
    }

    pub fn recorder(&mut self) -> Option<&mut Recorder> {
        self.0.as_mut()
    }
}

impl Recorder {
    /// Start of a frame: report what the previous frame put on screen, and
    /// its cost (`cpu_usage`, seconds, which eframe gives one frame late).
    pub fn frame_started(&mut self, cpu_usage: Option<f32>) {
        let now = Instant::now();
        for drawn in std::mem::take(&mut self.drawn) {
            let mut record = drawn.record;
            record["ms"] = json!(ms(now - drawn.since));
            self.write(record);
        }
        if let Some(label) = self.frames
            && let Some(cost) = cpu_usage
        {
            let interval = self.previous_frame_start.map(|p| ms(now - p));
            let (ui, cost) = (self.last_ui.map(ms), ms(Duration::from_secs_f32(cost.max(0.0))));
            let record =
                json!({"event": "frame", "what": label, "ui_ms": ui, "cost_ms": cost, "interval_ms": interval});
            self.write(record);
        }
        self.previous_frame_start = Some(now);
        self.frame_start = now;
    }

    /// End of a frame's UI. `drawn` is the page and scope (window and
    /// filters as SQL) this frame drew, `complete` whether all its numbers
    /// were in; `wanted` is what the user has asked for by the frame's end.
    /// Returns whether eframe should draw another frame soon (to learn this
    /// one's paint time, or to see an action through).
    pub fn frame_drawn(&mut self, drawn: View, complete: bool, wanted: View) -> bool {
        self.last_ui = Some(self.frame_start.elapsed());
        if !self.first_frame_done {
            self.first_frame_done = true;
            self.finish(json!({"event": "first_frame"}), self.process_start);
        }
        self.check(&drawn, complete);
        self.watch(wanted);
        self.check(&drawn, complete);
        !self.drawn.is_empty() || self.pending.is_some() || self.frames.is_some()
    }

    /// Whether a measurement is still open (an action not yet on screen).
    pub fn is_waiting(&self) -> bool {
        self.pending.is_some() || !self.drawn.is_empty()
    }

    /// A query's time on its worker.
    pub fn query(&mut self, purpose: &str, elapsed: Duration, rows: Option<usize>) {
        self.write(json!({"event": "query", "purpose": purpose, "ms": ms(elapsed), "rows": rows}));
    }

    /// A free-form mark (scenario steps), for reading the log.
    pub fn note(&mut self, what: &str) {
        self.write(json!({"event": "note", "what": what, "at_ms": ms(self.process_start.elapsed())}));
    }

    /// End the open measurement if `drawn` is its view, complete.
    fn check(&mut self, drawn: &View, complete: bool) {
        let Some(pending) = self.pending.as_mut() else { return };
        if pending.target.as_ref().is_some_and(|t| t != drawn) {
            return;
        }
        pending.queried |= !complete;
        if complete && let Some(p) = self.pending.take() {
            let page = format!("{:?}", drawn.0);
            let record = json!({"event": "ready", "cause": p.cause.name(), "page": page, "queried": p.queried});
            self.finish(record, p.since);
        }
    }

    /// A new page or scope starts a measurement (replacing one still open).
    fn watch(&mut self, wanted: View) {
        // The scope first becoming known (the anchor arrived) is part of the start.
        let cause = match &self.watched {
            Some((page, _)) if *page != wanted.0 => Some(Cause::Switch),
            Some((_, scope)) if *scope != wanted.1 && !scope.is_empty() => Some(Cause::Scope),
            _ => None,
        };
        if let Some(cause) = cause {
            self.pending = Some(Pending {
                cause,
                target: Some(wanted.clone()),
                since: self.frame_start,
                queried: false,
            });
        }
        self.watched = Some(wanted);
    }

    fn finish(&mut self, record: Value, since: Instant) {
        self.drawn.push(Drawn { record, since });
    }

    fn write(&mut self, record: Value) {
        tracing::info!(target: "voxlake_dashboard::timings", "{record}");
        let written = writeln!(self.out, "{record}").and_then(|()| self.out.flush());
        if let Err(e) = written {
            tracing::warn!(error = %e, "cannot write timings");
        }
    }
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e5).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(page: Page, scope: &str) -> View {
        (page, scope.to_owned())
    }

    #[test]
    fn an_action_ends_when_its_view_is_drawn_complete() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("timings.jsonl");
        let mut timings = Timings::to_file(&path, Instant::now()).expect("file");
        let r = timings.recorder().expect("recording");
        let frame = |r: &mut Recorder, drawn: View, complete: bool, wanted: View| {
            r.frame_started(Some(0.001));
            r.frame_drawn(drawn, complete, wanted);
        };
        let (a, b) = (view(Page::Overview, "a"), view(Page::Overview, "b"));
        frame(r, view(Page::Overview, ""), false, view(Page::Overview, ""));
        frame(r, a.clone(), true, a.clone());
        frame(r, a.clone(), true, b.clone());
        assert!(
            r.is_waiting(),
            "the old view drawn complete does not end the filter change"
        );
        frame(r, b.clone(), false, b.clone());
        frame(r, b.clone(), true, view(Page::Trends, ""));
        frame(r, view(Page::Trends, ""), true, view(Page::Trends, ""));
        r.frame_started(None);
        assert!(!r.is_waiting());
        let text = std::fs::read_to_string(&path).expect("written");
        let events: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
        let kinds: Vec<String> = events
            .iter()
            .map(|e| format!("{} {} {}", e["event"], e["cause"], e["queried"]))
            .collect();
        assert_eq!(
            kinds,
            [
                r#""first_frame" null null"#,
                r#""ready" "start" true"#,
                r#""ready" "filter" true"#,
                r#""ready" "switch" false"#,
            ]
        );
    }
}
