//! What a piece of feedback is about (aspect) and how the customer feels
//! (tone with intensity), and what follows from that: rating and tags.

use rand::rngs::SmallRng;

use super::sampling::{WeightedTable, chance, choose};
use super::vocab::{Channel, ChannelKind};

/// The aspect of the experience a clause talks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Aspect {
    Quality,
    Function,
    Service,
    Logistics,
    Price,
    Packaging,
    AppCrash,
    AppLag,
    AppLogin,
    Refund,
    Safety,
}

pub(super) const ASPECTS: [Aspect; 11] = [
    Aspect::Quality,
    Aspect::Function,
    Aspect::Service,
    Aspect::Logistics,
    Aspect::Price,
    Aspect::Packaging,
    Aspect::AppCrash,
    Aspect::AppLag,
    Aspect::AppLogin,
    Aspect::Refund,
    Aspect::Safety,
];

impl Aspect {
    /// The tag an upstream system would attach for this aspect.
    pub(super) fn tag(self) -> &'static str {
        const TAGS: [&str; 11] = [
            "质量", "功能", "服务", "物流", "价格", "包装", "闪退", "卡顿", "登录", "售后", "安全",
        ];
        TAGS[self as usize]
    }
}

/// Sentiment with intensity: complaints are mild (1), strong (2) or severe (3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tone {
    Praise,
    Neutral,
    Complaint(u8),
}

impl Tone {
    /// 0 praise, 1 neutral, 2..=4 complaint by intensity: an index into closer lists.
    pub(super) fn level(self) -> usize {
        match self {
            Tone::Praise => 0,
            Tone::Neutral => 1,
            Tone::Complaint(i) => 1 + usize::from(i.clamp(1, 3)),
        }
    }
}

/// Aspect and tone of the main clause of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Topic {
    pub aspect: Aspect,
    pub tone: Tone,
}

/// Per-channel-kind aspect tables, built once per generator.
#[derive(Debug)]
pub(super) struct TopicTables {
    by_kind: [WeightedTable; 6],
}

impl TopicTables {
    pub(super) fn new() -> Self {
        Self {
            by_kind: KIND_ORDER.map(|k| WeightedTable::new(aspect_weights(k))),
        }
    }

    /// Draws the topic of a record on `channel` about a product.
    pub(super) fn draw(&self, rng: &mut SmallRng, channel: &Channel, electrical: bool) -> Topic {
        let kind = KIND_ORDER.iter().position(|&k| k == channel.kind).unwrap_or(0);
        let mut aspect = ASPECTS[self.by_kind[kind].sample(rng)];
        if aspect == Aspect::Safety && !electrical {
            aspect = Aspect::Quality;
        }
        Topic {
            aspect,
            tone: draw_tone(rng, channel),
        }
    }
}

const KIND_ORDER: [ChannelKind; 6] = [
    ChannelKind::Marketplace,
    ChannelKind::Social,
    ChannelKind::App,
    ChannelKind::Agent,
    ChannelKind::WebForm,
    ChannelKind::Offline,
];

/// Aspect weights in `ASPECTS` order for a channel kind.
fn aspect_weights(kind: ChannelKind) -> [f64; 11] {
    match kind {
        ChannelKind::Marketplace => [26.0, 14.0, 8.0, 18.0, 10.0, 8.0, 0.5, 0.5, 0.5, 12.0, 0.3],
        ChannelKind::Social => [20.0, 12.0, 12.0, 10.0, 8.0, 4.0, 4.0, 4.0, 4.0, 12.0, 0.3],
        ChannelKind::App => [6.0, 14.0, 6.0, 8.0, 6.0, 2.0, 8.0, 16.0, 14.0, 10.0, 0.1],
        ChannelKind::Agent => [16.0, 8.0, 16.0, 16.0, 5.0, 2.0, 4.0, 2.0, 5.0, 26.0, 0.5],
        ChannelKind::WebForm => [14.0, 16.0, 12.0, 10.0, 8.0, 4.0, 6.0, 6.0, 8.0, 14.0, 0.3],
        ChannelKind::Offline => [20.0, 12.0, 30.0, 4.0, 14.0, 6.0, 0.5, 0.5, 0.5, 12.0, 0.2],
    }
}

