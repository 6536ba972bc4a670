//! Text processing shared by ingest and the models: normalisation, language
//! detection, tokenisation, PII masking, spam detection and near-duplicate hashing.

pub mod lang;
pub mod normalize;
pub mod pii;
mod script;
pub mod simhash;
pub mod spam;
#[cfg(test)]
mod throughput;
pub mod tokenize;
