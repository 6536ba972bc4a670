//! `voxlake channels`: each channel's health.

use std::process::ExitCode;

use voxlake_ingest::channels::Channels;
use voxlake_ingest::health::{ChannelHealth, channel_health};

use crate::cli::{ChannelsArgs, OutputFormat};
use crate::settings::Settings;

pub async fn run(settings: &Settings, args: &ChannelsArgs) -> anyhow::Result<ExitCode> {
    let channels = Channels::load(settings.channels.as_deref())?;
    let health = channel_health(&settings.store, &channels, chrono::Utc::now()).await?;
    match args.format {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&health)?),
        OutputFormat::Table | OutputFormat::Csv => print_table(&health),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(health: &[ChannelHealth]) {
    println!(
        "{:<20} {:<22} {:>10} {:>12} {:>10}  top reject reasons",
        "channel", "last received (UTC)", "today", "total", "rejects"
    );
    for h in health {
        let last = h
            .last_received
            .map_or("-".to_owned(), |t| t.format("%Y-%m-%d %H:%M:%S").to_string());
        let reasons: Vec<String> = h
            .top_reject_reasons
            .iter()
            .map(|r| format!("{} ({})", r.reason, r.count))
            .collect();
        println!(
            "{:<20} {:<22} {:>10} {:>12} {:>10}  {}",
            h.channel,
            last,
            h.volume_today,
            h.volume_total,
            h.rejects_today,
            reasons.join("; ")
        );
    }
}
