//! Charts drawn on the server as SVG: horizontal bars for a table of counts and the hour ×
//! weekday heat map of the statistics. Every text is escaped; each bar and cell carries a
//! `<title>` with its count, so a phone shows it on a tap and a screen reader reads it.

/// Text made safe inside SVG elements and attributes.
fn esc(t: &str) -> String {
    t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// How dark a count is against the largest: 0 for nothing, up to 1.
fn shade(n: u32, max: u32) -> f64 {
    if max == 0 { 0.0 } else { f64::from(n) / f64::from(max) }
}

/// Horizontal bars, one per `(label, value, value as shown)`, the shown value at the end of
/// each bar.
#[must_use]
pub fn bars(name: &str, rows: &[(String, f64, String)]) -> String {
    let (label_w, bar_w, row_h) = (190.0, 160.0, 26.0);
    let max = rows.iter().map(|(_, v, _)| *v).fold(0.0, f64::max);
    let height = row_h * f64::from(u32::try_from(rows.len()).unwrap_or(u32::MAX)) + 6.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 400 {height}\" role=\"img\" class=\"bars\" aria-label=\"{}\">",
        esc(name)
    );
    for (i, (label, v, n)) in rows.iter().enumerate() {
        let y = row_h * f64::from(u32::try_from(i).unwrap_or(u32::MAX)) + 3.0;
        let share = if max > 0.0 { v / max } else { 0.0 };
        let w = (bar_w * share).max(if *v > 0.0 { 2.0 } else { 0.0 });
        let short: String = label.chars().take(24).collect();
        svg.push_str(&format!(
            "<g><title>{}: {}</title><text x=\"0\" y=\"{}\" font-size=\"13\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"#8b1a1a\"></rect>\
             <text x=\"{:.1}\" y=\"{}\" font-size=\"13\">{}</text></g>",
            esc(label),
            esc(n),
            y + 16.0,
            esc(&short),
            row_h - 6.0,
            label_w + w + 4.0,
            y + 16.0,
            esc(n),
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// The heat map: one row per day (`days`, Monday first), 24 columns of hours, darker for more;
/// each cell's title reads "day hh:00–hh:00: n".
#[must_use]
pub fn heat_map(name: &str, days: &[&str; 7], heat: &[[u32; 24]; 7]) -> String {
    let (label_w, cell, top) = (78, 22, 20);
    let width = label_w + cell * 24 + 4;
    let height = top + cell * 7 + 4;
    let max = heat.iter().flatten().copied().max().unwrap_or(0);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" class=\"heat\" aria-label=\"{}\">",
        esc(name)
    );
    for h in (0..24).step_by(3) {
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"10\">{h:02}</text>",
            label_w + h * cell + 4,
            top - 6
        ));
    }
    for (d, (day, hours)) in days.iter().zip(heat).enumerate() {
        let y = top + d * cell;
        svg.push_str(&format!("<text x=\"2\" y=\"{}\" font-size=\"11\">{}</text>", y + 15, esc(day)));
        for (h, n) in hours.iter().enumerate() {
            let fill = if *n == 0 {
                "#f1f1f1".to_owned()
            } else {
                format!("rgba(139,26,26,{:.3})", 0.15 + 0.85 * shade(*n, max))
            };
            svg.push_str(&format!(
                "<rect x=\"{}\" y=\"{y}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"><title>{} {h:02}:00–{:02}:00: {n}</title></rect>",
                label_w + h * cell,
                cell - 2,
                cell - 2,
                esc(day),
                (h + 1) % 24,
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_escape_their_labels_and_scale_to_the_largest() {
        let row = |l: &str, v: u32| (l.to_owned(), f64::from(v), v.to_string());
        let svg = bars("<x>", &[row("A & <b>", 4), row("C", 2), row("D", 0)]);
        assert!(svg.contains("<title>A &amp; &lt;b&gt;: 4</title>"));
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("width=\"160.0\""));
        assert!(svg.contains("width=\"80.0\""));
        assert!(svg.contains("width=\"0.0\""));
    }

    #[test]
    fn the_heat_map_has_a_titled_cell_per_hour_and_day() {
        let mut heat = [[0; 24]; 7];
        heat[1][1] = 3;
        let days = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"];
        let svg = heat_map("h", &days, &heat);
        assert_eq!(svg.matches("<rect").count(), 7 * 24);
        assert!(svg.contains("<title>Thứ Ba 01:00–02:00: 3</title>"));
        assert!(svg.contains("<title>Chủ Nhật 23:00–00:00: 0</title>"));
        assert!(svg.contains("rgba(139,26,26,1.000)"));
    }
}
