//! The visitor logbook, "SỔ THEO DÕI KHÁCH RA VÀO" (R7), for a period: one line per visit in
//! the columns units keep on paper, then the signatures. Laid out like the patrol logbook (NĐ
//! 30/2020 header, A4 landscape), as PDF and as a one-sheet XLSX workbook.
//!
//! The log is plain data: the server masks the ID numbers (last four digits only) and writes
//! the times; this module only lays them out.

use jiff::civil::Date;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, FormatUnderline, Workbook, XlsxError};

use crate::ReportError;
use crate::nd30::{MOTTO, NATIONAL_NAME, place_and_date};
use crate::typeset::{font_list, lit, lits, pdf};

/// The document type (tên loại).
pub const TITLE: &str = "SỔ THEO DÕI KHÁCH RA VÀO";

/// The column headings of the log's table.
pub const COLUMNS: [&str; 10] = [
    "STT",
    "Họ và tên",
    "Số giấy tờ",
    "Đơn vị/cơ quan",
    "Nội dung/mục đích",
    "Người tiếp",
    "Giờ vào",
    "Giờ ra",
    "Số thẻ",
    "Biển số xe",
];

/// The signature blocks: the guard who kept the log (left) and the head of the unit (right).
pub const SIGNERS: [&str; 2] = ["NGƯỜI LẬP", "THỦ TRƯỞNG ĐƠN VỊ"];

/// A visitor logbook, ready to print.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VisitorLog {
    pub unit: String,
    pub place: String,
    pub date: Date,
    /// What the log covers, e.g. "Ngày 21/11/2026".
    pub period: String,
    pub rows: Vec<VisitorRow>,
    pub prepared_by: String,
}

/// One visit; empty strings print as empty cells.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VisitorRow {
    pub name: String,
    /// Masked: "•••••••••3456".
    pub document: String,
    pub organisation: String,
    pub purpose: String,
    pub host: String,
    pub checked_in: String,
    pub checked_out: String,
    pub card: String,
    pub plate: String,
}

impl VisitorRow {
    /// The cells after STT, in the order of [`COLUMNS`].
    #[must_use]
    pub fn cells(&self) -> [&str; 9] {
        [
            &self.name,
            &self.document,
            &self.organisation,
            &self.purpose,
            &self.host,
            &self.checked_in,
            &self.checked_out,
            &self.card,
            &self.plate,
        ]
    }
}

const TEMPLATE: &str = r#"
#set document(title: title)
#set page(paper: "a4", flipped: true, margin: (top: 20mm, bottom: 20mm, left: 30mm, right: 15mm))
#set text(font: SERIF, lang: "vi", size: 13pt)
#grid(
  columns: (1fr, 1.3fr),
  align: center + top,
  row-gutter: 8pt,
  text(size: 12pt, weight: "bold", upper(unit)),
  stack(spacing: 3pt, text(size: 12pt, weight: "bold", national), text(size: 13pt, weight: "bold", motto)),
  [],
  text(style: "italic", dateline),
)
#v(10pt)
#align(center, text(size: 14pt, weight: "bold", title))
#align(center, text(weight: "bold", period))
#v(6pt)
#set text(size: 10pt)
#table(
  columns: (auto, 1.4fr, 1fr, 1.3fr, 1.4fr, 1fr, 0.9fr, 0.9fr, auto, 0.9fr),
  align: (col, row) => if col == 0 or row == 0 { center + horizon } else { left + horizon },
  inset: 4pt,
  table.header(..columns.map(c => text(weight: "bold", c))),
  ..rows.enumerate().map(((i, r)) => (str(i + 1), ..r)).flatten(),
)
#if rows.len() == 0 { align(center, emph("Không có khách nào trong thời gian này.")) }
#set text(size: 13pt)
#v(12pt)
#grid(
  columns: (1fr, 1fr),
  align: center + top,
  ..signers.map(((who, name)) => stack(spacing: 4pt,
    text(weight: "bold", who),
    text(style: "italic", "(Ký, ghi rõ họ tên)"),
    v(22mm),
    text(weight: "bold", name),
  )),
)
"#;

