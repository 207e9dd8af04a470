//! The 14 incidents of seed 000 ("14 vụ việc: 09 liên quan đến trường học; 04 trong CQDN và 01
//! tại Bệnh viện"), placed in the 12 months before `now` the way seed 001 says thieves work:
//! mostly between 00:00 and 05:00 Vietnam time and above all 01:00–03:00, on Tết and public
//! holidays and at weekends, hiding behind helmets, masks, gloves and unplated or fake-plated
//! motorbikes. Placement is deterministic for a given `now`.
//!
//! A holiday incident goes to the latest occurrence of its holiday that fits the window; when
//! none does (the Tết dates are known for 2025–2028 only), it moves to a Saturday night and
//! loses its holiday wording.

use baove_core::incident::{Cause, Incident, IncidentKind, IncidentStatus, Modus, Outcome};
use baove_core::time::{local_date, vietnam};
use baove_core::{IncidentId, SiteId};
use baove_store::StoreError;
use jiff::civil::{Date, Weekday, date};
use jiff::{SignedDuration, Timestamp, ToSpan};

use crate::places::{Place, Registry};
use crate::{Ctx, time_error};

/// The first day of Tết Nguyên Đán, as published.
const TET: [Date; 4] = [date(2025, 1, 29), date(2026, 2, 17), date(2027, 2, 6), date(2028, 1, 26)];

/// The earliest an incident may be placed: inside the 12 months before `now`.
const WINDOW_DAYS: i64 = 364;

/// When, in the calendar, an incident happened.
#[derive(Debug, Clone, Copy)]
enum When {
    /// This many days after the first day of Tết.
    Tet(i32),
    /// A public holiday: (month, day).
    Holiday(i8, i8),
    /// The night before this weekday's morning, this many weeks back.
    Night(Weekday, i32),
}

struct IncidentSpec {
    unit: Place,
    when: When,
    /// Local wall-clock time (hour, minute).
    at: (i8, i8),
    /// Minutes from the incident to the report.
    reported_after: i64,
    kind: IncidentKind,
    /// Opens the summary when the incident falls on its holiday.
    occasion: &'static str,
    summary: &'static str,
    losses: &'static str,
    modus: &'static [Modus],
}

use IncidentKind::{BreakIn, Other, Theft};
use Modus::{CoveredPlate, FakePlate, Gloves, Helmet, Mask, ToolsInBag, Unplated};
use Weekday::{Saturday, Sunday, Tuesday, Wednesday};

