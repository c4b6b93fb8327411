//! Source texts and located problems.
//!
//! Every problem icbsim reports about its input names a file, a line, a column and the dotted path
//! of the field. This module owns that shape ([`Problem`]), the collection of all problems found in
//! one pass ([`Problems`]), and the mapping from byte offsets to line and column ([`Source`]).

use std::fmt;

/// One input text: a scenario file, a `--set` override or a staff CSV.
#[derive(Debug, Clone)]
pub struct Source {
    /// What the user calls it: the path as given, or `--set PATH=VALUE`.
    pub name: String,
    /// The full text.
    pub text: String,
    line_starts: Vec<usize>,
}

impl Source {
    /// Wraps a text under a display name.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Source {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Source {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn locate(&self, byte: usize) -> (usize, usize) {
        let byte = byte.min(self.text.len());
        let line = match self.line_starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..byte)
            .map_or(byte - start, |s| s.chars().count())
            + 1;
        (line + 1, column)
    }
}

/// A byte range in one of the run's sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// Index of the source in the run's source list.
    pub source: usize,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// One problem with the input, located precisely enough to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// File name (or `--set ...`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Dotted path of the field, e.g. `vr.uptake` or `org.london.staff.file`.
    pub path: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        write!(f, "{}", self.message)
    }
}

/// Every problem found in one validation pass.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// The sources of one scenario load plus the problems found so far.
#[derive(Debug, Default)]
pub struct Diagnostics {
    /// Sources, indexed by [`Span::source`].
    pub sources: Vec<Source>,
    /// Problems in the order found.
    pub problems: Vec<Problem>,
    /// The readers' notebook of shapes, kept only while the schema is generated
    /// ([`super::schema`]).
    pub(crate) seen: Option<Vec<super::schema::Seen>>,
}

impl Diagnostics {
    /// Registers a source and returns its index.
    pub fn add_source(&mut self, source: Source) -> usize {
        self.sources.push(source);
        self.sources.len() - 1
    }

    /// Records a problem at a span.
    pub fn report(&mut self, span: Span, path: &str, message: impl Into<String>) {
        let (file, line, column) = match self.sources.get(span.source) {
            Some(s) => {
                let (l, c) = s.locate(span.start);
                (s.name.clone(), l, c)
            }
            None => (String::from("<unknown>"), 0, 0),
        };
        self.problems.push(Problem {
            file,
            line,
            column,
            path: path.to_string(),
            message: message.into(),
        });
    }

    /// Records a problem at an explicit line and column of a named file (CSV rows).
    pub fn report_at(
        &mut self,
        file: &str,
        line: usize,
        column: usize,
        path: &str,
        message: String,
    ) {
        self.problems.push(Problem {
            file: file.to_string(),
            line,
            column,
            path: path.to_string(),
            message,
        });
    }

    /// True when nothing has been reported.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_bytes_as_one_based_line_and_column() {
        let s = Source::new("a.toml", "x = 1\ny = £2\nz");
        assert_eq!(s.locate(0), (1, 1));
        assert_eq!(s.locate(6), (2, 1));
        // The pound sign is two bytes but one column.
        let after_pound = "x = 1\ny = £".len();
        assert_eq!(s.locate(after_pound), (2, 6));
        assert_eq!(s.locate(s.text.len()), (3, 2));
    }

    #[test]
    fn formats_problem_with_file_line_column_and_path() {
        let p = Problem {
            file: "s.toml".into(),
            line: 3,
            column: 10,
            path: "vr.uptake".into(),
            message: "must be between 0 and 1".into(),
        };
        assert_eq!(
            p.to_string(),
            "s.toml:3:10: vr.uptake: must be between 0 and 1"
        );
    }
}
