//! The personal-data notice shown to visitors, and the record of their consent.
//!
//! NĐ 13/2023/NĐ-CP Điều 11: consent is valid only when the person knows the type of data, the
//! purpose, who processes it and their rights and duties; it must be a clear, voluntary,
//! affirmative act in a form that can be printed or copied, silence is not consent, and it may
//! be partial and withdrawn. Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15 (in force 01/01/2026)
//! keeps these rules. So the notice is versioned text (Vietnamese first, English), each visit
//! records the version agreed to, the time and the channel, and optional uses (photo,
//! returning-visitor profile, face matching) are ticked separately.
//!
//! A published version is never edited: a change is a new version.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::RetentionPolicy;
use crate::registry::code_enum;
use crate::text;

code_enum!(
    /// The language of a notice.
    Lang {
        Vi = "vi",
        En = "en",
    }
);

code_enum!(
    /// How consent was given: "I agree" tapped on a kiosk or tablet, confirmed on the guard's
    /// screen, or signed in the paper logbook.
    ConsentChannel {
        Kiosk = "kiosk",
        GuardScreen = "guard_screen",
        Paper = "paper",
    }
);

/// One version of the notice. Placeholders: `{version}`, `{controller}`, `{visit_days}`,
/// `{profile_days}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsentNotice {
    pub version: &'static str,
    pub vi: &'static str,
    pub en: &'static str,
}

/// The version shown to new visitors.
pub const CURRENT_VERSION: &str = "2026.1";

/// Every published version, oldest first.
pub const NOTICES: &[ConsentNotice] = &[ConsentNotice { version: "2026.1", vi: VI_2026_1, en: EN_2026_1 }];

const VI_2026_1: &str = "\
THÔNG BÁO VỀ XỬ LÝ DỮ LIỆU CÁ NHÂN CỦA KHÁCH RA VÀO (phiên bản {version})

1. Bên kiểm soát và xử lý dữ liệu: {controller}.
2. Dữ liệu được thu thập: họ và tên; số định danh cá nhân, số chứng minh nhân dân cũ hoặc số hộ chiếu; \
ngày sinh, giới tính, quốc tịch; nơi cư trú ghi trong mã QR của thẻ căn cước; số điện thoại; cơ quan, đơn vị \
công tác; biển số xe; người cần gặp, mục đích, đồ vật mang theo; giờ vào, giờ ra và số thẻ khách.
3. Mục đích: kiểm soát người và phương tiện ra vào; bảo đảm an ninh, trật tự và an toàn tài sản của đơn vị; \
ghi sổ theo dõi khách; cung cấp cho cơ quan Công an khi có yêu cầu theo quy định của pháp luật.
4. Thời hạn lưu trữ: dữ liệu cá nhân của mỗi lượt ra vào được lưu {visit_days} ngày kể từ khi ra về; hồ sơ \
khách quen (nếu bạn đồng ý) được lưu {profile_days} ngày kể từ lần đến gần nhất; hết hạn, dữ liệu được xóa \
hoặc ẩn danh tự động.
5. Thẻ căn cước được trả lại ngay sau khi quét; đơn vị không giữ giấy tờ tùy thân của bạn.
6. Quyền của bạn: được biết về việc xử lý dữ liệu; đồng ý hoặc không đồng ý; rút lại sự đồng ý; truy cập, \
yêu cầu chỉnh sửa, xóa, hạn chế xử lý dữ liệu; phản đối xử lý; khiếu nại, tố cáo, khởi kiện và yêu cầu bồi \
thường thiệt hại, theo Nghị định số 13/2023/NĐ-CP và Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15.
7. Chụp ảnh, lưu hồ sơ khách quen và đối chiếu khuôn mặt là các mục đích tùy chọn, chỉ thực hiện khi bạn \
đánh dấu đồng ý riêng cho từng mục.

Việc bạn bấm “Tôi đồng ý” hoặc ký xác nhận là sự đồng ý rõ ràng, tự nguyện theo Điều 11 Nghị định số \
13/2023/NĐ-CP. Im lặng hoặc không phản hồi không được coi là đồng ý.";

const EN_2026_1: &str = "\
NOTICE ON THE PROCESSING OF VISITORS' PERSONAL DATA (version {version})

1. Data controller and processor: {controller}.
2. Data collected: full name; personal identification number, old identity card number or passport \
number; date of birth, gender, nationality; place of residence as encoded in the ID card's QR code; phone \
number; organisation; vehicle plate number; person visited, purpose, items brought in; times of entry and \
exit and visitor card number.
3. Purpose: controlling who and which vehicles enter and leave; the security, order and safety of the \
unit's property; keeping the visitor logbook; disclosure to the police when they request it as the law \
provides.
4. Retention: the personal data of each visit is kept for {visit_days} days after you leave; a \
returning-visitor profile (if you agree to one) is kept for {profile_days} days after your last visit; \
after that it is deleted or anonymised automatically.
5. Your ID card is handed back as soon as it is scanned; the unit does not keep identity documents.
6. Your rights: to be informed of the processing; to consent or refuse; to withdraw consent; to access, \
correct and delete your data and restrict its processing; to object to processing; to complain, denounce, \
sue and claim damages, under Decree No. 13/2023/ND-CP and the Personal Data Protection Law No. 91/2025/QH15.
7. Photographs, a returning-visitor profile and face matching are optional purposes, carried out only if \
you tick a separate box for each.

