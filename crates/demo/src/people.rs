//! The demo's people: each unit's guard force (dedicated and part-time guards, their training
//! certificates and issued support tools) and an account for every role, police and units alike.
//!
//! Certificates are dated from `now` so the demo always shows the same picture: one guard's
//! certificate lapsed 40 days ago, another's expires in 25 days (inside the 60-day warning),
//! the rest are valid. Every person named here is fictional.

use baove_core::access::{Org, Principal, Role};
use baove_core::account::{Account, AccountInput};
use baove_core::registry::{Certificate, Employment, Guard, GuardInput, IssuedTool, ToolKind};
use baove_store::StoreError;
use jiff::ToSpan;
use jiff::civil::{Date, date};

use crate::places::{Place, Police, Registry};
use crate::{Ctx, time_error};

/// One member of a unit's guard force.
pub(crate) struct GuardSpec {
    pub unit: Place,
    pub full_name: &'static str,
    pub employment: Employment,
    pub phone: &'static str,
    pub born: (i16, i8, i8),
    pub health: &'static str,
    pub cert_number: &'static str,
    /// Days from today to the certificate's expiry; negative when it has lapsed.
    pub cert_expires_in: i32,
    /// Days ago the tools were issued.
    pub tools_since: i32,
    pub tools: &'static [(ToolKind, &'static str)],
}

use Employment::{Dedicated, PartTime};
use ToolKind::{ElectricBaton, KnifeGloves, Radio, RubberBaton, Torch};

const FIT: &str = "Đủ sức khỏe theo kết quả khám định kỳ.";

