//! `top_issues` reads `feedback` as the caller may see it.

use datafusion::arrow::array::AsArray;
use datafusion::arrow::datatypes::Int64Type;
use voxlake_engine::{EngineConfig, TableAccess, build};

use crate::lake::Lake;

async fn issues(lake: &Lake, access: &TableAccess) -> i64 {
    let ctx = build(&EngineConfig::new(lake.store.clone()), access)
        .await
        .expect("session");
    let sql = "SELECT count(*) FROM top_issues('2025-09-08', '2025-09-15')";
    let batches = ctx.sql(sql).await.expect("plans").collect().await.expect("runs");
    let counts = batches[0].column(0).as_primitive::<Int64Type>();
    assert_eq!(counts.len(), 1);
    counts.value(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_sees_only_issues_from_their_own_rows() {
    let lake = Lake::with_rows().await;
    assert_eq!(issues(&lake, &TableAccess::Everything).await, 2);
    let agent = TableAccess::OwnRows {
        agent_id: "nobody".into(),
    };
    assert_eq!(issues(&lake, &agent).await, 0, "the test rows have no agent");
}
