//! The demo's police tree and the units it oversees: the Hà Nội city police with its steering
//! committee and two ward police of the former Long Biên district (two-level government since
//! 07/2025, so the wards sit directly under the city), and seven units in those wards.
//!
//! Ward codes are the post-2025 GSO codes as published in the `vietnam-provinces` package
//! (PyPI, version 2025.10.1, data of 2025-10-18): Phường Bồ Đề = 00130, Phường Việt Hưng = 00127.
//! Names of real institutions are used for realism only: every person, phone number and incident
//! of the demo is fictional.

use baove_core::registry::{Authority, AuthorityInput, AuthorityKind, Unit, UnitInput, UnitKind};
use baove_store::StoreError;

use crate::Ctx;

/// The demo's authorities, in creation order (parents first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Police {
    Province,
    Committee,
    BoDe,
    VietHung,
}

/// One authority to create.
pub(crate) struct AuthoritySpec {
    pub key: Police,
    pub parent: Option<Police>,
    pub kind: AuthorityKind,
    pub name: &'static str,
    pub ward_code: &'static str,
    pub phone: &'static str,
    pub address: &'static str,
}

/// Indexed by `Police as usize`.
pub(crate) const AUTHORITIES: [AuthoritySpec; 4] = [
    AuthoritySpec {
        key: Police::Province,
        parent: None,
        kind: AuthorityKind::ProvincePolice,
        name: "Công an Thành phố Hà Nội",
        ward_code: "",
        phone: "02439396100",
        address: "87 Trần Hưng Đạo, phường Cửa Nam, Hà Nội",
    },
    AuthoritySpec {
        key: Police::Committee,
        parent: Some(Police::Province),
        kind: AuthorityKind::SteeringCommittee,
        name: "Ban Chỉ đạo 138 Thành phố Hà Nội",
        ward_code: "",
        phone: "",
        address: "Cơ quan thường trực: Công an Thành phố Hà Nội, 87 Trần Hưng Đạo, phường Cửa Nam, Hà Nội",
    },
    AuthoritySpec {
        key: Police::BoDe,
        parent: Some(Police::Province),
        kind: AuthorityKind::CommunePolice,
        name: "Công an phường Bồ Đề",
        ward_code: "00130",
        phone: "02438724321",
        address: "Số 2 phố Hoàng Như Tiếp, phường Bồ Đề, Hà Nội",
    },
    AuthoritySpec {
        key: Police::VietHung,
        parent: Some(Police::Province),
        kind: AuthorityKind::CommunePolice,
        name: "Công an phường Việt Hưng",
        ward_code: "00127",
        phone: "02438770215",
        address: "Số 6 phố Vạn Hạnh, phường Việt Hưng, Hà Nội",
    },
];

/// The demo's units, in creation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    NgocLam,
    TieuHocBoDe,
    NguyenGiaThieu,
    HanhChinhCong,
    NganHang,
    DucGiang,
    MayVietHung,
}

/// One unit to create.
pub(crate) struct UnitSpec {
    pub key: Place,
    /// Short ASCII name used in device serials and external references.
    pub slug: &'static str,
    pub authority: Police,
    pub kind: UnitKind,
    pub name: &'static str,
    pub key_target: bool,
    pub address: &'static str,
    pub phone: &'static str,
    pub head_name: &'static str,
}

