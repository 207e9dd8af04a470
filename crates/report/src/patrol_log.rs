//! The patrol logbook, "SỔ NHẬT KÝ TUẦN TRA", for a night or a week: every position of every
//! round with the scan that visited it (when, by whom, with what proof) or the warning that
//! it was late or missed, then the totals and the signatures. Laid out as an administrative
//! document of NĐ 30/2020 (header, place and date, title, body, signature blocks) on A4
//! landscape, which Phụ lục I allows for a document whose body is a table.
//!
//! The log is plain data: the server evaluates rounds and scans and writes the words; this
//! module only lays them out, as PDF here and as a spreadsheet in [`crate::xlsx`].

use jiff::civil::Date;

use crate::ReportError;
use crate::nd30::{MOTTO, NATIONAL_NAME, place_and_date};
use crate::typeset::{font_list, lit, lits, pdf};

/// The document type (tên loại).
pub const TITLE: &str = "SỔ NHẬT KÝ TUẦN TRA";

/// The column headings of the log's table.
pub const COLUMNS: [&str; 8] =
    ["STT", "Vòng tuần tra", "Khung giờ", "Điểm", "Thời gian quét", "Người quét", "Cách xác thực", "Ghi chú/cảnh báo"];

/// The signature blocks: who drew the log up (left) and the head of the unit (right).
pub const SIGNERS: [&str; 2] = ["NGƯỜI LẬP", "THỦ TRƯỞNG ĐƠN VỊ"];

/// The hint under a signer's title.
pub const SIGN_HINT: &str = "(Ký, ghi rõ họ tên)";

/// A patrol logbook, ready to print.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PatrolLog {
    /// The parent body (cơ quan chủ quản), if any; printed above the unit.
    pub parent: String,
    /// The unit keeping the log (the issuing body).
    pub unit: String,
    /// The place name of the date line (địa danh).
    pub place: String,
    /// The date of the document.
    pub date: Date,
    /// What the log covers, e.g. "Đêm 05/01/2026" or "Tuần từ 05/01/2026 đến 11/01/2026".
    pub period: String,
    pub rows: Vec<PatrolRow>,
    pub totals: PatrolTotals,
    /// The name under "Người lập", if known.
    pub prepared_by: String,
    /// The name under "Thủ trưởng đơn vị", if known.
    pub head: String,
}

/// One position of one round: the checkpoint and what happened there. Empty strings print
/// as empty cells (a missed checkpoint has no scan time).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PatrolRow {
    pub round: String,
    /// "05/01/2026 22:00 – 22:45".
    pub window: String,
    /// "CP-01 · Cổng chính".
    pub checkpoint: String,
    /// "05/01/2026 22:07".
    pub scanned_at: String,
    pub scanner: String,
    /// "NFC", "QR", "Thủ công".
    pub method: String,
    /// "Trễ", "Bỏ sót", the reason of a manual record, scan flags.
    pub note: String,
}

/// The counts of the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PatrolTotals {
    pub rounds: u32,
    /// Rounds with every position visited on time.
    pub done: u32,
    /// Rounds with every position visited, some late.
    pub late: u32,
    /// Rounds with at least one position missed.
    pub missed: u32,
    /// Positions visited (on time or late) over all positions.
    pub points_visited: u32,
    pub points_total: u32,
}

impl PatrolTotals {
    /// The share of positions visited, "83,3%" (Vietnamese decimal comma), or "—" when
    /// there was nothing to visit.
    #[must_use]
    pub fn completion(&self) -> String {
        if self.points_total == 0 {
            return "—".into();
        }
        let permille =
            (u64::from(self.points_visited) * 1000 + u64::from(self.points_total) / 2) / u64::from(self.points_total);
        format!("{},{}%", permille / 10, permille % 10)
    }

    /// The summary line under the table.
    #[must_use]
    pub fn summary(&self) -> String {
        let open = self.rounds.saturating_sub(self.done + self.late + self.missed);
        let mut s = format!(
            "Tổng số vòng tuần tra: {}; hoàn thành đúng giờ: {}; hoàn thành có trễ: {}; bỏ sót điểm: {}",
            self.rounds, self.done, self.late, self.missed
        );
        if open > 0 {
            s.push_str(&format!("; chưa kết thúc: {open}"));
        }
        s.push_str(&format!(
            ". Tỷ lệ hoàn thành: {} ({}/{} lượt điểm).",
            self.completion(),
            self.points_visited,
            self.points_total
        ));
        s
    }
}

impl PatrolRow {
    /// The cells of the row after STT, in the order of [`COLUMNS`].
    #[must_use]
    pub fn cells(&self) -> [&str; 7] {
        [&self.round, &self.window, &self.checkpoint, &self.scanned_at, &self.scanner, &self.method, &self.note]
    }
}

const TEMPLATE: &str = r#"
#set document(title: title)
#set page(
  paper: "a4",
  flipped: true,
  margin: (top: 20mm, bottom: 20mm, left: 30mm, right: 15mm),
  // Page numbers centred in the top margin, from page 2 (Phụ lục I, Mục I.5).
  header: context {
    let n = counter(page).get().first()
    if n > 1 { align(center, text(size: 13pt, str(n))) }
  },
)
#set text(font: SERIF, lang: "vi", size: 13pt)
#set par(spacing: 6pt)

