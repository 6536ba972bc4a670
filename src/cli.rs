//! The command line: every option has a flag, a `VOXLAKE_*` variable and a
//! key in the config file (flags win over variables, variables over the file).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::settings::PgListen;

#[derive(Debug, Parser)]
#[command(
    name = "voxlake",
    version,
    about = "Voice-of-the-customer analytics: feedback lake, SQL with ML functions, dashboard"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,

    /// More log output (-v info, -vv debug); VOXLAKE_LOG takes a full filter.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Data directory: the local object store, the config file and the key.
    #[arg(long, global = true, env = "VOXLAKE_DATA", default_value = "./voxlake-data")]
    pub data: PathBuf,

    /// Config file (TOML) [default: <data>/voxlake.toml when it exists].
    #[arg(long, global = true, env = "VOXLAKE_CONFIG")]
    pub config: Option<PathBuf>,

    /// Object store URL for the tables, e.g. s3://bucket/lake [default: <data>/lake].
    #[arg(long, global = true, env = "VOXLAKE_STORE")]
    pub store: Option<String>,

    /// Channels file adding to the built-in channels [default: <data>/channels.toml].
    #[arg(long, global = true, env = "VOXLAKE_CHANNELS")]
    pub channels: Option<PathBuf>,

    /// Models directory: sentiment.vxm, taxonomy.toml, taxonomy.vxm, idf.tsv,
    /// topics.vxm, each overriding the shipped one; edits apply without a
    /// restart [default: <data>/models when it exists, else the shipped models].
    #[arg(long, global = true, env = "VOXLAKE_MODELS")]
    pub models: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service.
    Serve(ServeArgs),
    /// Write realistic demo feedback as NDJSON or CSV (by the file's extension).
    Generate(GenerateArgs),
    /// Import a file (CSV, NDJSON/JSON, Excel, e-mail) through a channel's mapping.
    Import(ImportArgs),
    /// Run read-only SQL directly on the store (no server needed).
    Sql(SqlArgs),
    /// Show each channel's health: last received, volume and rejects today.
    Channels(ChannelsArgs),
    /// The recurring issues of a window (the `top_issues` table function):
    /// topic, keywords, volume, trend, customers, sentiment, priority, samples.
    Topics(TopicsArgs),
    /// Merge small files into large ones (one atomic commit per table).
    Compact,
    /// Delete data past retention and files of old versions.
    Vacuum,
    /// Manage API keys (stored hashed in the config file).
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Train a model into the models directory.
    #[command(subcommand)]
    Train(TrainCommand),
    /// Recompute the enrichment columns of past feedback with the current
    /// models, as one new table version (the old one stays for time travel).
    Reenrich(ReenrichArgs),
    /// Analysts' corrections of the taxonomy (the `feedback_labels` table).
    #[command(subcommand)]
    Labels(LabelsCommand),
}

#[derive(Debug, Subcommand)]
pub enum TrainCommand {
    /// Sentiment from <data-dir>/*_train.csv; prints accuracy on *_test.csv.
    Sentiment(TrainSentimentArgs),
    /// The supervised part of the taxonomy, from `feedback_labels`.
    Taxonomy(TrainTaxonomyArgs),
    /// The recurring-issue topics, from the negative feedback of a window;
    /// an existing topics model is updated so its topic ids stay stable.
    Topics(TrainTopicsArgs),
}

#[derive(Debug, Args)]
pub struct TrainTopicsArgs {
    /// First day of the window (YYYY-MM-DD) [default: 28 days before --until].
    #[arg(long)]
    pub since: Option<chrono::NaiveDate>,
    /// Day after the window (YYYY-MM-DD) [default: the day after the latest feedback].
    #[arg(long)]
    pub until: Option<chrono::NaiveDate>,
    /// Where to write the model [default: <models>/topics.vxm].
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TrainSentimentArgs {
    /// Folder with the labelled `*_train.csv` and `*_test.csv` files.
    #[arg(long)]
    pub data_dir: PathBuf,
    /// Where to write the model [default: <models>/sentiment.vxm].
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TrainTaxonomyArgs {
    /// Where to write the model [default: <models>/taxonomy.vxm].
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReenrichArgs {
    /// First day (UTC, YYYY-MM-DD) whose feedback is re-enriched.
    #[arg(long)]
    pub since: chrono::NaiveDate,
}

#[derive(Debug, Subcommand)]
pub enum LabelsCommand {
    /// Append labels from a CSV file with the header `feedback_id,l1,l2`.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// Who made the corrections.
        #[arg(long)]
        who: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Create a key; it is printed once, on the last line.
    Create(KeyCreateArgs),
    /// List keys (names, roles, agents; never the keys).
    List,
    /// Revoke a key by name.
    Revoke {
        /// The key's name.
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct KeyCreateArgs {
    /// admin, analyst, manager, agent or ingest.
    #[arg(long)]
    pub role: String,
    /// A name for the key (who or what uses it).
    #[arg(long)]
    pub name: String,
    /// For agent keys: the agent whose rows the key may see.
    #[arg(long)]
    pub agent_id: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "VOXLAKE_HTTP")]
    pub http: Option<SocketAddr>,

    /// Address of the Postgres wire protocol port (psql, DBeaver, Metabase,
    /// Grafana), or `off` [default: 127.0.0.1:5433].
    #[arg(long, env = "VOXLAKE_PG", value_name = "ADDR|off")]
    pub pg: Option<PgListen>,

    /// TLS certificate chain (PEM) for both ports; needs --tls-key.
    #[arg(long, env = "VOXLAKE_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// TLS private key (PEM) for --tls-cert.
    #[arg(long, env = "VOXLAKE_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// Load demo data first when the store is empty.
    #[arg(long, env = "VOXLAKE_DEMO")]
    pub demo: bool,

    /// Rows of demo data to load with --demo.
    #[arg(long, env = "VOXLAKE_DEMO_ROWS", default_value_t = 200_000)]
    pub demo_rows: u64,

    /// Minutes between automatic compactions (0 = never).
    #[arg(long, env = "VOXLAKE_COMPACT_EVERY_MINUTES")]
    pub compact_every_minutes: Option<u64>,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of feedback records.
    #[arg(long, default_value_t = 200_000)]
    pub rows: u64,

    /// Output file: .ndjson / .jsonl / .json for NDJSON, .csv for CSV.
    #[arg(long)]
    pub out: PathBuf,

    /// Random seed: the same seed and row count give the same file.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import.
    pub file: PathBuf,

    /// The channel whose mapping reads the file (see `voxlake channels`).
    #[arg(long)]
    pub channel: String,

    /// Where to write the full reject report (CSV: line, field, reason)
    /// [default: FILE.rejects.csv, only when there are rejects].
    #[arg(long)]
    pub rejects: Option<PathBuf>,

    /// Leave the enrichment columns (sentiment, categories, keywords,
    /// priority) null; `voxlake reenrich` can fill them later.
    #[arg(long, env = "VOXLAKE_NO_ENRICH")]
    pub no_enrich: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct SqlArgs {
    /// The query.
    pub query: String,

    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct TopicsArgs {
    /// First day of the window (YYYY-MM-DD) [default: 7 days before --end].
    #[arg(long)]
    pub start: Option<chrono::NaiveDate>,
    /// Day after the window (YYYY-MM-DD) [default: the day after the latest feedback].
    #[arg(long)]
    pub end: Option<chrono::NaiveDate>,
    /// How many issues to show (1 to 1000).
    #[arg(long, default_value_t = 10)]
    pub k: u32,
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct ChannelsArgs {
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}
