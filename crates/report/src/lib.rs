//! baove's documents: reports, logbooks and advisories in the administrative format of
//! NĐ 30/2020/NĐ-CP, as PDF and XLSX. This crate starts with the format's rules for the
//! header lines every document carries; the renderers build on them.

pub mod nd30;
