//! The authenticated caller of a request.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use crate::error::ApiError;
use crate::state::AppState;

use super::keys::ApiKey;
use super::role::Role;

/// The key a request was made with. Extracting it is what makes an endpoint
/// require authentication.
#[derive(Clone, Debug)]
pub struct Caller {
    pub key: ApiKey,
}

impl Caller {
    pub fn role(&self) -> Role {
        self.key.role
    }

    pub fn name(&self) -> &str {
        &self.key.name
    }

    /// Refuse unless `allowed` holds for the caller's role.
    pub fn require(&self, allowed: fn(Role) -> bool, what: &str) -> Result<(), ApiError> {
        if allowed(self.role()) {
            Ok(())
        } else {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!("role `{}` may not {what}", self.role().as_str()),
            ))
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let unauthorized = |message: &str| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message);
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or_else(|| unauthorized("send an API key as `Authorization: Bearer <key>`"))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
            .ok_or_else(|| unauthorized("the Authorization header must be `Bearer <key>`"))?;
        let key = state
            .keys
            .authenticate(token.trim())
            .ok_or_else(|| unauthorized("unknown or revoked API key"))?;
        Ok(Caller { key })
    }
}
