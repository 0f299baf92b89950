//! One repository's part of the catalog: its manifest, the files its `Location` entities name
//! within the repository, and the API definitions these pull in with `$text`, all read from
//! the default branch through the contents endpoint. Every path is asked for with the `ETag`
//! it had last time, so reading an unchanged repository again costs only `304`s, which GitHub
//! does not charge; and a read asks for at most [`MAX_REQUESTS`] paths, so one repository
//! cannot spend the organisation's budget.

use std::collections::{BTreeMap, HashMap, HashSet};

use domain::catalog::follow::{Follow, Site, folder_of, is_address, join_within, locations};
use domain::catalog::{Catalog, Problem, TargetRules};
use github_api::GithubError;

use super::api::{Api, Contents, Fetched};
use super::locations::{self, Unfollowed};
use super::manifest;
use crate::catalog_definitions::{self as definitions, ADDRESS};

/// Paths one read of a repository may ask GitHub for, its manifest, the folders its patterns
/// list, the files its Locations name and its definition files included.
pub(super) const MAX_REQUESTS: usize = 50;

/// What each path held when last read, with its `ETag`.
pub(super) type Files = BTreeMap<String, (Option<String>, Contents)>;

/// How a repository's files are read.
#[derive(Clone)]
pub(super) struct RepoReader {
    pub api: Api,
    /// The manifest's path, relative to the repository's root.
    pub file: String,
    pub targets: TargetRules,
}

/// What reading a repository found.
pub(super) enum Outcome {
    /// Its catalog, and the files as read for next time.
    Read { catalog: Catalog, files: Files },
    NoManifest,
    /// The manifest alone could not be read: what was read before stands.
    ManifestFailed(GithubError),
}

/// What a path holds, as one read sees it.
pub(super) enum Got {
    Found(Contents),
    Missing,
    /// The read's requests are spent.
    Spent,
    /// GitHub could not answer for this path (the version read before is used when there is one).
    Failed(String),
}

/// One read of one repository.
pub(super) struct Session<'r> {
    api: &'r Api,
    pub repo: &'r str,
    old: &'r Files,
    new: Files,
    requests: usize,
    /// Paths whose previous version stands in for one GitHub could not send.
    pub problems: Vec<Problem>,
}

impl RepoReader {
    /// Reads `repo`, asking GitHub only for what changed since `old` was read. A failure that
    /// concerns all of GitHub (unreachable, refused token, rate limit) is handed back.
    pub async fn read(&self, repo: &str, old: &Files) -> Result<Outcome, GithubError> {
        let mut session = Session { api: &self.api, repo, old, new: Files::new(), requests: 0, problems: Vec::new() };
        match session.fetch(&self.file).await {
            Ok(Asked::Found(Contents::File(_))) => {}
            Ok(Asked::Found(Contents::Folder(_))) => {
                return Ok(Outcome::ManifestFailed(GithubError::Unreadable("it is a folder, not a file".to_owned())));
            }
            Ok(Asked::Missing | Asked::Spent) => return Ok(Outcome::NoManifest),
            Err(error) if error.is_general() => return Err(error),
            Err(error) => return Ok(Outcome::ManifestFailed(error)),
        }
        let mut follow = Follow::new(MAX_REQUESTS);
        follow.start(self.file.clone(), session.name(&self.file));
        let mut parts = Vec::new();
        let mut pulled_in = HashSet::new();
        while let Some((path, name)) = follow.next_file() {
            let part = self.read_file(&mut session, &mut follow, &path, &name, &mut pulled_in).await?;
            parts.push((path, part));
        }
        let mut catalog = Catalog::default();
        for (path, part) in parts {
            if path == self.file || !pulled_in.contains(&path) {
                catalog.extend(part);
            }
        }
        catalog.problems.extend(follow.finish());
        catalog.problems.append(&mut session.problems);
        Ok(Outcome::Read { catalog, files: session.new })
    }

    /// What the file at `path` (`name` to problems) declares, with its definitions filled in;
    /// the files its Locations name go to `follow`, those its APIs pull in to `pulled_in`.
    async fn read_file(
        &self,
        session: &mut Session<'_>,
        follow: &mut Follow<String>,
        path: &str,
        name: &str,
        pulled_in: &mut HashSet<String>,
    ) -> Result<Catalog, GithubError> {
        let mut part = match session.get(path).await? {
            Got::Found(Contents::File(body)) => manifest::read(name, &body, session.repo, &self.targets),
            Got::Found(Contents::Folder(_)) => manifest::whole_file(name, "is a folder, not a file"),
            Got::Missing => manifest::whole_file(name, "could not be read: it is no longer there"),
            Got::Spent => manifest::whole_file(name, &spent()),
            Got::Failed(why) => manifest::whole_file(name, &format!("could not be read: {why}")),
        };
        let from = path.to_owned();
        for (target, optional) in locations(&mut part) {
            let site = Site::of(name, target);
            match locations::resolve(session, path, &target.target).await? {
                Ok(found) => {
                    let found = found.into_iter().map(|path| (path.clone(), session.name(&path))).collect();
                    target.files = follow.reached(&from, &site, found);
                }
                Err(Unfollowed::Missing(_)) if optional => {}
                Err(Unfollowed::Missing(why) | Unfollowed::Refused(why)) => follow.refuse(&site, &why),
            }
        }
        // A file an API pulls in is part of that API, not a manifest: it is left out, not reported.
        pulled_in.extend(definitions::targets(&part).filter_map(|target| join_within(folder_of(path), target)));
        self.read_definitions(session, path, name, &mut part).await?;
        Ok(part)
    }

