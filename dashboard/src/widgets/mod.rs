//! Widgets the pages share: clickable bar lists, the virtualised result
//! grid, KPI tiles and the loading / error / unavailable states.

pub mod bars;
pub mod grid;
pub mod status;
pub mod tile;
