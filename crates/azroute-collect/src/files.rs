//! The snapshot directory on disk: its checks, its directories and files, and file names made
//! safe and unique.

use std::collections::BTreeSet;
use std::path::Path;

use super::CollectError;

/// A name fit for a file name: resource names and groups are, but never trust that.
pub(crate) fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '(' | ')') { c } else { '_' })
        .collect()
}

/// `name`, or `name-<rg>` when another resource of the subscription already took `name`.
pub(crate) fn unique_name(used: &mut BTreeSet<String>, name: &str, rg: &str) -> String {
    let mut stem = file_safe(name);
    if !used.insert(stem.to_ascii_lowercase()) {
        stem = format!("{stem}-{}", file_safe(rg));
        let mut n = 2;
        while !used.insert(stem.to_ascii_lowercase()) {
            stem = format!("{}-{}-{n}", file_safe(name), file_safe(rg));
            n += 1;
        }
    }
    stem
}

/// The output directory must be new or empty: a snapshot never mixes two collections.
pub(crate) fn check_out(out: &Path) -> Result<(), CollectError> {
    match std::fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(CollectError::OutNotEmpty { path: out.to_path_buf() });
            }
            Ok(())
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(CollectError::Write { path: out.to_path_buf(), error: err.to_string() }),
    }
}

pub(crate) fn create_dir(dir: &Path) -> Result<(), CollectError> {
    std::fs::create_dir_all(dir).map_err(|err| CollectError::Write { path: dir.to_path_buf(), error: err.to_string() })
}

pub(crate) fn write_file(path: &Path, text: &str) -> Result<(), CollectError> {
    std::fs::write(path, text).map_err(|err| CollectError::Write { path: path.to_path_buf(), error: err.to_string() })
}
