//! `voxlake-dashboard`: parse flags, set up logging, open the window.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Parser, ValueEnum};
use voxlake_dashboard::i18n::Language;
use voxlake_dashboard::pages::Page;
use voxlake_dashboard::theme::ThemeChoice;
use voxlake_dashboard::{LaunchOptions, run};

/// Voxlake's management dashboard. Flags override what the dashboard
/// remembers from its last run.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// The Voxlake server (default: the last one used, else http://127.0.0.1:8080).
    #[arg(long, env = "VOXLAKE_URL")]
    url: Option<String>,
    /// API key, sent as `Authorization: Bearer <key>`.
    #[arg(long, env = "VOXLAKE_API_KEY", hide_env_values = true)]
    api_key: Option<String>,
    /// UI language.
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// Colour theme.
    #[arg(long, value_enum)]
    theme: Option<ThemeArg>,
    /// Page to open.
    #[arg(long, value_enum)]
    page: Option<PageArg>,
    /// Refresh every N seconds (0 = off).
    #[arg(long)]
    refresh_secs: Option<u32>,
    /// Start from defaults instead of the remembered state.
    #[arg(long)]
    fresh: bool,
    /// Write speed measurements (first frame, page and filter changes until
    /// their numbers are drawn, scroll frame times) to FILE as JSON lines.
    #[arg(long, value_name = "FILE", env = "VOXLAKE_DASHBOARD_TIMINGS")]
    timings: Option<PathBuf>,
    /// Play a fixed scenario (filters, every page, an explorer scroll), then
    /// quit: what `scripts/speed.sh` measures. Needs --timings.
    #[arg(long, requires = "timings")]
    speed_run: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LangArg {
    Zh,
    En,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ThemeArg {
    Light,
    Dark,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum PageArg {
    Overview,
    Trends,
    Distributions,
    TopIssues,
    Explorer,
    Sql,
}

fn main() -> anyhow::Result<()> {
    let started = Instant::now();
    keep_large_allocations_on_the_heap();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let args = Args::parse();
    run(options(args, started)).map_err(|e| anyhow::anyhow!("the dashboard window failed: {e}"))
}

/// Every frame, egui's meshes and Mesa's software renderer (when there is no
/// GPU) allocate and free buffers of a few megabytes. glibc hands out
/// allocations above its mmap threshold as fresh mappings, so each frame paid
/// for mapping, zeroing and unmapping those pages: under Xvfb that was half of
/// a scrolling frame (frame interval 19 → 13.5 ms without it, see
/// benches/RESULTS.md). Large blocks now stay on the heap and are reused.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_large_allocations_on_the_heap() {
    const MIB: libc::c_int = 1 << 20;
    // SAFETY: `mallopt` only sets allocator parameters. It runs first thing
    // in `main`, before any other thread exists.
    #[allow(unsafe_code)]
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 64 * MIB);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 * MIB);
        libc::mallopt(libc::M_TOP_PAD, 64 * MIB);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_large_allocations_on_the_heap() {}

fn options(args: Args, started: Instant) -> LaunchOptions {
    LaunchOptions {
        url: args.url,
        api_key: args.api_key,
        language: args.lang.map(|l| match l {
            LangArg::Zh => Language::Zh,
            LangArg::En => Language::En,
        }),
        theme: args.theme.map(|t| match t {
            ThemeArg::Light => ThemeChoice::Light,
            ThemeArg::Dark => ThemeChoice::Dark,
        }),
        page: args.page.map(page),
        refresh_secs: args.refresh_secs,
        fresh: args.fresh,
        timings: args.timings,
        speed_run: args.speed_run,
        started: Some(started),
    }
}

fn page(arg: PageArg) -> Page {
    match arg {
        PageArg::Overview => Page::Overview,
        PageArg::Trends => Page::Trends,
        PageArg::Distributions => Page::Distributions,
        PageArg::TopIssues => Page::TopIssues,
        PageArg::Explorer => Page::Explorer,
        PageArg::Sql => Page::SqlConsole,
    }
}