    /// Fills in the definitions `part` (the file at `path`) pulls in with `$text`, from files of
    /// the same repository.
    async fn read_definitions(&self, session: &mut Session<'_>, path: &str, name: &str, part: &mut Catalog) -> Result<(), GithubError> {
        let mut texts: HashMap<String, Result<String, String>> = HashMap::new();
        for target in definitions::targets(part).map(str::to_owned).collect::<Vec<_>>() {
            let text = match join_within(folder_of(path), &target) {
                _ if is_address(&target) => Err(ADDRESS.to_owned()),
                None => Err("is outside the repository: a repository's definitions are read from its own files".to_owned()),
                Some(file) => match session.get(&file).await? {
                    Got::Found(Contents::File(body)) => manifest::text(&body),
                    Got::Found(Contents::Folder(_)) => Err("is a folder, not a file".to_owned()),
                    Got::Missing => Err("does not exist next to the manifest".to_owned()),
                    Got::Spent => Err(spent()),
                    Got::Failed(why) => Err(format!("could not be read: {why}")),
                },
            };
            texts.insert(target, text);
        }
        definitions::fill(part, name, |target| texts.remove(target).unwrap_or_else(|| Err("could not be read".to_owned())));
        Ok(())
    }
}

/// Why a path is not read once a read's requests are spent.
pub(super) fn spent() -> String {
    format!("is not read: Portico asks GitHub for at most {MAX_REQUESTS} files and folders of a repository at each read")
}

impl Session<'_> {
    /// How problems and pages name a path of this repository: `checkout/apis/orders.yaml`.
    pub fn name(&self, path: &str) -> String {
        format!("{}/{path}", self.repo)
    }

    /// What `path` holds. A failure of this path alone is [`Got::Failed`], or the version read
    /// before with a problem saying so; one that concerns all of GitHub is handed back.
    pub async fn get(&mut self, path: &str) -> Result<Got, GithubError> {
        match self.fetch(path).await {
            Ok(Asked::Found(contents)) => Ok(Got::Found(contents)),
            Ok(Asked::Missing) => Ok(Got::Missing),
            Ok(Asked::Spent) => Ok(Got::Spent),
            Err(error) if error.is_general() => Err(error),
            Err(error) => Ok(match self.old.get(path).cloned() {
                Some(kept) => {
                    tracing::warn!(repository = self.repo, path, %error, "a catalog file could not be read from GitHub; the version read before stands");
                    let message = format!("could not be read: {error}; the version read before is still shown");
                    self.problems.extend(manifest::whole_file(&self.name(path), &message).problems);
                    self.new.insert(path.to_owned(), kept.clone());
                    Got::Found(kept.1)
                }
                None => Got::Failed(error.to_string()),
            }),
        }
    }

    /// `path` as GitHub has it now: from this read's answers when it was asked for already,
    /// and from the previous read's when GitHub says it is unchanged.
    async fn fetch(&mut self, path: &str) -> Result<Asked, GithubError> {
        if let Some((_, contents)) = self.new.get(path) {
            return Ok(Asked::Found(contents.clone()));
        }
        if self.requests == MAX_REQUESTS {
            return Ok(Asked::Spent);
        }
        self.requests += 1;
        let old = self.old.get(path);
        let fetched = match self.api.read(self.repo, path, old.and_then(|(etag, _)| etag.as_deref())).await? {
            Fetched::Unchanged => match old {
                Some(old) => old.clone(),
                None => return Err(GithubError::Unreadable("an unchanged answer to a file never read".to_owned())),
            },
            Fetched::Fresh { etag, value } => (etag, value),
            Fetched::Missing => return Ok(Asked::Missing),
        };
        let contents = fetched.1.clone();
        self.new.insert(path.to_owned(), fetched);
        Ok(Asked::Found(contents))
    }
}

/// What asking for a path found, before a failure is turned into a [`Got`].
enum Asked {
    Found(Contents),
    Missing,
    Spent,
}
