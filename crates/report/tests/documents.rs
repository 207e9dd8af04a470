//! The documents read back: each PDF through `pdftotext` (poppler-utils), so the Vietnamese
//! text is proved to be real, extractable text in fonts that have its letters; the workbook
//! through calamine.

use std::io::Write;
use std::process::{Command, Stdio};

use baove_report::{Label, PatrolLog, PatrolRow, PatrolTotals, patrol_log_pdf, patrol_log_xlsx, qr_labels_pdf};
use calamine::{Data, Reader, Xlsx};
use jiff::civil::date;

/// The text of a PDF, as `pdftotext` extracts it.
fn pdf_text(pdf: &[u8]) -> String {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let mut child = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pdftotext (Debian package poppler-utils) is installed");
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn log() -> PatrolLog {
    let row = |round: &str, cp: &str, at: &str, who: &str, how: &str, note: &str| PatrolRow {
        round: round.into(),
        window: "05/01/2026 22:00 – 22:45".into(),
        checkpoint: cp.into(),
        scanned_at: at.into(),
        scanner: who.into(),
        method: how.into(),
        note: note.into(),
    };
    PatrolLog {
        parent: "Sở Giáo dục và Đào tạo".into(),
        unit: "Trường THPT Nguyễn Trãi".into(),
        place: "Hà Nội".into(),
        date: date(2026, 1, 6),
        period: "Đêm 05/01/2026".into(),
        rows: vec![
            row("Vòng 22:00", "CP-01 · Cổng chính", "05/01/2026 22:07", "Nguyễn Văn Bảo", "NFC", ""),
            row("Vòng 22:00", "CP-02 · Dãy nhà học ặ", "05/01/2026 22:49", "Nguyễn Văn Bảo", "QR", "Trễ"),
            row("Vòng 22:00", "CP-03 · Kho thiết bị \"#set\" [x]", "", "", "", "Bỏ sót"),
        ],
        totals: PatrolTotals { rounds: 1, done: 0, late: 0, missed: 1, points_visited: 2, points_total: 3 },
        prepared_by: "Trần Thị Hữu".into(),
        head: "Lê Văn Thế".into(),
    }
}

#[test]
fn the_patrol_log_pdf_reads_as_vietnamese_text_in_the_administrative_layout() {
    let text = pdf_text(&patrol_log_pdf(&log()).unwrap());
    for needle in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "TRƯỜNG THPT NGUYỄN TRÃI",
        "Hà Nội, ngày 06 tháng 01 năm 2026",
        "SỔ NHẬT KÝ TUẦN TRA",
        "Đêm 05/01/2026",
        "Cổng chính",
        "Nguyễn Văn Bảo",
        "Bỏ sót",
        "\"#set\" [x]",
        "Tỷ lệ hoàn thành: 66,7%",
        "NGƯỜI LẬP",
        "THỦ TRƯỞNG ĐƠN VỊ",
        "Lê Văn Thế",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
}

#[test]
fn an_empty_log_still_prints_with_its_header_and_signatures() {
    let empty = PatrolLog { rows: vec![], totals: PatrolTotals::default(), ..log() };
    let text = pdf_text(&patrol_log_pdf(&empty).unwrap());
    assert!(text.contains("Không có vòng tuần tra nào"), "{text}");
    assert!(text.contains("THỦ TRƯỞNG ĐƠN VỊ"));
}

#[test]
fn a_long_log_numbers_its_pages_from_the_second() {
    let mut long = log();
    long.rows = (0..120).map(|i| PatrolRow { round: format!("Vòng {i}"), ..long.rows[0].clone() }).collect();
    let text = pdf_text(&patrol_log_pdf(&long).unwrap());
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert!(pages.len() >= 3, "{} pages", pages.len());
    assert!(pages[1].trim_start().starts_with('2'), "page 2 is numbered: {}", &pages[1][..80.min(pages[1].len())]);
    assert!(pages[1].contains("STT"), "the table heading repeats on every page");
}

#[test]
fn labels_carry_codes_names_and_unit_and_site() {
    let labels: Vec<Label> = (1..=17)
        .map(|i| Label {
            code: format!("CP-{i:02}"),
            name: format!("Điểm số {i} – Nhà xe giữ đồ"),
            url: format!("https://baove.example/q/bi-mat-{i:04}"),
        })
        .collect();
    let pdf = qr_labels_pdf("Trường THPT Nguyễn Trãi", "Cơ sở Thanh Xuân", &labels).unwrap();
    let text = pdf_text(&pdf);
    assert!(text.contains("CP-01") && text.contains("CP-17"), "{text}");
    assert!(text.contains("Nhà xe giữ đồ"));
    assert!(text.contains("Cơ sở Thanh Xuân"));
    assert!(text.contains("TRƯỜNG THPT NGUYỄN TRÃI"));
    assert_eq!(text.matches('\u{c}').count(), 2, "15 labels a page: 17 take two pages");
}

#[test]
fn no_labels_print_a_sheet_that_says_so() {
    let text = pdf_text(&qr_labels_pdf("Trường A", "Cơ sở B", &[]).unwrap());
    assert!(text.contains("chưa có điểm tuần tra"), "{text}");
}

fn cells(xlsx: Vec<u8>) -> Vec<String> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let range = book.worksheet_range("Nhật ký tuần tra").unwrap();
    range
        .rows()
        .flat_map(|r| r.iter())
        .filter_map(|c| match c {
            Data::String(s) => Some(s.clone()),
            Data::Float(f) => Some(f.to_string()),
            Data::Int(i) => Some(i.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_patrol_log_workbook_holds_the_same_header_table_and_totals() {
    let all = cells(patrol_log_xlsx(&log()).unwrap());
    for needle in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "TRƯỜNG THPT NGUYỄN TRÃI",
        "Hà Nội, ngày 06 tháng 01 năm 2026",
        "SỔ NHẬT KÝ TUẦN TRA",
        "STT",
        "Cách xác thực",
        "CP-02 · Dãy nhà học ặ",
        "05/01/2026 22:49",
        "Bỏ sót",
        "3",
        "THỦ TRƯỞNG ĐƠN VỊ",
    ] {
        assert!(all.iter().any(|c| c == needle), "{needle:?} missing from {all:?}");
    }
    assert!(all.iter().any(|c| c.contains("Tỷ lệ hoàn thành: 66,7%")));
}
