//! Static reference data: channels with their behaviour, provinces with their
//! weights, customer tiers, couriers and other small word lists.

/// What kind of identifiers and text a channel carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ChannelKind {
    /// Marketplace review with an order number (Taobao, JD, Douyin shop).
    Marketplace,
    /// Social post (Weibo, Xiaohongshu, WeChat official account).
    Social,
    /// In-app feedback: carries the app version.
    App,
    /// Handled by an agent: chat, hotline, email.
    Agent,
    /// Web form on the company site.
    WebForm,
    /// Offline: store comment book or survey, carries a store id.
    Offline,
}

/// One feedback channel and how it behaves.
#[derive(Debug, Clone, Copy)]
pub(super) struct Channel {
    pub name: &'static str,
    /// Prefix of `source_id` (and of `order_id` for marketplaces).
    pub id_prefix: &'static str,
    pub order_prefix: &'static str,
    pub kind: ChannelKind,
    /// Share of all feedback, in percent.
    pub weight: f64,
    /// Share of English feedback on this channel.
    pub english: f64,
    /// Share of records without a rating.
    pub rating_null: f64,
    /// Share of praise / neutral; the rest are complaints.
    pub praise: f64,
    pub neutral: f64,
    /// Only staffed during these local hours (`open..close`), if any.
    pub hours: Option<(u32, u32)>,
}

const fn ch(
    name: &'static str,
    id_prefix: &'static str,
    order_prefix: &'static str,
    kind: ChannelKind,
    weight: f64,
    mix: [f64; 4],
    hours: Option<(u32, u32)>,
) -> Channel {
    let [english, rating_null, praise, neutral] = mix;
    Channel {
        name,
        id_prefix,
        order_prefix,
        kind,
        weight,
        english,
        rating_null,
        praise,
        neutral,
        hours,
    }
}

use ChannelKind::*;

/// The channel mix, skewed towards marketplaces and the app.
/// Columns of `mix`: English share, rating null share, praise share, neutral share.
pub(super) const CHANNELS: [Channel; 13] = [
    ch("taobao", "tb", "TB", Marketplace, 19.0, [0.02, 0.01, 0.62, 0.15], None),
    ch("jd", "jd", "JD", Marketplace, 16.0, [0.04, 0.01, 0.62, 0.15], None),
    ch("app", "app", "", App, 14.0, [0.15, 0.08, 0.28, 0.25], None),
    ch("douyin", "dy", "DY", Marketplace, 8.0, [0.01, 0.03, 0.58, 0.15], None),
    ch("wechat", "wx", "", Social, 8.0, [0.04, 0.35, 0.30, 0.30], None),
    ch("chat", "chat", "", Agent, 8.0, [0.18, 0.25, 0.15, 0.30], None),
    ch("xiaohongshu", "xhs", "", Social, 5.0, [0.03, 0.30, 0.50, 0.20], None),
    ch("hotline", "hl", "", Agent, 5.0, [0.04, 0.35, 0.08, 0.22], Some((8, 22))),
    ch("weibo", "wb", "", Social, 4.0, [0.04, 0.60, 0.20, 0.20], None),
    ch("web_form", "web", "", WebForm, 4.0, [0.40, 0.15, 0.15, 0.35], None),
    ch("email", "em", "", Agent, 3.0, [0.70, 0.45, 0.15, 0.30], None),
    ch(
        "store",
        "st",
        "",
        Offline,
        3.0,
        [0.04, 0.05, 0.50, 0.28],
        Some((10, 22)),
    ),
    ch("survey", "sv", "", Offline, 3.0, [0.20, 0.00, 0.45, 0.33], None),
];

/// A provincial-level division with its sampling weight.
#[derive(Debug, Clone, Copy)]
pub(super) struct Region {
    pub name: &'static str,
    /// Two-letter code used in store ids.
    pub code: &'static str,
    /// Population in millions (2020 census, rounded).
    pub population: f64,
    /// Online-shopping factor: coastal provinces buy more online, and
    /// Hong Kong, Macao and Taiwan rarely use mainland marketplaces.
    pub online: f64,
}

const fn rg(name: &'static str, code: &'static str, population: f64, online: f64) -> Region {
    Region {
        name,
        code,
        population,
        online,
    }
}

