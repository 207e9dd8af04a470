//! baove's demo data: a slice of Hà Nội after the 2025 reform — the city police, its steering
//! committee and the ward police of Bồ Đề and Việt Hưng — with seven units under them (three
//! schools, an agency, a bank that is a key target, a hospital and a garment factory), their
//! premises, guard forces and devices, an account for every role, and the 14 incidents of
//! seed 000 placed in the year before `now`.
//!
//! Everything is written through the [`Store`] trait, so the same data lands in SQLite or
//! PostgreSQL and passes the same access rules and audit chain as any user's change. The
//! installation creates the police tree, the units, the accounts and the incidents; each unit's
//! head account sets up its own premises and guard force (a system administrator is not cleared
//! for a key target's details).

mod incidents;
mod people;
mod places;
mod premises;

use baove_core::access::{Principal, Role};
use baove_core::account::Account;
use baove_store::{Actor, Store, StoreError};
use jiff::{SignedDuration, Timestamp};

use people::OrgRef;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "baove-demo-2026";

/// A demo account, as the CLI prints it after seeding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub username: &'static str,
    pub role: Role,
    pub display_name: &'static str,
    /// The organisation's name as shown to the user, e.g. "Trường THCS Ngọc Lâm".
    pub org: &'static str,
}

/// The name the system organisation is shown under.
const SYSTEM_ORG: &str = "Hệ thống baove";

/// The demo accounts, in the order they should be printed (system admin first, then police,
/// then units).
#[must_use]
pub fn accounts() -> Vec<DemoAccount> {
    people::ACCOUNTS
        .iter()
        .map(|a| DemoAccount {
            username: a.username,
            role: a.role,
            display_name: a.display_name,
            org: match a.org {
                OrgRef::System => SYSTEM_ORG,
                OrgRef::Police(k) => places::authority_spec(k).name,
                OrgRef::Unit(k) => places::unit_spec(k).name,
            },
        })
        .collect()
}

/// How long before `now` the units were registered in baove (before the oldest incident).
const REGISTERED_DAYS_AGO: i64 = 380;

/// What every step of the seeding shares: the store, the password hash, `now`, and the clock
/// of the registry's writes (a few seconds apart, so the audit trail reads in order).
pub(crate) struct Ctx<'a> {
    pub store: &'a dyn Store,
    pub password_hash: &'a str,
    pub now: Timestamp,
    clock: Timestamp,
}

impl Ctx<'_> {
    fn tick(&mut self) -> Timestamp {
        self.clock += SignedDuration::from_secs(7);
        self.clock
    }

    /// The installation itself, writing now on the registry clock.
    pub fn system(&mut self) -> Actor {
        let at = self.tick();
        self.system_at(at)
    }

    /// The installation itself, writing at `at`.
    pub fn system_at(&self, at: Timestamp) -> Actor {
        let principal = Principal::installation("Hệ thống (dữ liệu mẫu)");
        Actor { principal, at }
    }

    /// `principal` writing now on the registry clock.
    pub fn acting_as(&mut self, principal: &Principal) -> Actor {
        Actor { principal: principal.clone(), at: self.tick() }
    }
}

/// A date computation that cannot fail for any `now` of this era; reported as a store failure.
pub(crate) fn time_error(e: jiff::Error) -> StoreError {
    StoreError::Other(format!("demo data: date out of range: {e}"))
}

/// Seeds everything into an EMPTY store. `password_hash` is one argon2 hash (of
/// [`DEMO_PASSWORD`]) used for every account; `now` is the current instant (incidents are
/// placed in the 12 months before it). The data is the same for the same `now`, ids aside.
///
/// # Errors
/// [`StoreError::Conflict`] when the store already holds accounts or authorities; otherwise
/// whatever the store reports (a failed seeding leaves the writes made so far).
pub async fn seed(store: &dyn Store, password_hash: &str, now: Timestamp) -> Result<(), StoreError> {
    let mut cx = Ctx { store, password_hash, now, clock: now - SignedDuration::from_hours(24 * REGISTERED_DAYS_AGO) };
    let installation = cx.system_at(now).principal;
    if store.account_count().await? > 0 || !store.list_authorities(&installation, "").await?.is_empty() {
        return Err(StoreError::Conflict("the demo data goes into an empty store only".into()));
    }
    let registry = places::create(&mut cx).await?;
    let mut created: Vec<Account> = people::create_police_accounts(&mut cx, &registry).await?;
    let mut sites = Vec::new();
    for unit in places::UNITS.iter().map(|u| u.key) {
        let head = people::create_head(&mut cx, &registry, unit).await?;
        let principal = head.principal();
        let site_ids = premises::create(&mut cx, &registry, unit, &head).await?;
        sites.extend(site_ids.first().map(|s| (unit, *s)));
        let guards = people::create_guards(&mut cx, &registry, unit, &principal).await?;
        created.push(head);
        created.extend(people::create_unit_accounts(&mut cx, &registry, unit, &guards).await?);
    }
    people::grant_clearances(&mut cx, &registry, &created).await?;
    incidents::create(&mut cx, &registry, &sites).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_has_a_demo_account_and_the_admin_comes_first() {
        let all = accounts();
        for role in Role::ALL {
            assert!(all.iter().any(|a| a.role == *role), "{role}");
        }
        assert_eq!(all[0].role, Role::SystemAdmin);
        assert_eq!(all[0].username, "admin");
        let first_unit = all.iter().position(|a| a.role.org_kind() == baove_core::access::OrgKind::Unit).unwrap_or(0);
        assert!(all[first_unit..].iter().all(|a| a.role.org_kind() == baove_core::access::OrgKind::Unit));
        assert!(all.iter().any(|a| a.username == "hieutruong.ngoclam" && a.org == "Trường THCS Ngọc Lâm"));
    }

    #[test]
    fn the_demo_password_is_long_enough_for_the_login_form() {
        assert!(baove_core::account::check_password("password", DEMO_PASSWORD).is_ok());
    }
}
