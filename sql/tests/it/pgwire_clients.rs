//! What BI tools send when they connect and browse the schema, replayed
//! through the Postgres port with both protocols: simple (as in these
//! tools' SQL consoles) and extended (what their JDBC/Go drivers use for
//! every statement). The queries are taken from the client-compatibility
//! tests of datafusion-postgres (Apache-2.0), captured from Metabase,
//! DBeaver and Grafana.

use tokio_postgres::{Client, NoTls};

use crate::app::TestApp;

const METABASE: &[&str] = &[
    "SET extra_float_digits = 2",
    "SET application_name = 'Metabase v0.55.1'",
    "SHOW TRANSACTION ISOLATION LEVEL",
    "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ UNCOMMITTED",
    r#"SELECT nspname AS "TABLE_SCHEM", current_database() AS "TABLE_CATALOG" FROM pg_catalog.pg_namespace  WHERE nspname <> 'pg_toast' AND (nspname !~ '^pg_temp_'  OR nspname = (pg_catalog.current_schemas(true))[1]) AND (nspname !~ '^pg_toast_temp_'  OR nspname = replace((pg_catalog.current_schemas(true))[1], 'pg_temp_', 'pg_toast_temp_'))  ORDER BY "TABLE_SCHEM""#,
    r#"SELECT "n"."nspname" AS "schema", "c"."relname" AS "name", CASE "c"."relkind" WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'PARTITIONED TABLE' WHEN 'v' THEN 'VIEW' WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE NULL END AS "type", "d"."description" AS "description", "stat"."n_live_tup" AS "estimated_row_count" FROM "pg_catalog"."pg_class" AS "c" INNER JOIN "pg_catalog"."pg_namespace" AS "n" ON "c"."relnamespace" = "n"."oid" LEFT JOIN "pg_catalog"."pg_description" AS "d" ON ("c"."oid" = "d"."objoid") AND ("d"."objsubid" = '0') AND ("d"."classoid" = 'pg_class'::regclass) LEFT JOIN "pg_stat_user_tables" AS "stat" ON ("n"."nspname" = "stat"."schemaname") AND ("c"."relname" = "stat"."relname") WHERE ("c"."relnamespace" = "n"."oid") AND ("n"."nspname" !~ '^pg_') AND ("n"."nspname" <> 'information_schema') AND c.relkind in ('r', 'p', 'v', 'f', 'm') AND ("n"."nspname" IN ('public')) ORDER BY "type" ASC, "schema" ASC, "name" ASC"#,
    "show timezone",
];

const DBEAVER: &[&str] = &[
    "SET extra_float_digits = 3",
    "SET application_name = 'DBeaver 25.1.5 - Main <postgres>'",
    "SELECT current_schema(),session_user",
    "SELECT n.oid,n.*,d.description FROM pg_catalog.pg_namespace n LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=n.oid AND d.objsubid=0 AND d.classoid='pg_namespace'::regclass ORDER BY nspname",
    "SHOW search_path",
    "SELECT db.oid,db.* FROM pg_catalog.pg_database db WHERE datname='postgres'",
    "SELECT * FROM pg_catalog.pg_settings where name='standard_conforming_strings'",
    "SELECT version()",
];

const GRAFANA: &[&str] = &[
    r#"SELECT quote_ident(table_name) AS "table" FROM information_schema.tables WHERE quote_ident(table_schema) NOT IN ('information_schema', 'pg_catalog') ORDER BY 1"#,
    r#"SELECT quote_ident(column_name) AS "column", data_type AS "type" FROM information_schema.columns WHERE quote_ident(table_name) = 'feedback'"#,
];

async fn connect(app: &TestApp) -> Client {
    let config = format!(
        "host=127.0.0.1 port={} user=bi dbname=voxlake password={}",
        app.pg_port, app.key
    );
    let (client, connection) = tokio_postgres::connect(&config, NoTls).await.expect("connects");
    tokio::spawn(connection);
    client
}

#[tokio::test(flavor = "multi_thread")]
async fn bi_tools_startup_and_schema_queries_run_with_both_protocols() {
    let app = TestApp::start().await;
    let (status, answer) = app
        .post("/v1/feedback", crate::app::record("c1", "发票开错了").to_string())
        .await;
    assert_eq!(status, 200, "{answer}");
    let client = connect(&app).await;
    for sql in METABASE.iter().chain(DBEAVER).chain(GRAFANA) {
        if let Err(e) = client.simple_query(sql).await {
            panic!("simple protocol failed: {e:?}\n{sql}");
        }
        if sql.starts_with("SELECT")
            && let Err(e) = client.query(*sql, &[]).await
        {
            panic!("extended protocol failed: {e:?}\n{sql}");
        }
    }
    let tables = client.simple_query(GRAFANA[0]).await.expect("tables");
    let names: Vec<&str> = tables
        .iter()
        .filter_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(row) => row.get(0),
            _ => None,
        })
        .collect();
    assert!(names.contains(&"feedback"), "{names:?}");
}
