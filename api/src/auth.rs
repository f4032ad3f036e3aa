//! API keys with roles. A request sends `Authorization: Bearer KEY`; keys come from
//! `CLINEX_API_KEYS` (`key:role,key:role`) or a keys file (one `key:role` a line, `#`
//! comments), are held only as their sha256, and are compared in constant time.
//!
//! - `curator`: upload, read documents and results (and correct them, later);
//! - `loader`: read documents, results and triples, and the change feed;
//! - `admin`: everything, deleting included.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::AppState;
use crate::error::Problem;

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Curator,
    Loader,
    Admin,
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "curator" => Ok(Self::Curator),
            "loader" => Ok(Self::Loader),
            "admin" => Ok(Self::Admin),
            other => Err(format!("unknown role {other:?} (curator, loader, admin)")),
        }
    }
}

/// What a request asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Upload,
    Feed,
    Delete,
}

impl Role {
    pub fn may(self, action: Action) -> bool {
        matches!(
            (self, action),
            (Self::Admin, _)
                | (Self::Curator, Action::Read | Action::Upload)
                | (Self::Loader, Action::Read | Action::Feed)
        )
    }
}

/// The keys the server accepts, or none at all (`--no-auth`, loopback only).
#[derive(Debug, Clone, Default)]
pub struct Keys {
    /// sha256 of each key, with its role.
    hashed: Vec<([u8; 32], Role)>,
    open: bool,
}

impl Keys {
    /// Every request is an admin's (`--no-auth`).
    pub fn open() -> Self {
        Self { hashed: Vec::new(), open: true }
    }

    /// Keys from `key:role` entries separated by commas or new lines (`#` starts a comment).
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut hashed = Vec::new();
        for entry in text.split([',', '\n']).map(|e| e.split('#').next().unwrap_or("").trim()).filter(|e| !e.is_empty())
        {
            let (key, role) = entry.rsplit_once(':').ok_or_else(|| "an API key entry is not key:role".to_string())?;
            let key = key.trim();
            if key.len() < 16 {
                return Err("an API key is shorter than 16 characters".into());
            }
            hashed.push((digest(key), role.parse()?));
        }
        if hashed.is_empty() {
            return Err("no API keys given".into());
        }
        Ok(Self { hashed, open: false })
    }

    pub fn is_open(&self) -> bool {
        self.open
    }

    /// The role of a presented key: every stored hash is compared, in constant time.
    fn role_of(&self, key: &str) -> Option<Role> {
        let presented = digest(key);
        let mut found = None;
        for (hash, role) in &self.hashed {
            if bool::from(hash.ct_eq(&presented)) {
                found = Some(*role);
            }
        }
        found
    }
}

fn digest(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

/// The caller, known by its key.
#[derive(Debug, Clone, Copy)]
pub struct Caller(pub Role);

impl Caller {
    /// This caller may do `action`, or 403.
    pub fn require(self, action: Action) -> Result<(), Problem> {
        if self.0.may(action) {
            Ok(())
        } else {
            Err(Problem::new(StatusCode::FORBIDDEN, "forbidden", "this API key's role may not do that"))
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if state.keys.is_open() {
            return Ok(Caller(Role::Admin));
        }
        let presented = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        match presented.and_then(|key| state.keys.role_of(key)) {
            Some(role) => Ok(Caller(role)),
            None => Err(Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "send a valid API key as `Authorization: Bearer KEY`",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_roles_and_roles_have_rights() {
        let keys = Keys::parse(
            "curator-key-0123456789:curator, loader-key-0123456789:loader\n# ops\nadmin-key-0123456789:admin",
        )
        .unwrap();
        assert_eq!(keys.role_of("curator-key-0123456789"), Some(Role::Curator));
        assert_eq!(keys.role_of("admin-key-0123456789"), Some(Role::Admin));
        assert_eq!(keys.role_of("curator-key-012345678"), None);
        assert!(
            Role::Curator.may(Action::Upload) && !Role::Curator.may(Action::Delete) && !Role::Curator.may(Action::Feed)
        );
        assert!(Role::Loader.may(Action::Feed) && !Role::Loader.may(Action::Upload));
        assert!(Role::Admin.may(Action::Delete));
        assert!(Keys::parse("short:admin").is_err());
        assert!(Keys::parse("long-enough-key-1234:owner").unwrap_err().contains("owner"));
        assert!(Keys::parse(" , ").is_err());
    }
}
