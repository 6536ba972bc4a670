//! Login: the user name is free (a label, like the key's name), the password
//! is a Voxlake API key, checked against the same key store as HTTP bearer
//! tokens. Keys are stored only as hashes, so the server cannot take part in
//! MD5 or SCRAM challenges, which need the secret itself: it asks for the
//! password in cleartext, which is why TLS should be on wherever the port is
//! reachable by more than localhost.
//!
//! The authenticated [`Caller`] is kept in the connection's session
//! extensions, where the query handler finds it.

use std::fmt::Debug;
use std::sync::Arc;

use async_trait::async_trait;
use datafusion_postgres::pgwire::api::auth::{
    DefaultServerParameterProvider, StartupHandler, finish_authentication, protocol_negotiation,
    save_startup_parameters_to_metadata,
};
use datafusion_postgres::pgwire::api::{
    ClientInfo, ConnectionGuard, ConnectionHandle, ConnectionManager, METADATA_USER, PgWireConnectionState,
    PidSecretKeyGenerator, RandomPidSecretKeyGenerator,
};
use datafusion_postgres::pgwire::error::{PgWireError, PgWireResult};
use datafusion_postgres::pgwire::messages::startup::Authentication;
use datafusion_postgres::pgwire::messages::{PgWireBackendMessage, PgWireFrontendMessage};
use futures::{Sink, SinkExt};

use super::errors::{code, fatal};
use crate::auth::{Caller, KeyStore};

pub struct ApiKeyStartup {
    keys: Arc<KeyStore>,
    connections: Arc<ConnectionManager>,
    pids: RandomPidSecretKeyGenerator,
    parameters: DefaultServerParameterProvider,
}

impl ApiKeyStartup {
    pub fn new(keys: Arc<KeyStore>, connections: Arc<ConnectionManager>) -> Self {
        let mut parameters = DefaultServerParameterProvider::default();
        // Tell clients up front what the server enforces anyway.
        parameters.default_transaction_read_only = true;
        parameters.is_superuser = false;
        Self {
            keys,
            connections,
            pids: RandomPidSecretKeyGenerator::default(),
            parameters,
        }
    }

    /// The caller a password stands for, if it is a key that may query.
    fn authenticate(&self, user: &str, password: &str) -> PgWireResult<Caller> {
        let Some(key) = self.keys.authenticate(password.trim()) else {
            tracing::info!(user, "Postgres login with an unknown or revoked key");
            return Err(PgWireError::InvalidPassword(user.to_owned()));
        };
        let caller = Caller { key };
        if caller.role().table_access(caller.key.agent_id.as_deref()).is_none() {
            return Err(fatal(
                code::INSUFFICIENT_PRIVILEGE,
                format!(
                    "key `{}` has role `{}`, which may not run queries",
                    caller.name(),
                    caller.role().as_str()
                ),
            ));
        }
        Ok(caller)
    }

    /// Make the connection cancellable (`pg_cancel_backend`, Ctrl-C in psql)
    /// for as long as it lives.
    fn register<C: ClientInfo>(&self, client: &mut C) {
        let (pid, secret) = self.pids.generate(&*client);
        client.set_pid_and_secret_key(pid, secret.clone());
        let (handle, guard) = self.connections.register(pid, secret);
        client.session_extensions().insert::<Arc<ConnectionHandle>>(handle);
        client.session_extensions().insert::<ConnectionGuard>(guard);
    }
}

#[async_trait]
impl StartupHandler for ApiKeyStartup {
    async fn on_startup<C>(&self, client: &mut C, message: PgWireFrontendMessage) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        match message {
            PgWireFrontendMessage::Startup(ref startup) => {
                protocol_negotiation(client, startup).await?;
                save_startup_parameters_to_metadata(client, startup);
                client.set_state(PgWireConnectionState::AuthenticationInProgress);
                client
                    .send(PgWireBackendMessage::Authentication(Authentication::CleartextPassword))
                    .await?;
            }
            PgWireFrontendMessage::PasswordMessageFamily(password) => {
                let password = password.into_password()?;
                let user = client.metadata().get(METADATA_USER).cloned().unwrap_or_default();
                let caller = self.authenticate(&user, &password.password)?;
                tracing::debug!(
                    user,
                    key = caller.name(),
                    role = caller.role().as_str(),
                    "Postgres login"
                );
                self.register(client);
                client.session_extensions().insert(caller);
                finish_authentication(client, &self.parameters).await?;
            }
            _ => {}
        }
        Ok(())
    }
}

/// The caller of an authenticated connection.
pub fn caller<C: ClientInfo + ?Sized>(client: &C) -> PgWireResult<Caller> {
    client
        .session_extensions()
        .get::<Caller>()
        .map(|caller| (*caller).clone())
        .ok_or_else(|| fatal(code::INSUFFICIENT_PRIVILEGE, "not authenticated"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;

    fn startup() -> (tempfile::TempDir, ApiKeyStartup, Arc<KeyStore>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let keys = Arc::new(KeyStore::new(dir.path().join("voxlake.toml")));
        let startup = ApiKeyStartup::new(Arc::clone(&keys), Arc::new(ConnectionManager::new()));
        (dir, startup, keys)
    }

    #[test]
    fn keys_that_may_query_log_in_and_others_do_not() {
        let (_dir, startup, keys) = startup();
        let analyst = keys.create("ann", Role::Analyst, None).expect("key");
        let ingest = keys.create("pipe", Role::Ingest, None).expect("key");
        let caller = startup.authenticate("whoever", &analyst).expect("logs in");
        assert_eq!(caller.name(), "ann");
        let wrong = startup.authenticate("whoever", "vxk_wrong").expect_err("refused");
        assert!(matches!(wrong, PgWireError::InvalidPassword(_)));
        let refused = startup.authenticate("whoever", &ingest).expect_err("refused");
        assert!(format!("{refused:?}").contains("may not run queries"), "{refused:?}");
    }
}