#let ruled(body, ratio) = context {
  let w = measure(body).width
  stack(spacing: 6pt, align(center, body), align(center, line(length: w * ratio, stroke: 0.5pt)))
}

#grid(
  columns: (1fr, 1.3fr),
  align: center + top,
  row-gutter: 8pt,
  stack(spacing: 3pt,
    ..if parent != "" { (align(center, text(size: 12pt, upper(parent))),) } else { () },
    ruled(text(size: 12pt, weight: "bold", upper(unit)), 0.4),
  ),
  stack(spacing: 3pt,
    align(center, text(size: 12pt, weight: "bold", national)),
    ruled(text(size: 13pt, weight: "bold", motto), 1.0),
  ),
  [],
  text(style: "italic", dateline),
)

#v(10pt)
#align(center, text(size: 14pt, weight: "bold", title))
#ruled(text(size: 13pt, weight: "bold", period), 0.45)
#v(6pt)

#set text(size: 11pt)
#table(
  columns: (auto, 1.1fr, 1.3fr, 1.5fr, 1fr, 1.1fr, 0.9fr, 1.5fr),
  align: (col, row) => if col == 0 or row == 0 { center + horizon } else { left + horizon },
  inset: 4pt,
  table.header(..columns.map(c => text(weight: "bold", c))),
  ..rows.enumerate().map(((i, r)) => (str(i + 1), ..r)).flatten(),
)
#if rows.len() == 0 { align(center, emph("Không có vòng tuần tra nào trong thời gian này.")) }

#set text(size: 13pt)
#v(6pt)
#par(first-line-indent: (amount: 1cm, all: true), summary)
#v(12pt)
#grid(
  columns: (1fr, 1fr),
  align: center + top,
  ..signers.map(((who, name)) => stack(spacing: 4pt,
    text(weight: "bold", who),
    text(style: "italic", hint),
    v(22mm),
    text(weight: "bold", name),
  )),
)
"#;

/// The logbook as PDF.
///
/// # Errors
/// A typesetting error (a bug of the template; data cannot cause one).
pub fn patrol_log_pdf(log: &PatrolLog) -> Result<Vec<u8>, ReportError> {
    let rows: String = log.rows.iter().map(|r| format!("{}, ", lits(r.cells()))).collect();
    let source = format!(
        "#let SERIF = {serif}\n#let title = {title}\n#let national = {national}\n#let motto = {motto}\n\
         #let parent = {parent}\n#let unit = {unit}\n#let dateline = {dateline}\n#let period = {period}\n\
         #let columns = {columns}\n#let rows = ({rows})\n#let summary = {summary}\n#let hint = {hint}\n\
         #let signers = (({s0}, {n0}), ({s1}, {n1}))\n{TEMPLATE}",
        serif = font_list(),
        title = lit(TITLE),
        national = lit(NATIONAL_NAME),
        motto = lit(MOTTO),
        parent = lit(&log.parent),
        unit = lit(&log.unit),
        dateline = lit(&place_and_date(&log.place, log.date)),
        period = lit(&log.period),
        columns = lits(COLUMNS),
        summary = lit(&log.totals.summary()),
        hint = lit(SIGN_HINT),
        s0 = lit(SIGNERS[0]),
        n0 = lit(&log.prepared_by),
        s1 = lit(SIGNERS[1]),
        n1 = lit(&log.head),
    );
    pdf(source)
}

/// The logbook as an XLSX workbook with one sheet.
///
/// # Errors
/// [`ReportError::Xlsx`] when the workbook cannot be written.
pub fn patrol_log_xlsx(log: &PatrolLog) -> Result<Vec<u8>, ReportError> {
    crate::xlsx::patrol_log(log)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_is_rounded_to_a_tenth_with_a_decimal_comma() {
        let t = PatrolTotals { points_visited: 5, points_total: 6, ..PatrolTotals::default() };
        assert_eq!(t.completion(), "83,3%");
        let t = PatrolTotals { points_visited: 2, points_total: 3, ..PatrolTotals::default() };
        assert_eq!(t.completion(), "66,7%");
        assert_eq!(PatrolTotals::default().completion(), "—");
    }

    #[test]
    fn the_summary_counts_rounds_and_mentions_unfinished_ones_only_when_there_are_some() {
        let t = PatrolTotals { rounds: 3, done: 1, late: 1, missed: 1, points_visited: 5, points_total: 6 };
        assert_eq!(
            t.summary(),
            "Tổng số vòng tuần tra: 3; hoàn thành đúng giờ: 1; hoàn thành có trễ: 1; bỏ sót điểm: 1. \
             Tỷ lệ hoàn thành: 83,3% (5/6 lượt điểm)."
        );
        let t = PatrolTotals { rounds: 2, done: 1, points_visited: 3, points_total: 4, ..PatrolTotals::default() };
        assert!(t.summary().contains("chưa kết thúc: 1"));
    }
}
