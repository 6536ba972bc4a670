//! One generated record in Voxlake's native flat input format, and its CSV row.

use chrono::{DateTime, FixedOffset};
use serde::{Serialize, Serializer};

use super::calendar::format_cst;

/// Column names, in output order (NDJSON keys and the CSV header).
pub const COLUMNS: [&str; 17] = [
    "channel",
    "source_id",
    "received_at",
    "customer_id",
    "customer_tier",
    "contact",
    "product",
    "product_model",
    "order_id",
    "app_version",
    "region",
    "store_id",
    "agent_id",
    "rating",
    "title",
    "text",
    "tags",
];

/// One piece of synthetic customer feedback, field for field the native input
/// format: a flat JSON object (absent values are `null`) or a CSV row (absent
/// values are empty, tags joined with `|`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoRecord {
    /// One of app, web_form, wechat, weibo, taobao, jd, douyin, xiaohongshu,
    /// chat, hotline, email, store, survey.
    pub channel: &'static str,
    /// Stable and unique, e.g. `jd-00010001234`: the same config gives the same ids.
    pub source_id: String,
    /// Written as RFC 3339 in China Standard Time, e.g. `2025-03-14T09:21:33+08:00`.
    #[serde(serialize_with = "serialize_cst")]
    pub received_at: DateTime<FixedOffset>,
    /// 100000000 and up, one per customer.
    pub customer_id: u64,
    /// regular, silver or gold; stable per customer.
    pub customer_tier: &'static str,
    /// Phone number or e-mail; stable per customer, absent for ~40 %.
    pub contact: Option<String>,
    /// `<category>-<series><model>`, e.g. `家电-小满L76`.
    pub product: &'static str,
    /// `<series><model>`, e.g. `小满L76`.
    pub product_model: &'static str,
    /// Marketplace order number, e.g. `JD2025031400012345`.
    pub order_id: Option<String>,
    /// For in-app feedback and in-app chat, e.g. `5.3.0`.
    pub app_version: Option<&'static str>,
    /// Provincial-level division in Chinese, e.g. `广东`.
    pub region: &'static str,
    /// For store and survey feedback, e.g. `store-SC-004`.
    pub store_id: Option<&'static str>,
    /// For chat, hotline and e-mail, e.g. `agent-017`.
    pub agent_id: Option<&'static str>,
    /// 1–5, absent on channels without ratings.
    pub rating: Option<u8>,
    /// Subject of some e-mails and web forms.
    pub title: Option<String>,
    /// The feedback itself, 10–200 characters, dirt included.
    pub text: String,
    /// Labels attached upstream; often empty.
    pub tags: Vec<&'static str>,
}

fn serialize_cst<S: Serializer>(at: &DateTime<FixedOffset>, serializer: S) -> Result<S::Ok, S::Error> {
    let mut buf = [0u8; 25];
    serializer.serialize_str(format_cst(at.timestamp(), &mut buf))
}

impl DemoRecord {
    /// Writes the record as one CSV row (columns as in [`COLUMNS`]).
    pub(super) fn write_csv<W: std::io::Write>(
        &self,
        out: &mut csv::Writer<W>,
        scratch: &mut String,
    ) -> csv::Result<()> {
        let mut ts = [0u8; 25];
        let mut id = itoa_buf();
        let mut rating = itoa_buf();
        out.write_field(self.channel)?;
        out.write_field(&self.source_id)?;
        out.write_field(format_cst(self.received_at.timestamp(), &mut ts))?;
        out.write_field(itoa(self.customer_id, &mut id))?;
        out.write_field(self.customer_tier)?;
        out.write_field(self.contact.as_deref().unwrap_or(""))?;
        out.write_field(self.product)?;
        out.write_field(self.product_model)?;
        out.write_field(self.order_id.as_deref().unwrap_or(""))?;
        out.write_field(self.app_version.unwrap_or(""))?;
        out.write_field(self.region)?;
        out.write_field(self.store_id.unwrap_or(""))?;
        out.write_field(self.agent_id.unwrap_or(""))?;
        out.write_field(self.rating.map_or("", |r| itoa(u64::from(r), &mut rating)))?;
        out.write_field(self.title.as_deref().unwrap_or(""))?;
        out.write_field(&self.text)?;
        scratch.clear();
        for (i, tag) in self.tags.iter().enumerate() {
            scratch.push_str(if i == 0 { "" } else { "|" });
            scratch.push_str(tag);
        }
        out.write_field(&*scratch)?;
        out.write_record(None::<&[u8]>)
    }
}

fn itoa_buf() -> [u8; 20] {
    [0u8; 20]
}

/// Formats `n` in decimal into `buf` without allocating.
fn itoa(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn itoa_formats_edges() {
        let mut buf = itoa_buf();
        assert_eq!(itoa(0, &mut buf), "0");
        assert_eq!(itoa(u64::MAX, &mut buf), u64::MAX.to_string());
        assert_eq!(itoa(100_048_513, &mut buf), "100048513");
    }
}
