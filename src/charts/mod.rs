//! TEMPORARY STUB.
pub fn render_run_charts(_d: &std::path::Path) -> Result<Vec<std::path::PathBuf>, std::io::Error> { Ok(vec![]) }