const SPECS: [IncidentSpec; 14] = [
    IncidentSpec {
        unit: Place::NgocLam,
        when: When::Tet(1),
        at: (2, 10),
        reported_after: 270,
        kind: BreakIn,
        occasion: "Lợi dụng dịp nghỉ Tết Nguyên Đán",
        summary: "đối tượng trèo qua đoạn tường rào thấp phía sau trường, phá khóa cửa phòng kế toán (chưa lắp báo \
                  động) và lục tủ, ngăn kéo. Camera cổng phụ ghi nhận 01 đối tượng đội mũ, đeo khẩu trang, đi găng \
                  tay, đeo ba lô. Bảo vệ phát hiện khi tuần tra buổi sáng.",
        losses: "02 máy tính xách tay và 4.500.000 đồng tiền mặt để trong ngăn kéo bàn thủ quỹ.",
        modus: &[Helmet, Mask, Gloves, ToolsInBag],
    },
    IncidentSpec {
        unit: Place::NgocLam,
        when: When::Holiday(4, 30),
        at: (1, 35),
        reported_after: 320,
        kind: Theft,
        occasion: "Trong kỳ nghỉ lễ 30/4 – 1/5",
        summary: "đối tượng cắt khóa cửa phòng thiết bị tầng 2 nhà B, nơi hành lang chưa có camera, lấy trộm thiết bị \
                  dạy học. Bảo vệ trực đêm không tuần tra khu nhà B sau 23:00.",
        losses: "03 máy chiếu và 01 loa kéo di động, ước tính 38.000.000 đồng.",
        modus: &[Mask, Gloves, ToolsInBag],
    },
    IncidentSpec {
        unit: Place::NgocLam,
        when: When::Night(Sunday, 6),
        at: (2, 45),
        reported_after: 255,
        kind: Theft,
        occasion: "",
        summary: "Đối tượng đi xe máy không biển kiểm soát đến cổng phụ, trèo vào nhà để xe, dùng vam phá khóa và dắt \
                  01 xe máy ra ngoài. Camera cổng phụ ghi được hình ảnh nhưng không rõ mặt do đối tượng đội mũ bảo \
                  hiểm, đeo khẩu trang.",
        losses: "01 xe máy Honda Wave Alpha của giáo viên trực trường.",
        modus: &[Helmet, Mask, Unplated, ToolsInBag],
    },
    IncidentSpec {
        unit: Place::NgocLam,
        when: When::Night(Tuesday, 1),
        at: (23, 15),
        reported_after: 25,
        kind: Other,
        occasion: "",
        summary: "Bảo vệ phát hiện 02 đối tượng đi xe máy che biển số nhiều đêm liền dừng trước cổng trường quan sát, \
                  ghi chép giờ bảo vệ đi tuần. Khi bảo vệ ra hỏi, các đối tượng bỏ đi. Đã báo Công an phường Bồ Đề.",
        losses: "Không có thiệt hại.",
        modus: &[Helmet, CoveredPlate],
    },
    IncidentSpec {
        unit: Place::TieuHocBoDe,
        when: When::Tet(2),
        at: (1, 20),
        reported_after: 25,
        kind: BreakIn,
        occasion: "Lợi dụng dịp nghỉ Tết Nguyên Đán",
        summary: "đối tượng dùng kìm cộng lực cắt song sắt cửa sổ phòng tin học tầng 2 để vào lấy trộm thiết bị. \
                  Chuông báo động có kêu nhưng bảo vệ trực một mình đang ở cổng; khi lên đến nơi, đối tượng đã tẩu \
                  thoát qua tường rào phía tây.",
        losses: "08 bộ máy tính để bàn (CPU) và 01 bộ phát wifi, ước tính 96.000.000 đồng.",
        modus: &[Mask, Gloves, ToolsInBag],
    },
    IncidentSpec {
        unit: Place::TieuHocBoDe,
        when: When::Holiday(9, 2),
        at: (2, 30),
        reported_after: 280,
        kind: Theft,
        occasion: "Trong kỳ nghỉ lễ Quốc khánh 2/9",
        summary: "đối tượng cắt trộm cáp điện chạy dọc tường rào giáp khu dân cư, cấp điện cho dãy phòng học.",
        losses: "Khoảng 60 m cáp điện lõi đồng, ước tính 18.000.000 đồng; dãy phòng học mất điện.",
        modus: &[Mask, Gloves, ToolsInBag],
    },
    IncidentSpec {
        unit: Place::TieuHocBoDe,
        when: When::Night(Saturday, 20),
        at: (3, 5),
        reported_after: 230,
        kind: Theft,
        occasion: "",
        summary: "Đối tượng vào nhà đa năng qua cửa thoát hiểm không được chốt trong, lấy trộm tài sản ở phòng hội \
                  đồng. Camera cửa thoát hiểm ghi nhận 01 đối tượng đội mũ lưỡi trai, đi găng tay.",
        losses: "01 tivi 55 inch và 01 bộ loa hội trường.",
        modus: &[Helmet, Gloves],
    },
    IncidentSpec {
        unit: Place::NguyenGiaThieu,
        when: When::Holiday(1, 1),
        at: (1, 55),
        reported_after: 15,
        kind: BreakIn,
        occasion: "Đêm Tết Dương lịch",
        summary: "đối tượng phá khóa cửa phòng Hiệu trưởng, cạy két sắt không thành. Cảm biến cửa kích hoạt chuông báo \
                  động; bảo vệ đến nơi thì đối tượng đã trèo tường ra ngõ sau, lên xe máy gắn biển số giả tẩu thoát.",
        losses: "Khoảng 12.000.000 đồng tiền mặt để trong ngăn kéo bàn làm việc; cửa két sắt bị cạy hỏng.",
        modus: &[Mask, Gloves, ToolsInBag, FakePlate],
    },
    IncidentSpec {
        unit: Place::NguyenGiaThieu,
        when: When::Night(Sunday, 33),
        at: (2, 20),
        reported_after: 300,
        kind: Theft,
        occasion: "",
        summary: "Đối tượng cạy cửa phòng thiết bị – thí nghiệm (chưa có điểm tuần tra), lấy máy tính xách tay trong \
                  tủ cho giáo viên mượn. Cảm biến hồng ngoại đã báo về tủ trung tâm nhưng bảo vệ cho là báo nhầm.",
        losses: "03 máy tính xách tay, ước tính 45.000.000 đồng.",
        modus: &[Helmet, Mask],
    },
    IncidentSpec {
        unit: Place::HanhChinhCong,
        when: When::Night(Saturday, 2),
        at: (1, 40),
        reported_after: 360,
        kind: BreakIn,
        occasion: "",
        summary: "Đối tượng phá khóa cửa sau trụ sở, lên tầng 2 đột nhập phòng Giám đốc, lục soát bàn làm việc. Camera \
                  cửa sau ghi nhận 01 đối tượng đội mũ, đeo khẩu trang, đi găng tay, mang ba lô đựng dụng cụ. Bảo vệ \
                  ca đêm không nghe thấy chuông báo động.",
        losses: "01 máy tính xách tay, 01 điện thoại di động để quên trên bàn và một số tài liệu cá nhân.",
        modus: &[Helmet, Mask, Gloves, ToolsInBag],
    },
    IncidentSpec {
        unit: Place::MayVietHung,
        when: When::Tet(3),
        at: (2, 35),
        reported_after: 240,
        kind: Theft,
        occasion: "Trong những ngày công nhân nghỉ Tết Nguyên Đán",
        summary: "đối tượng cắt trộm cáp điện từ trạm biến áp vào nhà xưởng, cho vào bao tải mang ra qua góc khuất sau \
                  kho thành phẩm (chưa có camera). Bảo vệ phát hiện 01 xe máy không biển kiểm soát đỗ ngoài tường rào.",
        losses: "Khoảng 150 m cáp điện lõi đồng, ước tính 45.000.000 đồng; nhà xưởng ngừng sản xuất 01 ngày.",
        modus: &[Mask, Gloves, Unplated, ToolsInBag],
    },
    IncidentSpec {
        unit: Place::MayVietHung,
        when: When::Night(Wednesday, 26),
        at: (22, 50),
        reported_after: 20,
        kind: Theft,
        occasion: "",
        summary: "Bảo vệ cổng số 1 kiểm tra túi xách khi hết ca, phát hiện 01 công nhân cất giấu hàng thành phẩm mang \
                  ra ngoài. Đã lập biên bản, bàn giao Công an phường Việt Hưng.",
        losses: "25 áo jacket thành phẩm (đã thu hồi).",
        modus: &[],
    },
    IncidentSpec {
        unit: Place::NganHang,
        when: When::Holiday(5, 1),
        at: (3, 10),
        reported_after: 8,
        kind: BreakIn,
        occasion: "Trong kỳ nghỉ lễ 30/4 – 1/5",
        summary: "đối tượng dùng xà beng cạy cửa kính buồng ATM; cảm biến rung kích hoạt báo động về chốt bảo vệ và \
                  Công an phường. Bảo vệ và tổ công tác Công an phường Bồ Đề có mặt sau 06 phút, đối tượng bỏ chạy \
                  bằng xe máy che biển số.",
        losses: "Vỡ 01 tấm kính cửa buồng ATM; không mất tiền, tài sản.",
        modus: &[Helmet, Mask, Gloves, CoveredPlate],
    },
    IncidentSpec {
        unit: Place::DucGiang,
        when: When::Night(Saturday, 12),
        at: (1, 45),
        reported_after: 200,
        kind: Theft,
        occasion: "",
        summary: "Mất trộm xe máy tại bãi gửi xe người nhà bệnh nhân. Camera lối ra ghi nhận đối tượng đội mũ bảo \
                  hiểm, đeo khẩu trang, dùng vam phá khóa rồi dắt xe ra lối phụ khi nhân viên trông xe đang soát vé.",
        losses: "01 xe máy Honda Vision của người nhà bệnh nhân.",
        modus: &[Helmet, Mask, ToolsInBag],
    },
];

