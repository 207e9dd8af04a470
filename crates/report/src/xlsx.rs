//! Spreadsheets: the patrol logbook as an XLSX workbook with the same header, table, summary
//! and signature blocks as its PDF, for units that keep or forward their logs in Excel.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::ReportError;
use crate::nd30::{MOTTO, NATIONAL_NAME, place_and_date};
use crate::patrol_log::{COLUMNS, PatrolLog, SIGN_HINT, SIGNERS, TITLE};

/// The font NĐ 30/2020 names; a spreadsheet only names it (nothing is embedded).
const FONT: &str = "Times New Roman";

/// Column widths in characters, in the order of [`COLUMNS`].
const WIDTHS: [f64; 8] = [6.0, 18.0, 24.0, 28.0, 17.0, 20.0, 13.0, 30.0];

const LAST_COL: u16 = 7;

fn base() -> Format {
    Format::new().set_font_name(FONT).set_font_size(12)
}

fn centred() -> Format {
    base().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter)
}

pub fn patrol_log(log: &PatrolLog) -> Result<Vec<u8>, ReportError> {
    write(log).map_err(|e| ReportError::Xlsx(e.to_string()))
}

fn write(log: &PatrolLog) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Nhật ký tuần tra")?;
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_margins(0.6, 0.8, 0.8, 0.8, 0.3, 0.3);
    for (col, w) in (0u16..).zip(WIDTHS) {
        ws.set_column_width(col, w)?;
    }
    header(ws, log)?;

    let table_top = 7;
    let heading = centred().set_bold().set_border(FormatBorder::Thin).set_text_wrap();
    for (col, title) in (0u16..).zip(COLUMNS) {
        ws.write_string_with_format(table_top, col, title, &heading)?;
    }
    ws.set_repeat_rows(table_top, table_top)?;
    let cell = base().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
    let number = centred().set_border(FormatBorder::Thin);
    let mut row = table_top;
    for (n, r) in (1u32..).zip(&log.rows) {
        row += 1;
        ws.write_number_with_format(row, 0, n, &number)?;
        for (col, text) in (1u16..).zip(r.cells()) {
            ws.write_string_with_format(row, col, text, &cell)?;
        }
    }

    row += 2;
    ws.merge_range(row, 0, row, LAST_COL, &log.totals.summary(), &base().set_text_wrap())?;
    ws.set_row_height(row, 32)?;
    row += 2;
    let halves = [(0, 2, &log.prepared_by), (4, LAST_COL, &log.head)];
    for ((first, last, name), who) in halves.into_iter().zip(SIGNERS) {
        ws.merge_range(row, first, row, last, who, &centred().set_bold())?;
        ws.merge_range(row + 1, first, row + 1, last, SIGN_HINT, &centred().set_italic())?;
        ws.merge_range(row + 5, first, row + 5, last, name, &centred().set_bold())?;
    }
    wb.save_to_buffer()
}

/// The administrative header: unit on the left, national name and motto on the right, the
/// place and date under them; then the title and the period.
fn header(ws: &mut Worksheet, log: &PatrolLog) -> Result<(), XlsxError> {
    let left = |first| (first, 0u16, 2u16);
    let right = |first| (first, 3u16, LAST_COL);
    let lines = [
        (left(0), log.parent.to_uppercase(), centred()),
        (
            left(1),
            log.unit.to_uppercase(),
            centred().set_bold().set_underline(rust_xlsxwriter::FormatUnderline::Single),
        ),
        (right(0), NATIONAL_NAME.to_owned(), centred().set_bold()),
        (right(1), MOTTO.to_owned(), centred().set_bold().set_underline(rust_xlsxwriter::FormatUnderline::Single)),
        (right(2), place_and_date(&log.place, log.date), centred().set_italic()),
        ((4, 0, LAST_COL), TITLE.to_owned(), centred().set_bold().set_font_size(14)),
        ((5, 0, LAST_COL), log.period.clone(), centred().set_bold()),
    ];
    for ((row, first, last), text, format) in lines {
        ws.merge_range(row, first, row, last, &text, &format)?;
    }
    Ok(())
}
