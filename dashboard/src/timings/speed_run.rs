//! `--speed-run`: the scenario `scripts/speed.sh` measures, played by the app
//! itself so it needs no pointer positions: after start, a channel filter,
//! then every page in turn, for a few rounds (each round another channel, so
//! each page asks the server again); then the explorer without filters,
//! scrolled through all its rows a fixed number of rows per frame; then quit.
//!
//! Each step waits until the previous one is on screen (the [`Recorder`]
//! has nothing open), then a short pause so frames of one step don't run
//! into the next.
//!
//! [`Recorder`]: super::Recorder

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::pages::Page;

/// Rounds of "filter, then every page".
pub const ROUNDS: usize = 3;
/// Rows the explorer moves per frame while scrolling: a few screens, so each
/// frame lays out rows it has not shown before.
pub const SCROLL_ROWS_PER_FRAME: usize = 100;
/// Frames drawn without scrolling before the scroll, to compare with.
pub const STILL_FRAMES: usize = 120;
const SETTLE: Duration = Duration::from_millis(300);
/// A step not on screen by then is given up (and noted).
const STEP_TIMEOUT: Duration = Duration::from_secs(60);

/// What the app is asked to do this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Navigate(Page),
    /// Filter by the n-th channel offered (modulo their number).
    Channel(usize),
    ClearFilters,
    /// Draw the explorer [`STILL_FRAMES`] times without scrolling (the baseline).
    Still,
    /// Scroll the explorer by [`SCROLL_ROWS_PER_FRAME`] until its last row is in view.
    Scroll,
    Quit,
}

pub struct SpeedRun {
    steps: VecDeque<Step>,
    /// Frames left of a [`Step::Still`].
    still_left: usize,
    /// When the current step was issued.
    issued: Option<Instant>,
    /// Settled (previous step on screen) since.
    idle_since: Option<Instant>,
    scrolling: bool,
}

impl Default for SpeedRun {
    fn default() -> Self {
        let mut steps = VecDeque::new();
        let pages = [
            Page::Trends,
            Page::Distributions,
            Page::TopIssues,
            Page::Explorer,
            Page::SqlConsole,
            Page::Overview,
        ];
        for round in 0..ROUNDS {
            steps.push_back(Step::Channel(round));
            steps.extend(pages.map(Step::Navigate));
        }
        steps.extend([
            Step::ClearFilters,
            Step::Navigate(Page::Explorer),
            Step::Still,
            Step::Scroll,
            Step::Quit,
        ]);
        Self {
            steps,
            still_left: STILL_FRAMES,
            issued: None,
            idle_since: None,
            scrolling: false,
        }
    }
}

impl SpeedRun {
    /// The step to take now, if any. `waiting`: a measurement is still
    /// open; `scrolled_to_end`: the explorer's last row is in view.
    pub fn next(&mut self, waiting: bool, scrolled_to_end: bool) -> Option<Step> {
        let now = Instant::now();
        if self.scrolling {
            if let Some(step) = self.repeat(scrolled_to_end) {
                return Some(step);
            }
            self.scrolling = false;
            self.steps.pop_front();
        }
        let timed_out = self.issued.is_some_and(|t| now - t > STEP_TIMEOUT);
        if waiting && !timed_out {
            self.idle_since = None;
            return None;
        }
        let idle_since = *self.idle_since.get_or_insert(now);
        if now - idle_since < SETTLE {
            return None;
        }
        self.idle_since = None;
        self.issued = Some(now);
        let step = *self.steps.front()?;
        if matches!(step, Step::Still | Step::Scroll) {
            self.scrolling = true;
        } else {
            self.steps.pop_front();
        }
        Some(step)
    }

    /// The repeated step at the front again, unless it is done.
    fn repeat(&mut self, scrolled_to_end: bool) -> Option<Step> {
        match self.steps.front()? {
            Step::Still if self.still_left > 1 => {
                self.still_left -= 1;
                Some(Step::Still)
            }
            Step::Scroll if !scrolled_to_end => Some(Step::Scroll),
            _ => None,
        }
    }

    /// The repeated step under way ([`Step::Still`] or [`Step::Scroll`]).
    pub fn frames(&self) -> Option<Step> {
        self.steps.front().copied().filter(|_| self.scrolling)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_wait_for_the_screen_and_scrolling_runs_to_the_end() {
        let mut run = SpeedRun {
            steps: [Step::Navigate(Page::Trends), Step::Scroll, Step::Quit].into(),
            still_left: 0,
            issued: None,
            idle_since: None,
            scrolling: false,
        };
        assert_eq!(run.next(false, false), None, "settles first");
        std::thread::sleep(SETTLE);
        assert_eq!(run.next(false, false), Some(Step::Navigate(Page::Trends)));
        assert_eq!(run.next(true, false), None, "waits for the page");
        run.next(false, false);
        std::thread::sleep(SETTLE);
        assert_eq!(run.next(false, false), Some(Step::Scroll));
        assert_eq!(run.next(true, false), Some(Step::Scroll), "scrolling does not wait");
        assert_eq!(run.next(false, true), None);
        std::thread::sleep(SETTLE);
        assert_eq!(run.next(false, true), Some(Step::Quit));
    }
}