/// An incident placed in time, ready to store.
pub(crate) struct Planned {
    pub unit: Place,
    pub kind: IncidentKind,
    pub status: IncidentStatus,
    pub occurred_at: Timestamp,
    pub reported_at: Timestamp,
    pub summary: String,
    pub losses: &'static str,
    pub modus: &'static [Modus],
}

fn instant(day: Date, (hour, minute): (i8, i8)) -> Result<Timestamp, jiff::Error> {
    Ok(day.at(hour, minute, 0, 0).to_zoned(vietnam())?.timestamp())
}

/// The latest `weekday` on or before `day`, `weeks` weeks further back.
fn weekday_back(day: Date, weekday: Weekday, weeks: i32) -> Result<Date, jiff::Error> {
    let back = (day.weekday().to_monday_zero_offset() - weekday.to_monday_zero_offset()).rem_euclid(7);
    day.checked_sub((i64::from(back) + 7 * i64::from(weeks)).days())
}

/// Where police stand with an incident of this age.
fn status_at(age: SignedDuration) -> IncidentStatus {
    match age.as_hours() / 24 {
        120.. => IncidentStatus::Closed,
        45..=119 => IncidentStatus::Handled,
        14..=44 => IncidentStatus::Verifying,
        _ => IncidentStatus::Received,
    }
}

