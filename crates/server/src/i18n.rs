//! The message catalogue: every word baove shows, in Vietnamese first and English second.
//! Templates and handlers look text up by key; a key missing from the catalogue shows as
//! itself, and a test checks that every key the templates use is here.

use baove_core::validate::{FieldError, Problem};

/// The language of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    #[must_use]
    pub fn from_code(code: &str) -> Self {
        if code == "en" { Self::En } else { Self::Vi }
    }

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Vi => "vi",
            Self::En => "en",
        }
    }

    /// The other language, for the switch in the header.
    #[must_use]
    pub fn other(self) -> Self {
        match self {
            Self::Vi => Self::En,
            Self::En => Self::Vi,
        }
    }

    /// The text of `key` in this language.
    #[must_use]
    pub fn t(self, key: &str) -> &'static str {
        match CATALOGUE.binary_search_by(|(k, _, _)| (*k).cmp(key)) {
            Ok(i) => match self {
                Self::Vi => CATALOGUE[i].1,
                Self::En => CATALOGUE[i].2,
            },
            Err(_) => {
                tracing::warn!(key, "missing catalogue key");
                "?"
            }
        }
    }

    /// The label of a code of a closed set (`unit_kind`, `school` → "Trường học").
    #[must_use]
    pub fn label(self, set: &str, code: &str) -> &'static str {
        self.t(&format!("{set}.{code}"))
    }

    /// A sentence for one field problem.
    #[must_use]
    pub fn problem(self, p: &Problem) -> String {
        let text = self.t(&format!("problem.{}", p.code()));
        match p {
            Problem::TooLong { max } => text.replace("{max}", &max.to_string()),
            Problem::TooShort { min } => text.replace("{min}", &min.to_string()),
            Problem::OutOfRange { min, max } => {
                text.replace("{min}", &min.to_string()).replace("{max}", &max.to_string())
            }
            _ => text.to_owned(),
        }
    }

    /// "Field label: problem" for an error summary.
    #[must_use]
    pub fn field_error(self, e: &FieldError) -> String {
        format!("{}: {}", self.t(&format!("field.{}", e.field)), self.problem(&e.problem))
    }
}

