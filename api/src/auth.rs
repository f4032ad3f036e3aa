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
    Correct,
    Feed,
    Delete,
}

impl Role {
    pub fn may(self, action: Action) -> bool {
        matches!(
            (self, action),
            (Self::Admin, _)
                | (Self::Curator, Action::Read | Action::Upload | Action::Correct)
                | (Self::Loader, Action::Read | Action::Feed)
        )
    }
}

/// The keys the server accepts, or none at all (`--no-auth`, loopback only).
#[derive(Debug, Clone, Default)]
pub struct Keys {
    /// sha256 of each key, with its role and who holds it.
    hashed: Vec<([u8; 32], Role, String)>,
    open: bool,
}

impl Keys {
    /// Every request is an admin's (`--no-auth`).
    pub fn open() -> Self {
        Self { hashed: Vec::new(), open: true }
    }

    /// Keys from `key:role` or `key:role:name` entries separated by commas or new lines (`#`
    /// starts a comment).
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut hashed = Vec::new();
        for entry in text.split([',', '\n']).map(|e| e.split('#').next().unwrap_or("").trim()).filter(|e| !e.is_empty())
        {
            let (key, role, name) = split_entry(entry)?;
            if key.len() < 16 {
                return Err("an API key is shorter than 16 characters".into());
            }
            let hash = digest(key);
            let name =
                name.map(str::to_string).unwrap_or_else(|| format!("{} {}", role.as_str(), hex::encode(&hash[..3])));
            hashed.push((hash, role, name));
        }
        if hashed.is_empty() {
            return Err("no API keys given".into());
        }
        Ok(Self { hashed, open: false })
    }

    pub fn is_open(&self) -> bool {
        self.open
    }

    /// The caller a presented key stands for: every stored hash is compared, in constant time.
    fn caller(&self, key: &str) -> Option<Caller> {
        let presented = digest(key);
        let mut found = None;
        for (hash, role, who) in &self.hashed {
            if bool::from(hash.ct_eq(&presented)) {
                found = Some(Caller { role: *role, who: who.clone() });
            }
        }
        found
    }
}

/// `key:role` or `key:role:name` (a key may hold colons itself).
fn split_entry(entry: &str) -> Result<(&str, Role, Option<&str>), String> {
    let bad = || "an API key entry is not key:role or key:role:name".to_string();
    let (rest, last) = entry.rsplit_once(':').ok_or_else(bad)?;
    let role = last.parse::<Role>();
    let Some((key, named_role)) = rest.rsplit_once(':').filter(|_| role.is_err()) else {
        return Ok((rest.trim(), role?, None));
    };
    let role = named_role;
    let name = last.trim();
    if name.is_empty() || name.len() > 64 || name.chars().any(char::is_control) {
        return Err("an API key's name is empty, longer than 64 characters or holds control characters".into());
    }
    Ok((key.trim(), role.parse()?, Some(name)))
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Curator => "curator",
            Self::Loader => "loader",
            Self::Admin => "admin",
        }
    }
}

fn digest(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

/// The caller, known by its key.
#[derive(Debug, Clone)]
pub struct Caller {
    pub role: Role,
    /// Who holds the key, as corrections are signed.
    pub who: String,
}

impl Caller {
    /// This caller may do `action`, or 403.
    pub fn require(&self, action: Action) -> Result<(), Problem> {
        if self.role.may(action) {
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
            return Ok(Caller { role: Role::Admin, who: "local (no auth)".into() });
        }
        let presented = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        match presented.and_then(|key| state.keys.caller(key)) {
            Some(caller) => Ok(caller),
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

    impl Keys {
        fn role_of(&self, key: &str) -> Option<Role> {
            self.caller(key).map(|c| c.role)
        }
    }

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
        let named = Keys::parse("curator-key-0123456789:curator:Dr Li, with:colon-0123456789:loader").unwrap();
        assert_eq!(named.caller("curator-key-0123456789").map(|c| c.who).as_deref(), Some("Dr Li"));
        assert_eq!(named.role_of("with:colon-0123456789"), Some(Role::Loader));
        assert!(keys.caller("admin-key-0123456789").unwrap().who.starts_with("admin "));
        assert!(Role::Curator.may(Action::Correct) && !Role::Loader.may(Action::Correct));
    }
}
