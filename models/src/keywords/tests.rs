use super::*;

fn extractor() -> KeywordExtractor {
    let texts = [
        "快递很快，东西不错",
        "东西不错，快递也快",
        "手机电池漏液了，东西很差",
        "快递太慢，东西还行",
        "the flight was delayed again",
        "the crew was great",
    ];
    let tokenizer = Arc::new(Tokenizer::new());
    let idf = train_idf_with(&tokenizer, texts);
    KeywordExtractor::new(tokenizer, Arc::new(idf))
}

#[test]
fn rare_words_rank_first() {
    let ex = extractor();
    let kw = ex.keywords("东西收到了，电池漏液，快递还行", 3);
    assert!(kw.contains(&"漏液".to_owned()), "{kw:?}");
    assert!(!kw.iter().any(|k| k == "东西" || k == "快递" || k == "了"), "{kw:?}");
    let en = ex.keywords("Flight delayed, the luggage was lost!", 2);
    assert_eq!(en, ["delayed", "flight"], "seen-once words outrank unseen ones");
}

#[test]
fn filters_and_ties_are_deterministic() {
    let ex = extractor();
    assert!(ex.keywords("", 5).is_empty());
    assert!(ex.keywords("1,299 ！！ 的 了 不", 5).is_empty());
    let a = ex.keywords("苹果 香蕉 橘子 葡萄", 4);
    assert_eq!(a, ["橘子", "苹果", "葡萄", "香蕉"], "equal scores sort by term");
}

#[test]
fn idf_round_trips_and_rejects_damage() {
    let idf = train_idf(["快递很快", "快递太慢", "电池漏液"]);
    let text = idf.to_text();
    let back = Idf::from_text(&text).unwrap();
    assert_eq!(back, idf);
    assert!(idf.idf("漏液") > idf.idf("快递"));
    let tampered = text.replace("漏液\t1", "漏液\t2");
    assert!(Idf::from_text(&tampered).unwrap_err().to_string().contains("checksum"));
    assert!(Idf::from_text("").is_err());
    assert!(Idf::from_text("voxlake-idf\t9\tdocs=1\tterms=0\txxh3=0").is_err());
    let path = std::env::temp_dir().join(format!("vx-idf-{}.tsv", std::process::id()));
    idf.save(&path).unwrap();
    assert_eq!(Idf::load(&path).unwrap(), idf);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn shipped_idf_loads() {
    let idf = Idf::shipped().unwrap();
    assert!(idf.docs() > 0);
    assert!(idf.idf("闪退") > idf.idf("快递") || idf.is_empty());
}

#[test]
fn extractor_is_shareable() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<KeywordExtractor>();
    assert_send_sync::<Idf>();
}