/// Upper-cases the first letter (the summary of a holiday incident starts mid-sentence).
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Places the 14 incidents before `now`, oldest first.
pub(crate) fn plan(now: Timestamp) -> Result<Vec<Planned>, jiff::Error> {
    let earliest = now - SignedDuration::from_hours(24 * WINDOW_DAYS);
    // The Sunday/Saturday/weekday nights are counted back from a day that ends two days before now.
    let reference = local_date(now - SignedDuration::from_hours(72));
    let mut planned = Vec::with_capacity(SPECS.len());
    for (i, spec) in SPECS.iter().enumerate() {
        let delay = SignedDuration::from_mins(spec.reported_after);
        let latest = now - delay - SignedDuration::from_hours(1);
        let fits = |t: &Timestamp| earliest <= *t && *t <= latest;
        let holiday = match spec.when {
            When::Tet(offset) => {
                let days: Vec<Date> = TET.iter().rev().filter_map(|t| t.checked_add(offset.days()).ok()).collect();
                days.into_iter().filter_map(|d| instant(d, spec.at).ok()).find(fits)
            }
            When::Holiday(month, day) => {
                let year = reference.year();
                [year + 1, year, year - 1]
                    .into_iter()
                    .filter_map(|y| Date::new(y, month, day).ok())
                    .filter_map(|d| instant(d, spec.at).ok())
                    .find(fits)
            }
            When::Night(..) => None,
        };
        let (occurred_at, summary) = match (holiday, spec.when) {
            (Some(t), _) => (t, format!("{}, {}", spec.occasion, spec.summary)),
            (None, When::Night(weekday, weeks)) => {
                (instant(weekday_back(reference, weekday, weeks)?, spec.at)?, spec.summary.to_owned())
            }
            (None, _) => {
                let weeks = 4 + 3 * i32::try_from(i).unwrap_or(0);
                (instant(weekday_back(reference, Saturday, weeks)?, spec.at)?, capitalised(spec.summary))
            }
        };
        let reported_at = occurred_at + delay;
        planned.push(Planned {
            unit: spec.unit,
            kind: spec.kind,
            status: status_at(now.duration_since(occurred_at)),
            occurred_at,
            reported_at,
            summary,
            losses: spec.losses,
            modus: spec.modus,
        });
    }
    planned.sort_by_key(|p| p.occurred_at);
    Ok(planned)
}

/// The gaps the police found (seeds 000 and 001): a thin guard force and patrols that do not
/// close the loop everywhere; masked offenders with tools went where no camera watched; an
/// unplated motorbike came over a low fence.
fn causes_seen(p: &Planned) -> Vec<Cause> {
    let mut c = vec![Cause::ThinGuard, Cause::PatrolNotClosed];
    if p.modus.contains(&Modus::Mask) || p.modus.contains(&Modus::ToolsInBag) {
        c.push(Cause::NoAlarmOrCamera);
    }
    if p.modus.contains(&Modus::Unplated) {
        c.push(Cause::LowFence);
    }
    Cause::ALL.iter().copied().filter(|x| c.contains(x)).collect()
}