/// All 34 provincial-level divisions, weighted by population × online factor.
pub(super) const REGIONS: [Region; 34] = [
    rg("广东", "GD", 126.0, 1.3),
    rg("山东", "SD", 101.5, 1.0),
    rg("河南", "HA", 99.4, 0.9),
    rg("江苏", "JS", 84.7, 1.25),
    rg("四川", "SC", 83.7, 1.0),
    rg("河北", "HE", 74.6, 0.9),
    rg("湖南", "HN", 66.4, 0.95),
    rg("浙江", "ZJ", 64.6, 1.35),
    rg("安徽", "AH", 61.0, 0.95),
    rg("湖北", "HB", 57.8, 1.0),
    rg("广西", "GX", 50.1, 0.85),
    rg("云南", "YN", 47.2, 0.85),
    rg("江西", "JX", 45.2, 0.9),
    rg("辽宁", "LN", 42.6, 0.95),
    rg("福建", "FJ", 41.5, 1.15),
    rg("陕西", "SN", 39.5, 0.95),
    rg("贵州", "GZ", 38.6, 0.8),
    rg("山西", "SX", 34.9, 0.85),
    rg("重庆", "CQ", 32.1, 1.0),
    rg("黑龙江", "HL", 31.9, 0.85),
    rg("新疆", "XJ", 25.9, 0.7),
    rg("甘肃", "GS", 25.0, 0.75),
    rg("上海", "SH", 24.9, 1.5),
    rg("吉林", "JL", 24.1, 0.85),
    rg("内蒙古", "NM", 24.0, 0.8),
    rg("北京", "BJ", 21.9, 1.5),
    rg("天津", "TJ", 13.9, 1.1),
    rg("海南", "HI", 10.1, 0.9),
    rg("宁夏", "NX", 7.2, 0.8),
    rg("青海", "QH", 5.9, 0.75),
    rg("西藏", "XZ", 3.6, 0.6),
    rg("香港", "HK", 7.5, 0.15),
    rg("澳门", "MO", 0.7, 0.15),
    rg("台湾", "TW", 23.6, 0.05),
];

/// Customer tiers, from least to most valuable.
pub(super) const TIERS: [&str; 3] = ["regular", "silver", "gold"];

/// Mobile number prefixes of the three carriers.
pub(super) const PHONE_PREFIXES: [&str; 24] = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156", "157",
    "158", "159", "166", "177", "180", "186", "188", "199",
];

/// Syllables and domains for plausible e-mail addresses.
pub(super) const EMAIL_NAMES: [&str; 16] = [
    "zhang", "wang", "li", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu", "xu", "sun", "hu", "zhu", "gao", "lin",
];
pub(super) const EMAIL_GIVEN: [&str; 12] = [
    "wei", "fang", "na", "min", "jing", "lei", "qiang", "yan", "jun", "tao", "hao", "xin",
];
pub(super) const EMAIL_DOMAINS: [&str; 8] = [
    "qq.com",
    "163.com",
    "126.com",
    "sina.com",
    "gmail.com",
    "outlook.com",
    "foxmail.com",
    "hotmail.com",
];

/// Couriers named in delivery feedback.
pub(super) const COURIERS: [&str; 8] = ["顺丰", "京东物流", "中通", "圆通", "韵达", "申通", "极兔", "EMS"];

/// Street addresses (city, district, road) for PII snippets.
pub(super) const ADDRESSES: [(&str, &str, &str); 10] = [
    ("上海市", "浦东新区", "张江路"),
    ("北京市", "朝阳区", "建国路"),
    ("广东省深圳市", "南山区", "科技园南路"),
    ("广东省广州市", "天河区", "体育西路"),
    ("浙江省杭州市", "西湖区", "文三路"),
    ("四川省成都市", "武侯区", "天府大道"),
    ("江苏省南京市", "鼓楼区", "中山北路"),
    ("湖北省武汉市", "洪山区", "珞喻路"),
    ("山东省济南市", "历下区", "泉城路"),
    ("重庆市", "渝中区", "解放碑步行街"),
];

/// Number of support agents (`agent-001` ..).
pub(super) const AGENT_COUNT: usize = 60;

/// Index of the channel with this name.
pub(super) fn channel_index(name: &str) -> Option<usize> {
    CHANNELS.iter().position(|c| c.name == name)
}

/// Index of the region with this name.
pub(super) fn region_index(name: &str) -> Option<usize> {
    REGIONS.iter().position(|r| r.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_unique_and_complete() {
        let mut names: Vec<_> = REGIONS.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 34);
        assert!(region_index("四川").is_some() && channel_index("app").is_some());
    }

    #[test]
    fn channel_shares_are_probabilities() {
        for c in CHANNELS {
            assert!(c.praise + c.neutral < 1.0, "{}", c.name);
            assert!(c.english < 1.0 && c.rating_null < 1.0, "{}", c.name);
        }
    }
}
