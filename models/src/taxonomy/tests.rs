use super::*;

fn default() -> Taxonomy {
    Taxonomy::from_toml(DEFAULT_TAXONOMY).unwrap()
}

fn ids(c: &Classification) -> (&str, Option<&str>) {
    (&c.l1, c.l2.as_deref())
}

#[test]
fn default_taxonomy_is_valid() {
    let t = default();
    assert_eq!(t.version(), "default-2025.1");
    assert_eq!(t.fallback().id, "other");
    let level1: Vec<&str> = t
        .categories()
        .iter()
        .filter(|c| c.level() == 1)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(
        level1,
        [
            "product_quality",
            "function_request",
            "service",
            "logistics",
            "price",
            "packaging",
            "app",
            "other"
        ]
    );
    assert!(
        t.children("logistics")
            .any(|c| c.id == "logistics.slow_delivery" && c.name == "配送慢")
    );
    assert!(t.aspects().iter().any(|a| a.id == "taste"));
}

#[test]
fn classifies_by_keywords() {
    let t = default();
    let cases = [
        (
            "快递太慢了，等了一个星期",
            ("logistics", Some("logistics.slow_delivery")),
        ),
        ("app一打开就闪退", ("app", Some("app.crash"))),
        ("客服态度很差，爱答不理", ("service", Some("service.attitude"))),
        ("The app keeps crashing after the update", ("app", Some("app.crash"))),
        ("价格太贵了，不值", ("price", Some("price.expensive"))),
        ("外包装破损严重", ("packaging", None)),
        (
            "希望能增加夜间模式",
            ("function_request", Some("function_request.new_feature")),
        ),
        (
            "包裹显示已签收但是我没收到",
            ("logistics", Some("logistics.lost_parcel")),
        ),
    ];
    for (text, expected) in cases {
        let c = t.classify(text);
        assert_eq!(ids(&c), expected, "{text}: {c:?}");
        assert!(c.confidence > 0.0 && c.confidence <= 1.0);
        assert_eq!(&*c.taxonomy_version, "default-2025.1");
    }
}

#[test]
fn negated_problem_is_not_the_problem() {
    let t = default();
    let c = t.classify("包装没有破损，快递也不慢");
    assert_ne!(c.l2.as_deref(), Some("logistics.slow_delivery"));
    assert_ne!(c.l2.as_deref(), Some("packaging.damaged"));
}

#[test]
fn empty_and_unrelated_texts_fall_back() {
    let t = default();
    for text in ["", "   ", "今天天气不错", "🙂"] {
        let c = t.classify(text);
        assert_eq!((ids(&c), c.confidence), (("other", None), 0.0), "{text:?}");
    }
}

#[test]
fn version_defaults_to_a_content_hash() {
    let a = Taxonomy::from_toml("[[category]]\nid = \"other\"\nname = \"其他\"\n").unwrap();
    let b = Taxonomy::from_toml("[[category]]\nid = \"other\"\nname = \"其它\"\n").unwrap();
    assert!(a.version().starts_with("xxh3:"));
    assert_ne!(a.version(), b.version());
}

#[test]
fn model_is_trained_saved_and_blended() {
    let t = default();
    let examples: Vec<LabelledFeedback> = [
        (
            "1",
            "骑手把汤洒了一地",
            "logistics",
            Some("logistics.damaged_in_transit"),
        ),
        (
            "2",
            "小哥送过来汤都洒了",
            "logistics",
            Some("logistics.damaged_in_transit"),
        ),
        ("3", "页面一直白屏", "app", Some("app.bug")),
        ("4", "点开就白屏什么都没有", "app", Some("app.bug")),
        ("5", "账单上多了一笔钱", "price", Some("price.billing_error")),
        ("6", "这个月账单莫名多了二十块", "price", Some("price.billing_error")),
    ]
    .into_iter()
    .map(|(id, text, l1, l2)| LabelledFeedback {
        feedback_id: id.into(),
        text: text.into(),
        l1: l1.into(),
        l2: l2.map(Into::into),
    })
    .collect();
    let model = train_taxonomy_model(&t, &examples).unwrap();
    assert_eq!(model.taxonomy_version(), t.version());
    let path = std::env::temp_dir().join(format!("vx-taxonomy-{}.vxt", std::process::id()));
    model.save(&path).unwrap();
    let loaded = TaxonomyModel::load(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(loaded.to_bytes().unwrap(), model.to_bytes().unwrap());
    let t = t.with_model(loaded);
    let c = t.classify("一点开就白屏");
    assert_eq!(ids(&c), ("app", Some("app.bug")), "{c:?}");
}

#[test]
fn bad_labels_name_the_feedback() {
    let t = default();
    let bad = LabelledFeedback {
        feedback_id: "fb-9".into(),
        text: "x".into(),
        l1: "logistics".into(),
        l2: Some("app.crash".into()),
    };
    let err = train_taxonomy_model(&t, &[bad]).unwrap_err().to_string();
    assert_eq!(
        err,
        "training example fb-9: `app.crash` is not a level-2 category of `logistics`"
    );
}

#[test]
fn corrupt_model_files_are_errors() {
    let t = default();
    let model = train_taxonomy_model(&t, &[]).unwrap();
    let bytes = model.to_bytes().unwrap();
    assert!(matches!(TaxonomyModel::from_bytes(b"nope"), Err(Error::BadMagic)));
    assert!(matches!(
        TaxonomyModel::from_bytes(&bytes[..20]),
        Err(Error::Truncated { .. })
    ));
    let mut flipped = bytes.clone();
    flipped[bytes.len() / 2] ^= 1;
    assert!(matches!(
        TaxonomyModel::from_bytes(&flipped),
        Err(Error::ChecksumMismatch { .. })
    ));
    let mut future = bytes;
    future[8] = 9;
    assert!(matches!(
        TaxonomyModel::from_bytes(&future),
        Err(Error::UnsupportedVersion { .. })
    ));
}

#[test]
fn taxonomy_is_shareable() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Taxonomy>();
    assert_send_sync::<TaxonomyModel>();
    assert_send_sync::<Classification>();
}