/// Records the incidents, oldest first, each as the installation at the time it was reported.
pub(crate) async fn create(cx: &mut Ctx<'_>, registry: &Registry, sites: &[(Place, SiteId)]) -> Result<(), StoreError> {
    for p in plan(cx.now).map_err(time_error)? {
        let causes = if p.status == IncidentStatus::Closed { causes_seen(&p) } else { Vec::new() };
        let incident = Incident {
            id: IncidentId::mint(),
            unit_id: registry.unit(p.unit).id,
            site_id: sites.iter().find(|(u, _)| *u == p.unit).map(|(_, s)| *s),
            kind: p.kind,
            status: p.status,
            occurred_at: p.occurred_at,
            reported_at: p.reported_at,
            summary: p.summary.clone(),
            losses: p.losses.into(),
            modus: p.modus.to_vec(),
            zone_id: None,
            suspect_person: String::new(),
            suspect_vehicle: String::new(),
            plate: None,
            reporter: "Bảo vệ trực đêm".into(),
            outcome: (p.status == IncidentStatus::Closed).then_some(Outcome::Resolved),
            causes,
        };
        let actor = cx.system_at(p.reported_at);
        cx.store.create_incident(&actor, &incident).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::places::unit_spec;
    use baove_core::registry::UnitKind;

    fn hour(t: Timestamp) -> i8 {
        baove_core::time::local(t).hour()
    }

    #[test]
    fn the_split_is_nine_schools_four_cqdn_one_hospital() {
        let kinds: Vec<UnitKind> = SPECS.iter().map(|s| unit_spec(s.unit).kind).collect();
        let count = |f: fn(&UnitKind) -> bool| kinds.iter().filter(|k| f(k)).count();
        assert_eq!(count(|k| *k == UnitKind::School), 9);
        assert_eq!(count(|k| matches!(k, UnitKind::Agency | UnitKind::Enterprise | UnitKind::Bank)), 4);
        assert_eq!(count(|k| *k == UnitKind::Hospital), 1);
    }

    #[test]
    fn for_any_now_the_incidents_fall_in_the_year_before_it_and_mostly_at_night() {
        let mut now: Timestamp = "2024-06-01T03:17:00Z".parse().unwrap();
        let end: Timestamp = "2030-01-01T00:00:00Z".parse().unwrap();
        while now < end {
            let year_ago = baove_core::time::local(now).checked_sub(1.year()).unwrap().timestamp();
            let plan = plan(now).unwrap();
            assert_eq!(plan.len(), 14);
            for p in &plan {
                assert!(
                    year_ago < p.occurred_at && p.occurred_at < p.reported_at && p.reported_at < now,
                    "{now}: {}",
                    p.occurred_at
                );
            }
            let night = plan.iter().filter(|p| hour(p.occurred_at) < 5).count();
            let small_hours = plan.iter().filter(|p| (1..3).contains(&hour(p.occurred_at))).count();
            assert!(night >= 12 && small_hours * 2 > night, "{now}: {night} at night, {small_hours} at 01–03");
            now += SignedDuration::from_hours(24 * 3 + 5);
        }
    }

    #[test]
    fn holidays_land_on_their_dates_and_old_cases_are_closed() {
        let now: Timestamp = "2026-11-21T02:00:00Z".parse().unwrap();
        let plan = plan(now).unwrap();
        let dates: Vec<Date> = plan.iter().map(|p| local_date(p.occurred_at)).collect();
        for d in [
            date(2026, 2, 18),
            date(2026, 2, 19),
            date(2026, 2, 20),
            date(2026, 4, 30),
            date(2026, 5, 1),
            date(2026, 9, 2),
            date(2026, 1, 1),
        ] {
            assert!(dates.contains(&d), "{d}");
        }
        let weekend = dates.iter().filter(|d| matches!(d.weekday(), Saturday | Sunday)).count();
        assert!(weekend >= 5, "{weekend}");
        assert_eq!(plan[0].status, IncidentStatus::Closed);
        assert!(matches!(plan[13].status, IncidentStatus::Received | IncidentStatus::Verifying));
        assert!(plan.iter().any(|p| p.summary.starts_with("Lợi dụng dịp nghỉ Tết Nguyên Đán, đối tượng")));
    }

    #[test]
    fn placement_is_deterministic_and_a_fallback_reads_as_a_sentence() {
        let now: Timestamp = "2026-02-10T00:00:00Z".parse().unwrap();
        let a: Vec<_> = plan(now).unwrap().into_iter().map(|p| (p.occurred_at, p.summary)).collect();
        let b: Vec<_> = plan(now).unwrap().into_iter().map(|p| (p.occurred_at, p.summary)).collect();
        assert_eq!(a, b);
        // Tết 2026 has not come yet and Tết 2025 plus 3 days is more than 364 days back.
        assert!(a.iter().any(|(_, s)| s.starts_with("Đối tượng cắt trộm cáp điện từ trạm biến áp")));
        assert!(a.iter().all(|(_, s)| s.chars().next().is_some_and(char::is_uppercase)));
    }
}
