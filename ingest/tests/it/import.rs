//! File import: good lines land, bad lines are reported, re-imports add nothing.

use voxlake_ingest::import::import_file;

use crate::helpers::{Lake, native_line};

fn ndjson_with_bad_lines() -> Vec<u8> {
    let mut lines = Vec::new();
    for i in 0..50 {
        lines.push(native_line(
            &format!("s{i}"),
            100 + i,
            &format!("第{i}单的快递太慢了，等了一个星期"),
        ));
    }
    lines[10] = "{not json".to_owned();
    lines[20] = r#"{"channel": "app", "source_id": "x", "received_at": "tomorrow-ish", "text": "好"}"#.to_owned();
    lines[30] = r#"{"channel": "app", "source_id": "y", "received_at": "2025-01-01", "text": ""}"#.to_owned();
    let mut bytes = lines.join("\n").into_bytes();
    bytes.extend_from_slice(b"\n{\"channel\": \"app\", \"text\": \"\xff\xfe\"}\n");
    bytes
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_lines_are_reported_and_the_rest_lands() {
    let lake = Lake::new();
    let path = lake.file("feedback.ndjson", &ndjson_with_bad_lines());
    let ingest = lake.ingest().await;
    let summary = import_file(&ingest, &path, "native", |_| {}).await.expect("imports");
    assert_eq!((summary.read, summary.accepted, summary.rejected), (51, 47, 4));
    let lines: Vec<u64> = summary.rejects.iter().map(|r| r.position.0).collect();
    assert_eq!(lines, vec![11, 21, 31, 51]);
    assert_eq!(summary.rejects[1].field.as_deref(), Some("received_at"));
    assert_eq!(summary.rejects[2].field.as_deref(), Some("text"));
    assert!(summary.rejects[3].reason.contains("UTF-8"));
    assert_eq!(lake.count("SELECT count(*) FROM feedback").await, 47);
    assert_eq!(lake.count("SELECT count(*) FROM ingest_rejects").await, 4);
    ingest.shutdown().await.expect("shuts down");
}

#[tokio::test(flavor = "multi_thread")]
async fn reimport_adds_nothing_even_after_restart() {
    let lake = Lake::new();
    let path = lake.file("feedback.ndjson", &ndjson_with_bad_lines());
    let ingest = lake.ingest().await;
    import_file(&ingest, &path, "native", |_| {}).await.expect("imports");
    ingest.shutdown().await.expect("shuts down");

    let restarted = lake.ingest().await;
    let again = import_file(&restarted, &path, "native", |_| {}).await.expect("imports");
    assert_eq!((again.accepted, again.duplicates), (0, 47));
    assert_eq!(lake.count("SELECT count(*) FROM feedback").await, 47);
    assert_eq!(lake.count("SELECT count(DISTINCT feedback_id) FROM feedback").await, 47);
    restarted.shutdown().await.expect("shuts down");
}

#[tokio::test(flavor = "multi_thread")]
async fn stored_text_and_contact_are_masked() {
    let lake = Lake::new();
    let line = native_line(
        "p1",
        7,
        "电话13812345678，地址上海市浦东新区张江路123号，身份证号码请保密",
    );
    let path = lake.file("pii.ndjson", line.as_bytes());
    let ingest = lake.ingest().await;
    import_file(&ingest, &path, "native", |_| {}).await.expect("imports");
    ingest.shutdown().await.expect("shuts down");
    let texts = lake.strings("SELECT text FROM feedback").await;
    let text = texts[0].clone().expect("text");
    assert!(!text.contains("13812345678") && !text.contains("张江路123号"), "{text}");
    let contacts = lake.strings("SELECT contact FROM feedback").await;
    assert_ne!(contacts[0].as_deref(), Some("13812345678"));
    assert_eq!(
        lake.count("SELECT count(*) FROM feedback WHERE contact_encrypted IS NOT NULL")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ecommerce_csv_channel_maps_chinese_headers() {
    let lake = Lake::new();
    let csv = "评价ID,评价时间,买家ID,会员等级,订单号,商品名称,型号,收货省份,评分,评价内容,标签\n\
               r1,2025-06-18 20:15:00,100000001,gold,JD2025061800001,家电-小满L76,L76,广东,5,很好用，安装师傅很专业,好评|安装\n\
               r2,2025-06-19 08:00:00,100000002,regular,JD2025061900002,手机-星河X9,X9,四川,1,屏幕碎了，客服不理人,差评\n\
               r3,not a date,100000003,regular,JD3,手机-星河X9,X9,四川,1,差,差评\n";
    let path = lake.file("reviews.csv", csv.as_bytes());
    let ingest = lake.ingest().await;
    let summary = import_file(&ingest, &path, "ecommerce_reviews", |_| {})
        .await
        .expect("imports");
    ingest.shutdown().await.expect("shuts down");
    assert_eq!((summary.accepted, summary.rejected), (2, 1));
    assert_eq!(summary.rejects[0].position.0, 4);
    assert_eq!(summary.rejects[0].field.as_deref(), Some("评价时间"));
    assert_eq!(lake.count("SELECT count(*) FROM feedback WHERE channel = 'ecommerce_reviews' AND product = '家电-小满L76' AND rating = 5").await, 1);
    let days = lake
        .strings("SELECT CAST(dt AS VARCHAR) AS day FROM feedback ORDER BY day")
        .await;
    assert_eq!(days, vec![Some("2025-06-18".to_owned()), Some("2025-06-19".to_owned())]);
}
