//! The service's Prometheus metrics: HTTP requests and their latency, SQL
//! rows scanned and returned, bytes sent, and ingested records by outcome.
//! Served as text at `GET /metrics`.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::state::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct IngestLabels {
    pub channel: String,
    pub outcome: &'static str,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

/// 1 ms to about 65 s, doubling.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 17))
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    request_seconds: HistogramFamily<RouteLabels>,
    query_seconds: Histogram,
    rows_scanned: Counter,
    rows_returned: Counter,
    bytes_returned: Counter,
    ingested: Family<IngestLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("voxlake");
        let requests = Family::<RequestLabels, Counter>::default();
        let request_seconds = HistogramFamily::<RouteLabels>::new_with_constructor(latency_histogram);
        let query_seconds = latency_histogram();
        let (rows_scanned, rows_returned, bytes_returned) =
            (Counter::default(), Counter::default(), Counter::default());
        let ingested = Family::<IngestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by method, route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to the response headers, by route",
            request_seconds.clone(),
        );
        registry.register(
            "query_duration_seconds",
            "SQL queries from start to the last byte sent (or to cancellation)",
            query_seconds.clone(),
        );
        registry.register(
            "query_rows_scanned",
            "Rows read by SQL table scans",
            rows_scanned.clone(),
        );
        registry.register(
            "query_rows_returned",
            "Rows returned by SQL queries",
            rows_returned.clone(),
        );
        registry.register(
            "query_bytes_returned",
            "Bytes of SQL results sent",
            bytes_returned.clone(),
        );
        registry.register(
            "ingest_records",
            "Records received over HTTP by channel and outcome (accepted, duplicate, rejected)",
            ingested.clone(),
        );
        Self {
            registry,
            requests,
            request_seconds,
            query_seconds,
            rows_scanned,
            rows_returned,
            bytes_returned,
            ingested,
        }
    }

    /// The registry in the Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }

    /// A finished (or abandoned) query.
    pub fn query_done(&self, seconds: f64, rows_scanned: u64, rows_returned: u64, bytes: u64) {
        self.query_seconds.observe(seconds);
        self.rows_scanned.inc_by(rows_scanned);
        self.rows_returned.inc_by(rows_returned);
        self.bytes_returned.inc_by(bytes);
    }

    pub fn ingested(&self, channel: &str, outcome: &'static str, records: usize) {
        if records > 0 {
            self.ingested
                .get_or_create(&IngestLabels {
                    channel: channel.to_owned(),
                    outcome,
                })
                .inc_by(records as u64);
        }
    }

    fn request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let route = route.to_owned();
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_owned(),
                route: route.clone(),
                status,
            })
            .inc();
        self.request_seconds
            .get_or_create(&RouteLabels { route })
            .observe(seconds);
    }
}

/// Middleware counting every request under its route pattern (never the raw
/// path, so `/v1/tables/{name}` stays one series whatever names are asked).
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    state.metrics.request(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_and_histograms_render_as_prometheus_text() {
        let metrics = Metrics::new();
        metrics.request("POST", "/v1/sql", 200, 0.004);
        metrics.query_done(0.01, 1000, 10, 512);
        metrics.ingested("app_form", "accepted", 3);
        let text = metrics.render();
        assert!(text.contains(r#"voxlake_http_requests_total{method="POST",route="/v1/sql",status="200"} 1"#));
        assert!(text.contains("voxlake_query_rows_scanned_total 1000"));
        assert!(text.contains("voxlake_query_bytes_returned_total 512"));
        assert!(text.contains(r#"voxlake_ingest_records_total{channel="app_form",outcome="accepted"} 3"#));
        assert!(text.contains(r#"voxlake_http_request_duration_seconds_count{route="/v1/sql"} 1"#));
    }
}