/// (key, Vietnamese, English), sorted by key (a test checks the order).
pub static CATALOGUE: &[(&str, &str, &str)] = &[
    ("account.active", "Đang hoạt động", "Active"),
    ("account.disable", "Khoá tài khoản", "Disable account"),
    ("account.enable", "Mở lại tài khoản", "Enable account"),
    ("account.new", "Thêm tài khoản", "New account"),
    (
        "account.password_note",
        "Mật khẩu ít nhất 10 ký tự. Người dùng nên đổi sau lần đăng nhập đầu.",
        "At least 10 characters. The user should change it after signing in.",
    ),
    ("accounts.title", "Tài khoản", "Accounts"),
    ("action.back", "Quay lại", "Back"),
    ("action.edit", "Sửa", "Edit"),
    ("action.save", "Lưu", "Save"),
    ("action.search", "Tìm", "Search"),
    ("alarm.ack", "Xác nhận báo động", "Acknowledge alarm"),
    ("alarm.arm", "Bật báo động", "Arm"),
    ("alarm.arming", "Bật/tắt báo động khu vực", "Zone arming"),
    (
        "alarm.awaiting_restore",
        "Cần khôi phục trước (ví dụ đóng cửa lại) rồi mới xác nhận được.",
        "Must be restored first (e.g. the door closed) before it can be acknowledged.",
    ),
    ("alarm.close", "Đóng báo động", "Close alarm"),
    ("alarm.devices", "Thiết bị", "Devices"),
    ("alarm.disarm", "Tắt báo động", "Disarm"),
    ("alarm.first_at", "Lúc báo", "Raised at"),
    ("alarm.handled", "Xử lý", "Handling"),
    ("alarm.incident", "Vụ việc", "Incident"),
    ("alarm.live", "Báo động mới hiện ngay, không cần tải lại trang.", "New alarms appear at once, without reloading."),
    ("alarm.new", "Báo động mới", "New alarms"),
    ("alarm.priority", "Mức ưu tiên", "Priority"),
    ("alarm.promote", "Chuyển thành vụ việc", "Make it an incident"),
    ("alarm.title", "Báo động thiết bị", "Device alarms"),
    ("alarm.token", "Mã truy cập của thiết bị", "Device token"),
    ("alarm.triggers", "Số lần", "Triggers"),
    ("alarm_state.acknowledged", "Đã xác nhận", "Acknowledged"),
    ("alarm_state.closed", "Đã đóng", "Closed"),
    ("alarm_state.open", "Chưa xử lý", "Open"),
    ("alert.checkpoint_late", "Trễ điểm tuần tra", "Checkpoint late"),
    ("alert.checkpoint_missed", "Bỏ sót điểm tuần tra", "Checkpoint missed"),
    ("alert.panic", "Báo động khẩn cấp", "Emergency"),
    ("alert.tag_replayed", "Thẻ NFC bị dùng lại", "NFC tag replayed"),
    ("app.name", "Bảo vệ", "baove"),
    (
        "app.tagline",
        "Hệ thống bảo vệ cơ quan, doanh nghiệp, nhà trường",
        "Protection of agencies, enterprises and schools",
    ),
    ("audit.broken", "Chuỗi nhật ký bị sửa đổi", "The audit chain has been tampered with"),
    ("audit.entries", "bản ghi", "entries"),
    ("audit.ok", "Chuỗi nhật ký nguyên vẹn", "The audit chain is intact"),
    ("audit.title", "Nhật ký thay đổi", "Audit log"),
    ("authorities.title", "Cơ quan Công an", "Police authorities"),
    ("authority.new", "Thêm cơ quan", "New authority"),
    ("authority_kind.commune_police", "Công an xã/phường/đặc khu", "Commune/ward police"),
    ("authority_kind.ministry", "Bộ Công an", "Ministry of Public Security"),
    ("authority_kind.province_police", "Công an tỉnh/thành phố", "Provincial police"),
    ("authority_kind.steering_committee", "Ban Chỉ đạo 138", "Steering committee 138"),
    ("board.ack", "Xác nhận đã nhận", "Acknowledge"),
    ("board.acked_by", "Đã xác nhận:", "Acknowledged by"),
    ("board.alerts", "Báo động", "Alerts"),
    ("board.live", "Cập nhật trực tiếp; báo động mới có âm báo.", "Live; new alerts sound."),
    ("board.new_alerts", "Báo động mới", "New alerts"),
    ("board.title", "Bảng theo dõi tuần tra", "Patrol board"),
    ("certificate.add", "Thêm giấy chứng nhận", "Add certificate"),
    ("certificate.expired", "Hết hạn", "Expired"),
    ("certificate.expiring", "Sắp hết hạn", "Expiring"),
    ("certificate.none", "Chưa có giấy chứng nhận huấn luyện", "No training certificate"),
    ("certificate.valid", "Còn hạn", "Valid"),
    ("certificates.title", "Giấy chứng nhận huấn luyện nghiệp vụ", "Training certificates"),
    ("checkpoint.new", "Thêm điểm tuần tra", "New checkpoint"),
    ("checkpoints.title", "Điểm tuần tra", "Checkpoints"),
    ("clearance.grant", "Cấp quyền tiếp cận", "Grant access"),
    (
        "clearance.note",
        "Đơn vị là mục tiêu trọng điểm: phương án, lực lượng, phương tiện chỉ người được cấp quyền mới xem được.",
        "This unit is a key target: its plans, forces and means are visible only to people cleared for them.",
    ),
    ("clearance.revoke", "Thu hồi", "Revoke"),
    ("clearances.title", "Người được tiếp cận", "Cleared people"),
    ("common.all", "Tất cả", "All"),
    ("common.count", "Số lượng", "Count"),
    ("common.days_ago", "ngày trước", "days ago"),
    ("common.days_left", "ngày nữa", "days left"),
    ("common.inactive", "Ngừng sử dụng", "Inactive"),
    ("common.minutes", "phút", "minutes"),
    ("common.no", "Không", "No"),
    ("common.none", "Chưa có dữ liệu.", "Nothing yet."),
    ("common.seconds", "giây", "seconds"),
    ("common.yes", "Có", "Yes"),
    (
        "completion.note",
        "Số điểm đã quét trên số điểm đã đến hạn (đúng giờ hoặc trễ).",
        "Checkpoints scanned over checkpoints due (on time or late).",
    ),
    ("completion.title", "Tỷ lệ tuần tra khép kín", "Patrol completion"),
    ("completion.tonight", "Đêm nay", "Tonight"),
    ("completion.week", "7 đêm qua", "Last 7 nights"),
    ("days.add", "Thêm ngày", "Add the day"),
    ("days.closed", "Đơn vị nghỉ", "Closed"),
    (
        "days.note",
        "Ngày đơn vị nghỉ riêng được lập kế hoạch như ngày lễ (tăng cường tuần tra); ngày đơn vị làm việc xuyên lễ được lập như ngày thường.",
        "Days the unit is closed are planned like public holidays (reinforced); days it works through a holiday are planned like ordinary days.",
    ),
    ("days.title", "Ngày đặc biệt của đơn vị", "The unit's special days"),
    ("days.working", "Đơn vị làm việc", "Working"),
    ("device.new", "Thêm thiết bị", "New device"),
    ("device_kind.alarm_panel", "Tủ báo động", "Alarm panel"),
    ("device_kind.camera", "Camera", "Camera"),
    ("device_kind.door_contact", "Cảm biến cửa", "Door contact"),
    ("device_kind.fire_equipment", "Thiết bị PCCC", "Fire equipment"),
    ("device_kind.motion_sensor", "Cảm biến chuyển động", "Motion sensor"),
    ("devices.title", "Thiết bị kỹ thuật", "Devices"),
    ("disposition.equipment_fault", "Lỗi thiết bị", "Equipment fault"),
    ("disposition.false_alarm", "Báo nhầm", "False alarm"),
    ("disposition.other", "Khác", "Other"),
    ("disposition.real", "Có thật", "Real"),
    ("disposition.test", "Thử nghiệm", "Test"),
    ("disposition.weather", "Do thời tiết", "Weather"),
    ("employment.dedicated", "Chuyên trách", "Dedicated"),
    ("employment.part_time", "Bán chuyên trách", "Part-time"),
    ("error.bad_id", "Đường dẫn không hợp lệ: mã định danh sai.", "Invalid link: malformed identifier."),
    (
        "error.csrf",
        "Phiên biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.",
        "The form has expired or is invalid. Reload the page and try again.",
    ),
    ("error.forbidden", "Vai trò của bạn không được phép thực hiện việc này.", "Your role may not do this."),
    (
        "error.internal",
        "Có lỗi hệ thống. Dữ liệu của bạn không bị thay đổi. Vui lòng thử lại.",
        "Something went wrong on our side. Nothing was changed. Please try again.",
    ),
    (
        "error.invalid",
        "Thông tin chưa hợp lệ, vui lòng kiểm tra các ô được đánh dấu.",
        "Some fields are not valid; please check the marked fields.",
    ),
    (
        "error.not_cleared",
        "Đơn vị là mục tiêu trọng điểm: bạn chưa được cấp quyền tiếp cận thông tin này.",
        "This unit is a key target: you are not cleared for this information.",
    ),
    ("error.not_found", "Không tìm thấy, hoặc nằm ngoài phạm vi quản lý của bạn.", "Not found, or outside your scope."),
    ("error.payload_too_large", "Dữ liệu gửi lên quá lớn.", "The upload is too large."),
    ("error.title", "Không thực hiện được", "Could not complete"),
    (
        "error.too_many",
        "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.",
        "Too many failed sign-ins. Try again in 15 minutes.",
    ),
    ("evidence.manual", "Thủ công", "Manual"),
    ("evidence.nfc_sun", "NFC", "NFC"),
    ("evidence.qr_live", "QR", "QR"),
    ("evidence.qr_photo", "QR (ảnh chụp)", "QR (photo)"),
    ("field.account_id", "Tài khoản", "Account"),
    ("field.active", "Đang sử dụng", "In use"),
    ("field.address", "Địa chỉ", "Address"),
    ("field.alarm_id", "Báo động", "Alarm"),
    ("field.alert_id", "Báo động", "Alert"),
    ("field.armed", "Trạng thái", "State"),
    ("field.asset_value", "Giá trị tài sản (đồng)", "Asset value (VND)"),
    ("field.authority_id", "Công an quản lý địa bàn", "Police with jurisdiction"),
    ("field.birth_date", "Ngày sinh", "Date of birth"),
    ("field.checkpoint_id", "Điểm tuần tra", "Checkpoint"),
    ("field.checkpoints", "Các điểm (theo thứ tự)", "Checkpoints (in order)"),
    ("field.closed", "Đơn vị nghỉ ngày này", "The unit is closed that day"),
    ("field.code", "Mã điểm", "Code"),
    ("field.cold", "Đêm rét", "Cold night"),
    ("field.date", "Ngày", "Date"),
    ("field.description", "Mô tả", "Description"),
    ("field.display_name", "Họ và tên", "Full name"),
    ("field.disposition", "Kết quả kiểm tra", "Finding"),
    ("field.duration", "Thời lượng (phút)", "Duration (minutes)"),
    ("field.employment", "Hình thức", "Employment"),
    ("field.ends_at", "Kết thúc", "Ends"),
    ("field.expires_on", "Hết hạn ngày (để trống: 5 năm)", "Expires on (empty: 5 years)"),
    ("field.external_ref", "Mã thiết bị trên hệ thống ngoài (MQTT, camera)", "External id (MQTT topic, camera name)"),
    ("field.full_name", "Họ và tên", "Full name"),
    ("field.grace_minutes", "Thời gian ân hạn (phút)", "Grace (minutes)"),
    ("field.guard_id", "Hồ sơ bảo vệ", "Guard record"),
    ("field.guard_post", "Vị trí chốt trực", "Guard post"),
    ("field.guards", "Nhân viên bảo vệ trong ca", "Guards on the shift"),
    ("field.head_minutes", "Số phút chờ thêm trưởng đơn vị", "Further minutes for the unit head"),
    ("field.head_name", "Thủ trưởng đơn vị", "Head of unit"),
    ("field.health", "Sức khoẻ", "Health"),
    ("field.id", "Mã định danh", "Identifier"),
    ("field.issued_on", "Ngày cấp", "Issued on"),
    ("field.issuer", "Nơi cấp", "Issued by"),
    ("field.key_target", "Mục tiêu trọng điểm", "Key target"),
    ("field.kind", "Loại", "Type"),
    ("field.leader_name", "Lãnh đạo trực", "Leader on duty"),
    ("field.leader_phone", "Điện thoại lãnh đạo trực", "Leader's phone"),
    ("field.location", "Vị trí lắp đặt", "Location"),
    ("field.locked", "Khoá", "Locked"),
    ("field.name", "Tên", "Name"),
    ("field.note", "Ghi chú", "Note"),
    ("field.notes", "Ghi chú", "Notes"),
    ("field.number", "Số giấy chứng nhận", "Certificate number"),
    ("field.officer_minutes", "Số phút chờ cán bộ phụ trách bảo vệ", "Minutes for the security officer"),
    ("field.ordered", "Đi theo đúng thứ tự", "In order"),
    ("field.org_id", "Đơn vị / cơ quan", "Organisation"),
    ("field.parent_id", "Cơ quan cấp trên", "Parent authority"),
    ("field.password", "Mật khẩu", "Password"),
    ("field.phone", "Điện thoại", "Phone"),
    ("field.province_code", "Tỉnh/thành phố", "Province"),
    ("field.rain", "Đêm mưa", "Rainy night"),
    ("field.reason", "Lý do", "Reason"),
    ("field.returned_on", "Ngày trả", "Returned on"),
    ("field.role", "Vai trò", "Role"),
    ("field.scan_id", "Mã lượt quét", "Scan id"),
    ("field.seconds", "Số giây đi bộ", "Walking seconds"),
    ("field.sensitivity", "Mức độ xung yếu (1–5)", "Sensitivity (1–5)"),
    ("field.serial", "Số hiệu", "Serial"),
    ("field.site_id", "Cơ sở", "Site"),
    ("field.sop", "Các bước đã làm", "Steps done"),
    ("field.start", "Giờ bắt đầu", "Start time"),
    ("field.starts_at", "Bắt đầu", "Starts"),
    ("field.token_id", "Khoá API", "API token"),
    ("field.uid", "UID của thẻ NFC (14 ký tự hex)", "NFC tag UID (14 hex characters)"),
    ("field.unit_id", "Đơn vị", "Unit"),
    ("field.username", "Tên đăng nhập", "Username"),
    ("field.ward_code", "Mã xã/phường (5 số)", "Commune/ward code (5 digits)"),
    ("field.weekdays", "Các ngày trong tuần", "Weekdays"),
    ("field.window_start", "Bắt đầu", "Starts"),
    ("field.zone_a", "Từ khu vực", "From zone"),
    ("field.zone_b", "Đến khu vực", "To zone"),
    ("field.zone_id", "Khu vực", "Zone"),
    ("flag.clock_skew", "Đồng hồ điện thoại sai lệch", "Phone clock skew"),
    ("flag.counter_jump", "Bộ đếm thẻ nhảy cóc", "Tag counter jump"),
    ("flag.impossible_travel", "Di chuyển nhanh bất thường", "Impossible travel"),
    ("flag.manual", "Ghi nhận thủ công", "Manual"),
    ("flag.out_of_order", "Sai thứ tự", "Out of order"),
    ("flag.outside_round", "Ngoài lượt tuần tra", "Outside any round"),
    ("flag.two_devices", "Hai thiết bị cùng quét", "Two devices"),
    ("gap.certificate_expired", "Giấy chứng nhận huấn luyện đã hết hạn", "Training certificate expired"),
    ("gap.certificate_expiring", "Giấy chứng nhận huấn luyện sắp hết hạn", "Training certificate expiring"),
    ("gap.no_alarm", "Phòng xung yếu chưa có thiết bị báo động", "Sensitive room without an alarm"),
    (
        "gap.no_camera",
        "Lối vào, hành lang, góc khuất chưa có camera",
        "Entrance, corridor or blind corner without a camera",
    ),
    ("gap.no_certificate", "Bảo vệ chưa có giấy chứng nhận huấn luyện", "Guard without a training certificate"),
    ("gap.no_checkpoint", "Khu vực xung yếu chưa có điểm tuần tra", "Sensitive zone without a checkpoint"),
    ("gaps.none", "Không phát hiện sơ hở nào trong hồ sơ.", "No gaps found in the registry."),
    ("gaps.title", "Sơ hở cần khắc phục", "Gaps to fix"),
    ("guard.new", "Thêm nhân viên bảo vệ", "New guard"),
    ("guards.title", "Lực lượng bảo vệ", "Guard force"),
    ("home.accounts", "Quản lý tài khoản", "Manage accounts"),
    (
        "home.incidents_by_kind",
        "Vụ việc 12 tháng qua theo loại hình đơn vị",
        "Incidents in the last 12 months by type of premises",
    ),
    ("home.key_targets", "Mục tiêu trọng điểm", "Key targets"),
    ("home.my_certificate", "Giấy chứng nhận của tôi", "My certificate"),
    ("home.my_tools", "Công cụ hỗ trợ đang giữ", "Support tools I hold"),
    ("home.recent_incidents", "Vụ việc gần đây", "Recent incidents"),
    ("home.start_patrol", "Bắt đầu tuần tra", "Start patrolling"),
    ("home.title", "Việc cần làm", "To do"),
    ("home.units_in_area", "Đơn vị trên địa bàn", "Units in the area"),
    ("home.your_sites", "Cơ sở và điểm tuần tra", "Sites and checkpoints"),
    ("incident.kind.break_in", "Đột nhập", "Break-in"),
    ("incident.kind.disorder", "Gây rối", "Disorder"),
    ("incident.kind.fire", "Cháy", "Fire"),
    ("incident.kind.leaflets", "Tờ rơi, khẩu hiệu", "Leaflets"),
    ("incident.kind.mass_gathering", "Tụ tập đông người", "Mass gathering"),
    ("incident.kind.other", "Khác", "Other"),
    ("incident.kind.theft", "Trộm cắp", "Theft"),
    ("incident.losses", "Thiệt hại", "Losses"),
    ("incident.modus", "Thủ đoạn", "Modus operandi"),
    ("incident.occurred_at", "Thời gian xảy ra", "Occurred"),
    ("incident.status", "Tình trạng", "Status"),
    ("incident.summary", "Nội dung", "Summary"),
    ("incident_status.closed", "Đã kết thúc", "Closed"),
    ("incident_status.handled", "Đã xử lý", "Handled"),
    ("incident_status.received", "Đã tiếp nhận", "Received"),
    ("incident_status.reported", "Mới báo", "Reported"),
    ("incident_status.verifying", "Đang xác minh", "Verifying"),
    ("incidents.title", "Vụ việc", "Incidents"),
    ("login.failed", "Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong username or password."),
    ("login.submit", "Đăng nhập", "Sign in"),
    ("login.title", "Đăng nhập", "Sign in"),
    ("modus.covered_plate", "Che biển số", "Covered plate"),
    ("modus.fake_plate", "Biển số giả", "Fake plate"),
    ("modus.gloves", "Đi găng tay", "Gloves"),
    ("modus.helmet", "Đội mũ", "Helmet"),
    ("modus.mask", "Đeo khẩu trang", "Mask"),
    ("modus.tools_in_bag", "Giấu công cụ trong balô", "Tools in a backpack"),
    ("modus.unplated", "Xe không biển số", "Unplated vehicle"),
    ("nav.audit", "Nhật ký", "Audit"),
    ("nav.authorities", "Công an", "Police"),
    ("nav.board", "Theo dõi", "Board"),
    ("nav.home", "Trang chính", "Home"),
    ("nav.incidents", "Vụ việc", "Incidents"),
    ("nav.logout", "Đăng xuất", "Sign out"),
    ("nav.patrol", "Tuần tra", "Patrol"),
    ("nav.tokens", "Khoá API", "API tokens"),
    ("nav.units", "Đơn vị", "Units"),
    (
        "nfc.bad_uid",
        "UID phải gồm đúng 14 ký tự 0–9, A–F (7 byte), ví dụ 04A1B2C3D4E5F6. Chưa gắn thẻ nào.",
        "The UID must be exactly 14 characters 0–9, A–F (7 bytes), e.g. 04A1B2C3D4E5F6. No tag was bound.",
    ),
    ("nfc.bind", "Gắn thẻ và xem khoá", "Bind the tag and show its keys"),
    (
        "nfc.bind_note",
        "Đọc UID của thẻ bằng ứng dụng NFC trên điện thoại rồi nhập vào đây: thẻ được gắn với điểm này và khoá cần ghi vào thẻ hiện ra ở trên.",
        "Read the tag UID with a phone NFC app and enter it here: the tag is bound to this checkpoint and the keys to write into it appear above.",
    ),
    ("nfc.binding", "Gắn với điểm", "Binding"),
    ("nfc.bound", "Thẻ đang gắn với điểm tuần tra này.", "The tag is bound to this checkpoint."),
    (
        "nfc.bound_elsewhere",
        "Thẻ đang gắn với điểm tuần tra khác; gắn lại sẽ chuyển thẻ sang điểm này.",
        "The tag is bound to another checkpoint; binding it again moves it here.",
    ),
    ("nfc.enabled", "Bật", "On"),
    ("nfc.free", "E (tự do)", "E (free)"),
    ("nfc.key", "Khoá", "Key"),
    ("nfc.keys", "Khoá ghi vào thẻ", "Keys to write into tag"),
    (
        "nfc.keys_note",
        "Giữ bí mật: ai có các khoá này có thể làm thẻ giả. Khoá 0 (khoá chủ ứng dụng) do đơn vị tự đổi và cất giữ.",
        "Keep these secret: whoever has them can forge the tag. Key 0 (application master key) is changed and kept by the unit.",
    ),
    ("nfc.ndef", "Nội dung tệp NDEF (hex)", "NDEF file content (hex)"),
    ("nfc.no_access", "F (không cho phép)", "F (no access)"),
    ("nfc.off", "Tắt", "Off"),
    ("nfc.sdm", "Thiết lập SDM (ChangeFileSettings, tệp 02)", "SDM settings (ChangeFileSettings, file 02)"),
    ("nfc.setting", "Tham số", "Setting"),
    ("nfc.title", "Cài đặt thẻ NFC NTAG 424 DNA", "NTAG 424 DNA tag set-up"),
    ("nfc.unbound", "Chưa gắn", "Not bound"),
    ("nfc.url", "Đường dẫn mẫu ghi vào NDEF", "URL template for the NDEF record"),
    (
        "nfc.url_note",
        "Ở mỗi lần chạm, thẻ tự thay các số 0 bằng dữ liệu mã hoá (PICCData) và mã xác thực (CMAC).",
        "On every tap the tag replaces the zeros with its encrypted PICCData and CMAC.",
    ),
    ("nfc.value", "Giá trị", "Value"),
    (
        "patrol.camera_app",
        "Dùng ứng dụng máy ảnh của điện thoại để quét mã QR trên điểm tuần tra.",
        "Use the phone's camera app to scan the checkpoint's QR code.",
    ),
    (
        "patrol.how",
        "Chạm thẻ NFC hoặc quét mã QR tại từng điểm. Mất mạng vẫn quét được: dữ liệu được gửi khi có mạng lại.",
        "Tap the NFC tag or scan the QR code at each checkpoint. Offline scans are sent when the network is back.",
    ),
    ("patrol.manual", "Ghi nhận thủ công", "Record by hand"),
    (
        "patrol.manual_note",
        "Chỉ dùng khi thẻ hỏng hoặc mất; luôn bị đánh dấu để kiểm tra.",
        "Only when a tag is broken or missing; always flagged for review.",
    ),
    ("patrol.panic", "Báo động khẩn cấp", "Emergency alarm"),
    (
        "patrol.panic_note",
        "Báo ngay cho phụ trách bảo vệ, lãnh đạo và trực ban Công an.",
        "Alerts the security officer, the head and the police duty desk at once.",
    ),
    ("patrol.panic_sent", "Đã gửi báo động khẩn cấp", "Emergency alarm sent"),
    (
        "patrol.panic_sent_note",
        "Trực ban đã nhận được báo động. Giữ an toàn cho bản thân.",
        "The duty desk has the alarm. Keep yourself safe.",
    ),
    ("patrol.photo_qr", "Chụp ảnh mã QR", "Photograph the QR code"),
    ("patrol.recorded", "Đã ghi nhận", "Recorded"),
    ("patrol.rejected", "Không ghi nhận", "Not recorded"),
    ("patrol.scan_qr", "Quét mã QR", "Scan QR code"),
    ("patrol.sync", "Đồng bộ", "Sync"),
    ("patrol.sync_idle", "Không có dữ liệu chờ gửi.", "Nothing waiting to be sent."),
    ("patrol.title", "Tuần tra", "Patrol"),
    ("plan.attacker_value", "Giá trị kẻ gian còn đạt được", "Attacker's remaining value"),
    ("plan.cold", "rét", "cold"),
    ("plan.factor", "Khu vực, giờ, ngày và hệ số", "Zone, time, day and factor"),
    ("plan.guards", "Số tổ tuần tra", "Patrol teams"),
    (
        "plan.heat_note",
        "Bản đồ nhiệt: ô càng đậm, khả năng kiểm tra khu vực vào giờ đó càng cao. Ô xám là chỗ trống không tuyến nào tới được.",
        "Heat map: the darker a cell, the likelier that zone is inspected at that time. Grey cells are holes no route reaches.",
    ),
    ("plan.holes", "Chỗ trống", "Coverage holes"),
    ("plan.lock", "Khoá kế hoạch", "Lock the plan"),
    ("plan.locked", "Đã khoá", "Locked"),
    ("plan.manage", "Quản lý kế hoạch", "Manage the plan"),
    ("plan.night", "Đêm", "Night"),
    ("plan.none", "Chưa có kế hoạch cho đêm nay.", "No plan for tonight yet."),
    ("plan.print_note", "Nhấn In (Ctrl+P) để in kế hoạch.", "Press Print (Ctrl+P) to print the plan."),
    ("plan.rain", "mưa", "rain"),
    ("plan.redraw", "Bốc thăm lại kế hoạch", "Redraw the plan"),
    ("plan.rounds", "Các lượt tuần tra theo kế hoạch", "Planned rounds"),
    ("plan.title", "Kế hoạch tuần tra đêm nay", "Tonight's patrol plan"),
    ("plan.unlock", "Mở khoá kế hoạch", "Unlock the plan"),
    ("plan.weather", "Thời tiết", "Weather"),
    ("plan.why", "Vì sao các nơi này được ưu tiên", "Why these places weigh most"),
    ("print.labels", "In nhãn QR của cơ sở", "Print the QR labels of the site"),
    ("print.late", "Trễ hạn", "Late"),
    ("print.log_pdf", "Sổ nhật ký tuần tra (PDF)", "Patrol log (PDF)"),
    ("print.log_xlsx", "Sổ nhật ký tuần tra (Excel)", "Patrol log (Excel)"),
    ("print.missed", "Bỏ sót", "Missed"),
    ("print.night", "Đêm {from} rạng sáng {to}", "Night of {from} to {to}"),
    ("print.pending", "Chưa đến hạn", "Not yet due"),
    ("print.week", "Từ đêm {from} đến rạng sáng {to}", "Nights from {from} to {to}"),
    ("problem.bad_code", "Mã không hợp lệ.", "Not a valid code."),
    ("problem.bad_date", "Ngày không hợp lệ (nhập theo dạng dd/mm/yyyy).", "Not a valid date (dd/mm/yyyy)."),
    ("problem.bad_id", "Mã định danh không hợp lệ.", "Not a valid identifier."),
    (
        "problem.bad_phone",
        "Số điện thoại không hợp lệ (10 hoặc 11 chữ số, bắt đầu bằng 0 hoặc +84).",
        "Not a valid phone number (10 or 11 digits, starting with 0 or +84).",
    ),
    ("problem.control_characters", "Có ký tự điều khiển không được phép.", "Contains control characters."),
    ("problem.date_order", "Ngày này phải sau ngày cấp.", "This date must come after the issue date."),
    ("problem.not_a_number", "Phải là một số.", "Must be a number."),
    ("problem.not_an_option", "Không có trong danh sách lựa chọn.", "Not one of the choices."),
    ("problem.not_found", "Không tìm thấy trong phạm vi của bạn.", "Not found within your scope."),
    ("problem.out_of_range", "Phải từ {min} đến {max}.", "Must be between {min} and {max}."),
    ("problem.required", "Bắt buộc nhập.", "Required."),
    ("problem.required_list", "Chọn ít nhất một mục.", "Choose at least one."),
    ("problem.taken", "Đã được sử dụng.", "Already in use."),
    ("problem.too_long", "Dài quá {max} ký tự.", "Longer than {max} characters."),
    ("problem.too_short", "Phải có ít nhất {min} ký tự.", "At least {min} characters."),
    ("problem.wrong_parent", "Không phù hợp với cấp quản lý.", "Does not fit under this parent."),
    ("role.area_officer", "Cán bộ phụ trách địa bàn", "Area officer"),
    ("role.authority_admin", "Quản trị cơ quan Công an", "Authority administrator"),
    ("role.duty_desk", "Trực ban", "Duty desk"),
    ("role.gate", "Thường trực cổng", "Gate reception"),
    ("role.guard", "Nhân viên bảo vệ", "Guard"),
    ("role.security_officer", "Phụ trách bảo vệ", "Security officer"),
    ("role.staff", "Cán bộ, nhân viên", "Staff"),
    ("role.system_admin", "Quản trị hệ thống", "System administrator"),
    ("role.unit_head", "Thủ trưởng đơn vị", "Head of unit"),
    ("roster.guards_withheld", "Không hiển thị (mục tiêu trọng điểm)", "Withheld (key target)"),
    ("roster.holiday", "ngày lễ, Tết", "holiday or Tết"),
    ("roster.missing_leader", "Ca ngày lễ chưa có lãnh đạo trực", "Holiday shift without a leader on duty"),
    ("roster.new", "Thêm ca trực", "New shift"),
    (
        "roster.note",
        "Ngày lễ, Tết: ngoài lực lượng bảo vệ, đơn vị bố trí cán bộ lãnh đạo trực tại đơn vị và thông báo cho Công an phường.",
        "On holidays and at Tết a leader of the unit is on duty besides the guards, and the ward police are told.",
    ),
    ("roster.time", "Thời gian", "Time"),
    ("roster.title", "Lịch trực", "Duty roster"),
    ("round.done", "Hoàn thành", "Done"),
    ("round.in_progress", "Đang tuần tra", "In progress"),
    ("round.late", "Hoàn thành (có trễ)", "Done, late"),
    ("round.missed", "Bỏ sót điểm", "Missed"),
    ("round.new", "Tạo lượt tuần tra", "New round"),
    ("round.next_due", "Hạn điểm tiếp theo", "Next due"),
    ("round.planned", "Chưa đến giờ", "Planned"),
    ("round.progress", "Đã quét", "Scanned"),
    ("round.tonight", "Lượt tuần tra đêm nay", "Tonight's rounds"),
    ("round.window", "Khung giờ", "Window"),
    ("scan_error.bad_checkpoint", "Điểm tuần tra không hợp lệ.", "Not a valid checkpoint."),
    ("scan_error.bad_evidence", "Cách xác thực không hợp lệ.", "Unknown kind of proof."),
    ("scan_error.bad_id", "Mã lượt quét không hợp lệ.", "Not a valid scan id."),
    (
        "scan_error.bad_mac",
        "Thẻ NFC không xác thực được: đường dẫn bị sửa, thẻ giả hoặc sao chép.",
        "The NFC tag did not verify: edited URL, fake or cloned tag.",
    ),
    ("scan_error.bad_sun_url", "Đường dẫn thẻ NFC không hợp lệ.", "Not a valid NFC tag URL."),
    ("scan_error.bad_time", "Thời gian quét không hợp lệ.", "Not a valid scan time."),
    ("scan_error.internal", "Lỗi hệ thống, hãy thử lại.", "System error, try again."),
    ("scan_error.no_tag_key", "Đơn vị chưa cấp khoá cho thẻ NFC.", "The unit has no NFC tag key yet."),
    (
        "scan_error.not_a_unit_account",
        "Chỉ tài khoản của đơn vị mới quét thẻ được.",
        "Only a unit's accounts can tap tags.",
    ),
    ("scan_error.reason_required", "Ghi nhận thủ công cần nêu lý do.", "A manual record needs a reason."),
    (
        "scan_error.replayed",
        "Thẻ NFC bị dùng lại (đường dẫn cũ hoặc thẻ sao chép). Đã báo phụ trách bảo vệ.",
        "The NFC tap was replayed (old URL or cloned tag). The security officer was alerted.",
    ),
    (
        "scan_error.unknown_code",
        "Mã QR không thuộc điểm tuần tra nào của đơn vị.",
        "This QR code belongs to no checkpoint of the unit.",
    ),
    (
        "scan_error.unknown_tag",
        "Thẻ NFC chưa gắn với điểm tuần tra nào của đơn vị.",
        "This NFC tag is not bound to a checkpoint of the unit.",
    ),
    ("scan_error.zero_key", "Khoá thẻ không an toàn.", "Unsafe tag key."),
    ("settings.escalation", "Thời gian báo động lên cấp trên", "Escalation times"),
    (
        "settings.escalation_note",
        "Cảnh báo không ai xác nhận được báo cho trưởng đơn vị sau {a} phút và cho trực ban Công an phường sau {b} phút.",
        "An alert nobody acknowledges reaches the unit head after {a} minutes and the ward police duty desk after {b} minutes.",
    ),
    ("settings.title", "Cài đặt tuần tra", "Patrol settings"),
    ("site.new", "Thêm cơ sở", "New site"),
    ("site.plan", "Kế hoạch tuần tra", "Patrol plan"),
    ("sites.title", "Cơ sở", "Sites"),
    ("template.active", "Đang áp dụng", "Active"),
    ("template.new", "Lượt tuần tra hằng tuần", "Weekly round"),
    (
        "template.note",
        "Mỗi ngày được chọn, lượt tuần tra được tạo tự động vào giờ đã đặt, bên cạnh kế hoạch ngẫu nhiên của đêm.",
        "On each chosen day the round is created automatically at its time, besides the night's random plan.",
    ),
    ("template.paused", "Tạm dừng", "Paused"),
    ("template.title", "Lượt tuần tra hằng tuần", "Weekly round templates"),
    ("tier.duty_desk", "Đã báo trực ban Công an", "Escalated to the police duty desk"),
    ("tier.security_officer", "Đang báo phụ trách bảo vệ", "With the security officer"),
    ("tier.unit_head", "Đã báo lãnh đạo đơn vị", "Escalated to the head"),
    ("tokens.created", "Khoá mới (chỉ hiện một lần, hãy lưu lại):", "New token (shown once, keep it safe):"),
    ("tokens.new", "Tạo khoá API", "Create API token"),
    ("tokens.revoked", "Đã thu hồi", "Revoked"),
    ("tokens.title", "Khoá API cho tích hợp", "API tokens for integrations"),
    ("tool.add", "Cấp công cụ hỗ trợ", "Issue a tool"),
    ("tool_kind.electric_baton", "Dùi cui điện", "Electric baton"),
    ("tool_kind.knife_gloves", "Găng tay bắt dao", "Knife-catching gloves"),
    ("tool_kind.metal_baton", "Dùi cui kim loại", "Metal baton"),
    ("tool_kind.other", "Khác", "Other"),
    ("tool_kind.radio", "Bộ đàm", "Radio"),
    ("tool_kind.rubber_baton", "Dùi cui cao su", "Rubber baton"),
    ("tool_kind.torch", "Đèn pin", "Torch"),
    ("tools.title", "Công cụ hỗ trợ đã cấp", "Support tools issued"),
    (
        "unit.details_hidden",
        "Thông tin chi tiết được bảo mật theo chế độ mục tiêu trọng điểm.",
        "Details are restricted: key target.",
    ),
    ("unit.history", "Lịch sử thay đổi", "Change history"),
    ("unit.new", "Thêm đơn vị", "New unit"),
    ("unit_kind.agency", "Cơ quan", "Agency"),
    ("unit_kind.bank", "Ngân hàng, kho bạc", "Bank, treasury"),
    ("unit_kind.enterprise", "Doanh nghiệp", "Enterprise"),
    ("unit_kind.hospital", "Bệnh viện", "Hospital"),
    ("unit_kind.other", "Khác", "Other"),
    ("unit_kind.school", "Trường học", "School"),
    ("units.title", "Đơn vị", "Units"),
    (
        "walkway.note",
        "Thời gian đi bộ thông thường giữa hai khu vực liền kề (giây). Hai lần quét nhanh hơn một nửa thời gian này bị đánh dấu là di chuyển bất thường. Để trống số giây để xoá.",
        "The usual walking time between two neighbouring zones (seconds). Two scans faster than half of it are flagged as impossible travel. Leave the seconds empty to remove it.",
    ),
    ("walkway.title", "Thời gian đi bộ giữa các khu vực", "Walking times between zones"),
    ("weekday.1", "Thứ Hai", "Monday"),
    ("weekday.2", "Thứ Ba", "Tuesday"),
    ("weekday.3", "Thứ Tư", "Wednesday"),
    ("weekday.4", "Thứ Năm", "Thursday"),
    ("weekday.5", "Thứ Sáu", "Friday"),
    ("weekday.6", "Thứ Bảy", "Saturday"),
    ("weekday.7", "Chủ Nhật", "Sunday"),
    ("zone.new", "Thêm khu vực", "New zone"),
    ("zone_kind.accounting", "Phòng kế toán", "Accounting"),
    ("zone_kind.blind_corner", "Góc khuất", "Blind corner"),
    ("zone_kind.cashier", "Phòng thủ quỹ", "Cashier"),
    ("zone_kind.corridor", "Hành lang", "Corridor"),
    ("zone_kind.emergency_exit", "Cửa thoát hiểm", "Emergency exit"),
    ("zone_kind.gate", "Cổng, lối vào", "Gate, entrance"),
    ("zone_kind.leader_office", "Phòng làm việc lãnh đạo", "Leader's office"),
    ("zone_kind.other", "Khác", "Other"),
    ("zone_kind.perimeter", "Tường rào", "Perimeter"),
    ("zone_kind.server_room", "Phòng máy chủ", "Server room"),
    ("zone_kind.storeroom", "Kho", "Storeroom"),
    ("zone_kind.vault", "Kho tiền, két sắt", "Vault, safe"),
    ("zones.title", "Khu vực", "Zones"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::is_nfc;

    #[test]
    fn the_catalogue_is_sorted_unique_and_complete_in_both_languages() {
        for pair in CATALOGUE.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} must come before {}", pair[0].0, pair[1].0);
        }
        for (key, vi, en) in CATALOGUE {
            assert!(!vi.is_empty() && !en.is_empty(), "{key}");
            assert!(is_nfc(vi), "{key}: Vietnamese text must be NFC");
        }
    }

    #[test]
    fn every_code_of_every_closed_set_has_a_label() {
        use baove_core::registry::*;
        let sets: Vec<(&str, Vec<&str>)> = vec![
            ("unit_kind", UnitKind::ALL.iter().map(|k| k.code()).collect()),
            ("zone_kind", ZoneKind::ALL.iter().map(|k| k.code()).collect()),
            ("device_kind", DeviceKind::ALL.iter().map(|k| k.code()).collect()),
            ("authority_kind", AuthorityKind::ALL.iter().map(|k| k.code()).collect()),
            ("employment", Employment::ALL.iter().map(|k| k.code()).collect()),
            ("tool_kind", ToolKind::ALL.iter().map(|k| k.code()).collect()),
            ("role", baove_core::access::Role::ALL.iter().map(|k| k.code()).collect()),
            ("incident.kind", baove_core::incident::IncidentKind::ALL.iter().map(|k| k.code()).collect()),
            ("incident_status", baove_core::incident::IncidentStatus::ALL.iter().map(|k| k.code()).collect()),
            ("modus", baove_core::incident::Modus::ALL.iter().map(|k| k.code()).collect()),
            ("evidence", baove_core::patrol::scan::Evidence::ALL.iter().map(|k| k.code()).collect()),
            ("flag", baove_core::patrol::scan::Flag::ALL.iter().map(|k| k.code()).collect()),
            ("tier", baove_core::patrol::escalation::Tier::ALL.iter().map(|k| k.code()).collect()),
            ("alert", baove_core::patrol::alert::AlertKind::ALL.iter().map(|k| k.code()).collect()),
        ];
        for (set, codes) in sets {
            for code in codes {
                let key = format!("{set}.{code}");
                assert!(CATALOGUE.binary_search_by(|(k, _, _)| (*k).cmp(key.as_str())).is_ok(), "missing {key}");
            }
        }
    }

    #[test]
    fn every_key_the_templates_use_is_in_the_catalogue() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for piece in text.split("t(\"").skip(1) {
                let key = piece.split('"').next().unwrap();
                assert!(CATALOGUE.binary_search_by(|(k, _, _)| (*k).cmp(key)).is_ok(), "template key {key} missing");
            }
        }
    }

    #[test]
    fn problems_read_with_their_bounds() {
        assert_eq!(Lang::Vi.problem(&Problem::TooLong { max: 200 }), "Dài quá 200 ký tự.");
        assert_eq!(Lang::En.problem(&Problem::OutOfRange { min: 1, max: 5 }), "Must be between 1 and 5.");
    }
}