Pressing \"I agree\" or signing is clear, voluntary consent under Article 11 of Decree No. 13/2023/ND-CP. \
Silence or no response is not consent.";

impl ConsentNotice {
    /// The notice shown to new visitors.
    #[must_use]
    pub fn current() -> &'static Self {
        Self::find(CURRENT_VERSION).unwrap_or(&NOTICES[0])
    }

    /// A published version.
    #[must_use]
    pub fn find(version: &str) -> Option<&'static Self> {
        NOTICES.iter().find(|n| n.version == version)
    }

    /// The text for a unit: its name as controller and its retention periods, in NFC.
    #[must_use]
    pub fn render(&self, lang: Lang, controller: &str, policy: RetentionPolicy) -> String {
        let template = match lang {
            Lang::Vi => self.vi,
            Lang::En => self.en,
        };
        let text = template
            .replace("{version}", self.version)
            .replace("{controller}", &text::clean_line(controller))
            .replace("{visit_days}", &policy.visit_days().to_string())
            .replace("{profile_days}", &policy.profile_days().to_string());
        text::nfc(&text)
    }
}

/// Optional uses, each agreed to separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OptionalPurposes {
    pub photo: bool,
    pub returning_profile: bool,
    pub face_matching: bool,
}

/// A visitor's consent, recorded with the visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    pub version: String,
    pub given_at: Timestamp,
    pub channel: ConsentChannel,
    pub optional: OptionalPurposes,
}

/// Consent to a version that was never published.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown consent notice version {0:?}")]
pub struct UnknownVersion(pub String);

impl ConsentRecord {
    /// Records consent to a published version.
    ///
    /// # Errors
    /// [`UnknownVersion`].
    pub fn new(
        version: &str,
        given_at: Timestamp,
        channel: ConsentChannel,
        optional: OptionalPurposes,
    ) -> Result<Self, UnknownVersion> {
        let notice =
            ConsentNotice::find(version.trim()).ok_or_else(|| UnknownVersion(version.chars().take(32).collect()))?;
        Ok(Self { version: notice.version.to_owned(), given_at, channel, optional })
    }
}

#[cfg(test)]
mod tests {
    use unicode_normalization::UnicodeNormalization;

    use super::*;

    #[test]
    fn the_vietnamese_text_is_nfc_and_names_what_article_11_requires() {
        let n = ConsentNotice::current();
        assert_eq!(n.version, CURRENT_VERSION);
        assert_eq!(text::nfc(n.vi), n.vi, "precomposed diacritics");
        for needle in [
            "Bên kiểm soát",
            "số định danh cá nhân",
            "số hộ chiếu",
            "biển số xe",
            "Mục đích",
            "Quyền của bạn",
            "rút lại sự đồng ý",
            "Nghị định số 13/2023/NĐ-CP",
            "Điều 11",
            "91/2025/QH15",
            "không được coi là đồng ý",
        ] {
            assert!(n.vi.contains(needle), "{needle}");
        }
        for needle in ["controller", "passport", "plate", "Purpose", "withdraw consent", "13/2023", "91/2025/QH15"] {
            assert!(n.en.contains(needle), "{needle}");
        }
    }

    #[test]
    fn rendering_fills_every_placeholder_with_the_units_values() {
        let policy = RetentionPolicy::new(90, 400).unwrap();
        let controller: String = "Bệnh viện Đa khoa Tỉnh".nfd().collect();
        for lang in Lang::ALL {
            let text = ConsentNotice::current().render(*lang, &controller, policy);
            assert!(!text.contains('{') && !text.contains('}'), "{lang}");
            assert!(text.contains("Bệnh viện Đa khoa Tỉnh"), "controller in NFC ({lang})");
            assert!(text.contains("90") && text.contains("400") && text.contains("2026.1"), "{lang}");
        }
    }

    #[test]
    fn consent_is_recorded_only_for_a_published_version() {
        let at: Timestamp = "2026-03-01T01:00:00Z".parse().unwrap();
        let rec = ConsentRecord::new(" 2026.1 ", at, ConsentChannel::Kiosk, OptionalPurposes::default()).unwrap();
        assert_eq!(rec.version, "2026.1");
        assert!(!rec.optional.face_matching, "optional uses are off unless ticked");
        assert_eq!(
            ConsentRecord::new("2099.9", at, ConsentChannel::Paper, OptionalPurposes::default()),
            Err(UnknownVersion("2099.9".into()))
        );
    }

    #[test]
    fn versions_are_unique() {
        let mut v: Vec<_> = NOTICES.iter().map(|n| n.version).collect();
        v.sort_unstable();
        v.dedup();
        assert_eq!(v.len(), NOTICES.len());
    }
}
