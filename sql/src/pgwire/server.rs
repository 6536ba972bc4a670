//! The Postgres port's accept loop. Each connection runs in its own task
//! (pgwire negotiates TLS there when the client asks for it). On shutdown
//! the port stops accepting, running queries get up to the grace period to
//! finish, and then every connection is closed: idle ones are not waited for.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use datafusion_postgres::pgwire::tokio::process_socket;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

use super::PgService;

/// Serve `service` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    service: Arc<PgService>,
    tls: Option<TlsAcceptor>,
    shutdown: impl Future<Output = ()> + Send,
    grace: Duration,
) -> std::io::Result<()> {
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((socket, peer)) => {
                    let service = Arc::clone(&service);
                    let tls = tls.clone();
                    connections.spawn(async move {
                        if let Err(e) = process_socket(socket, tls, service).await {
                            tracing::debug!(%peer, error = %e, "Postgres connection ended with an error");
                        }
                    });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "accepting a Postgres connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            // Reap finished connections so the set does not grow forever.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    if tokio::time::timeout(grace, service.in_flight.idle()).await.is_err() {
        tracing::warn!("Postgres queries still running after the grace period; stopping anyway");
    }
    connections.shutdown().await;
    Ok(())
}
