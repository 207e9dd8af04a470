//! A zone's contingency plan (phương án xử lý): the ordered steps the person on duty follows
//! when an alarm comes in, some of them required. Acknowledging an alarm names the steps done;
//! a required step left out does not block the acknowledgement — the alarm may be real and the
//! guard busy — but it is reported and the acknowledgement flagged for the supervisor.

use serde::{Deserialize, Serialize};

use super::envelope::EventKind;
use crate::text;

/// Most steps in one plan.
pub const MAX_STEPS: usize = 30;
/// Longest step text.
pub const MAX_TEXT: usize = 300;

/// Why a plan cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SopError {
    #[error("a plan needs at least one step")]
    Empty,
    #[error("a plan has at most {MAX_STEPS} steps")]
    TooManySteps,
    #[error("step {index}: the id must be 1–32 letters, digits, '-' or '_'")]
    BadId { index: usize },
    #[error("step id {id:?} is used twice")]
    DuplicateId { id: String },
    #[error("step {index}: the text must be 1–{MAX_TEXT} characters on one line")]
    BadText { index: usize },
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SopStep {
    /// Stable id, referred to when the step is ticked.
    pub id: String,
    /// What to do, in Vietnamese (NFC).
    pub text: String,
    pub required: bool,
}

/// A validated plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sop {
    steps: Vec<SopStep>,
}

/// What an acknowledgement did with the plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SopCheck {
    /// Steps done, in the plan's order.
    pub done: Vec<String>,
    /// Required steps not done, in the plan's order.
    pub skipped_required: Vec<String>,
    /// Optional steps not done.
    pub skipped_optional: Vec<String>,
    /// Ids ticked that the plan does not have (a stale form).
    pub unknown: Vec<String>,
}

impl SopCheck {
    /// Whether a supervisor should look: a required step was skipped or an unknown one ticked.
    #[must_use]
    pub fn flagged(&self) -> bool {
        !self.skipped_required.is_empty() || !self.unknown.is_empty()
    }
}

