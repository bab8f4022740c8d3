//! Writing a rendered report out, with the error naming its format.

use std::io::Write;

use super::error::ReportError;

/// Writes `text`, the whole report in `format`, to `out` and flushes it.
pub(super) fn write_document(
    text: &str,
    format: &'static str,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|source| ReportError::Io { format, source })
}
