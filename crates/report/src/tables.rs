//! Plain tables as a workbook, one sheet per table: the police statistics (R12) exported for
//! the provincial report or further analysis in Excel.

use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};

use crate::ReportError;

/// One cell: text, or a number Excel can sum.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
}

/// One sheet: a title line, a header row and the rows under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The sheet's tab name (cut to Excel's 31 characters, `[]:*?/\` replaced).
    pub name: String,
    /// The line above the table (the period and the scope).
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// The workbook of `sheets`, in order.
///
/// # Errors
/// [`ReportError::Xlsx`] when the workbook cannot be written (two sheets of one name…).
pub fn tables_xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, ReportError> {
    write(sheets).map_err(|e| ReportError::Xlsx(e.to_string()))
}

/// A name Excel accepts for a tab.
fn tab_name(name: &str) -> String {
    let clean: String =
        name.chars().map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') { '-' } else { c }).collect();
    let cut: String = clean.trim_matches('\'').chars().take(31).collect();
    if cut.trim().is_empty() { "-".to_owned() } else { cut }
}

fn write(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let heading = Format::new().set_bold().set_border(FormatBorder::Thin).set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin);
    for sheet in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(tab_name(&sheet.name))?;
        ws.write_string_with_format(0, 0, &sheet.title, &bold)?;
        for (col, h) in (0u16..).zip(&sheet.headers) {
            ws.write_string_with_format(2, col, h, &heading)?;
            ws.set_column_width(col, if col == 0 { 28.0 } else { 12.0 })?;
        }
        for (row, values) in (3u32..).zip(&sheet.rows) {
            for (col, v) in (0u16..).zip(values) {
                match v {
                    Value::Text(t) => ws.write_string_with_format(row, col, t, &cell)?,
                    Value::Number(n) => ws.write_number_with_format(row, col, *n, &cell)?,
                };
            }
        }
    }
    if sheets.is_empty() {
        wb.add_worksheet();
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use std::io::Cursor;

    #[test]
    fn every_table_is_a_sheet_with_its_numbers() {
        let sheets = vec![
            Sheet {
                name: "Loại cơ sở".into(),
                title: "Vụ việc 01/01/2026 – 31/12/2026".into(),
                headers: vec!["Loại".into(), "Số vụ".into()],
                rows: vec![
                    vec![Value::Text("Trường học".into()), Value::Number(9.0)],
                    vec![Value::Text("Bệnh viện".into()), Value::Number(1.0)],
                ],
            },
            Sheet { name: "Giờ/ngày: [x]".into(), title: String::new(), headers: vec![], rows: vec![] },
        ];
        let bytes = tables_xlsx(&sheets).unwrap();
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), vec!["Loại cơ sở".to_owned(), "Giờ-ngày- -x-".to_owned()]);
        let range = book.worksheet_range("Loại cơ sở").unwrap();
        assert_eq!(range.get_value((3, 0)), Some(&Data::String("Trường học".into())));
        assert_eq!(range.get_value((3, 1)), Some(&Data::Float(9.0)));
        assert_eq!(range.get_value((4, 1)), Some(&Data::Float(1.0)));
    }

    #[test]
    fn tab_names_fit_excel() {
        assert_eq!(tab_name(&"a".repeat(40)).len(), 31);
        assert_eq!(tab_name("''"), "-");
    }
}
