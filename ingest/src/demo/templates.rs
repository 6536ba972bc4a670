//! Composes feedback text from a lexicon: a channel frame, an opener, one to
//! three clauses joined by connectors, a closer and end punctuation.
//!
//! Clauses are templates with slots: `{P}` product model, `{F}` a feature of
//! the product's category, `{V}` app version, `{N}` a small number, `{C}` a
//! courier, `{S}` who served the customer, `{A}` an adverb matching the
//! intensity. The Chinese and English lexicons share this one engine.

use std::fmt::Write as _;

use rand::Rng;
use rand::rngs::SmallRng;

use super::products::{Category, Product};
use super::sampling::{chance, choose};
use super::topic::{Aspect, Tone, Topic};
use super::vocab::{Channel, ChannelKind};

type Words = &'static [&'static str];

/// Clause templates for one aspect, by tone.
#[derive(Debug)]
pub(super) struct Bank {
    pub praise: Words,
    pub neutral: Words,
    pub complaint: Words,
}

/// Everything language-specific the composer needs.
#[derive(Debug)]
pub(super) struct Lexicon {
    /// Indexed by `Aspect as usize`.
    pub banks: [Bank; 11],
    pub openers: Words,
    /// Additive connectors (and, also) including their punctuation.
    pub also: Words,
    /// Contrast connectors (but, though) including their punctuation.
    pub but: Words,
    /// Closers by `Tone::level()`: praise, neutral, mild, strong, severe.
    pub closers: [Words; 5],
    /// Adverbs for `{A}`: mild, strong, severe.
    pub adverbs: [Words; 3],
    pub service: Words,
    pub store_service: Words,
    pub couriers: Words,
    pub ends: Words,
    /// Title templates for e-mails and web forms; `{T}` is the aspect name.
    pub titles: Words,
    /// Aspect names for `{T}`, by `Aspect as usize`.
    pub aspect_names: [&'static str; 11],
    /// Text for `{V}` when the record has no app version.
    pub any_version: &'static str,
    /// Channel-specific (prefixes, suffixes).
    pub frame: fn(&Channel, Tone) -> (Words, Words),
    pub english: bool,
}

/// What the text is about.
#[derive(Debug, Clone, Copy)]
pub(super) struct TextContext<'a> {
    pub topic: Topic,
    pub product: &'a Product,
    pub category: &'a Category,
    pub app_version: Option<&'a str>,
    pub channel: &'a Channel,
}

/// Texts shorter than this get another closer.
const MIN_CHARS: usize = 10;
const PUNCTUATION: [char; 8] = ['。', '！', '？', '.', '!', '?', '~', '～'];

const APP_ASPECTS: [Aspect; 5] = [
    Aspect::AppCrash,
    Aspect::AppLag,
    Aspect::AppLogin,
    Aspect::Function,
    Aspect::Service,
];
const SHOP_ASPECTS: [Aspect; 7] = [
    Aspect::Quality,
    Aspect::Function,
    Aspect::Service,
    Aspect::Logistics,
    Aspect::Price,
    Aspect::Packaging,
    Aspect::Refund,
];

/// Appends a complete feedback text for `ctx` to `out`.
pub(super) fn compose(lex: &Lexicon, rng: &mut SmallRng, ctx: &TextContext<'_>, out: &mut String) {
    let (prefixes, suffixes) = (lex.frame)(ctx.channel, ctx.topic.tone);
    if !prefixes.is_empty() && chance(rng, 0.6) {
        expand(lex, rng, ctx, ctx.topic.tone, prefixes, out);
    }
    if ctx.channel.kind != ChannelKind::Agent && chance(rng, 0.4) {
        expand(lex, rng, ctx, ctx.topic.tone, lex.openers, out);
    }
    clause(lex, rng, ctx, ctx.topic, out);
    let extra = if matches!(
        ctx.channel.kind,
        ChannelKind::Agent | ChannelKind::WebForm | ChannelKind::Social
    ) {
        0.35
    } else {
        0.15
    };
    if chance(rng, 0.55) {
        second_clause(lex, rng, ctx, out);
        if chance(rng, extra) {
            second_clause(lex, rng, ctx, out);
        }
    }
    let closers = lex.closers[ctx.topic.tone.level()];
    if chance(rng, 0.65) {
        out.push_str(choose(rng, closers));
    }
    while out.chars().count() < MIN_CHARS {
        out.truncate(out.trim_end_matches(PUNCTUATION).len());
        out.push_str(choose(rng, closers));
    }
    end_sentence(lex, rng, out);
    if !suffixes.is_empty() && chance(rng, 0.7) {
        out.push_str(choose(rng, suffixes));
    }
}

/// Writes a subject line for `ctx` (e-mails and web forms).
pub(super) fn title(lex: &Lexicon, rng: &mut SmallRng, ctx: &TextContext<'_>, out: &mut String) {
    expand(lex, rng, ctx, ctx.topic.tone, lex.titles, out);
}

/// A follow-up clause: praise may turn into a mild complaint ("but the box was crushed").
fn second_clause(lex: &Lexicon, rng: &mut SmallRng, ctx: &TextContext<'_>, out: &mut String) {
    let pool: &[Aspect] = if APP_ASPECTS[..3].contains(&ctx.topic.aspect) {
        &APP_ASPECTS
    } else {
        &SHOP_ASPECTS
    };
    let aspect = choose(rng, pool);
    let (tone, connectors) = match ctx.topic.tone {
        Tone::Praise if chance(rng, 0.3) => (Tone::Complaint(1), lex.but),
        Tone::Neutral if chance(rng, 0.3) => (Tone::Praise, lex.but),
        tone => (tone, lex.also),
    };
    out.push_str(choose(rng, connectors));
    clause(lex, rng, ctx, Topic { aspect, tone }, out);
}

