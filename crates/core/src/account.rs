//! Accounts: the people who sign in, each with one role in one organisation.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::access::{Org, OrgKind, Principal, Role};
use crate::registry::lenient;
use crate::validate::{Checker, Invalid, Problem};
use crate::{AccountId, AuthorityId, GuardId, UnitId};

/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 10;
/// Longest password accepted (argon2 input stays bounded).
pub const MAX_PASSWORD: usize = 128;

/// A person who signs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    pub id: AccountId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<UnitId>,
    pub authority_id: Option<AuthorityId>,
    /// The guard record of a guard's account.
    pub guard_id: Option<GuardId>,
    pub active: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
}

impl Account {
    #[must_use]
    pub fn org(&self) -> Org {
        match (self.unit_id, self.authority_id) {
            (Some(u), _) => Org::Unit(u),
            (None, Some(a)) => Org::Authority(a),
            (None, None) => Org::System,
        }
    }

    #[must_use]
    pub fn principal(&self) -> Principal {
        Principal { account_id: self.id, role: self.role, org: self.org(), display_name: self.display_name.clone() }
    }
}

/// An account as a form or API client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountDraft {
    #[serde(default, deserialize_with = "lenient::text")]
    pub username: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub display_name: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub role: String,
    /// The unit or authority id, as the role requires.
    #[serde(default, deserialize_with = "lenient::text")]
    pub org_id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub guard_id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub password: String,
}

/// A validated account with its (not yet hashed) password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountInput {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org: Org,
    pub guard_id: Option<GuardId>,
    pub password: String,
}

/// Checks a password's length; returns it unchanged.
///
/// # Errors
/// Too short or too long.
pub fn check_password(field: &'static str, raw: &str) -> Result<String, Invalid> {
    // NFC, so a password typed with combining marks (Unikey "tổ hợp") matches the same
    // password typed precomposed, and its length counts letters, not marks.
    let raw = &crate::text::nfc(raw);
    let n = raw.chars().count();
    if n < MIN_PASSWORD {
        Err(Invalid::one(field, Problem::TooShort { min: MIN_PASSWORD }))
    } else if n > MAX_PASSWORD {
        Err(Invalid::one(field, Problem::TooLong { max: MAX_PASSWORD }))
    } else {
        Ok(raw.to_owned())
    }
}

/// Normalises a username: trimmed, lower case; 3–40 of a–z, 0–9, `.`, `_`, `-`.
#[must_use]
pub fn normalise_username(raw: &str) -> Option<String> {
    let u = raw.trim().to_lowercase();
    let ok = (3..=40).contains(&u.len())
        && u.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
    ok.then_some(u)
}

impl AccountDraft {
    /// # Errors
    /// Every field that does not parse.
    pub fn parse(&self) -> Result<AccountInput, Invalid> {
        let mut c = Checker::new();
        let username = normalise_username(&self.username).unwrap_or_else(|| {
            c.fail("username", if self.username.trim().is_empty() { Problem::Required } else { Problem::BadCode });
            String::new()
        });
        let display_name = c.line("display_name", &self.display_name, 120);
        let role = c.option("role", &self.role, Role::from_code);
        let org = match role.map(Role::org_kind) {
            Some(OrgKind::Unit) => {
                UnitId::parse(&self.org_id).map(Org::Unit).map_err(|_| c.fail("org_id", Problem::BadId)).ok()
            }
            Some(OrgKind::Authority) => {
                AuthorityId::parse(&self.org_id).map(Org::Authority).map_err(|_| c.fail("org_id", Problem::BadId)).ok()
            }
            Some(OrgKind::System) => Some(Org::System),
            None => None,
        };
        let guard_id = if self.guard_id.trim().is_empty() {
            None
        } else {
            GuardId::parse(&self.guard_id).map_err(|_| c.fail("guard_id", Problem::BadId)).ok()
        };
        let password = check_password("password", &self.password).unwrap_or_else(|e| {
            c.fail("password", e.0[0].problem.clone());
            String::new()
        });
        match (role, org) {
            (Some(role), Some(org)) => c.finish(AccountInput { username, display_name, role, org, guard_id, password }),
            _ => Err(c.finish(()).unwrap_err()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lower_cased_and_plain() {
        assert_eq!(normalise_username(" BaoVe.Truong01 ").as_deref(), Some("baove.truong01"));
        assert_eq!(normalise_username("bảo vệ"), None);
        assert_eq!(normalise_username("ab"), None);
    }

    #[test]
    fn a_unit_role_needs_a_unit_and_a_short_password_is_refused() {
        let d = AccountDraft {
            username: "guard1".into(),
            display_name: "Bảo vệ 1".into(),
            role: "guard".into(),
            org_id: "x".into(),
            password: "short".into(),
            ..Default::default()
        };
        let err = d.parse().unwrap_err();
        assert_eq!(err.for_field("org_id"), Some(&Problem::BadId));
        assert_eq!(err.for_field("password"), Some(&Problem::TooShort { min: MIN_PASSWORD }));
    }

    #[test]
    fn a_system_admin_needs_no_organisation() {
        let d = AccountDraft {
            username: "admin".into(),
            display_name: "Quản trị".into(),
            role: "system_admin".into(),
            password: "mật khẩu đủ dài".into(),
            ..Default::default()
        };
        assert_eq!(d.parse().unwrap().org, Org::System);
    }
}
