//! The result grid: any [`Table`] as a virtualised, scrollable table. Only
//! the rows in view are laid out and formatted each frame, so 100k rows
//! scroll as smoothly as 100.

use arrow_schema::DataType;
use egui::{Align, Label, Layout, RichText, Sense, Ui};
use egui_extras::{Column, TableBuilder};

use crate::table::Table;

const ROW_HEIGHT: f32 = 22.0;

/// What the grid reports after drawing.
#[derive(Clone, Copy, Debug, Default)]
pub struct GridOutput {
    /// The row clicked, if any.
    pub clicked: Option<usize>,
    /// Vertical scroll offset (points) and the height of one row with its
    /// spacing, for callers that scroll the grid themselves.
    pub offset: f32,
    pub row_pitch: f32,
    /// The last row in view (0 for an empty table).
    pub last_visible_row: usize,
}

/// Draw `table`; `wide` names the column that takes the remaining width.
/// Returns the row clicked, if any.
pub fn result_grid_ui(
    ui: &mut Ui,
    id_salt: &str,
    table: &Table,
    selected: Option<usize>,
    wide: Option<&str>,
) -> Option<usize> {
    grid_ui(ui, id_salt, table, selected, wide, None).clicked
}

/// [`result_grid_ui`], scrolled to `scroll_offset` (points) when given.
pub fn grid_ui(
    ui: &mut Ui,
    id_salt: &str,
    table: &Table,
    selected: Option<usize>,
    wide: Option<&str>,
    scroll_offset: Option<f32>,
) -> GridOutput {
    let fields = table.schema.fields().clone();
    let wide = wide.and_then(|name| table.column_index(name));
    let mut clicked = None;
    let scroll = egui::ScrollArea::horizontal().id_salt((id_salt, "h"));
    let body = scroll.show(ui, |ui| {
        let mut builder = TableBuilder::new(ui)
            .striped(true)
            .resizable(true)
            .sense(Sense::click())
            .cell_layout(Layout::left_to_right(Align::Center))
            .min_scrolled_height(0.0);
        if let Some(offset) = scroll_offset {
            builder = builder.vertical_scroll_offset(offset);
        }
        for (i, field) in fields.iter().enumerate() {
            builder = builder.column(column_for(field.data_type(), wide == Some(i)));
        }
        builder
            .header(ROW_HEIGHT, |mut header| {
                for field in &fields {
                    header.col(|ui| {
                        ui.add(Label::new(RichText::new(field.name()).strong()).truncate());
                    });
                }
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, table.num_rows(), |mut row| {
                    let r = row.index();
                    row.set_selected(selected == Some(r));
                    for c in 0..fields.len() {
                        row.col(|ui| cell_ui(ui, table, c, r));
                    }
                    if row.response().clicked() {
                        clicked = Some(r);
                    }
                });
            })
    });
    output(&body.inner, table.num_rows(), clicked)
}

fn output(body: &egui::scroll_area::ScrollAreaOutput<()>, rows: usize, clicked: Option<usize>) -> GridOutput {
    let row_pitch = if rows == 0 {
        ROW_HEIGHT
    } else {
        body.content_size.y / rows as f32
    };
    let bottom = body.state.clamped_offset().y + body.inner_rect.height();
    let last_visible_row = ((bottom / row_pitch.max(1.0)) as usize).clamp(1, rows.max(1)) - 1;
    GridOutput {
        clicked,
        offset: body.state.clamped_offset().y,
        row_pitch,
        last_visible_row,
    }
}

fn column_for(data_type: &DataType, wide: bool) -> Column {
    if wide {
        return Column::remainder().at_least(200.0).clip(true);
    }
    let width = match data_type {
        DataType::Timestamp(..) => 150.0,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => 115.0,
        DataType::List(_) | DataType::LargeList(_) => 150.0,
        _ => 70.0,
    };
    Column::initial(width).at_least(40.0).clip(true)
}

fn cell_ui(ui: &mut Ui, table: &Table, column: usize, row: usize) {
    let text = match table.display(column, row) {
        Some(text) => RichText::new(text),
        None => RichText::new("NULL").weak(),
    };
    ui.add(Label::new(text).truncate().selectable(false));
}