/// The logbook as PDF.
///
/// # Errors
/// A typesetting error (a bug of the template; data cannot cause one).
pub fn visitor_log_pdf(log: &VisitorLog) -> Result<Vec<u8>, ReportError> {
    let rows: String = log.rows.iter().map(|r| format!("{}, ", lits(r.cells()))).collect();
    let source = format!(
        "#let SERIF = {serif}\n#let title = {title}\n#let national = {national}\n#let motto = {motto}\n\
         #let unit = {unit}\n#let dateline = {dateline}\n#let period = {period}\n\
         #let columns = {columns}\n#let rows = ({rows})\n\
         #let signers = (({s0}, {n0}), ({s1}, \"\"))\n{TEMPLATE}",
        serif = font_list(),
        title = lit(TITLE),
        national = lit(NATIONAL_NAME),
        motto = lit(MOTTO),
        unit = lit(&log.unit),
        dateline = lit(&place_and_date(&log.place, log.date)),
        period = lit(&log.period),
        columns = lits(COLUMNS),
        s0 = lit(SIGNERS[0]),
        n0 = lit(&log.prepared_by),
        s1 = lit(SIGNERS[1]),
    );
    pdf(source)
}

/// The logbook as an XLSX workbook with one sheet.
///
/// # Errors
/// [`ReportError::Xlsx`] when the workbook cannot be written.
pub fn visitor_log_xlsx(log: &VisitorLog) -> Result<Vec<u8>, ReportError> {
    write(log).map_err(|e| ReportError::Xlsx(e.to_string()))
}

const WIDTHS: [f64; 10] = [6.0, 24.0, 16.0, 22.0, 26.0, 18.0, 16.0, 16.0, 8.0, 13.0];

fn write(log: &VisitorLog) -> Result<Vec<u8>, XlsxError> {
    let base = || Format::new().set_font_name("Times New Roman").set_font_size(12);
    let centred = || base().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter);
    let last: u16 = 9;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Sổ theo dõi khách")?;
    ws.set_landscape();
    ws.set_paper_size(9);
    for (col, w) in (0u16..).zip(WIDTHS) {
        ws.set_column_width(col, w)?;
    }
    ws.merge_range(0, 0, 0, 3, &log.unit.to_uppercase(), &centred().set_bold())?;
    ws.merge_range(0, 4, 0, last, NATIONAL_NAME, &centred().set_bold())?;
    ws.merge_range(1, 4, 1, last, MOTTO, &centred().set_bold().set_underline(FormatUnderline::Single))?;
    ws.merge_range(2, 4, 2, last, &place_and_date(&log.place, log.date), &centred().set_italic())?;
    ws.merge_range(4, 0, 4, last, TITLE, &centred().set_bold().set_font_size(14))?;
    ws.merge_range(5, 0, 5, last, &log.period, &centred().set_bold())?;
    let top = 7;
    let heading = centred().set_bold().set_border(FormatBorder::Thin).set_text_wrap();
    for (col, title) in (0u16..).zip(COLUMNS) {
        ws.write_string_with_format(top, col, title, &heading)?;
    }
    ws.set_repeat_rows(top, top)?;
    let cell = base().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
    let number = centred().set_border(FormatBorder::Thin);
    let mut row = top;
    for (n, r) in (1u32..).zip(&log.rows) {
        row += 1;
        ws.write_number_with_format(row, 0, n, &number)?;
        for (col, text) in (1u16..).zip(r.cells()) {
            ws.write_string_with_format(row, col, text, &cell)?;
        }
    }
    row += 2;
    ws.merge_range(row, 0, row, 3, SIGNERS[0], &centred().set_bold())?;
    ws.merge_range(row, 5, row, last, SIGNERS[1], &centred().set_bold())?;
    ws.merge_range(row + 5, 0, row + 5, 3, &log.prepared_by, &centred().set_bold())?;
    wb.save_to_buffer()
}
