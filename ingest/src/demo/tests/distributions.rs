//! Shares and cardinalities: channels, languages, spam, ratings, dirt, entities.

use std::collections::{HashMap, HashSet};

use super::super::*;
use super::{default_run, has_any, is_cjk, looks_like_spam, share};

#[test]
fn channel_mix_is_skewed_like_the_table() {
    let records = default_run();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    records.iter().for_each(|r| *counts.entry(r.channel).or_default() += 1);
    assert_eq!(counts.len(), 13);
    for c in vocab::CHANNELS {
        let observed = counts[c.name] as f64 / records.len() as f64 * 100.0;
        assert!(
            observed > 0.6 * c.weight && observed < 1.4 * c.weight,
            "{}: {observed:.2} % vs {}",
            c.name,
            c.weight
        );
    }
    assert!(counts["taobao"] > counts["jd"] && counts["jd"] > counts["survey"] * 4);
}

#[test]
fn language_spam_rating_and_contact_shares_are_realistic() {
    let records = default_run();
    let english = share(records, |r| {
        r.text.chars().filter(|&c| is_cjk(c)).count() * 5 < r.text.chars().count() && !looks_like_spam(&r.text)
    });
    let spam = share(records, |r| looks_like_spam(&r.text));
    let no_rating = share(records, |r| r.rating.is_none());
    let contact = share(records, |r| r.contact.is_some());
    assert!((0.07..0.13).contains(&english), "english {english}");
    assert!((0.025..0.04).contains(&spam), "spam {spam}");
    assert!((0.11..0.19).contains(&no_rating), "no rating {no_rating}");
    assert!((0.5..0.7).contains(&contact), "contact {contact}");
    assert!(records.iter().all(|r| r.rating.is_none_or(|x| (1..=5).contains(&x))));
}

#[test]
fn texts_have_realistic_lengths_and_carry_dirt() {
    let records = default_run();
    assert!(
        records.iter().all(|r| (10..=200).contains(&r.text.chars().count())),
        "text length out of range"
    );
    let pii = share(records, |r| {
        has_any(
            &r.text,
            &[
                "我的电话",
                "邮箱",
                "收货地址",
                "身份证号",
                "Call me",
                "My email",
                "Ship to",
                "ID: ",
            ],
        )
    });
    let html = share(records, |r| has_any(&r.text, &["<p>", "<br>", "&nbsp;", "<div"]));
    let full_width = |c: char| c.is_alphanumeric() && ('\u{FF01}'..='\u{FF5E}').contains(&c);
    let half_width_in_chinese = |t: &str| t.contains(',') && t.chars().any(is_cjk);
    let mixed_width = share(records, |r| {
        r.text.chars().any(full_width) || half_width_in_chinese(&r.text)
    });
    assert!((0.015..0.03).contains(&pii), "pii {pii}");
    assert!(
        html > 0.005 && mixed_width > 0.005,
        "html {html} mixed width {mixed_width}"
    );
    let distinct: HashSet<&str> = records.iter().map(|r| r.text.as_str()).collect();
    assert!(
        distinct.len() > records.len() * 8 / 10,
        "{} distinct texts",
        distinct.len()
    );
}

#[test]
fn resubmissions_and_near_duplicates_are_about_one_percent_each() {
    let records = default_run();
    let mut by_customer_text: HashMap<(u64, &str), i64> = HashMap::new();
    let mut exact = 0;
    for r in records {
        let at = r.received_at.timestamp();
        if let Some(prev) = by_customer_text.insert((r.customer_id, r.text.as_str()), at) {
            exact += usize::from((0..=1800).contains(&(at - prev)));
        }
    }
    let exact = exact as f64 / records.len() as f64;
    assert!((0.007..0.014).contains(&exact), "exact resubmissions {exact}");
    let mut last_text: HashMap<u64, &str> = HashMap::new();
    let mut near = 0;
    for r in records {
        if let Some(prev) = last_text.insert(r.customer_id, r.text.as_str()) {
            let same_len = prev.chars().count() == r.text.chars().count();
            near += usize::from(same_len && prev.chars().zip(r.text.chars()).filter(|(a, b)| a != b).count() == 1);
        }
    }
    let near = near as f64 / records.len() as f64;
    assert!((0.006..0.014).contains(&near), "near-duplicates {near}");
}

#[test]
fn entities_have_the_documented_cardinalities() {
    let records = default_run();
    let distinct = |f: fn(&DemoRecord) -> Option<&str>| records.iter().filter_map(f).collect::<HashSet<_>>().len();
    let customers: HashSet<u64> = records.iter().map(|r| r.customer_id).collect();
    assert!(
        (8_000..=20_000).contains(&customers.len()),
        "{} customers",
        customers.len()
    );
    assert!(customers.iter().all(|id| (100_000_000..101_000_000).contains(id)));
    assert!((150..=230).contains(&distinct(|r| Some(r.product))));
    assert!((25..=30).contains(&distinct(|r| r.app_version)));
    assert_eq!(distinct(|r| Some(r.region)), 34);
    assert_eq!(distinct(|r| Some(r.customer_tier)), 3);
    assert!((50..=60).contains(&distinct(|r| r.agent_id)));
    let ecommerce = records
        .iter()
        .filter(|r| matches!(r.channel, "taobao" | "jd" | "douyin"));
    assert!(
        ecommerce
            .clone()
            .all(|r| r.order_id.as_deref().is_some_and(|o| o.len() == 18))
    );
    assert!(
        ecommerce.count() > 0
            && records
                .iter()
                .filter(|r| r.channel == "app")
                .all(|r| r.app_version.is_some())
    );
}
