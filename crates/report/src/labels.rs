//! Checkpoint labels: an A4 sheet of cut-out labels, three across and five down, each with
//! the checkpoint's QR code (the URL a phone's camera app opens), its code and name, and the
//! unit and site it belongs to. Printed, laminated and fixed next to the NFC tag, or alone
//! where a unit has no tags.

use qrcode::{EcLevel, QrCode};

use crate::ReportError;
use crate::typeset::{font_list, lit, pdf};

/// One checkpoint to label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The short code painted on the spot, e.g. "CP-01".
    pub code: String,
    pub name: String,
    /// What the QR code holds: `https://host/q/<secret>`.
    pub url: String,
}

/// The QR code of `data` as SVG. Level M survives a scuffed or dirty label (15 % of the
/// modules) while keeping the modules large enough for old phone cameras at 30 mm.
pub fn qr_svg(data: &str) -> Result<String, ReportError> {
    let code = QrCode::with_error_correction_level(data, EcLevel::M).map_err(|e| ReportError::Qr(e.to_string()))?;
    Ok(code.render::<qrcode::render::svg::Color<'_>>().quiet_zone(true).build())
}

const TEMPLATE: &str = r#"
#set document(title: "Nhãn điểm tuần tra")
#set page(paper: "a4", margin: 10mm)
#set text(font: SERIF, lang: "vi", size: 10pt)
#if labels.len() == 0 [
  #align(center)[#upper(unit) --- #site: chưa có điểm tuần tra nào để in nhãn.]
]
#grid(
  columns: (1fr, 1fr, 1fr),
  rows: 55mm,
  stroke: (paint: luma(140), thickness: 0.4pt, dash: "dashed"),
  ..labels.map(((code, name, qr)) => box(width: 100%, height: 100%, inset: 2.5mm, clip: true,
    align(center + horizon, stack(
      spacing: 1.6mm,
      text(size: 7pt, upper(unit)),
      image(bytes(qr), format: "svg", width: 30mm),
      text(size: 14pt, weight: "bold", code),
      text(size: 10pt, name),
      text(size: 7pt, site),
    )))),
)
"#;

/// An A4 sheet (or several) of checkpoint labels for `site` of `unit`.
///
/// # Errors
/// [`ReportError::Qr`] when a URL is too long for a QR code, or a typesetting error.
pub fn qr_labels_pdf(unit: &str, site: &str, labels: &[Label]) -> Result<Vec<u8>, ReportError> {
    let mut data = String::from("(");
    for l in labels {
        let svg = qr_svg(&l.url)?;
        data.push_str(&format!("({}, {}, {}), ", lit(&l.code), lit(&l.name), lit(&svg)));
    }
    data.push(')');
    let source = format!(
        "#let SERIF = {}\n#let unit = {}\n#let site = {}\n#let labels = {data}\n{TEMPLATE}",
        font_list(),
        lit(unit),
        lit(site)
    );
    pdf(source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_qr_code_is_svg_with_a_quiet_zone() {
        let svg = qr_svg("https://baove.example/q/abc").unwrap();
        assert!(svg.contains("<svg") && svg.contains("<path"));
    }

    #[test]
    fn a_url_too_long_for_a_qr_code_is_an_error_not_a_panic() {
        assert!(matches!(qr_svg(&"x".repeat(5000)), Err(ReportError::Qr(_))));
    }
}
