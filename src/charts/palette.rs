//! The palette every chart takes its colours from: the NHS identity colours, opaque tints of
//! them, and the order in which several series (sweep lines, comparison rows) take colours. One
//! module so that the run charts, the comparison chart and the sweep chart read as one set.

use plotters::style::RGBColor;

/// NHS identity colours (NHS England colour guidance).
pub mod nhs {
    // The whole identity palette is listed for reference; not every chart uses every colour.
    #![allow(dead_code)]
    use plotters::style::RGBColor;
    /// NHS Blue #005EB8.
    pub const BLUE: RGBColor = RGBColor(0x00, 0x5E, 0xB8);
    /// NHS Dark Blue #003087.
    pub const DARK_BLUE: RGBColor = RGBColor(0x00, 0x30, 0x87);
    /// NHS Bright Blue #0072CE.
    pub const BRIGHT_BLUE: RGBColor = RGBColor(0x00, 0x72, 0xCE);
    /// NHS Light Blue #41B6E6.
    pub const LIGHT_BLUE: RGBColor = RGBColor(0x41, 0xB6, 0xE6);
    /// NHS Aqua Green #00A499.
    pub const AQUA_GREEN: RGBColor = RGBColor(0x00, 0xA4, 0x99);
    /// NHS Warm Yellow #FFB81C.
    pub const WARM_YELLOW: RGBColor = RGBColor(0xFF, 0xB8, 0x1C);
    /// NHS Orange #ED8B00.
    pub const ORANGE: RGBColor = RGBColor(0xED, 0x8B, 0x00);
    /// NHS Red #DA291C.
    pub const RED: RGBColor = RGBColor(0xDA, 0x29, 0x1C);
    /// NHS Purple #330072.
    pub const PURPLE: RGBColor = RGBColor(0x33, 0x00, 0x72);
    /// NHS Dark Grey #425563.
    pub const DARK_GREY: RGBColor = RGBColor(0x42, 0x55, 0x63);
    /// NHS Mid Grey #768692.
    pub const MID_GREY: RGBColor = RGBColor(0x76, 0x86, 0x92);
    /// NHS Pale Grey #E8EDEE.
    pub const PALE_GREY: RGBColor = RGBColor(0xE8, 0xED, 0xEE);
    /// NHS text colour #212B32.
    pub const TEXT: RGBColor = RGBColor(0x21, 0x2B, 0x32);
    /// White.
    pub const WHITE: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
}

/// `c` mixed with white: `f` = 0 gives `c`, 1 gives white. Used for opaque tints, which stay
/// distinct lightness steps in greyscale print.
pub fn tint(c: RGBColor, f: f64) -> RGBColor {
    let m = |v: u8| (v as f64 + (255.0 - v as f64) * f).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

/// Colours for several series, in the order they are taken: NHS Blue, Orange, Aqua Green, Red,
/// Purple, Dark Grey (distinct hues, and distinct enough in greyscale for two or three lines).
pub const SERIES: [RGBColor; 6] = [
    nhs::BLUE,
    nhs::ORANGE,
    nhs::AQUA_GREEN,
    nhs::RED,
    nhs::PURPLE,
    nhs::DARK_GREY,
];

/// The colour of series `k` (cycling through [`SERIES`]).
pub fn series(k: usize) -> RGBColor {
    SERIES[k % SERIES.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tints_step_towards_white() {
        assert_eq!(tint(nhs::BLUE, 0.0), nhs::BLUE);
        assert_eq!(tint(nhs::BLUE, 1.0), nhs::WHITE);
    }

    #[test]
    fn series_colours_cycle() {
        assert_eq!(series(0), nhs::BLUE);
        assert_eq!(series(SERIES.len() + 1), series(1));
    }
}
