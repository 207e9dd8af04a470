//! Just enough positional astronomy for the lunar calendar: the instants of new moons and the
//! Sun's apparent longitude, written from Jean Meeus, *Astronomical Algorithms* (2nd ed. 1998),
//! with ΔT from the Espenak–Meeus polynomials (NASA Five Millennium Canon, 2006).
//!
//! Meeus's formulas give dynamical time (TT, as a Julian Ephemeris Day); civil time is UT, so
//! every instant passes through [`delta_t_seconds`]. Accuracy over 1900–2100: new moons within
//! about half a minute of a modern ephemeris (the series is good to ~20 s, ΔT predictions after
//! 2025 add their own uncertainty), the Sun's longitude within ~1″ (≈30 seconds of time).
//! The lunar module's tests measure both against the calendar boundaries that depend on them.

use jiff::civil::Date;

/// Julian Day Number of 1970-01-01 (the day that runs from noon UT to noon UT).
const JDN_UNIX_EPOCH: i64 = 2_440_588;

/// The mean synodic month in days (Meeus eq. 49.1).
pub(crate) const SYNODIC_MONTH: f64 = 29.530_588_861;

/// JDE of the mean new moon with lunation number 0 (2000-01-06), Meeus eq. 49.1.
const NEW_MOON_EPOCH: f64 = 2_451_550.097_66;

/// The Julian Day Number of a proleptic Gregorian date.
#[must_use]
pub(crate) fn jdn(d: Date) -> i64 {
    jdn_ymd(i64::from(d.year()), i64::from(d.month()), i64::from(d.day()))
}

/// The Julian Day Number of proleptic Gregorian year `y`, month `m`, day `day`.
#[must_use]
pub(crate) fn jdn_ymd(y: i64, m: i64, day: i64) -> i64 {
    // Days from 1970-01-01 by the civil-from-days arithmetic on 400-year eras.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468 + JDN_UNIX_EPOCH
}

