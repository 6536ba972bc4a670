//! One file per command.

mod channels;
mod generate;
mod import;
mod keys;
mod labels;
mod listen;
mod maintain;
mod reenrich;
mod serve;
mod sql;
pub mod topics;
mod train;

use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::settings::Settings;

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::Generate(args) = &cli.command {
        return generate::run(args).await;
    }
    let settings = Settings::load(&cli.global)?;
    match cli.command {
        Command::Serve(args) => serve::run(&settings, &args).await,
        Command::Import(args) => import::run(&settings, &args).await,
        Command::Sql(args) => sql::run(&settings, &args).await,
        Command::Channels(args) => channels::run(&settings, &args).await,
        Command::Topics(args) => topics::run(&settings, &args).await,
        Command::Compact => maintain::compact(&settings).await,
        Command::Vacuum => maintain::vacuum(&settings).await,
        Command::Keys(command) => keys::run(&settings, &command),
        Command::Train(command) => train::run(&settings, &command).await,
        Command::Reenrich(args) => reenrich::run(&settings, &args).await,
        Command::Labels(command) => labels::run(&settings, &command).await,
        Command::Generate(_) => unreachable!("handled above"),
    }
}
