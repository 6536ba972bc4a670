//! Light and dark themes and the few colours the pages use on top of egui's
//! visuals (good/bad changes, chart series), chosen per theme for contrast.

use egui::Color32;
use serde::{Deserialize, Serialize};

use crate::i18n::Key;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    Light,
    Dark,
}

impl ThemeChoice {
    pub fn key(self) -> Key {
        match self {
            Self::Light => Key::Light,
            Self::Dark => Key::Dark,
        }
    }

    pub fn apply(self, ctx: &egui::Context) {
        ctx.set_theme(match self {
            Self::Light => egui::Theme::Light,
            Self::Dark => egui::Theme::Dark,
        });
    }

    pub fn palette(self) -> Palette {
        match self {
            Self::Light => Palette {
                good: Color32::from_rgb(0x1a, 0x7f, 0x37),
                bad: Color32::from_rgb(0xc0, 0x39, 0x2b),
                accent: Color32::from_rgb(0x1f, 0x6f, 0xd1),
                bar: Color32::from_rgba_unmultiplied(0x1f, 0x6f, 0xd1, 0x40),
                muted: Color32::from_gray(0x6a),
            },
            Self::Dark => Palette {
                good: Color32::from_rgb(0x5c, 0xd6, 0x7e),
                bad: Color32::from_rgb(0xff, 0x7b, 0x6b),
                accent: Color32::from_rgb(0x6c, 0xb0, 0xff),
                bar: Color32::from_rgba_unmultiplied(0x6c, 0xb0, 0xff, 0x50),
                muted: Color32::from_gray(0xa0),
            },
        }
    }
}

/// Colours with a meaning.
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    pub good: Color32,
    pub bad: Color32,
    pub accent: Color32,
    pub bar: Color32,
    pub muted: Color32,
}

/// Distinguishable series colours (Tableau 10), the same in both themes.
pub const SERIES: [Color32; 10] = [
    Color32::from_rgb(0x4e, 0x79, 0xa7),
    Color32::from_rgb(0xf2, 0x8e, 0x2b),
    Color32::from_rgb(0xe1, 0x57, 0x59),
    Color32::from_rgb(0x76, 0xb7, 0xb2),
    Color32::from_rgb(0x59, 0xa1, 0x4f),
    Color32::from_rgb(0xed, 0xc9, 0x48),
    Color32::from_rgb(0xb0, 0x7a, 0xa1),
    Color32::from_rgb(0xff, 0x9d, 0xa7),
    Color32::from_rgb(0x9c, 0x75, 0x5f),
    Color32::from_rgb(0xba, 0xb0, 0xac),
];
