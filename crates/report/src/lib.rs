//! baove's documents: reports, logbooks and advisories in the administrative format of
//! NĐ 30/2020/NĐ-CP, as PDF and XLSX. [`nd30`] holds the format's rules for the header lines;
//! [`labels`] prints the QR labels of checkpoints; [`patrol_log`] the patrol logbook. Every
//! renderer is a pure function from plain data to bytes: no I/O, no clock, no store types.

pub mod labels;
pub mod nd30;
pub mod patrol_log;
pub mod tables;
mod typeset;
pub mod visitor_log;
mod xlsx;

pub use labels::{Label, qr_labels_pdf, qr_svg};
pub use patrol_log::{PatrolLog, PatrolRow, PatrolTotals, patrol_log_pdf, patrol_log_xlsx};
pub use tables::{Sheet, tables_xlsx};
pub use visitor_log::{VisitorLog, VisitorRow, visitor_log_pdf, visitor_log_xlsx};

/// Why a document could not be produced. Each is a bug or a resource problem, never the
/// user's input: data enters documents only as escaped literals.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("the document did not typeset: {0}")]
    Typeset(String),
    #[error("the PDF export failed: {0}")]
    Pdf(String),
    #[error("the QR code could not be made: {0}")]
    Qr(String),
    #[error("the spreadsheet could not be written: {0}")]
    Xlsx(String),
}