fn draw_tone(rng: &mut SmallRng, channel: &Channel) -> Tone {
    let u: f64 = rand::Rng::random(rng);
    if u < channel.praise {
        Tone::Praise
    } else if u < channel.praise + channel.neutral {
        Tone::Neutral
    } else {
        let severe = if channel.kind == ChannelKind::Agent { 0.3 } else { 0.2 };
        let v: f64 = rand::Rng::random(rng);
        Tone::Complaint(if v < severe {
            3
        } else if v < 0.55 {
            2
        } else {
            1
        })
    }
}

/// A 1–5 rating that follows the tone, or `None` when the channel has no rating.
pub(super) fn rating(rng: &mut SmallRng, channel: &Channel, tone: Tone) -> Option<u8> {
    if chance(rng, channel.rating_null) {
        return None;
    }
    let table: &[u8] = match tone {
        Tone::Praise => &[5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 3],
        Tone::Neutral => &[4, 4, 4, 3, 3, 3, 3, 5, 2],
        Tone::Complaint(1) => &[3, 3, 2, 2, 2, 1, 1, 4],
        Tone::Complaint(2) => &[1, 1, 1, 1, 2, 2, 3],
        Tone::Complaint(_) => &[1, 1, 1, 1, 1, 1, 1, 1, 1, 2],
    };
    Some(choose(rng, table))
}

/// Tags an upstream system would attach; often none.
pub(super) fn tags(rng: &mut SmallRng, channel: &Channel, topic: Topic, gold: bool) -> Vec<&'static str> {
    let mut tags = Vec::new();
    if chance(rng, 0.45) {
        tags.push(topic.aspect.tag());
    }
    match channel.kind {
        ChannelKind::Marketplace if chance(rng, 0.3) => tags.push(["好评", "中评", "差评"][tone_bucket(topic.tone)]),
        ChannelKind::Marketplace if chance(rng, 0.05) => tags.push("追评"),
        ChannelKind::Agent if topic.tone == Tone::Complaint(3) => tags.push("投诉"),
        ChannelKind::Agent if chance(rng, 0.2) => tags.push("已回访"),
        _ => {}
    }
    if gold && chance(rng, 0.3) {
        tags.push("VIP");
    }
    tags
}

fn tone_bucket(tone: Tone) -> usize {
    match tone {
        Tone::Praise => 0,
        Tone::Neutral => 1,
        Tone::Complaint(_) => 2,
    }
}

/// Channels in `CHANNELS` order; used by tests to look channels up.
#[cfg(test)]
pub(super) fn channel(name: &str) -> &'static Channel {
    let i = super::vocab::channel_index(name).unwrap_or(0);
    &super::vocab::CHANNELS[i]
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn ratings_follow_tone() {
        let mut rng = SmallRng::seed_from_u64(5);
        let survey = channel("survey");
        let mut mean = |tone| {
            let v: Vec<u8> = (0..2000).filter_map(|_| rating(&mut rng, survey, tone)).collect();
            v.iter().map(|&r| f64::from(r)).sum::<f64>() / v.len() as f64
        };
        let (praise, severe) = (mean(Tone::Praise), mean(Tone::Complaint(3)));
        assert!(praise > 4.3 && severe < 1.5, "{praise} {severe}");
        assert!(rating(&mut rng, survey, Tone::Neutral).is_some());
    }

    #[test]
    fn app_channel_talks_about_the_app() {
        let mut rng = SmallRng::seed_from_u64(9);
        let tables = TopicTables::new();
        let app = channel("app");
        let n = (0..5000)
            .filter(|_| {
                matches!(
                    tables.draw(&mut rng, app, true).aspect,
                    Aspect::AppCrash | Aspect::AppLag | Aspect::AppLogin
                )
            })
            .count();
        assert!((1500..2500).contains(&n), "{n}");
    }
}
