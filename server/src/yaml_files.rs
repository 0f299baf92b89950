//! The YAML files under the configured folders, as both the catalog and the action files are
//! read: every `.yaml`/`.yml` file in a stable order, each named from the configured folder's
//! own name down (`catalog/teams.yaml`), short enough to read on a page and without revealing
//! where the server keeps them. A file that cannot be read is a problem, never a failure.

use std::path::{Path, PathBuf};

use domain::catalog::Problem;

/// Files larger than this are refused: a manifest is a few kilobytes, and reading an
/// accidental multi-gigabyte file would stall start-up.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// One YAML file found under a configured root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlFile {
    pub path: PathBuf,
    /// The name pages and problems show.
    pub name: String,
}

impl YamlFile {
    /// The file's text, or the problem that keeps it from being read (too large, not UTF-8,
    /// unreadable).
    pub fn read(&self) -> Result<String, Problem> {
        let size = std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0);
        if size > MAX_FILE_BYTES {
            return Err(whole_file_problem(&self.name, &format!("is {size} bytes; files larger than {MAX_FILE_BYTES} bytes are not read")));
        }
        match std::fs::read(&self.path).map(String::from_utf8) {
            Ok(Ok(text)) => Ok(text),
            Ok(Err(_)) => Err(whole_file_problem(&self.name, "is not UTF-8 text")),
            Err(e) => Err(whole_file_problem(&self.name, &format!("cannot be read: {e}"))),
        }
    }
}

/// The YAML files under each of `roots` (a root may be a single file), sorted per root, and the
/// problems that stopped a listing early (the files found before it are still returned).
pub fn yaml_files(roots: &[PathBuf]) -> (Vec<YamlFile>, Vec<Problem>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for root in roots {
        let mut files = Vec::new();
        problems.extend(collect(root, &mut files).err());
        files.sort();
        found.extend(files.into_iter().map(|path| YamlFile { name: display_name(root, &path), path }));
    }
    (found, problems)
}

/// A problem with a whole file, not a line of it.
pub fn whole_file_problem(name: &str, message: &str) -> Problem {
    Problem { file: name.to_owned(), line: None, field: None, message: message.to_owned() }
}

fn collect(path: &Path, files: &mut Vec<PathBuf>) -> Result<(), Problem> {
    let name = path.display().to_string();
    let metadata = std::fs::metadata(path).map_err(|e| whole_file_problem(&name, &format!("cannot be read: {e}")))?;
    if metadata.is_file() {
        files.push(path.to_owned());
        return Ok(());
    }
    let entries = std::fs::read_dir(path).map_err(|e| whole_file_problem(&name, &format!("cannot be listed: {e}")))?;
    for entry in entries.flatten() {
        let child = entry.path();
        let is_yaml = child.extension().is_some_and(|ext| ext == "yaml" || ext == "yml");
        if child.is_dir() {
            collect(&child, files)?;
        } else if is_yaml {
            files.push(child);
        }
    }
    Ok(())
}

fn display_name(root: &Path, file: &Path) -> String {
    let base = root.file_name().map(PathBuf::from).unwrap_or_default();
    match file.strip_prefix(root) {
        Ok(relative) if !relative.as_os_str().is_empty() => base.join(relative),
        _ => base,
    }
    .display()
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_named_from_the_configured_folder_down_and_other_files_skipped() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("catalog");
        std::fs::create_dir_all(root.join("payments")).expect("mkdir");
        std::fs::write(root.join("payments/api.yaml"), "kind: [").expect("write");
        std::fs::write(root.join("b.yml"), "").expect("write");
        std::fs::write(root.join("notes.txt"), "").expect("write");
        let (files, problems) = yaml_files(std::slice::from_ref(&root));
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["catalog/b.yml", "catalog/payments/api.yaml"]);
        assert!(problems.is_empty());
        let (single, _) = yaml_files(&[root.join("payments/api.yaml")]);
        assert_eq!(single[0].name, "api.yaml");
    }

    #[test]
    fn unreadable_roots_and_files_are_problems() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("binary.yaml"), [0xff, 0xfe, 0x00]).expect("write");
        let (files, problems) = yaml_files(&[dir.path().to_owned(), dir.path().join("missing")]);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].to_string().contains("cannot be read"), "{}", problems[0]);
        let problem = files[0].read().expect_err("not UTF-8");
        assert!(problem.message.contains("not UTF-8"), "{problem}");
    }
}