/// The guard force of every unit. The first guard of each unit has the unit's guard account.
pub(crate) const GUARDS: &[GuardSpec] = &[
    GuardSpec {
        unit: Place::NgocLam,
        full_name: "Nguyễn Văn Bình",
        employment: Dedicated,
        phone: "0912483705",
        born: (1972, 3, 14),
        health: FIT,
        cert_number: "0457/GCN-BV",
        cert_expires_in: 820,
        tools_since: 410,
        tools: &[(RubberBaton, "DCS-NL-01"), (Torch, "DPN-NL-01"), (Radio, "BD-NL-01")],
    },
    GuardSpec {
        unit: Place::NgocLam,
        full_name: "Trần Văn Tám",
        employment: Dedicated,
        phone: "0983217640",
        born: (1965, 11, 2),
        health: "Huyết áp cao, đang điều trị; hạn chế bố trí trực đêm liên tục.",
        cert_number: "0112/GCN-BV",
        cert_expires_in: -40,
        tools_since: 1500,
        tools: &[(RubberBaton, "DCS-NL-02"), (Torch, "DPN-NL-02")],
    },
    GuardSpec {
        unit: Place::NgocLam,
        full_name: "Phạm Văn Hùng",
        employment: PartTime,
        phone: "0868502913",
        born: (1988, 6, 20),
        health: "Giáo viên thể dục kiêm nhiệm bảo vệ; đủ sức khỏe.",
        cert_number: "1290/GCN-BV",
        cert_expires_in: 1450,
        tools_since: 300,
        tools: &[(Radio, "BD-NL-02")],
    },
    GuardSpec {
        unit: Place::TieuHocBoDe,
        full_name: "Đỗ Văn Khải",
        employment: Dedicated,
        phone: "0904736158",
        born: (1969, 8, 25),
        health: FIT,
        cert_number: "0233/GCN-BV",
        cert_expires_in: 25,
        tools_since: 900,
        tools: &[(RubberBaton, "DCS-TH-01"), (Torch, "DPN-TH-01")],
    },
    GuardSpec {
        unit: Place::TieuHocBoDe,
        full_name: "Hoàng Văn Lợi",
        employment: PartTime,
        phone: "0936184502",
        born: (1979, 1, 9),
        health: "Nhân viên phục vụ kiêm nhiệm bảo vệ; đủ sức khỏe.",
        cert_number: "0871/GCN-BV",
        cert_expires_in: 600,
        tools_since: 500,
        tools: &[(Torch, "DPN-TH-02")],
    },
    GuardSpec {
        unit: Place::NguyenGiaThieu,
        full_name: "Kiều Văn Sáng",
        employment: Dedicated,
        phone: "0977350281",
        born: (1975, 4, 30),
        health: FIT,
        cert_number: "0964/GCN-BV",
        cert_expires_in: 1100,
        tools_since: 700,
        tools: &[(RubberBaton, "DCS-NGT-01"), (KnifeGloves, "GT-NGT-01"), (Radio, "BD-NGT-01")],
    },
    GuardSpec {
        unit: Place::NguyenGiaThieu,
        full_name: "Lã Văn Phúc",
        employment: Dedicated,
        phone: "0395627418",
        born: (1983, 12, 12),
        health: FIT,
        cert_number: "0388/GCN-BV",
        cert_expires_in: 300,
        tools_since: 1200,
        tools: &[(RubberBaton, "DCS-NGT-02"), (Torch, "DPN-NGT-01")],
    },
    GuardSpec {
        unit: Place::HanhChinhCong,
        full_name: "Vương Đình Hải",
        employment: Dedicated,
        phone: "0915078326",
        born: (1970, 2, 17),
        health: FIT,
        cert_number: "0702/GCN-BV",
        cert_expires_in: 700,
        tools_since: 650,
        tools: &[(RubberBaton, "DCS-HCC-01"), (Radio, "BD-HCC-01")],
    },
    GuardSpec {
        unit: Place::HanhChinhCong,
        full_name: "Chu Văn Long",
        employment: PartTime,
        phone: "0866291045",
        born: (1990, 9, 3),
        health: "Cán bộ văn phòng kiêm nhiệm bảo vệ; đủ sức khỏe.",
        cert_number: "1355/GCN-BV",
        cert_expires_in: 1500,
        tools_since: 250,
        tools: &[(Torch, "DPN-HCC-01")],
    },
    GuardSpec {
        unit: Place::NganHang,
        full_name: "Tống Văn Mạnh",
        employment: Dedicated,
        phone: "0988406715",
        born: (1985, 5, 19),
        health: FIT,
        cert_number: "1012/GCN-BV",
        cert_expires_in: 1200,
        tools_since: 600,
        tools: &[(ElectricBaton, "DCD-NH-01"), (KnifeGloves, "GT-NH-01"), (Radio, "BD-NH-01")],
    },
    GuardSpec {
        unit: Place::NganHang,
        full_name: "Quách Văn Dũng",
        employment: Dedicated,
        phone: "0913562087",
        born: (1987, 10, 7),
        health: FIT,
        cert_number: "0815/GCN-BV",
        cert_expires_in: 950,
        tools_since: 850,
        tools: &[(RubberBaton, "DCS-NH-01"), (Radio, "BD-NH-02"), (Torch, "DPN-NH-01")],
    },
    GuardSpec {
        unit: Place::NganHang,
        full_name: "Lưu Minh Tiến",
        employment: Dedicated,
        phone: "0359817264",
        born: (1991, 7, 28),
        health: FIT,
        cert_number: "1544/GCN-BV",
        cert_expires_in: 1700,
        tools_since: 120,
        tools: &[(RubberBaton, "DCS-NH-02"), (Radio, "BD-NH-03")],
    },
    GuardSpec {
        unit: Place::DucGiang,
        full_name: "Phí Văn Thành",
        employment: Dedicated,
        phone: "0904918352",
        born: (1974, 1, 21),
        health: FIT,
        cert_number: "0530/GCN-BV",
        cert_expires_in: 500,
        tools_since: 1300,
        tools: &[(RubberBaton, "DCS-DG-01"), (Radio, "BD-DG-01")],
    },
    GuardSpec {
        unit: Place::DucGiang,
        full_name: "Cao Văn Hòa",
        employment: Dedicated,
        phone: "0982673019",
        born: (1980, 6, 2),
        health: FIT,
        cert_number: "1130/GCN-BV",
        cert_expires_in: 1300,
        tools_since: 520,
        tools: &[(RubberBaton, "DCS-DG-02"), (Torch, "DPN-DG-01"), (Radio, "BD-DG-02")],
    },
    GuardSpec {
        unit: Place::DucGiang,
        full_name: "Trương Văn Nam",
        employment: Dedicated,
        phone: "0338145690",
        born: (1986, 11, 15),
        health: FIT,
        cert_number: "0296/GCN-BV",
        cert_expires_in: 180,
        tools_since: 1600,
        tools: &[(KnifeGloves, "GT-DG-01"), (Radio, "BD-DG-03")],
    },
    GuardSpec {
        unit: Place::DucGiang,
        full_name: "Dương Thị Thoa",
        employment: PartTime,
        phone: "0961527304",
        born: (1992, 3, 8),
        health: "Hộ lý kiêm nhiệm bảo vệ khu Cấp cứu ca đêm; đủ sức khỏe.",
        cert_number: "1487/GCN-BV",
        cert_expires_in: 1600,
        tools_since: 200,
        tools: &[(Radio, "BD-DG-04")],
    },
    GuardSpec {
        unit: Place::MayVietHung,
        full_name: "Lý Văn Cường",
        employment: Dedicated,
        phone: "0912705836",
        born: (1978, 9, 13),
        health: FIT,
        cert_number: "0419/GCN-BV",
        cert_expires_in: 400,
        tools_since: 1400,
        tools: &[(RubberBaton, "DCS-MVH-01"), (Torch, "DPN-MVH-01")],
    },
    GuardSpec {
        unit: Place::MayVietHung,
        full_name: "Tô Văn Đạt",
        employment: Dedicated,
        phone: "0974130562",
        born: (1984, 12, 30),
        health: FIT,
        cert_number: "0987/GCN-BV",
        cert_expires_in: 1000,
        tools_since: 800,
        tools: &[(RubberBaton, "DCS-MVH-02"), (Radio, "BD-MVH-01")],
    },
    GuardSpec {
        unit: Place::MayVietHung,
        full_name: "Mạc Văn Hiếu",
        employment: PartTime,
        phone: "0389264107",
        born: (1995, 5, 5),
        health: "Công nhân tổ cơ điện kiêm nhiệm bảo vệ; đủ sức khỏe.",
        cert_number: "1401/GCN-BV",
        cert_expires_in: 1350,
        tools_since: 330,
        tools: &[(Torch, "DPN-MVH-02")],
    },
];

