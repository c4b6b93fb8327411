//! `iterations.csv`, written as blocks of iterations arrive: one row per iteration and
//! organisation (then `total`), with the iteration's uncertain inputs and every metric. Each
//! block is formatted in parallel, a part at a time, and written in iteration order, so the bytes
//! do not depend on the thread count or the block size.

use super::error::{csv_block, CsvOut, OutputError};
use super::format::{num, num_into};
use super::records::ROWS_PER_BLOCK;
use super::tables::org_columns;
use crate::engine::IterationOutput;
use crate::metric::Metric;
use crate::scenario::{InputKind, Scenario};
use rayon::prelude::*;
use std::path::Path;

/// An input's value as written: a number, or a month for a month input.
pub(super) fn input_cell(sc: &Scenario, kind: InputKind, x: f64) -> String {
    match kind {
        InputKind::Number => num(x),
        InputKind::Month => sc.start.plus(x as i32).to_string(),
    }
}

/// `iterations.csv` being written.
pub struct IterationsCsv<'a> {
    sc: &'a Scenario,
    out: CsvOut,
    uncertain: Vec<usize>,
    /// Each organisation column and its name as a CSV cell (quoted where the name needs it).
    names: Vec<(usize, Vec<u8>)>,
    /// Bytes of rows written so far (the header apart).
    row_bytes: u64,
}

impl<'a> IterationsCsv<'a> {
    /// Creates `dir/iterations.csv` and writes its header.
    ///
    /// # Errors
    /// When the file cannot be created or written.
    pub fn create(dir: &Path, sc: &'a Scenario) -> Result<IterationsCsv<'a>, OutputError> {
        let mut out = CsvOut::create(dir, "iterations.csv")?;
        let uncertain: Vec<usize> = sc.uncertain_inputs().map(|(i, _)| i).collect();
        let mut header = vec!["iteration".to_string(), "org".to_string()];
        header.extend(uncertain.iter().map(|&i| sc.inputs[i].path.clone()));
        header.extend(Metric::ALL.iter().map(|m| m.name().to_string()));
        out.row(&header)?;
        Ok(IterationsCsv {
            sc,
            out,
            uncertain,
            names: org_columns(sc)
                .into_iter()
                .map(|(o, name)| {
                    let mut cell = csv_block([[name]]);
                    cell.pop(); // the line end
                    (o, cell)
                })
                .collect(),
            row_bytes: 0,
        })
    }

    /// Bytes of rows written so far (the header apart).
    pub fn row_bytes(&self) -> u64 {
        self.row_bytes
    }

    /// Writes the rows of `results` (the next iterations, in order).
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn write(&mut self, results: &[IterationOutput]) -> Result<(), OutputError> {
        let (sc, uncertain, names) = (self.sc, &self.uncertain, &self.names);
        // Parts of the block are formatted in parallel and written in order, a window at a time
        // so that the formatted text held in memory stays small. Rows are written as bytes
        // directly: numbers never need quoting, and each organisation's name is quoted once, by
        // the CSV writer, in `names`.
        let per_block = (ROWS_PER_BLOCK / names.len()).max(1);
        let window = per_block * 4 * rayon::current_num_threads();
        for part in results.chunks(window) {
            let blocks: Vec<Vec<u8>> = part
                .par_chunks(per_block)
                .map(|chunk| {
                    let mut out = Vec::with_capacity(chunk.len() * names.len() * 600);
                    let mut inputs = Vec::new();
                    for r in chunk {
                        inputs.clear();
                        for &i in uncertain {
                            inputs.push(b',');
                            match sc.inputs[i].kind {
                                InputKind::Number => num_into(&mut inputs, r.values[i]),
                                InputKind::Month => inputs.extend_from_slice(
                                    input_cell(sc, InputKind::Month, r.values[i]).as_bytes(),
                                ),
                            }
                        }
                        let index = r.index.to_string();
                        for (o, name) in names {
                            out.extend_from_slice(index.as_bytes());
                            out.push(b',');
                            out.extend_from_slice(name);
                            out.extend_from_slice(&inputs);
                            for &x in r.orgs[*o].scalars.iter() {
                                out.push(b',');
                                num_into(&mut out, x);
                            }
                            out.push(b'\n');
                        }
                    }
                    out
                })
                .collect();
            for b in &blocks {
                self.out.block(b)?;
                self.row_bytes += b.len() as u64;
            }
        }
        Ok(())
    }

    /// Flushes and closes the file.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn finish(self) -> Result<(), OutputError> {
        self.out.finish()
    }
}
