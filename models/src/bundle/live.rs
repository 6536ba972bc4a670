//! [`LiveModels`]: the process's models, re-read when a file of the models
//! directory changes (a taxonomy edit, a retrained model), so an edit takes
//! effect on the next query or ingest batch without a rebuild or restart.
//!
//! Change detection is a `stat` of the few [`MODEL_FILES`] (modification
//! time and length): cheap enough to do per query. A reload that fails keeps
//! the models that were loaded and reports the error once per change of the
//! files, so a half-saved edit never takes the service down.

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, RwLock};
use std::time::SystemTime;

use super::{MODEL_FILES, Models, Result};

/// Modification time and length of each model file (`None`: absent).
type Stamp = Vec<Option<(SystemTime, u64)>>;

pub struct LiveModels {
    /// `None` for the shipped models, which never change.
    dir: Option<PathBuf>,
    state: RwLock<State>,
}

struct State {
    stamp: Stamp,
    models: Arc<Models>,
    /// The stamp whose reload failed, so it is not retried until the files change again.
    failed: Option<Stamp>,
}

impl std::fmt::Debug for LiveModels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveModels")
            .field("dir", &self.dir)
            .field("version", &self.current().version())
            .finish()
    }
}

static SHIPPED: LazyLock<Arc<LiveModels>> = LazyLock::new(|| {
    // Compiled-in constants, not input: `shipped_models_load` tests them.
    let models = Models::shipped().expect("the shipped models load");
    Arc::new(LiveModels::fixed(models))
});

impl LiveModels {
    /// The shipped models, loaded once per process on first use.
    pub fn shipped() -> Arc<LiveModels> {
        Arc::clone(&SHIPPED)
    }

    /// Models that never reload (tests, embedded use).
    pub fn fixed(models: Models) -> LiveModels {
        LiveModels {
            dir: None,
            state: RwLock::new(State {
                stamp: Vec::new(),
                models: Arc::new(models),
                failed: None,
            }),
        }
    }

    /// Loads the models of `dir` (see [`Models::load`]); fails on a missing
    /// directory or a bad file, so a misconfiguration stops start-up.
    pub fn open(dir: &Path) -> Result<LiveModels> {
        let stamp = stamp(dir);
        let models = Models::load(dir)?;
        Ok(LiveModels {
            dir: Some(dir.to_path_buf()),
            state: RwLock::new(State {
                stamp,
                models: Arc::new(models),
                failed: None,
            }),
        })
    }

    /// The directory the models come from; `None` for the shipped ones.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The models loaded now, without looking at the files.
    pub fn current(&self) -> Arc<Models> {
        match self.state.read() {
            Ok(state) => Arc::clone(&state.models),
            Err(poisoned) => Arc::clone(&poisoned.into_inner().models),
        }
    }

    /// The models, reloaded first when a file changed. On a failed reload
    /// the error is returned once (until the files change again) and the
    /// previous models stay in use: call [`current`](Self::current) to go on.
    pub fn refresh(&self) -> Result<Arc<Models>> {
        let Some(dir) = &self.dir else {
            return Ok(self.current());
        };
        let now = stamp(dir);
        if self.is_settled(&now) {
            return Ok(self.current());
        }
        let loaded = Models::load(dir);
        let mut state = self.state.write().unwrap_or_else(|p| p.into_inner());
        match loaded {
            Ok(models) => {
                state.models = Arc::new(models);
                state.stamp = now;
                state.failed = None;
                Ok(Arc::clone(&state.models))
            }
            Err(e) => {
                state.failed = Some(now);
                Err(e)
            }
        }
    }

    /// Whether `now` is what is loaded, or what failed to load last time.
    fn is_settled(&self, now: &Stamp) -> bool {
        let state = self.state.read().unwrap_or_else(|p| p.into_inner());
        state.stamp == *now || state.failed.as_ref() == Some(now)
    }
}

fn stamp(dir: &Path) -> Stamp {
    MODEL_FILES
        .iter()
        .map(|name| {
            let meta = std::fs::metadata(dir.join(name)).ok()?;
            Some((meta.modified().ok()?, meta.len()))
        })
        .collect()
}