/// The organisation an account belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrgRef {
    System,
    Police(Police),
    Unit(Place),
}

/// One demo account.
pub(crate) struct AccountSpec {
    pub username: &'static str,
    pub role: Role,
    pub display_name: &'static str,
    pub org: OrgRef,
    /// The guard record a guard's account is linked to (by full name, within the unit).
    pub guard: Option<&'static str>,
}

const fn person(username: &'static str, role: Role, display_name: &'static str, org: OrgRef) -> AccountSpec {
    AccountSpec { username, role, display_name, org, guard: None }
}

const fn guard(username: &'static str, unit: Place, name: &'static str) -> AccountSpec {
    AccountSpec { username, role: Role::Guard, display_name: name, org: OrgRef::Unit(unit), guard: Some(name) }
}

use OrgRef::{Police as P, Unit as U};

/// Every demo account, in the order they are printed.
pub(crate) const ACCOUNTS: &[AccountSpec] = &[
    person("admin", Role::SystemAdmin, "Quản trị hệ thống", OrgRef::System),
    person("quantri.catp", Role::AuthorityAdmin, "Nguyễn Hoàng Long", P(Police::Province)),
    person("trucban.catp", Role::DutyDesk, "Trực ban Công an Thành phố Hà Nội", P(Police::Province)),
    person("quantri.bode", Role::AuthorityAdmin, "Bùi Thị Thanh Hương", P(Police::BoDe)),
    person("trucban.bode", Role::DutyDesk, "Trực ban Công an phường Bồ Đề", P(Police::BoDe)),
    person("canbo.bode", Role::AreaOfficer, "Trịnh Văn Quân", P(Police::BoDe)),
    person("trucban.viethung", Role::DutyDesk, "Trực ban Công an phường Việt Hưng", P(Police::VietHung)),
    person("canbo.viethung", Role::AreaOfficer, "Ngô Đức Thắng", P(Police::VietHung)),
    person("hieutruong.ngoclam", Role::UnitHead, "Nguyễn Thị Thu Hà", U(Place::NgocLam)),
    person("anninh.ngoclam", Role::SecurityOfficer, "Đặng Văn Toàn", U(Place::NgocLam)),
    guard("baove.ngoclam", Place::NgocLam, "Nguyễn Văn Bình"),
    person("cong.ngoclam", Role::Gate, "Đinh Thị Hạnh", U(Place::NgocLam)),
    person("giaovien.ngoclam", Role::Staff, "Lương Thị Mai", U(Place::NgocLam)),
    person("hieutruong.thbode", Role::UnitHead, "Trần Thị Minh Nguyệt", U(Place::TieuHocBoDe)),
    guard("baove.thbode", Place::TieuHocBoDe, "Đỗ Văn Khải"),
    person("hieutruong.ngt", Role::UnitHead, "Phạm Văn Đức", U(Place::NguyenGiaThieu)),
    guard("baove.ngt", Place::NguyenGiaThieu, "Kiều Văn Sáng"),
    person("giamdoc.pvhcc", Role::UnitHead, "Lê Quang Huy", U(Place::HanhChinhCong)),
    guard("baove.pvhcc", Place::HanhChinhCong, "Vương Đình Hải"),
    person("giamdoc.nganhang", Role::UnitHead, "Đỗ Mạnh Cường", U(Place::NganHang)),
    person("anninh.nganhang", Role::SecurityOfficer, "Phan Thanh Tùng", U(Place::NganHang)),
    guard("baove.nganhang", Place::NganHang, "Tống Văn Mạnh"),
    person("giamdoc.ducgiang", Role::UnitHead, "Hoàng Minh Tuấn", U(Place::DucGiang)),
    person("anninh.ducgiang", Role::SecurityOfficer, "Tạ Quang Vinh", U(Place::DucGiang)),
    guard("baove.ducgiang", Place::DucGiang, "Phí Văn Thành"),
    person("giamdoc.mayviethung", Role::UnitHead, "Vũ Thị Lan", U(Place::MayVietHung)),
    guard("baove.mayviethung", Place::MayVietHung, "Lý Văn Cường"),
];

