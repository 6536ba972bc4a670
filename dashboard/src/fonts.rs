//! The bundled Chinese font. egui's default fonts have no CJK glyphs, so a
//! subset of Noto Sans CJK SC (OFL-1.1; GB2312 levels 1 and 2 plus the UI
//! strings, see `scripts/subset_font.sh` and `assets/OFL.txt`) is added as a
//! fallback after egui's own fonts, for proportional and monospace text.

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

const NOTO_SANS_SC: &[u8] = include_bytes!("../assets/NotoSansSC-Voxlake.otf");
const NAME: &str = "noto_sans_sc_subset";

/// egui's fonts with the CJK subset as fallback.
pub fn definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    fonts
        .font_data
        .insert(NAME.to_owned(), Arc::new(FontData::from_static(NOTO_SANS_SC)));
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        fonts.families.entry(family).or_default().push(NAME.to_owned());
    }
    fonts
}

pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
}
