//! Text processing shared by ingest and the models: normalisation, language
//! detection, tokenisation, PII masking, spam detection and near-duplicate hashing.

pub mod lang;
pub mod normalize;
mod script;
pub mod tokenize;
