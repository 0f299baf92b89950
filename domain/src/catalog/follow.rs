//! Following `Location` entities to the files they name, by the rules both catalog sources
//! share: each file is read once however many ways lead to it, at most [`MAX_DEPTH`] Locations
//! away from where reading started, and at most a number of files the source sets; a target
//! that leads back to a file on its own way (a loop, a file naming itself) is reported instead
//! of being followed round again. The sources do the reading; this keeps the order and the
//! rules, so a folder and a repository behave alike.

use std::collections::HashMap;
use std::hash::Hash;

use super::{Catalog, Details, LocationTarget, Problem};

/// How many Locations away from a configured file (or a repository's manifest) a file may be.
pub const MAX_DEPTH: usize = 10;

/// Where a target is written, for the problems about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// The Location's file, as problems name it.
    pub file: String,
    pub line: usize,
    pub field: String,
    pub target: String,
}

impl Site {
    pub fn of(file: &str, target: &LocationTarget) -> Self {
        Self { file: file.to_owned(), line: target.line, field: target.field.clone(), target: target.target.clone() }
    }

    /// A problem on this target; `message` follows the target as written.
    pub fn problem(&self, message: &str) -> Problem {
        Problem {
            file: self.file.clone(),
            line: Some(self.line),
            field: Some(self.field.clone()),
            message: format!("`{}` {message}", self.target),
        }
    }
}

/// The targets of the Locations in a file just read, each with whether it may be absent
/// (`presence: optional`), for the source to resolve and hand back to [`Follow::reached`].
pub fn locations(catalog: &mut Catalog) -> impl Iterator<Item = (&mut LocationTarget, bool)> {
    catalog.entities.iter_mut().flat_map(|entity| match &mut entity.details {
        Details::Location { targets, optional } => {
            let optional = *optional;
            targets.iter_mut().map(|target| (target, optional)).collect::<Vec<_>>()
        }
        _ => Vec::new(),
    })
}

/// Why a pattern is not followed when it matches nothing.
pub const NO_MATCH: &str = "matches no file (write `presence: optional` if it may match none)";
/// Why a folder is not followed.
pub const IS_FOLDER: &str = "is a folder: name its files, or match them with a pattern such as `./apis/*.yaml`";

/// Why `target` cannot be followed whatever the source, if it cannot: an address (what
/// Backstage's `type: url` Locations name), which Portico never fetches, or a `**` pattern.
pub fn refused(target: &str) -> Option<&'static str> {
    if is_address(target) {
        Some("is an address: Portico follows Locations to files only, and never fetches an address a manifest names")
    } else if target.split('/').any(|segment| segment.contains("**")) {
        Some("uses `**`, which is not followed: `*` matches names within one folder only")
    } else {
        None
    }
}

/// Whether a file named in a manifest is an address (`https://...`) rather than a path.
pub fn is_address(target: &str) -> bool {
    target.contains("://")
}

/// Whether a path segment is a pattern: `*` matches any run of characters within it.
pub fn is_pattern(segment: &str) -> bool {
    segment.contains('*')
}

/// `target` read from `folder` of a repository (both `/`-separated and relative to its
/// root), with `.` and `..` resolved; `None` when it leaves the repository, or is absolute
/// and so names no place in it.
pub fn join_within(folder: &str, target: &str) -> Option<String> {
    if target.starts_with('/') {
        return None;
    }
    let mut path: Vec<&str> = folder.split('/').filter(|segment| !segment.is_empty()).collect();
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                path.pop()?;
            }
            segment => path.push(segment),
        }
    }
    Some(path.join("/"))
}

/// The folder of a repository file's path: `apis` for `apis/x.yaml`, empty at the root.
pub fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// The files to read, in order, and what the Locations among them named.
pub struct Follow<K> {
    /// Every file known, in the order it is read: each with its name and depth.
    files: Vec<(K, String, usize)>,
    index: HashMap<K, usize>,
    next: usize,
    /// Files brought in by Locations (not started), and how many may be.
    followed: usize,
    max_followed: usize,
    /// Which file's target leads to which file.
    edges: Vec<(usize, usize, Site)>,
    problems: Vec<Problem>,
}

