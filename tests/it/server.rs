//! Starting `voxlake serve` as a child process on a free loopback port.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Server {
    pub child: Child,
    pub url: String,
    /// The admin key the server created on its first start (None on restarts).
    pub key: Option<String>,
}

impl Server {
    /// Start the server on `data` and wait until it listens.
    pub fn start(data: &Path, extra_args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_voxlake"))
            .args(["serve", "--http", "127.0.0.1:0", "--pg", "127.0.0.1:0", "--data"])
            .arg(data)
            .args(extra_args)
            .env("VOXLAKE_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("voxlake starts");
        let stdout = child.stdout.take().expect("stdout piped");
        let mut lines = BufReader::new(stdout).lines();
        let mut url = String::new();
        let mut key = None;
        loop {
            let line = lines
                .next()
                .expect("server printed its welcome before exiting")
                .expect("utf-8");
            if let Some(rest) = line.strip_prefix("Voxlake is listening on ") {
                url = rest.trim().to_owned();
            }
            if let Some(rest) = line.trim().strip_prefix("export VOXLAKE_API_KEY=") {
                key = Some(rest.to_owned());
            }
            if line.starts_with("Try a query") {
                break;
            }
        }
        // Keep draining stdout so the child never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Self { child, url, key }
    }

    /// SIGKILL: no chance to flush or clean up.
    pub fn kill(mut self) {
        self.child.kill().expect("kill");
        self.child.wait().expect("reaped");
    }

    /// SIGTERM, then wait for a clean exit.
    pub fn stop(mut self) {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().expect("kill -TERM");
        let status = wait_timeout(&mut self.child, Duration::from_secs(30));
        assert!(
            status.is_some_and(|s| s.success()),
            "server exits cleanly on SIGTERM: {status:?}"
        );
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn wait_timeout(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let deadline = std::time::Instant::now() + limit;
    while std::time::Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

/// Run `voxlake ARGS` to completion; returns (success, stdout, stderr).
pub fn voxlake(args: &[&str], data: &Path) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_voxlake"))
        .args(args)
        .arg("--data")
        .arg(data)
        .env("VOXLAKE_LOG", "warn")
        .output()
        .expect("voxlake runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}