/// Who issued a certificate: the district police before the 07/2025 reform, the city police after.
fn issuer(issued_on: Date) -> &'static str {
    if issued_on < date(2025, 7, 1) {
        "Công an quận Long Biên"
    } else {
        "Phòng Cảnh sát quản lý hành chính về trật tự xã hội – Công an Thành phố Hà Nội"
    }
}

fn org_of(registry: &Registry, org: OrgRef) -> Org {
    match org {
        OrgRef::System => Org::System,
        OrgRef::Police(k) => Org::Authority(registry.authority(k).id),
        OrgRef::Unit(k) => Org::Unit(registry.unit(k).id),
    }
}

/// Creates one account as the installation, linking a guard account to its guard record.
async fn create_account(
    cx: &mut Ctx<'_>,
    registry: &Registry,
    spec: &AccountSpec,
    guards: &[Guard],
) -> Result<Account, StoreError> {
    let guard_id = match spec.guard {
        Some(name) => Some(
            guards
                .iter()
                .find(|g| g.full_name == name)
                .map(|g| g.id)
                .ok_or_else(|| StoreError::Other(format!("demo data: no guard named {name}")))?,
        ),
        None => None,
    };
    let input = AccountInput {
        username: spec.username.into(),
        display_name: spec.display_name.into(),
        role: spec.role,
        org: org_of(registry, spec.org),
        guard_id,
        password: String::new(),
    };
    let actor = cx.system();
    cx.store.create_account(&actor, &input, cx.password_hash).await
}

/// Creates the system and police accounts.
pub(crate) async fn create_police_accounts(cx: &mut Ctx<'_>, registry: &Registry) -> Result<Vec<Account>, StoreError> {
    let mut created = Vec::new();
    for spec in ACCOUNTS.iter().filter(|a| !matches!(a.org, OrgRef::Unit(_))) {
        created.push(create_account(cx, registry, spec, &[]).await?);
    }
    Ok(created)
}

/// Creates the unit's head account (who then sets up the premises and the guard force).
pub(crate) async fn create_head(cx: &mut Ctx<'_>, registry: &Registry, unit: Place) -> Result<Account, StoreError> {
    let spec = ACCOUNTS
        .iter()
        .find(|a| a.org == OrgRef::Unit(unit) && a.role == Role::UnitHead)
        .ok_or_else(|| StoreError::Other(format!("demo data: no head for {unit:?}")))?;
    create_account(cx, registry, spec, &[]).await
}

/// Creates the unit's other accounts, after its guards.
pub(crate) async fn create_unit_accounts(
    cx: &mut Ctx<'_>,
    registry: &Registry,
    unit: Place,
    guards: &[Guard],
) -> Result<Vec<Account>, StoreError> {
    let mut created = Vec::new();
    for spec in ACCOUNTS.iter().filter(|a| a.org == OrgRef::Unit(unit) && a.role != Role::UnitHead) {
        created.push(create_account(cx, registry, spec, guards).await?);
    }
    Ok(created)
}

