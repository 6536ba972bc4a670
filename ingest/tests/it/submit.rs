//! Submitting records the way the HTTP endpoint does.

use voxlake_ingest::Durability;
use voxlake_ingest::record::{Outcome, Position, SourceFields, SourceRecord};

use crate::helpers::{Lake, native_line};

fn record(i: u64, line: &str) -> Result<SourceRecord, voxlake_ingest::record::RecordError> {
    let fields: SourceFields = serde_json::from_str(line).expect("valid JSON");
    Ok(SourceRecord {
        position: Position(i),
        fields,
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn committed_records_are_visible_and_resends_are_duplicates() {
    let lake = Lake::new();
    let ingest = lake.ingest().await;
    let batch = vec![
        record(1, &native_line("a", 1, "送餐太慢了，饭都凉了")),
        record(2, &native_line("b", 2, "味道不错")),
    ];
    let outcomes = ingest
        .submit("native", "http", batch, Durability::Commit)
        .await
        .expect("stored");
    let Outcome::Accepted { id, .. } = &outcomes[0] else {
        panic!("{outcomes:?}")
    };
    assert_eq!(
        lake.count("SELECT count(*) FROM feedback").await,
        2,
        "visible as soon as answered"
    );

    let resend = ingest
        .submit(
            "native",
            "http",
            vec![record(1, &native_line("a", 1, "送餐太慢了，饭都凉了"))],
            Durability::Commit,
        )
        .await
        .expect("answered");
    assert_eq!(resend, vec![Outcome::Duplicate { id: *id }]);
    assert_eq!(lake.count("SELECT count(*) FROM feedback").await, 2);
    ingest.shutdown().await.expect("shuts down");
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_submits_are_grouped_and_all_stored() {
    let lake = Lake::new();
    let ingest = lake.ingest().await;
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let ingest = ingest.clone();
            tokio::spawn(async move {
                let line = native_line(&format!("c{i}"), i, &format!("第{i}位顾客说：包装破损了"));
                ingest
                    .submit("native", "http", vec![record(1, &line)], Durability::Commit)
                    .await
            })
        })
        .collect();
    for task in tasks {
        let outcomes = task.await.expect("joins").expect("stored");
        assert!(matches!(outcomes[0], Outcome::Accepted { .. }));
    }
    assert_eq!(lake.count("SELECT count(*) FROM feedback").await, 40);
    ingest.shutdown().await.expect("shuts down");
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_channel_is_an_error_that_lists_channels() {
    let lake = Lake::new();
    let ingest = lake.ingest().await;
    let err = ingest
        .submit(
            "fax",
            "http",
            vec![record(1, &native_line("a", 1, "x"))],
            Durability::Commit,
        )
        .await
        .expect_err("unknown");
    assert!(err.to_string().contains("native"), "{err}");
    ingest.shutdown().await.expect("shuts down");
}