impl Sop {
    /// Checks a plan: ids unique and simple, texts on one line, NFC.
    ///
    /// # Errors
    /// The first [`SopError`] found.
    pub fn new(steps: Vec<SopStep>) -> Result<Self, SopError> {
        if steps.is_empty() {
            return Err(SopError::Empty);
        }
        if steps.len() > MAX_STEPS {
            return Err(SopError::TooManySteps);
        }
        let mut out: Vec<SopStep> = Vec::with_capacity(steps.len());
        for (index, step) in steps.into_iter().enumerate() {
            let id = step.id.trim();
            if id.is_empty()
                || id.len() > 32
                || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                return Err(SopError::BadId { index });
            }
            if out.iter().any(|s| s.id == id) {
                return Err(SopError::DuplicateId { id: id.to_owned() });
            }
            if text::has_control(&step.text, false) {
                return Err(SopError::BadText { index });
            }
            let body = text::clean_line(&step.text);
            if body.is_empty() || body.chars().count() > MAX_TEXT {
                return Err(SopError::BadText { index });
            }
            out.push(SopStep { id: id.to_owned(), text: body, required: step.required });
        }
        Ok(Self { steps: out })
    }

    /// The steps in order.
    #[must_use]
    pub fn steps(&self) -> &[SopStep] {
        &self.steps
    }

    /// Compares the ids ticked with the plan.
    #[must_use]
    pub fn check<S: AsRef<str>>(&self, completed: &[S]) -> SopCheck {
        let ticked: Vec<&str> = completed.iter().map(|s| s.as_ref().trim()).collect();
        let mut c = SopCheck::default();
        for step in &self.steps {
            if ticked.contains(&step.id.as_str()) {
                c.done.push(step.id.clone());
            } else if step.required {
                c.skipped_required.push(step.id.clone());
            } else {
                c.skipped_optional.push(step.id.clone());
            }
        }
        for t in ticked {
            if !t.is_empty() && !self.steps.iter().any(|s| s.id == t) && !c.unknown.iter().any(|u| u == t) {
                c.unknown.push(t.chars().take(32).collect());
            }
        }
        c
    }

    /// The plan a zone gets until its own is written, by the kind of alarm.
    #[must_use]
    pub fn default_for(kind: EventKind) -> Self {
        let steps: &[(&str, &str, bool)] = match kind {
            EventKind::Smoke => &[
                ("xac-minh", "Xem camera hoặc cử người kiểm tra khu vực báo cháy", true),
                ("goi-114", "Gọi 114 nếu có cháy thật", true),
                ("cat-dien", "Cắt điện khu vực cháy", false),
                ("so-tan", "Hướng dẫn mọi người thoát nạn", true),
                ("bao-lanh-dao", "Báo lãnh đạo đơn vị", true),
            ],
            EventKind::Panic => &[
                ("goi-lai", "Gọi lại cho người bấm nút khẩn cấp", true),
                ("cu-nguoi", "Cử bảo vệ gần nhất đến ngay", true),
                ("goi-113", "Gọi 113 hoặc Công an phường khi có nguy hiểm", true),
                ("bao-lanh-dao", "Báo lãnh đạo đơn vị", false),
            ],
            _ => &[
                ("xem-camera", "Xem camera và ảnh chụp khu vực báo động", true),
                ("cu-nguoi", "Cử bảo vệ trực đến kiểm tra tại chỗ", true),
                ("bao-cong-an", "Báo Công an phường nếu có dấu hiệu đột nhập", true),
                ("bao-lanh-dao", "Báo lãnh đạo đơn vị", false),
                ("ghi-nhan", "Ghi nhận kết quả kiểm tra và hiện trạng", true),
            ],
        };
        Self {
            steps: steps
                .iter()
                .map(|(id, t, required)| SopStep { id: (*id).to_owned(), text: text::nfc(t), required: *required })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(id: &str, text: &str, required: bool) -> SopStep {
        SopStep { id: id.into(), text: text.into(), required }
    }

    #[test]
    fn skipped_required_steps_are_reported_and_flagged() {
        let sop = Sop::default_for(EventKind::DoorForced);
        let c = sop.check(&["cu-nguoi", "xem-camera", "ghi-nhan"]);
        assert_eq!(c.done, ["xem-camera", "cu-nguoi", "ghi-nhan"]);
        assert_eq!(c.skipped_required, ["bao-cong-an"]);
        assert_eq!(c.skipped_optional, ["bao-lanh-dao"]);
        assert!(c.flagged());
        let all: Vec<&str> = sop.steps().iter().filter(|s| s.required).map(|s| s.id.as_str()).collect();
        assert!(!sop.check(&all).flagged());
    }

    #[test]
    fn unknown_ticks_are_reported_once() {
        let sop = Sop::default_for(EventKind::Panic);
        let c = sop.check(&["goi-lai", "cu-nguoi", "goi-113", "old-step", "old-step", " "]);
        assert_eq!(c.unknown, ["old-step"]);
        assert!(c.flagged());
    }

    #[test]
    fn step_text_is_stored_in_nfc() {
        // "Gọi" with a combining dot below.
        let sop = Sop::new(vec![step("a", "Go\u{323}i   bảo vệ", true)]).unwrap();
        assert_eq!(sop.steps()[0].text, "Gọi bảo vệ");
        for s in Sop::default_for(EventKind::Smoke).steps() {
            assert_eq!(s.text, text::nfc(&s.text));
        }
    }

    #[test]
    fn bad_plans_are_refused() {
        assert_eq!(Sop::new(vec![]), Err(SopError::Empty));
        assert_eq!(Sop::new(vec![step("a b", "x", true)]), Err(SopError::BadId { index: 0 }));
        assert_eq!(
            Sop::new(vec![step("a", "x", true), step("a", "y", false)]),
            Err(SopError::DuplicateId { id: "a".into() })
        );
        assert_eq!(Sop::new(vec![step("a", "  ", true)]), Err(SopError::BadText { index: 0 }));
        assert_eq!(Sop::new(vec![step("a", "x\ny", true)]), Err(SopError::BadText { index: 0 }));
        let many: Vec<SopStep> = (0..=MAX_STEPS).map(|i| step(&format!("s{i}"), "x", false)).collect();
        assert_eq!(Sop::new(many), Err(SopError::TooManySteps));
    }
}
