//! The channels file: its TOML shape and the checks run when it is loaded.

use std::collections::BTreeMap;
use std::path::Path;

use chrono_tz::Tz;
use serde::Deserialize;

use voxlake_models::text::lang::Language;

use crate::error::{Error, Result};

/// The mappings shipped with Voxlake; a channels file may add or replace them.
const BUILTIN: &str = include_str!("../../channels.toml");

/// The feedback columns a channel can fill from its own fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Channel,
    SourceId,
    ReceivedAt,
    CustomerId,
    CustomerTier,
    Contact,
    Product,
    ProductModel,
    OrderId,
    AppVersion,
    Region,
    StoreId,
    AgentId,
    Rating,
    Language,
    Title,
    Text,
    // Keep `Tags` last: `Target::COUNT` counts up to it.
    Tags,
}

impl Target {
    /// How many targets there are: `Tags` is the last.
    pub const COUNT: usize = Target::Tags as usize + 1;
}

/// The kind of file `voxlake import` expects from a channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    /// NDJSON, or one JSON array / object.
    Json,
    Csv,
    Xlsx,
    /// One .eml message or an mbox of many.
    Email,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChannelSpec {
    #[serde(default)]
    description: String,
    format: FileFormat,
    #[serde(default = "default_timezone")]
    timezone: String,
    #[serde(default)]
    time_formats: Vec<String>,
    #[serde(default = "default_scale")]
    rating_scale: [f64; 2],
    language: Option<String>,
    /// Fields concatenated into `text` when the channel splits it (e.g. pros / cons).
    #[serde(default)]
    text_join: Vec<String>,
    /// Keep the fields the mapping does not name in `extra` (as JSON).
    #[serde(default = "default_true")]
    keep_extra: bool,
    fields: BTreeMap<Target, String>,
}

fn default_timezone() -> String {
    "Asia/Shanghai".to_owned()
}
fn default_scale() -> [f64; 2] {
    [1.0, 5.0]
}
fn default_true() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChannelsFile {
    #[serde(default)]
    channels: BTreeMap<String, ChannelSpec>,
}

/// One channel's mapping, checked: the time zone exists, the scale is sane,
/// and `text` is mapped.
#[derive(Clone, Debug)]
pub struct Channel {
    pub name: String,
    pub description: String,
    pub format: FileFormat,
    pub timezone: Tz,
    pub time_formats: Vec<String>,
    pub rating_scale: (f64, f64),
    pub language: Option<Language>,
    pub text_join: Vec<String>,
    pub keep_extra: bool,
    pub fields: BTreeMap<Target, String>,
}

impl Channel {
    fn check(name: &str, spec: ChannelSpec) -> Result<Self> {
        let bad = |reason: String| Error::Channels(format!("channel `{name}`: {reason}"));
        let timezone: Tz = spec
            .timezone
            .parse()
            .map_err(|_| bad(format!("unknown time zone `{}`", spec.timezone)))?;
        let [low, high] = spec.rating_scale;
        if low >= high || low.is_nan() || high.is_nan() {
            return Err(bad(format!("rating_scale [{low}, {high}] must go from low to high")));
        }
        if !spec.fields.contains_key(&Target::Text) && spec.text_join.is_empty() {
            return Err(bad("no field is mapped to `text`".to_owned()));
        }
        let language = match spec.language.as_deref() {
            None => None,
            Some(code) => Some(code.parse().map_err(|_| bad(format!("unknown language `{code}`")))?),
        };
        Ok(Self {
            name: name.to_owned(),
            description: spec.description,
            format: spec.format,
            timezone,
            time_formats: spec.time_formats,
            rating_scale: (low, high),
            language,
            text_join: spec.text_join,
            keep_extra: spec.keep_extra,
            fields: spec.fields,
        })
    }

    /// The source field mapped onto `target`, if any.
    pub fn source_field(&self, target: Target) -> Option<&str> {
        self.fields.get(&target).map(String::as_str)
    }
}