impl<K: Clone + Eq + Hash> Follow<K> {
    /// Following at most `max_followed` files besides those started.
    pub fn new(max_followed: usize) -> Self {
        Self { files: Vec::new(), index: HashMap::new(), next: 0, followed: 0, max_followed, edges: Vec::new(), problems: Vec::new() }
    }

    /// A file read whatever the Locations say (found in a configured folder, a repository's
    /// manifest); one already known is read once.
    pub fn start(&mut self, key: K, name: String) {
        if !self.index.contains_key(&key) {
            self.push(key, name, 0);
        }
    }

    /// The next file to read, with its name.
    pub fn next_file(&mut self) -> Option<(K, String)> {
        let (key, name, _) = self.files.get(self.next)?;
        self.next += 1;
        Some((key.clone(), name.clone()))
    }

    /// `site`, in file `from`, names `found` (its files, with their names): each is read unless
    /// it already is, or is too far or one too many, which is a problem on `site`. The names of
    /// the files it brings into the catalog.
    pub fn reached(&mut self, from: &K, site: &Site, found: Vec<(K, String)>) -> Vec<String> {
        let from = self.index.get(from).copied();
        let depth = from.map_or(0, |from| self.files[from].2) + 1;
        let mut refused = None;
        let mut names = Vec::new();
        for (key, name) in found {
            let to = match self.index.get(&key) {
                Some(&to) => to,
                None if depth > MAX_DEPTH => {
                    refused = Some(format!("is not followed: it is more than {MAX_DEPTH} Locations away from where reading started"));
                    continue;
                }
                None if self.followed == self.max_followed => {
                    let most = self.max_followed;
                    refused = Some(format!("is not followed: Locations may bring in at most {most} files here, and that many are read"));
                    continue;
                }
                None => {
                    self.followed += 1;
                    self.push(key, name, depth)
                }
            };
            names.push(self.files[to].1.clone());
            if let Some(from) = from {
                self.edges.push((from, to, site.clone()));
            }
        }
        self.problems.extend(refused.map(|message| site.problem(&message)));
        names
    }

    /// A target that cannot be followed, and why.
    pub fn refuse(&mut self, site: &Site, message: &str) {
        self.problems.push(site.problem(message));
    }

    /// The problems found, each loop among them once, at the target that closes it.
    pub fn finish(self) -> Vec<Problem> {
        let loops = self.loops();
        let mut problems = self.problems;
        problems.extend(loops);
        problems
    }

    fn push(&mut self, key: K, name: String, depth: usize) -> usize {
        let at = self.files.len();
        self.index.insert(key.clone(), at);
        self.files.push((key, name, depth));
        at
    }