fn clause(lex: &Lexicon, rng: &mut SmallRng, ctx: &TextContext<'_>, topic: Topic, out: &mut String) {
    let bank = &lex.banks[topic.aspect as usize];
    let templates = match topic.tone {
        Tone::Praise => bank.praise,
        Tone::Neutral => bank.neutral,
        Tone::Complaint(_) => bank.complaint,
    };
    let start = out.len();
    let sentence_start = starts_sentence(out);
    expand(lex, rng, ctx, topic.tone, templates, out);
    if lex.english
        && sentence_start
        && let Some(first) = out.get_mut(start..start + 1)
    {
        first.make_ascii_uppercase();
    }
}

/// True at the start of the text or after sentence-ending punctuation.
fn starts_sentence(out: &str) -> bool {
    let trimmed = out.trim_end();
    trimmed.is_empty() || trimmed.ends_with(['.', '!', '?', ':'])
}

/// Picks one of `templates` and expands its slots into `out`.
fn expand(lex: &Lexicon, rng: &mut SmallRng, ctx: &TextContext<'_>, tone: Tone, templates: Words, out: &mut String) {
    let mut rest = choose(rng, templates);
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let slot = rest.as_bytes().get(i + 1).copied().unwrap_or(b'}');
        fill_slot(lex, rng, ctx, tone, slot, out);
        rest = rest.get(i + 3..).unwrap_or("");
    }
    out.push_str(rest);
}

fn fill_slot(lex: &Lexicon, rng: &mut SmallRng, ctx: &TextContext<'_>, tone: Tone, slot: u8, out: &mut String) {
    match slot {
        b'P' if lex.english => out.push_str(ctx.product.model_en),
        b'P' => out.push_str(ctx.product.model),
        b'F' if lex.english => out.push_str(choose(rng, ctx.category.features_en)),
        b'F' => out.push_str(choose(rng, ctx.category.features_zh)),
        b'V' => out.push_str(ctx.app_version.unwrap_or(lex.any_version)),
        b'N' => {
            let _ = write!(out, "{}", rng.random_range(2..16));
        }
        b'C' => out.push_str(choose(rng, lex.couriers)),
        b'S' if ctx.channel.kind == ChannelKind::Offline => out.push_str(choose(rng, lex.store_service)),
        b'S' => out.push_str(choose(rng, lex.service)),
        b'A' => out.push_str(choose(rng, lex.adverbs[adverb_level(tone)])),
        b'T' => out.push_str(lex.aspect_names[ctx.topic.aspect as usize]),
        _ => {}
    }
}

fn adverb_level(tone: Tone) -> usize {
    match tone {
        Tone::Praise | Tone::Complaint(2) => 1,
        Tone::Neutral | Tone::Complaint(1) => 0,
        Tone::Complaint(_) => 2,
    }
}

/// Adds end punctuation unless the text already ends with some.
fn end_sentence(lex: &Lexicon, rng: &mut SmallRng, out: &mut String) {
    if !out.ends_with(PUNCTUATION) {
        out.push_str(choose(rng, lex.ends));
    }
}

/// Clamps `text` to at most `max` characters (on a char boundary).
pub(super) fn truncate_chars(text: &mut String, max: usize) {
    if let Some((cut, _)) = text.char_indices().nth(max) {
        text.truncate(cut);
    }
}

#[cfg(test)]
mod tests {
    use super::super::products::{CATEGORIES, catalog};
    use super::super::topic::{ASPECTS, channel};
    use super::super::{text_en, text_zh};
    use super::*;
    use rand::SeedableRng;

    fn sample(lex: &Lexicon, aspect: Aspect, tone: Tone, channel_name: &str, seed: u64) -> String {
        let product = &catalog().products[2];
        let ctx = TextContext {
            topic: Topic { aspect, tone },
            product,
            category: &CATEGORIES[product.category],
            app_version: Some("5.3.0"),
            channel: channel(channel_name),
        };
        let mut out = String::new();
        compose(lex, &mut SmallRng::seed_from_u64(seed), &ctx, &mut out);
        out
    }

    #[test]
    fn every_bank_has_phrases_and_slots_are_filled() {
        for lex in [&text_zh::LEXICON, &text_en::LEXICON] {
            for (i, aspect) in ASPECTS.iter().enumerate() {
                for tone in [Tone::Praise, Tone::Neutral, Tone::Complaint(3)] {
                    let text = sample(lex, *aspect, tone, "jd", i as u64);
                    assert!(!text.contains('{') && text.chars().count() >= 4, "{text}");
                }
            }
        }
    }

    #[test]
    fn texts_are_varied() {
        let mut seen: Vec<String> = (0..400)
            .map(|s| sample(&text_zh::LEXICON, Aspect::Logistics, Tone::Complaint(2), "taobao", s))
            .collect();
        seen.sort();
        seen.dedup();
        assert!(seen.len() > 300, "{}", seen.len());
    }

    #[test]
    fn english_sentences_start_with_capitals() {
        for s in 0..50 {
            let text = sample(&text_en::LEXICON, Aspect::AppCrash, Tone::Complaint(2), "app", s);
            assert!(!text.starts_with(|c: char| c.is_ascii_lowercase()), "{text}");
        }
    }
}