/// The proleptic Gregorian date of a Julian Day Number (`None` outside jiff's years).
#[must_use]
pub(crate) fn date_from_jdn(jdn: i64) -> Option<Date> {
    let z = jdn - JDN_UNIX_EPOCH + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date::new(i16::try_from(year).ok()?, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

/// ΔT = TT − UT in seconds at decimal year `y`, Espenak & Meeus (2006) polynomials for the
/// spans 1860–2150 (the calendar needs 1899–2102).
#[must_use]
pub(crate) fn delta_t_seconds(y: f64) -> f64 {
    if y < 1900.0 {
        let t = y - 1860.0;
        7.62 + 0.5737 * t - 0.251_754 * t.powi(2) + 0.016_806_68 * t.powi(3) - 0.000_447_362_4 * t.powi(4)
            + t.powi(5) / 233_174.0
    } else if y < 1920.0 {
        let t = y - 1900.0;
        -2.79 + 1.494_119 * t - 0.059_893_9 * t.powi(2) + 0.006_196_6 * t.powi(3) - 0.000_197 * t.powi(4)
    } else if y < 1941.0 {
        let t = y - 1920.0;
        21.20 + 0.844_93 * t - 0.076_100 * t.powi(2) + 0.002_093_6 * t.powi(3)
    } else if y < 1961.0 {
        let t = y - 1950.0;
        29.07 + 0.407 * t - t.powi(2) / 233.0 + t.powi(3) / 2547.0
    } else if y < 1986.0 {
        let t = y - 1975.0;
        45.45 + 1.067 * t - t.powi(2) / 260.0 - t.powi(3) / 718.0
    } else if y < 2005.0 {
        let t = y - 2000.0;
        63.86 + 0.3345 * t - 0.060_374 * t.powi(2)
            + 0.001_727_5 * t.powi(3)
            + 0.000_651_814 * t.powi(4)
            + 0.000_023_735_99 * t.powi(5)
    } else if y < 2050.0 {
        let t = y - 2000.0;
        62.92 + 0.322_17 * t + 0.005_589 * t.powi(2)
    } else {
        let u = (y - 1820.0) / 100.0;
        -20.0 + 32.0 * u * u - 0.5628 * (2150.0 - y)
    }
}

/// The decimal year of a Julian Day (close enough for ΔT).
fn decimal_year(jd: f64) -> f64 {
    2000.0 + (jd - 2_451_545.0) / 365.25
}

/// Universal Time (as a Julian Day) of a Julian Ephemeris Day.
#[must_use]
pub(crate) fn tt_to_ut(jde: f64) -> f64 {
    jde - delta_t_seconds(decimal_year(jde)) / 86_400.0
}

/// Julian Ephemeris Day of a Universal Time Julian Day.
#[must_use]
pub(crate) fn ut_to_tt(jd: f64) -> f64 {
    jd + delta_t_seconds(decimal_year(jd)) / 86_400.0
}

/// Sine of an angle in degrees.
fn sind(deg: f64) -> f64 {
    deg.to_radians().sin()
}

/// The lunation number of the mean new moon nearest to Julian Day `jd`.
#[must_use]
pub(crate) fn lunation_near(jd: f64) -> i32 {
    // Truncation is intended: |k| stays below ~3,000 over the calendar's range.
    #[allow(clippy::cast_possible_truncation)]
    let k = ((jd - NEW_MOON_EPOCH) / SYNODIC_MONTH).round() as i32;
    k
}

/// JDE (dynamical time) of the true new moon with lunation number `k` (k = 0 is the new moon of
/// 2000-01-06): Meeus ch. 49, the mean phase (49.1) plus the periodic terms for a new moon and
/// the fourteen planetary-argument corrections.
#[must_use]
pub(crate) fn new_moon_jde(k: i32) -> f64 {
    let k = f64::from(k);
    let t = k / 1236.85;
    let (t2, t3, t4) = (t * t, t * t * t, t * t * t * t);
    let mean = NEW_MOON_EPOCH + SYNODIC_MONTH * k + 0.000_154_37 * t2 - 0.000_000_150 * t3 + 0.000_000_000_73 * t4;
    // Eccentricity of the Earth's orbit (47.6), the Sun's and the Moon's mean anomalies, the
    // Moon's argument of latitude and the longitude of its ascending node (49.4–49.7).
    let e = 1.0 - 0.002_516 * t - 0.000_007_4 * t2;
    let m = 2.5534 + 29.105_356_70 * k - 0.000_001_4 * t2 - 0.000_000_11 * t3;
    let mp = 201.5643 + 385.816_935_28 * k + 0.010_758_2 * t2 + 0.000_012_38 * t3 - 0.000_000_058 * t4;
    let f = 160.7108 + 390.670_502_84 * k - 0.001_611_8 * t2 - 0.000_002_27 * t3 + 0.000_000_011 * t4;
    let om = 124.7746 - 1.563_755_88 * k + 0.002_067_2 * t2 + 0.000_002_15 * t3;

    let periodic = -0.40720 * sind(mp)
        + 0.17241 * e * sind(m)
        + 0.01608 * sind(2.0 * mp)
        + 0.01039 * sind(2.0 * f)
        + 0.00739 * e * sind(mp - m)
        - 0.00514 * e * sind(mp + m)
        + 0.00208 * e * e * sind(2.0 * m)
        - 0.00111 * sind(mp - 2.0 * f)
        - 0.00057 * sind(mp + 2.0 * f)
        + 0.00056 * e * sind(2.0 * mp + m)
        - 0.00042 * sind(3.0 * mp)
        + 0.00042 * e * sind(m + 2.0 * f)
        + 0.00038 * e * sind(m - 2.0 * f)
        - 0.00024 * e * sind(2.0 * mp - m)
        - 0.00017 * sind(om)
        - 0.00007 * sind(mp + 2.0 * m)
        + 0.00004 * sind(2.0 * mp - 2.0 * f)
        + 0.00004 * sind(3.0 * m)
        + 0.00003 * sind(mp + m - 2.0 * f)
        + 0.00003 * sind(2.0 * mp + 2.0 * f)
        - 0.00003 * sind(mp + m + 2.0 * f)
        + 0.00003 * sind(mp - m + 2.0 * f)
        - 0.00002 * sind(mp - m - 2.0 * f)
        - 0.00002 * sind(3.0 * mp + m)
        + 0.00002 * sind(4.0 * mp);

    // Meeus's table of planetary arguments A1–A14 (degrees: constant, rate per lunation) and
    // their coefficients (days).
    const PLANETARY: [(f64, f64, f64); 14] = [
        (299.77, 0.107_408, 0.000_325),
        (251.88, 0.016_321, 0.000_165),
        (251.83, 26.651_886, 0.000_164),
        (349.42, 36.412_478, 0.000_126),
        (84.66, 18.206_239, 0.000_110),
        (141.74, 53.303_771, 0.000_062),
        (207.14, 2.453_732, 0.000_060),
        (154.84, 7.306_860, 0.000_056),
        (34.52, 27.261_239, 0.000_047),
        (207.19, 0.121_824, 0.000_042),
        (291.34, 1.844_379, 0.000_040),
        (161.72, 24.198_154, 0.000_037),
        (239.56, 25.513_099, 0.000_035),
        (331.55, 3.592_518, 0.000_023),
    ];
    let planetary: f64 = PLANETARY
        .iter()
        .enumerate()
        .map(|(i, (a0, rate, coeff))| {
            // A1 alone has a T² term.
            let a = a0 + rate * k - if i == 0 { 0.009_173 * t2 } else { 0.0 };
            coeff * sind(a)
        })
        .sum();

    mean + periodic + planetary
}

/// Universal Time (as a Julian Day) of the new moon with lunation number `k`.
#[must_use]
pub(crate) fn new_moon_ut(k: i32) -> f64 {
    tt_to_ut(new_moon_jde(k))
}

/// One periodic term of a VSOP87 series: amplitude (1e-8 rad), phase (rad), frequency (rad
/// per Julian millennium).
type Term = (f64, f64, f64);

// The Earth's heliocentric longitude, VSOP87 as truncated in Meeus Appendix III (series L0–L5).
#[rustfmt::skip]
const EARTH_L0: [Term; 64] = [
    (175347046.0, 0.0, 0.0), (3341656.0, 4.6692568, 6283.0758500), (34894.0, 4.62610, 12566.15170),
    (3497.0, 2.7441, 5753.3849), (3418.0, 2.8289, 3.5231), (3136.0, 3.6277, 77713.7715),
    (2676.0, 4.4181, 7860.4194), (2343.0, 6.1352, 3930.2097), (1324.0, 0.7425, 11506.7698),
    (1273.0, 2.0371, 529.6910), (1199.0, 1.1096, 1577.3435), (990.0, 5.233, 5884.927),
    (902.0, 2.045, 26.298), (857.0, 3.508, 398.149), (780.0, 1.179, 5223.694),
    (753.0, 2.533, 5507.553), (505.0, 4.583, 18849.228), (492.0, 4.205, 775.523),
    (357.0, 2.920, 0.067), (317.0, 5.849, 11790.629), (284.0, 1.899, 796.298),
    (271.0, 0.315, 10977.079), (243.0, 0.345, 5486.778), (206.0, 4.806, 2544.314),
    (205.0, 1.869, 5573.143), (202.0, 2.458, 6069.777), (156.0, 0.833, 213.299),
    (132.0, 3.411, 2942.463), (126.0, 1.083, 20.775), (115.0, 0.645, 0.980),
    (103.0, 0.636, 4694.003), (102.0, 0.976, 15720.839), (102.0, 4.267, 7.114),
    (99.0, 6.21, 2146.17), (98.0, 0.68, 155.42), (86.0, 5.98, 161000.69),
    (85.0, 1.30, 6275.96), (85.0, 3.67, 71430.70), (80.0, 1.81, 17260.15),
    (79.0, 3.04, 12036.46), (75.0, 1.76, 5088.63), (74.0, 3.50, 3154.69),
    (74.0, 4.68, 801.82), (70.0, 0.83, 9437.76), (62.0, 3.98, 8827.39),
    (61.0, 1.82, 7084.90), (57.0, 2.78, 6286.60), (56.0, 4.39, 14143.50),
    (56.0, 3.47, 6279.55), (52.0, 0.19, 12139.55), (52.0, 1.33, 1748.02),
    (51.0, 0.28, 5856.48), (49.0, 0.49, 1194.45), (41.0, 5.37, 8429.24),
    (41.0, 2.40, 19651.05), (39.0, 6.17, 10447.39), (37.0, 6.04, 10213.29),
    (37.0, 2.57, 1059.38), (36.0, 1.71, 2352.87), (36.0, 1.78, 6812.77),
    (33.0, 0.59, 17789.85), (30.0, 0.44, 83996.85), (30.0, 2.74, 1349.87),
    (25.0, 3.16, 4690.48),
];
#[rustfmt::skip]
const EARTH_L1: [Term; 34] = [
    (628331966747.0, 0.0, 0.0), (206059.0, 2.678235, 6283.075850), (4303.0, 2.6351, 12566.1517),
    (425.0, 1.590, 3.523), (119.0, 5.796, 26.298), (109.0, 2.966, 1577.344),
    (93.0, 2.59, 18849.23), (72.0, 1.14, 529.69), (68.0, 1.87, 398.15),
    (67.0, 4.41, 5507.55), (59.0, 2.89, 5223.69), (56.0, 2.17, 155.42),
    (45.0, 0.40, 796.30), (36.0, 0.47, 775.52), (29.0, 2.65, 7.11),
    (21.0, 5.34, 0.98), (19.0, 1.85, 5486.78), (19.0, 4.97, 213.30),
    (17.0, 2.99, 6275.96), (16.0, 0.03, 2544.31), (16.0, 1.43, 2146.17),
    (15.0, 1.21, 10977.08), (12.0, 2.83, 1748.02), (12.0, 3.26, 5088.63),
    (12.0, 5.27, 1194.45), (12.0, 2.08, 4694.00), (11.0, 0.77, 553.57),
    (10.0, 1.30, 6286.60), (10.0, 4.24, 1349.87), (9.0, 2.70, 242.73),
    (9.0, 5.64, 951.72), (8.0, 5.30, 2352.87), (6.0, 2.65, 9437.76),
    (6.0, 4.67, 4690.48),
];
#[rustfmt::skip]
const EARTH_L2: [Term; 20] = [
    (52919.0, 0.0, 0.0), (8720.0, 1.0721, 6283.0758), (309.0, 0.867, 12566.152),
    (27.0, 0.05, 3.52), (16.0, 5.19, 26.30), (16.0, 3.68, 155.42),
    (10.0, 0.76, 18849.23), (9.0, 2.06, 77713.77), (7.0, 0.83, 775.52),
    (5.0, 4.66, 1577.34), (4.0, 1.03, 7.11), (4.0, 3.44, 5573.14),
    (3.0, 5.14, 796.30), (3.0, 6.05, 5507.55), (3.0, 1.19, 242.73),
    (3.0, 6.12, 529.69), (3.0, 0.31, 398.15), (3.0, 2.28, 553.57),
    (2.0, 4.38, 5223.69), (2.0, 3.75, 0.98),
];
#[rustfmt::skip]
const EARTH_L3: [Term; 7] = [
    (289.0, 5.844, 6283.076), (35.0, 0.0, 0.0), (17.0, 5.49, 12566.15),
    (3.0, 5.20, 155.42), (1.0, 4.72, 3.52), (1.0, 5.30, 18849.23), (1.0, 5.97, 242.73),
];
#[allow(clippy::approx_constant)] // Meeus's table prints π to its own precision.
const EARTH_L4: [Term; 3] = [(114.0, 3.142, 0.0), (8.0, 4.13, 6283.08), (1.0, 3.84, 12566.15)];
#[allow(clippy::approx_constant)]
const EARTH_L5: [Term; 1] = [(1.0, 3.14, 0.0)];

/// Σ A·cos(B + C·τ) of one series.
fn series(terms: &[Term], tau: f64) -> f64 {
    terms.iter().map(|(a, b, c)| a * (b + c * tau).cos()).sum()
}

/// The Sun's apparent geocentric longitude in degrees, in `[0, 360)`, at JDE `jde`: Meeus
/// ch. 25 "higher accuracy": the Earth's VSOP87 longitude (Appendix III) turned geocentric,
/// the FK5 correction, nutation in longitude (ch. 22, the four largest terms) and aberration.
/// Good to about a second of arc, i.e. half a minute of time.
#[must_use]
pub(crate) fn apparent_solar_longitude(jde: f64) -> f64 {
    let tau = (jde - 2_451_545.0) / 365_250.0;
    let l = (series(&EARTH_L0, tau)
        + tau
            * (series(&EARTH_L1, tau)
                + tau
                    * (series(&EARTH_L2, tau)
                        + tau
                            * (series(&EARTH_L3, tau)
                                + tau * (series(&EARTH_L4, tau) + tau * series(&EARTH_L5, tau))))))
        / 1e8;
    let geometric = l.to_degrees() + 180.0 - 0.090_33 / 3600.0;

    let t = tau * 10.0;
    let omega = 125.044_52 - 1_934.136_261 * t;
    let sun_mean = 280.466_5 + 36_000.769_8 * t;
    let moon_mean = 218.316_5 + 481_267.881_3 * t;
    let nutation = (-17.20 * sind(omega) - 1.32 * sind(2.0 * sun_mean) - 0.23 * sind(2.0 * moon_mean)
        + 0.21 * sind(2.0 * omega))
        / 3600.0;
    // The Sun–Earth distance in AU from its two largest terms; it only scales the 20.5″
    // aberration, so 1e-4 AU is plenty.
    let radius = 1.000_140
        + 0.016_707 * (3.098_463_5 + 6_283.075_85 * tau).cos()
        + 0.000_140 * (3.055_25 + 12_566.151_7 * tau).cos();
    let aberration = -20.4898 / 3600.0 / radius;
    (geometric + nutation + aberration).rem_euclid(360.0)
}

/// The civil day (as a Julian Day Number) that contains UT instant `jd` in a zone
/// `offset_minutes` east of Greenwich.
#[must_use]
pub(crate) fn local_day(jd: f64, offset_minutes: i32) -> i64 {
    // Julian Days begin at noon; +0.5 moves the day boundary to midnight UT.
    #[allow(clippy::cast_possible_truncation)]
    let day = (jd + 0.5 + f64::from(offset_minutes) / 1440.0).floor() as i64;
    day
}

/// UT (as a Julian Day) of the local midnight that begins civil day `jdn`.
#[must_use]
pub(crate) fn local_midnight(jdn: i64, offset_minutes: i32) -> f64 {
    // Day numbers stay far below 2^52, so the conversion is exact.
    #[allow(clippy::cast_precision_loss)]
    let jd = jdn as f64 - 0.5 - f64::from(offset_minutes) / 1440.0;
    jd
}

/// The Sun's apparent longitude at the local midnight that begins civil day `jdn`.
#[must_use]
pub(crate) fn solar_longitude_at_day_start(jdn: i64, offset_minutes: i32) -> f64 {
    apparent_solar_longitude(ut_to_tt(local_midnight(jdn, offset_minutes)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn julian_day_numbers_match_known_days() {
        // Meeus ex. 7.a: 1957-10-04.81 is JD 2436116.31, so the civil day is JDN 2436116.
        assert_eq!(jdn(date(1957, 10, 4)), 2_436_116);
        assert_eq!(jdn(date(2000, 1, 1)), 2_451_545);
        assert_eq!(jdn(date(1900, 1, 1)), 2_415_021);
        for d in [date(1899, 12, 31), date(2000, 2, 29), date(2100, 12, 31), date(1970, 1, 1)] {
            assert_eq!(date_from_jdn(jdn(d)), Some(d));
        }
    }

    #[test]
    fn the_new_moon_of_meeus_example_49a_is_reproduced() {
        // Meeus ex. 49.a: the new moon of 1977 February, k = −283, JDE 2443192.65118.
        assert!((new_moon_jde(-283) - 2_443_192.651_18).abs() < 0.000_01);
    }

    #[test]
    fn the_sun_of_meeus_example_25b_is_reproduced() {
        // Meeus ex. 25.b: 1992-10-13 0h TD, JDE 2448908.5, apparent longitude 199°54′21.818″.
        let expected = 199.0 + 54.0 / 60.0 + 21.818 / 3600.0;
        assert!((apparent_solar_longitude(2_448_908.5) - expected).abs() < 1.0 / 3600.0);
    }

    #[test]
    fn delta_t_is_continuous_enough_between_polynomial_spans() {
        for y in [1900.0, 1920.0, 1941.0, 1961.0, 1986.0, 2005.0, 2050.0] {
            let jump = (delta_t_seconds(y - 1e-9) - delta_t_seconds(y)).abs();
            assert!(jump < 2.5, "ΔT jumps {jump} s at {y}");
        }
        assert!((delta_t_seconds(2000.0) - 63.86).abs() < 1e-9);
    }
}
