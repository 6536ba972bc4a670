//! Channels are configuration, not code: each channel is a mapping of its own
//! field names onto the feedback schema, plus how to read its times, ratings and
//! language. The mappings shipped with Voxlake live in `ingest/channels.toml`; a
//! company adds or overrides channels in a channels file of its own.

mod config;
mod mapping;
mod path;
mod values;

pub use config::{Channel, Channels, FileFormat, Target};
pub use mapping::map_record;
pub use values::{parse_rating, parse_time};
