//! The shipped channel mappings, each on a file of its kind.

use std::path::PathBuf;

use voxlake_ingest::import::import_file;

use crate::helpers::Lake;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[tokio::test(flavor = "multi_thread")]
async fn offline_survey_spreadsheet() {
    let lake = Lake::new();
    let ingest = lake.ingest().await;
    let summary = import_file(&ingest, &fixture("survey.xlsx"), "survey_xlsx", |_| {})
        .await
        .expect("imports");
    ingest.shutdown().await.expect("shuts down");
    assert_eq!((summary.read, summary.accepted, summary.rejected), (6, 4, 2));
    let rejected: Vec<_> = summary
        .rejects
        .iter()
        .map(|r| (r.position.0, r.field.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        rejected,
        vec![(5, "填写日期".to_owned()), (6, "推荐意愿(0-10)".to_owned())]
    );
    // 0..10 maps onto 1..5: 9 → 4.6, 3 → 2.2, 0 → 1.
    assert_eq!(
        lake.count("SELECT count(*) FROM feedback WHERE source_id = 'Q-0001' AND rating = 4.6 AND store_id = 'SH-017'")
            .await,
        1
    );
    assert_eq!(
        lake.count(
            "SELECT count(*) FROM feedback WHERE source_id = 'Q-0003' AND rating = 1 AND text NOT LIKE '%13700001111%'"
        )
        .await,
        1
    );
    let times = lake
        .strings("SELECT CAST(received_at AS VARCHAR) AS t FROM feedback WHERE source_id = 'Q-0001'")
        .await;
    assert!(
        times[0]
            .as_deref()
            .is_some_and(|t| t.starts_with("2025-08-02T06:30:00")),
        "14:30 in Shanghai is 06:30 UTC: {times:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn email_mbox() {
    let lake = Lake::new();
    let message = |id: &str, subject_b64: &str, body: &str| {
        format!(
            "From user@example.com Mon Sep  8 10:00:00 2025\r\nMessage-ID: <{id}@mail.example>\r\nDate: Mon, 8 Sep 2025 10:00:00 +0800\r\nFrom: Wang <wang@example.com>\r\nTo: support@shop.example\r\nSubject: =?UTF-8?B?{subject_b64}?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n\r\n"
        )
    };
    let mbox = [
        message("m1", "6YCA5qy+6Zeu6aKY", "退款申请两周了还没有处理"),
        message("m2", "6YCA5qy+6Zeu6aKY", "App 更新后无法登录"),
    ]
    .concat();
    let path = lake.file("support.mbox", mbox.as_bytes());
    let ingest = lake.ingest().await;
    let summary = import_file(&ingest, &path, "email", |_| {}).await.expect("imports");
    ingest.shutdown().await.expect("shuts down");
    assert_eq!(summary.accepted, 2, "{:?}", summary.rejects);
    assert_eq!(lake.count("SELECT count(*) FROM feedback WHERE channel = 'email' AND title = '退款问题' AND contact LIKE '%@example.com' AND contact <> 'wang@example.com'").await, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_transcripts_csv() {
    let lake = Lake::new();
    let csv = "session_id,start_time,customer_id,customer_phone,agent_id,product,satisfaction,customer_messages,tags\n\
               S1,2025-10-01 09:00:00,5001,13600001234,agent-007,手机-星河X9,1,\"手机充不进电\n换了充电器也不行\",售后\n\
               S2,2025-10-01 09:30:00,5002,,agent-008,手机-星河X9,3,谢谢，问题解决了,\n";
    let path = lake.file("chats.csv", csv.as_bytes());
    let ingest = lake.ingest().await;
    let summary = import_file(&ingest, &path, "chat_transcripts", |_| {})
        .await
        .expect("imports");
    ingest.shutdown().await.expect("shuts down");
    assert_eq!(summary.accepted, 2);
    // Satisfaction 1..3 maps onto 1..5.
    assert_eq!(
        lake.count("SELECT count(*) FROM feedback WHERE agent_id = 'agent-007' AND rating = 1")
            .await,
        1
    );
    assert_eq!(
        lake.count("SELECT count(*) FROM feedback WHERE agent_id = 'agent-008' AND rating = 5")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn app_form_json_array_file() {
    let lake = Lake::new();
    let json = r#"[
      {"id": "f-1", "submitted_at": "2025-09-09 21:05:00", "content": "5.3.0版本一打开就闪退", "score": 1,
       "user": {"id": 300, "level": "gold", "phone": "13811112222", "province": "四川"},
       "device": {"app_version": "5.3.0", "os": "Android 14"}},
      {"id": "f-2", "submitted_at": "2025-09-09 21:06:00", "content": "还是闪退", "user": {"id": 300}}
    ]"#;
    let path = lake.file("forms.json", json.as_bytes());
    let ingest = lake.ingest().await;
    let summary = import_file(&ingest, &path, "app_form", |_| {}).await.expect("imports");
    ingest.shutdown().await.expect("shuts down");
    assert_eq!(summary.accepted, 2);
    // The second form names no region or tier: both are filled from the customer's first.
    assert_eq!(
        lake.count(
            "SELECT count(*) FROM feedback WHERE customer_id = 300 AND region = '四川' AND customer_tier = 'gold'"
        )
        .await,
        2
    );
    assert_eq!(
        lake.count("SELECT count(*) FROM feedback WHERE extra LIKE '%Android 14%'")
            .await,
        1
    );
}
