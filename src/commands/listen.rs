//! The service's two ports, HTTP and Postgres, bound up front (so a taken
//! port fails the start, not a background task) and run until one shutdown
//! signal stops both.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::watch;
use voxlake_sql::pgwire::PgService;
use voxlake_sql::tls::{TlsAcceptor, TlsConfig, TlsListener};
use voxlake_sql::{AppState, DEFAULT_BODY_LIMIT_BYTES, router, serve};

pub struct Listeners {
    http: TcpListener,
    pg: Option<TcpListener>,
    tls: Option<TlsAcceptor>,
}

impl Listeners {
    /// Bind both ports and load the certificate, if one is configured.
    pub async fn bind(http: SocketAddr, pg: Option<SocketAddr>, tls: Option<&TlsConfig>) -> anyhow::Result<Self> {
        let tls = tls.map(TlsConfig::acceptor).transpose()?;
        let http = bind(http).await?;
        let pg = match pg {
            Some(addr) => Some(bind(addr).await?),
            None => None,
        };
        Ok(Self { http, pg, tls })
    }

    pub fn http_addr(&self) -> std::io::Result<SocketAddr> {
        self.http.local_addr()
    }

    pub fn pg_addr(&self) -> Option<SocketAddr> {
        self.pg.as_ref().and_then(|l| l.local_addr().ok())
    }

    pub fn tls(&self) -> bool {
        self.tls.is_some()
    }

    /// Serve both ports until `shutdown`; each then lets its running
    /// requests and queries finish within `grace`.
    pub async fn run(
        self,
        state: AppState,
        shutdown: impl Future<Output = ()> + Send + 'static,
        grace: Duration,
    ) -> anyhow::Result<()> {
        let (stop, stopped) = watch::channel(());
        tokio::spawn(async move {
            shutdown.await;
            stop.send(()).ok();
        });
        let http = serve_http(
            self.http,
            self.tls.clone(),
            state.clone(),
            signal(stopped.clone()),
            grace,
        );
        let pg = async {
            match self.pg {
                Some(listener) => {
                    let service = Arc::new(PgService::new(state));
                    voxlake_sql::pgwire::serve(listener, service, self.tls, signal(stopped), grace).await
                }
                None => Ok(()),
            }
        };
        tokio::try_join!(http, pg)?;
        Ok(())
    }
}

async fn serve_http(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> std::io::Result<()> {
    let app = router(state, DEFAULT_BODY_LIMIT_BYTES);
    match tls {
        Some(acceptor) => serve(TlsListener::new(listener, acceptor)?, app, shutdown, grace).await,
        None => serve(listener, app, shutdown, grace).await,
    }
}

/// Resolves when the shutdown signal has been sent (or its sender is gone).
async fn signal(mut stopped: watch::Receiver<()>) {
    stopped.changed().await.ok();
}

async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on {addr}"))
}