    /// A depth-first walk from each file in reading order: a target leading to a file still on
    /// the walk's path closes a loop.
    fn loops(&self) -> Vec<Problem> {
        let mut out: Vec<Vec<usize>> = vec![Vec::new(); self.files.len()];
        for (at, (from, _, _)) in self.edges.iter().enumerate() {
            out[*from].push(at);
        }
        // 0: not visited, 1: on the path, 2: done.
        let mut state = vec![0u8; self.files.len()];
        let mut problems = Vec::new();
        for start in 0..self.files.len() {
            if state[start] != 0 {
                continue;
            }
            // The path, each file with the next of its edges to look at.
            let mut path = vec![(start, 0usize)];
            state[start] = 1;
            while let Some((file, next)) = path.last_mut() {
                let file = *file;
                let Some(&edge) = out[file].get(*next) else {
                    state[file] = 2;
                    path.pop();
                    continue;
                };
                *next += 1;
                let (_, to, site) = &self.edges[edge];
                match state[*to] {
                    0 => {
                        state[*to] = 1;
                        path.push((*to, 0));
                    }
                    1 => {
                        let from = path.iter().position(|(on, _)| on == to).unwrap_or(0);
                        let chain: Vec<&str> =
                            path[from..].iter().map(|(on, _)| self.files[*on].1.as_str()).chain([self.files[*to].1.as_str()]).collect();
                        let message = format!(
                            "is not followed: it leads back to {}, making a loop ({}); each file is read once",
                            self.files[*to].1,
                            chain.join(" → ")
                        );
                        problems.push(site.problem(&message));
                    }
                    _ => {}
                }
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(file: &str, field: &str, target: &str) -> Site {
        Site { file: file.into(), line: 7, field: field.into(), target: target.into() }
    }

    fn key(name: &str) -> (String, String) {
        (name.to_owned(), name.to_owned())
    }

    /// Reads every file of `graph` (a file and the files its one target names), starting at
    /// `starts`; the order of reading and the problems.
    fn run(starts: &[&str], graph: &[(&str, &[&str])], max: usize) -> (Vec<String>, Vec<String>) {
        let mut follow = Follow::new(max);
        for start in starts {
            follow.start((*start).to_owned(), (*start).to_owned());
        }
        let mut read = Vec::new();
        while let Some((file, _)) = follow.next_file() {
            read.push(file.clone());
            for (from, targets) in graph.iter().filter(|(from, _)| *from == file) {
                follow.reached(&from.to_string(), &site(from, "spec.target", "t"), targets.iter().map(|t| key(t)).collect());
            }
        }
        (read, follow.finish().iter().map(ToString::to_string).collect())
    }

    #[test]
    fn each_file_is_read_once_in_the_order_reached() {
        let (read, problems) = run(&["root", "b"], &[("root", &["a", "b"]), ("a", &["c", "b"])], 100);
        assert_eq!(read, ["root", "b", "a", "c"]);
        assert_eq!(problems, Vec::<String>::new(), "reaching a file twice is no loop");
    }

    #[test]
    fn a_loop_and_a_file_naming_itself_are_reported_once_where_they_close() {
        let (read, problems) = run(&["a"], &[("a", &["b"]), ("b", &["a"])], 100);
        assert_eq!(read, ["a", "b"]);
        assert_eq!(problems, ["b:7: spec.target: `t` is not followed: it leads back to a, making a loop (a → b → a); each file is read once"]);
        let (_, problems) = run(&["a"], &[("a", &["a"])], 100);
        assert_eq!(problems, ["a:7: spec.target: `t` is not followed: it leads back to a, making a loop (a → a); each file is read once"]);
    }

    #[test]
    fn repository_paths_stay_within_the_repository() {
        assert_eq!(join_within("", "./apis/x.yaml").as_deref(), Some("apis/x.yaml"));
        assert_eq!(join_within("team/a", "../b/./c.yaml").as_deref(), Some("team/b/c.yaml"));
        assert_eq!(join_within("team", "../catalog-info.yaml").as_deref(), Some("catalog-info.yaml"));
        assert_eq!(join_within("team", "../../etc/passwd"), None);
        assert_eq!(join_within("", "/etc/passwd"), None);
        assert_eq!(folder_of("apis/x.yaml"), "apis");
        assert_eq!(folder_of("catalog-info.yaml"), "");
        assert!(refused("https://example.com/catalog-info.yaml").is_some());
        assert!(refused("./**/catalog-info.yaml").is_some());
        assert_eq!(refused("./apis/*.yaml"), None);
    }

    #[test]
    fn depth_and_number_of_files_are_bounded() {
        let chain: Vec<String> = (0..=MAX_DEPTH + 1).map(|n| format!("f{n}")).collect();
        let targets: Vec<[&str; 1]> = chain.iter().skip(1).map(|next| [next.as_str()]).collect();
        let graph: Vec<(&str, &[&str])> = chain.iter().zip(&targets).map(|(from, to)| (from.as_str(), to.as_slice())).collect();
        let (read, problems) = run(&["f0"], &graph, 100);
        assert_eq!(read.len(), MAX_DEPTH + 1, "{read:?}");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("f10:7: spec.target: `t` is not followed: it is more than 10 Locations away"), "{problems:?}");

        let (read, problems) = run(&["root"], &[("root", &["a", "b", "c"])], 2);
        assert_eq!(read, ["root", "a", "b"]);
        assert_eq!(problems, ["root:7: spec.target: `t` is not followed: Locations may bring in at most 2 files here, and that many are read"]);
    }
}
