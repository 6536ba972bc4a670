//! Who may call the API and what they may see: API keys (stored hashed in the
//! config file), roles, and the extractor that turns a bearer token into a
//! [`Caller`] for every endpoint except `/healthz`.

mod caller;
mod keys;
mod role;

pub use caller::Caller;
pub use keys::{ApiKey, KeyError, KeyStore};
pub use role::Role;
