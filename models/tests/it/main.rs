//! Integration tests of voxlake-models over the real corpora in `../shared/data`
//! (skipped with a note when the data folder is absent).

mod aspects;
mod keywords;
mod sentiment;
mod taxonomy;
mod taxonomy_supervised;
mod topics;
mod topics_planted;
mod tuning;