/// Every configured channel by name.
#[derive(Clone, Debug)]
pub struct Channels {
    by_name: BTreeMap<String, Channel>,
}

impl Channels {
    /// The built-in channels only.
    pub fn builtin() -> Result<Self> {
        Self::from_sources(&[("built-in channels", BUILTIN)])
    }

    /// The built-in channels, then those of `path` (if it exists) added on top.
    pub fn load(path: Option<&Path>) -> Result<Self> {
        let Some(path) = path.filter(|p| p.exists()) else {
            return Self::builtin();
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Channels(format!("cannot read {}: {e}", path.display())))?;
        let origin = path.display().to_string();
        Self::from_sources(&[("built-in channels", BUILTIN), (origin.as_str(), text.as_str())])
    }

    /// Parse channel files in order; a later file's channel replaces an earlier one.
    pub fn from_sources(sources: &[(&str, &str)]) -> Result<Self> {
        let mut by_name = BTreeMap::new();
        for (origin, text) in sources {
            let file: ChannelsFile = toml::from_str(text).map_err(|e| Error::Channels(format!("{origin}: {e}")))?;
            for (name, spec) in file.channels {
                by_name.insert(name.clone(), Channel::check(&name, spec)?);
            }
        }
        Ok(Self { by_name })
    }

    /// The channel called `name`, or an error listing the ones that exist.
    pub fn get(&self, name: &str) -> Result<&Channel> {
        self.by_name.get(name).ok_or_else(|| Error::UnknownChannel {
            name: name.to_owned(),
            known: self.by_name.keys().cloned().collect::<Vec<_>>().join(", "),
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = &Channel> {
        self.by_name.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_channels_load() {
        let channels = Channels::builtin().expect("built-in channels are valid");
        for name in [
            "native",
            "app_form",
            "ecommerce_reviews",
            "chat_transcripts",
            "email",
            "survey_xlsx",
        ] {
            assert!(channels.get(name).is_ok(), "missing built-in channel {name}");
        }
    }

    #[test]
    fn unknown_channel_lists_known_ones() {
        let channels = Channels::builtin().expect("built-in channels are valid");
        let err = channels.get("fax").expect_err("no fax channel").to_string();
        assert!(err.contains("fax") && err.contains("native"), "{err}");
    }

    #[test]
    fn later_file_overrides_and_checks() {
        let extra = r#"
            [channels.kiosk]
            format = "csv"
            timezone = "Europe/Berlin"
            rating_scale = [0, 10]
            [channels.kiosk.fields]
            text = "Kommentar"
        "#;
        let channels = Channels::from_sources(&[("built-in", BUILTIN), ("mine", extra)]).expect("valid");
        let kiosk = channels.get("kiosk").expect("added");
        assert_eq!(kiosk.rating_scale, (0.0, 10.0));
        assert_eq!(kiosk.timezone, chrono_tz::Europe::Berlin);
    }

    #[test]
    fn bad_specs_name_the_channel_and_problem() {
        let cases = [
            (
                "[channels.x]\nformat = \"csv\"\ntimezone = \"Mars/Base\"\n[channels.x.fields]\ntext = \"t\"",
                "time zone",
            ),
            (
                "[channels.x]\nformat = \"csv\"\nrating_scale = [5, 1]\n[channels.x.fields]\ntext = \"t\"",
                "rating_scale",
            ),
            (
                "[channels.x]\nformat = \"csv\"\n[channels.x.fields]\ntitle = \"t\"",
                "text",
            ),
            (
                "[channels.x]\nformat = \"fax\"\n[channels.x.fields]\ntext = \"t\"",
                "fax",
            ),
            (
                "[channels.x]\nformat = \"csv\"\n[channels.x.fields]\nsmell = \"t\"",
                "smell",
            ),
        ];
        for (text, expected) in cases {
            let err = Channels::from_sources(&[("mine", text)]).expect_err(text).to_string();
            assert!(err.contains(expected), "{err} should mention {expected}");
        }
    }
}
