//! Horizontal bar lists: each bar a clickable row with its label and count,
//! readable with long Chinese labels, and findable by label in UI tests.

use egui::{Align2, CursorIcon, FontId, Response, Role, Sense, Ui, WidgetInfo, vec2};

use crate::format;
use crate::theme::Palette;

const BAR_HEIGHT: f32 = 24.0;

/// One bar.
#[derive(Clone, Debug, PartialEq)]
pub struct BarItem {
    pub label: String,
    /// The value to filter by; `None` (e.g. for NULL) makes the bar inert.
    pub value: Option<String>,
    pub count: i64,
}

impl BarItem {
    /// What assistive technology (and tests) see: `label (count)`.
    pub fn accessible_label(&self) -> String {
        format!("{} ({})", self.label, format::count(self.count))
    }
}

/// Draw the bars; returns the one clicked.
pub fn bar_list_ui<'a>(
    ui: &mut Ui,
    items: &'a [BarItem],
    palette: Palette,
    selected: Option<&str>,
) -> Option<&'a BarItem> {
    let max = items.iter().map(|b| b.count).max().unwrap_or(1).max(1);
    let mut clicked = None;
    for item in items {
        let active = item.value.is_some() && item.value.as_deref() == selected;
        if bar_ui(ui, item, max, palette, active).clicked() && item.value.is_some() {
            clicked = Some(item);
        }
    }
    clicked
}

fn bar_ui(ui: &mut Ui, item: &BarItem, max: i64, palette: Palette, active: bool) -> Response {
    let sense = if item.value.is_some() {
        Sense::click()
    } else {
        Sense::hover()
    };
    let (rect, response) = ui.allocate_exact_size(vec2(ui.available_width(), BAR_HEIGHT), sense);
    let label = item.accessible_label();
    response.widget_info(|| WidgetInfo::labeled(Role::Button, true, &label));
    if ui.is_rect_visible(rect) {
        let painter = ui.painter_at(rect);
        let fraction = item.count as f32 / max as f32;
        let bar =
            egui::Rect::from_min_size(rect.min, vec2(rect.width() * fraction, rect.height())).shrink2(vec2(0.0, 2.0));
        painter.rect_filled(bar, 3.0, palette.bar);
        if response.hovered() || active {
            painter.rect_stroke(
                rect.shrink(1.0),
                3.0,
                egui::Stroke::new(1.5, palette.accent),
                egui::StrokeKind::Inside,
            );
        }
        let color = ui.visuals().text_color();
        let font = FontId::proportional(14.0);
        painter.text(
            rect.left_center() + vec2(6.0, 0.0),
            Align2::LEFT_CENTER,
            &item.label,
            font.clone(),
            color,
        );
        painter.text(
            rect.right_center() - vec2(6.0, 0.0),
            Align2::RIGHT_CENTER,
            format::count(item.count),
            font,
            color,
        );
    }
    if item.value.is_some() {
        response.on_hover_cursor(CursorIcon::PointingHand)
    } else {
        response
    }
}