/// Creates the unit's guards with their certificates and tools, as the unit's head.
pub(crate) async fn create_guards(
    cx: &mut Ctx<'_>,
    registry: &Registry,
    unit: Place,
    head: &Principal,
) -> Result<Vec<Guard>, StoreError> {
    let today = baove_core::time::local_date(cx.now);
    let mut created = Vec::new();
    for spec in GUARDS.iter().filter(|g| g.unit == unit) {
        let (y, m, d) = spec.born;
        let input = GuardInput {
            id: None,
            unit_id: registry.unit(unit).id,
            full_name: spec.full_name.into(),
            employment: spec.employment,
            phone: spec.phone.into(),
            birth_date: Some(Date::new(y, m, d).map_err(time_error)?),
            health: spec.health.into(),
            active: true,
        };
        let actor = cx.acting_as(head);
        let guard = cx.store.create_guard(&actor, &input).await?;
        let expires_on = today.checked_add(spec.cert_expires_in.days()).map_err(time_error)?;
        let issued_on =
            expires_on.checked_sub(i64::from(baove_core::registry::CERTIFICATE_YEARS).years()).map_err(time_error)?;
        let cert =
            Certificate { number: spec.cert_number.into(), issuer: issuer(issued_on).into(), issued_on, expires_on };
        let actor = cx.acting_as(head);
        let mut guard = cx.store.add_certificate(&actor, guard.id, &cert).await?;
        let tools_on = today.checked_sub(spec.tools_since.days()).map_err(time_error)?;
        for (kind, serial) in spec.tools {
            let tool = IssuedTool { kind: *kind, serial: (*serial).into(), issued_on: tools_on, returned_on: None };
            let actor = cx.acting_as(head);
            guard = cx.store.add_tool(&actor, guard.id, &tool).await?;
        }
        created.push(guard);
    }
    Ok(created)
}

/// Opens the bank (a key target) to the Bồ Đề area officer, and to no duty desk.
pub(crate) async fn grant_clearances(
    cx: &mut Ctx<'_>,
    registry: &Registry,
    accounts: &[Account],
) -> Result<(), StoreError> {
    let officer = accounts
        .iter()
        .find(|a| a.username == "canbo.bode")
        .ok_or_else(|| StoreError::Other("demo data: no Bồ Đề area officer".into()))?;
    let actor = cx.system();
    cx.store.grant_clearance(&actor, registry.unit(Place::NganHang).id, officer.id).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::places::UNITS;

    #[test]
    fn usernames_are_unique_and_already_normalised() {
        for (i, a) in ACCOUNTS.iter().enumerate() {
            assert_eq!(baove_core::account::normalise_username(a.username).as_deref(), Some(a.username));
            assert!(ACCOUNTS[..i].iter().all(|b| b.username != a.username), "{}", a.username);
        }
    }

    #[test]
    fn every_unit_has_one_head_and_a_guard_account_linked_to_its_own_guard() {
        for unit in &UNITS {
            let mine: Vec<_> = ACCOUNTS.iter().filter(|a| a.org == OrgRef::Unit(unit.key)).collect();
            assert_eq!(mine.iter().filter(|a| a.role == Role::UnitHead).count(), 1, "{}", unit.name);
            let guard = mine.iter().find(|a| a.role == Role::Guard).and_then(|a| a.guard);
            assert!(
                guard.is_some_and(|g| GUARDS.iter().any(|s| s.unit == unit.key && s.full_name == g)),
                "{}",
                unit.name
            );
        }
    }

    #[test]
    fn roles_match_their_organisations() {
        use baove_core::access::OrgKind;
        for a in ACCOUNTS {
            let kind = match a.org {
                OrgRef::System => OrgKind::System,
                OrgRef::Police(_) => OrgKind::Authority,
                OrgRef::Unit(_) => OrgKind::Unit,
            };
            assert_eq!(a.role.org_kind(), kind, "{}", a.username);
            assert_eq!(a.guard.is_some(), a.role == Role::Guard, "{}", a.username);
        }
    }

    #[test]
    fn one_certificate_has_lapsed_one_is_expiring_and_the_rest_are_valid() {
        let lapsed = GUARDS.iter().filter(|g| g.cert_expires_in < 0).count();
        let expiring = GUARDS.iter().filter(|g| (0..=60).contains(&g.cert_expires_in)).count();
        assert_eq!((lapsed, expiring), (1, 1));
        assert!(GUARDS.iter().all(|g| g.cert_expires_in < 5 * 365 && !g.tools.is_empty()));
        assert!(GUARDS.iter().any(|g| g.employment == PartTime) && GUARDS.iter().any(|g| g.employment == Dedicated));
    }
}