/// Indexed by `Place as usize`.
pub(crate) const UNITS: [UnitSpec; 7] = [
    UnitSpec {
        key: Place::NgocLam,
        slug: "ngoclam",
        authority: Police::BoDe,
        kind: UnitKind::School,
        name: "Trường THCS Ngọc Lâm",
        key_target: false,
        address: "Số 1 ngõ 99 phố Ngọc Lâm, phường Bồ Đề, Hà Nội",
        phone: "02438733624",
        head_name: "Nguyễn Thị Thu Hà",
    },
    UnitSpec {
        key: Place::TieuHocBoDe,
        slug: "thbode",
        authority: Police::BoDe,
        kind: UnitKind::School,
        name: "Trường Tiểu học Bồ Đề",
        key_target: false,
        address: "Số 10 phố Lâm Du, phường Bồ Đề, Hà Nội",
        phone: "02438271936",
        head_name: "Trần Thị Minh Nguyệt",
    },
    UnitSpec {
        key: Place::NguyenGiaThieu,
        slug: "ngt",
        authority: Police::BoDe,
        kind: UnitKind::School,
        name: "Trường THPT Nguyễn Gia Thiều",
        key_target: false,
        address: "Số 27 ngõ 298 phố Ngọc Lâm, phường Bồ Đề, Hà Nội",
        phone: "02438271540",
        head_name: "Phạm Văn Đức",
    },
    UnitSpec {
        key: Place::HanhChinhCong,
        slug: "pvhcc",
        authority: Police::BoDe,
        kind: UnitKind::Agency,
        name: "Trung tâm Phục vụ hành chính công phường Bồ Đề",
        key_target: false,
        address: "Số 12 phố Nguyễn Sơn, phường Bồ Đề, Hà Nội",
        phone: "02438726688",
        head_name: "Lê Quang Huy",
    },
    UnitSpec {
        key: Place::NganHang,
        slug: "nganhang",
        authority: Police::BoDe,
        kind: UnitKind::Bank,
        name: "Ngân hàng TMCP Sông Hồng – Chi nhánh Long Biên",
        key_target: true,
        address: "Số 1 phố Nguyễn Văn Cừ, phường Bồ Đề, Hà Nội",
        phone: "02438724455",
        head_name: "Đỗ Mạnh Cường",
    },
    UnitSpec {
        key: Place::DucGiang,
        slug: "ducgiang",
        authority: Police::VietHung,
        kind: UnitKind::Hospital,
        name: "Bệnh viện Đa khoa Đức Giang",
        key_target: false,
        address: "Số 54 phố Trường Lâm, phường Việt Hưng, Hà Nội",
        phone: "02438271819",
        head_name: "Hoàng Minh Tuấn",
    },
    UnitSpec {
        key: Place::MayVietHung,
        slug: "mayviethung",
        authority: Police::VietHung,
        kind: UnitKind::Enterprise,
        name: "Công ty Cổ phần May xuất khẩu Việt Hưng",
        key_target: false,
        address: "Số 18 phố Đức Giang, phường Việt Hưng, Hà Nội",
        phone: "02438779012",
        head_name: "Vũ Thị Lan",
    },
];

/// The spec of one authority.
pub(crate) fn authority_spec(key: Police) -> &'static AuthoritySpec {
    &AUTHORITIES[key as usize]
}

/// The spec of one unit.
pub(crate) fn unit_spec(key: Place) -> &'static UnitSpec {
    &UNITS[key as usize]
}

/// The created authorities and units, indexed like [`AUTHORITIES`] and [`UNITS`].
pub(crate) struct Registry {
    pub authorities: Vec<Authority>,
    pub units: Vec<Unit>,
}

impl Registry {
    pub fn authority(&self, key: Police) -> &Authority {
        &self.authorities[key as usize]
    }

    pub fn unit(&self, key: Place) -> &Unit {
        &self.units[key as usize]
    }
}

/// Creates the authority tree and the units, as the installation itself.
pub(crate) async fn create(cx: &mut Ctx<'_>) -> Result<Registry, StoreError> {
    let mut authorities: Vec<Authority> = Vec::with_capacity(AUTHORITIES.len());
    for spec in &AUTHORITIES {
        debug_assert_eq!(spec.key as usize, authorities.len(), "AUTHORITIES is indexed by its keys");
        let parent_id = spec.parent.map(|p| authorities[p as usize].id);
        let input = AuthorityInput {
            id: None,
            parent_id,
            kind: spec.kind,
            name: spec.name.into(),
            province_code: "01".into(),
            ward_code: spec.ward_code.into(),
            phone: spec.phone.into(),
            address: spec.address.into(),
        };
        let actor = cx.system();
        authorities.push(cx.store.create_authority(&actor, &input).await?);
    }
    let mut units = Vec::with_capacity(UNITS.len());
    for spec in &UNITS {
        let input = UnitInput {
            id: None,
            authority_id: authorities[spec.authority as usize].id,
            kind: spec.kind,
            name: spec.name.into(),
            key_target: spec.key_target,
            address: spec.address.into(),
            phone: spec.phone.into(),
            head_name: spec.head_name.into(),
        };
        let actor = cx.system();
        units.push(cx.store.create_unit(&actor, &input).await?);
    }
    Ok(Registry { authorities, units })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_are_indexed_by_their_keys_and_parents_come_first() {
        for (i, a) in AUTHORITIES.iter().enumerate() {
            assert_eq!(a.key as usize, i);
            assert!(a.parent.is_none_or(|p| (p as usize) < i), "{}", a.name);
        }
        for (i, u) in UNITS.iter().enumerate() {
            assert_eq!(u.key as usize, i);
            assert!(authority_spec(u.authority).kind.has_jurisdiction(), "{}", u.name);
        }
    }

    #[test]
    fn phone_numbers_are_stored_in_their_domestic_form() {
        let phones = AUTHORITIES.iter().map(|a| a.phone).chain(UNITS.iter().map(|u| u.phone));
        for phone in phones.filter(|p| !p.is_empty()) {
            assert_eq!(baove_core::validate::normalise_phone(phone).as_deref(), Some(phone));
        }
    }

    #[test]
    fn only_the_bank_is_a_key_target() {
        let flagged: Vec<_> = UNITS.iter().filter(|u| u.key_target).map(|u| u.kind).collect();
        assert_eq!(flagged, vec![UnitKind::Bank]);
    }
}
