//! Repositories in a local folder, one git repository per `owner/name`, read with the `git`
//! command. Every name that reaches a command is checked first: a repository name from a
//! manifest may not leave the folder, a tag is a plain tag name looked up in the list of tags
//! (never parsed as a revision such as `v1.0~1`, which would name another commit) and a SHA is
//! hexadecimal, and each is passed as
//! one argument after a fixed prefix, so none can be read as an option.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use domain::delivery::code::{COMMITS_LISTED, CodeError, CodeHistory, Commit, Comparison, is_sha};
use domain::future::BoxFuture;
use domain::runtime::version::is_tag;
use tokio::process::Command;

/// How long one git command may take before the history counts as unavailable.
const GIT_TIMEOUT: Duration = Duration::from_secs(10);
/// Fields of `git log --format`, separated by NUL (a commit message cannot hold one).
const COMMIT_FORMAT: &str = "--format=%H%x00%an%x00%at%x00%s";

/// A folder holding `owner/name` git repositories (bare or with a work tree).
#[derive(Clone, Debug)]
pub struct LocalGit {
    root: PathBuf,
}

/// What a git command printed when it succeeded, or `None` when it said no (exit code 1 or
/// 128: no such object, no common ancestor).
type Output = Option<String>;

impl LocalGit {
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    /// The repository's folder, when `repository` is a plain `owner/name` that exists.
    fn folder(&self, repository: &str) -> Result<PathBuf, CodeError> {
        let plain = |part: &str| {
            !part.is_empty() && !part.starts_with('.') && part.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        };
        let folder = match repository.split_once('/') {
            Some((owner, name)) if plain(owner) && plain(name) => self.root.join(owner).join(name),
            _ => return Err(CodeError::NoRepository(repository.to_owned())),
        };
        if folder.is_dir() { Ok(folder) } else { Err(CodeError::NoRepository(repository.to_owned())) }
    }

    async fn git(&self, folder: &Path, args: &[&str]) -> Result<Output, CodeError> {
        let mut command = Command::new("git");
        command
            .arg("-C")
            .arg(folder)
            // The folder may belong to another user (a mirror kept by a job); it is trusted
            // because the configuration names it.
            .arg("-c")
            .arg(format!("safe.directory={}", folder.display()))
            .args(args)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .stdin(Stdio::null())
            .kill_on_drop(true);
        let output = tokio::time::timeout(GIT_TIMEOUT, command.output())
            .await
            .map_err(|_| CodeError::Unavailable(format!("git took longer than {} s", GIT_TIMEOUT.as_secs())))?
            .map_err(|error| CodeError::Unavailable(format!("git could not be started: {error}")))?;
        match output.status.code() {
            Some(0) => Ok(Some(String::from_utf8_lossy(&output.stdout).into_owned())),
            Some(1 | 128) => Ok(None),
            _ => {
                let message = String::from_utf8_lossy(&output.stderr);
                Err(CodeError::Unavailable(format!("git failed: {}", message.trim())))
            }
        }
    }

    /// The full SHA of the commit `revision` names, or `None`.
    async fn commit_of(&self, folder: &Path, revision: &str) -> Result<Option<String>, CodeError> {
        let found = self.git(folder, &["rev-parse", "--verify", "--quiet", &format!("{revision}^{{commit}}")]).await?;
        Ok(found.map(|text| text.trim().to_owned()).filter(|sha| !sha.is_empty()))
    }

}

/// `git rev-list --left-right --count`'s two numbers.
fn parse_counts(text: &str) -> Result<(u32, u32), CodeError> {
    let unreadable = || CodeError::Unavailable(format!("git rev-list printed {text:?}"));
    let (left, right) = text.trim().split_once('\t').ok_or_else(unreadable)?;
    Ok((left.parse().map_err(|_| unreadable())?, right.parse().map_err(|_| unreadable())?))
}

/// One line of [`COMMIT_FORMAT`].
fn parse_commit(line: &str) -> Option<Commit> {
    let mut fields = line.split('\0');
    let (sha, author, at, summary) = (fields.next()?, fields.next()?, fields.next()?, fields.next()?);
    Some(Commit { sha: sha.to_owned(), summary: summary.to_owned(), author: author.to_owned(), at: at.parse().ok()?, url: None })
}

impl CodeHistory for LocalGit {
    fn tag<'a>(&'a self, repository: &'a str, tag: &'a str) -> BoxFuture<'a, Result<Option<String>, CodeError>> {
        Box::pin(async move {
            let folder = self.folder(repository)?;
            if !is_tag(tag) {
                return Ok(None);
            }
            // Listed, not parsed as a revision: rev-parse would read `1.8.0-2-gabc1234` as the
            // commit abc1234 whether or not such a tag exists.
            let name = format!("refs/tags/{tag}");
            let listed = self.git(&folder, &["for-each-ref", "--format=%(refname)%00%(objectname)", &name]).await?.unwrap_or_default();
            let object = listed.lines().find_map(|line| line.split_once('\0').filter(|(found, _)| *found == name).map(|(_, sha)| sha.to_owned()));
            match object {
                // A full SHA, so nothing but that object; an annotated tag is followed to its commit.
                Some(sha) if is_sha(&sha) => self.commit_of(&folder, &sha).await,
                _ => Ok(None),
            }
        })
    }

    fn commit<'a>(&'a self, repository: &'a str, sha: &'a str) -> BoxFuture<'a, Result<Option<Commit>, CodeError>> {
        Box::pin(async move {
            let folder = self.folder(repository)?;
            if !is_sha(sha) {
                return Ok(None);
            }
            // `--` makes the SHA a revision only; one that names no single commit is a `None`.
            let text = self.git(&folder, &["log", "-1", COMMIT_FORMAT, &format!("{sha}^{{commit}}"), "--"]).await?.unwrap_or_default();
            Ok(text.lines().next().and_then(parse_commit))
        })
    }

    fn compare<'a>(&'a self, repository: &'a str, base: &'a str, head: &'a str) -> BoxFuture<'a, Result<Comparison, CodeError>> {
        Box::pin(async move {
            let folder = self.folder(repository)?;
            if !is_sha(base) || !is_sha(head) {
                return Err(CodeError::Unavailable(format!("{base}...{head} is not a comparison of two commits")));
            }
            if self.git(&folder, &["merge-base", base, head]).await?.is_none() {
                return Ok(Comparison::Unrelated);
            }
            // One walk counts both sides: `behind<TAB>ahead` (left is base's own, right head's).
            let counts = self.git(&folder, &["rev-list", "--left-right", "--count", &format!("{base}...{head}")]).await?.unwrap_or_default();
            let (behind_by, ahead_by) = parse_counts(&counts)?;
            let ahead = format!("{base}..{head}");
            let listed = format!("--max-count={COMMITS_LISTED}");
            let text = self.git(&folder, &["log", &listed, COMMIT_FORMAT, &ahead]).await?.unwrap_or_default();
            let commits = text.lines().filter_map(parse_commit).collect();
            Ok(Comparison::Related { ahead_by, behind_by, commits })
        })
    }
}
