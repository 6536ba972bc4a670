//! `voxlake keys`: create, list and revoke API keys.

use std::process::ExitCode;

use anyhow::anyhow;
use voxlake_sql::auth::{KeyStore, Role};

use crate::cli::KeysCommand;
use crate::settings::Settings;

pub fn run(settings: &Settings, command: &KeysCommand) -> anyhow::Result<ExitCode> {
    let keys = KeyStore::new(&settings.config_path);
    match command {
        KeysCommand::Create(args) => {
            let role: Role = args.role.parse().map_err(|e: String| anyhow!(e))?;
            let key = keys.create(&args.name, role, args.agent_id.as_deref())?;
            eprintln!(
                "created {} key `{}`; it is shown only now, keep it safe:",
                role.as_str(),
                args.name
            );
            println!("{key}");
        }
        KeysCommand::List => {
            println!("{:<20} {:<8} {:<12} {:<8} created", "name", "role", "agent", "revoked");
            for key in keys.list()? {
                let agent = key.agent_id.as_deref().unwrap_or("-");
                println!(
                    "{:<20} {:<8} {:<12} {:<8} {}",
                    key.name,
                    key.role.as_str(),
                    agent,
                    key.revoked,
                    key.created_at
                );
            }
        }
        KeysCommand::Revoke { name } => {
            keys.revoke(name)?;
            println!("revoked `{name}`");
        }
    }
    Ok(ExitCode::SUCCESS)
}
