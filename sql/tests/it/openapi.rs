//! /openapi.json describes the real API: every documented operation is called
//! on the running server, and the status and JSON body it gets are checked
//! against the document.

use serde_json::{Value, json};

use crate::app::{TestApp, record};

/// One real request per documented operation; an operation without one fails
/// the test, so a new endpoint cannot go undocumented-and-untested.
fn example(operation: &str) -> Option<(&'static str, &'static str, Option<Value>)> {
    Some(match operation {
        "healthz" => ("GET", "/healthz", None),
        "postFeedback" => ("POST", "/v1/feedback", Some(record("oa-2", "文档里的接口都能调用"))),
        "listChannels" => ("GET", "/v1/channels", None),
        "postSql" => (
            "POST",
            "/v1/sql",
            Some(json!({"sql": "SELECT channel, count(*) AS n FROM feedback GROUP BY channel"})),
        ),
        "getSql" => ("GET", "/v1/sql?q=SELECT%201%20AS%20one", None),
        "listTables" => ("GET", "/v1/tables", None),
        "getTable" => ("GET", "/v1/tables/feedback", None),
        "metrics" => ("GET", "/metrics", None),
        "openapi" => ("GET", "/openapi.json", None),
        _ => return None,
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn every_documented_operation_answers_as_documented() {
    let app = TestApp::start().await;
    app.post("/v1/feedback", record("oa-1", "先有一条数据").to_string())
        .await;
    let (status, doc) = app.get("/openapi.json").await;
    assert_eq!(status, 200);
    let paths = doc["paths"].as_object().expect("paths");
    let mut checked = 0;
    for (path, operations) in paths {
        for (method, operation) in operations.as_object().expect("operations") {
            let id = operation["operationId"].as_str().expect("operationId");
            let (verb, url, body) = example(id).unwrap_or_else(|| panic!("no example request for {id}"));
            assert_eq!(
                (verb, url.split('?').next()),
                (
                    method.to_uppercase().as_str(),
                    Some(path.replace("{name}", "feedback").as_str())
                )
            );
            let mut request = app
                .http
                .request(verb.parse().expect("method"), format!("{}{url}", app.url))
                .bearer_auth(&app.key);
            if let Some(body) = body {
                request = request.json(&body);
            }
            let response = request.send().await.expect("request");
            let status = response.status().as_u16().to_string();
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
            let text = response.text().await.expect("body");
            let documented = resolve(&doc, &operation["responses"][&status]);
            assert!(
                documented.is_object(),
                "{id}: status {status} is not documented ({text})"
            );
            if let Some(schema) = documented["content"]["application/json"].get("schema")
                && content_type.starts_with("application/json")
            {
                let value: Value = serde_json::from_str(&text).expect("JSON body");
                check(&doc, schema, &value, id);
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 9, "every operation was called");
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_match_the_documented_error_shape() {
    let app = TestApp::start().await;
    let (_, doc) = app.get("/openapi.json").await;
    let (status, body) = app.sql("SELECT * FROM nowhere").await;
    assert_eq!(status, 400);
    check(&doc, &json!({"$ref": "#/components/schemas/Error"}), &body, "sql error");
    let anonymous = app
        .http
        .get(format!("{}/v1/tables", app.url))
        .send()
        .await
        .expect("request");
    assert_eq!(anonymous.status(), 401);
    let body: Value = anonymous.json().await.expect("json");
    check(&doc, &json!({"$ref": "#/components/schemas/Error"}), &body, "401");
}

fn resolve<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(pointer) => resolve(
            doc,
            doc.pointer(pointer.trim_start_matches('#')).unwrap_or(&Value::Null),
        ),
        None => node,
    }
}

/// The subset of JSON Schema the document uses: type, required, properties, items.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str) {
    let schema = resolve(doc, schema);
    if let Some(types) = schema.get("type") {
        let allowed: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let fits = allowed.contains(&actual) || (actual == "integer" && allowed.contains(&"number"));
        assert!(fits, "{at}: {value} is {actual}, documented as {allowed:?}");
    }
    for key in schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        assert!(value.get(key).is_some(), "{at}: required `{key}` missing in {value}");
    }
    if let (Some(properties), Some(object)) = (schema["properties"].as_object(), value.as_object()) {
        for (key, item) in object {
            if let Some(property) = properties.get(key) {
                check(doc, property, item, &format!("{at}.{key}"));
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, item) in array.iter().enumerate() {
            check(doc, items, item, &format!("{at}[{i}]"));
        }
    }
}
