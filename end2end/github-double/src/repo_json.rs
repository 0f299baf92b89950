//! The fake repositories and the JSON objects GitHub's REST API v3 returns for them: the
//! "minimal-repository" that organisation listings hold, and the "content-file" and the
//! folder listing (an array of "content-directory" items) of the contents endpoint.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::model::{CREATED_AT, UPDATED_AT, avatar_url, node_id, stable_id};

/// Above this size GitHub's contents endpoint no longer inlines a file: `encoding` is `none`
/// and `content` is empty.
const INLINE_LIMIT: usize = 1024 * 1024;

/// One repository of an organisation, with the files of its default branch.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct FakeRepo {
    /// GitHub's numeric id, which grows with every repository created; 0 until the double
    /// stores the repository and gives it the next one.
    #[serde(default)]
    pub id: u64,
    /// The repository's name (`checkout`).
    pub name: String,
    /// The branch pushes go to for the catalog to notice; `main` unless told.
    #[serde(default = "main_branch")]
    pub default_branch: String,
    /// Archived repositories are listed, marked `archived: true`.
    #[serde(default)]
    pub archived: bool,
    /// The default branch's files, by path, as text.
    #[serde(default)]
    pub files: BTreeMap<String, String>,
}

fn main_branch() -> String {
    "main".to_owned()
}

impl FakeRepo {
    /// A repository with a `main` branch and no files.
    pub fn new(name: &str) -> Self {
        Self {
            id: 0,
            name: name.to_owned(),
            default_branch: main_branch(),
            archived: false,
            files: BTreeMap::new(),
        }
    }

    /// The same repository with `path` holding `text`.
    pub fn with_file(mut self, path: &str, text: &str) -> Self {
        self.files.insert(path.to_owned(), text.to_owned());
        self
    }
}

/// A repository as `GET /orgs/{org}/repos` lists it.
pub(crate) fn repository_json(base: &str, org: &str, repo: &FakeRepo) -> Value {
    let full_name = format!("{org}/{}", repo.name);
    let id = if repo.id == 0 { stable_id("repo", &full_name) } else { repo.id };
    let org_id = stable_id("org", org);
    let api = format!("{base}/repos/{full_name}");
    json!({
        "id": id,
        "node_id": node_id("Repository", id),
        "name": repo.name,
        "full_name": full_name,
        "private": true,
        "owner": {
            "login": org,
            "id": org_id,
            "node_id": node_id("Organization", org_id),
            "avatar_url": avatar_url(base, org_id),
            "gravatar_id": "",
            "url": format!("{base}/users/{org}"),
            "html_url": format!("{base}/{org}"),
            "type": "Organization",
            "user_view_type": "public",
            "site_admin": false,
        },
        "html_url": format!("{base}/{full_name}"),
        "description": null,
        "fork": false,
        "url": api,
        "contents_url": format!("{api}/contents/{{+path}}"),
        "hooks_url": format!("{api}/hooks"),
        "git_url": format!("git://127.0.0.1/{full_name}.git"),
        "clone_url": format!("{base}/{full_name}.git"),
        "homepage": null,
        "size": 0,
        "stargazers_count": 0,
        "watchers_count": 0,
        "language": null,
        "forks_count": 0,
        "open_issues_count": 0,
        "default_branch": repo.default_branch,
        "archived": repo.archived,
        "disabled": false,
        "visibility": "private",
        "topics": [],
        "pushed_at": UPDATED_AT,
        "created_at": CREATED_AT,
        "updated_at": UPDATED_AT,
        "permissions": { "admin": false, "maintain": false, "push": false, "triage": false, "pull": true },
    })
}

/// A file as `GET /repos/{owner}/{repo}/contents/{path}` returns it: base64 wrapped at 60
/// characters, as GitHub wraps it, or not inlined at all beyond 1 MiB.
pub(crate) fn content_json(
    base: &str,
    owner: &str,
    repo: &FakeRepo,
    path: &str,
    text: &str,
) -> Value {
    let full_name = format!("{owner}/{}", repo.name);
    let sha = blob_sha(text);
    let (encoding, content) = if text.len() > INLINE_LIMIT {
        ("none", String::new())
    } else {
        let encoded = STANDARD.encode(text.as_bytes());
        let lines: Vec<&str> = encoded
            .as_bytes()
            .chunks(60)
            .filter_map(|chunk| std::str::from_utf8(chunk).ok())
            .collect();
        ("base64", lines.join("\n") + "\n")
    };
    let name = path.rsplit('/').next().unwrap_or(path);
    let api = format!(
        "{base}/repos/{full_name}/contents/{path}?ref={}",
        repo.default_branch
    );
    let git = format!("{base}/repos/{full_name}/git/blobs/{sha}");
    let html = format!("{base}/{full_name}/blob/{}/{path}", repo.default_branch);
    json!({
        "type": "file",
        "encoding": encoding,
        "size": text.len(),
        "name": name,
        "path": path,
        "content": content,
        "sha": sha,
        "url": api,
        "git_url": git,
        "html_url": html,
        "download_url": format!("{base}/raw/{full_name}/{}/{path}", repo.default_branch),
        "_links": { "self": api, "git": git, "html": html },
    })
}

/// GitHub's sha is the git blob's SHA-1; any stable 40-hex digest of the content serves here.
fn blob_sha(text: &str) -> String {
    Sha256::digest(format!("blob {}\0{text}", text.len()).as_bytes())
        .iter()
        .take(20)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The folder `folder` of `repo`'s default branch (`""` for its root) as the contents endpoint
/// lists it: its files and sub-folders, sorted by name; `None` when no file lies under it.
pub(crate) fn folder_json(base: &str, owner: &str, repo: &FakeRepo, folder: &str) -> Option<Value> {
    let prefix = if folder.is_empty() { String::new() } else { format!("{folder}/") };
    let mut entries: BTreeMap<String, Option<&String>> = BTreeMap::new();
    for (path, text) in &repo.files {
        let Some(rest) = path.strip_prefix(&prefix) else { continue };
        match rest.split_once('/') {
            Some((dir, _)) => entries.entry(dir.to_owned()).or_insert(None),
            None => entries.entry(rest.to_owned()).or_insert(Some(text)),
        };
    }
    if entries.is_empty() {
        return None;
    }
    let full_name = format!("{owner}/{}", repo.name);
    let branch = &repo.default_branch;
    let items = entries.into_iter().map(|(name, file)| {
        let path = format!("{prefix}{name}");
        let api = format!("{base}/repos/{full_name}/contents/{path}?ref={branch}");
        let (kind, size, sha, download, git, html) = match file {
            Some(text) => {
                let sha = blob_sha(text);
                let git = format!("{base}/repos/{full_name}/git/blobs/{sha}");
                let download = Value::from(format!("{base}/raw/{full_name}/{branch}/{path}"));
                ("file", text.len(), sha, download, git, format!("{base}/{full_name}/blob/{branch}/{path}"))
            }
            None => {
                let sha = blob_sha(&path);
                let git = format!("{base}/repos/{full_name}/git/trees/{sha}");
                ("dir", 0, sha, Value::Null, git, format!("{base}/{full_name}/tree/{branch}/{path}"))
            }
        };
        json!({
            "type": kind, "size": size, "name": name, "path": path, "sha": sha,
            "url": api, "git_url": git, "html_url": html, "download_url": download,
            "_links": { "self": api, "git": git, "html": html },
        })
    });
    Some(Value::Array(items.collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_is_base64_in_lines_of_sixty() {
        let repo = FakeRepo::new("checkout");
        let text = "x".repeat(100);
        let json = content_json("http://h", "acme", &repo, "catalog-info.yaml", &text);
        let content = json["content"].as_str().expect("text");
        assert!(content.lines().all(|line| line.len() <= 60));
        let joined: String = content.lines().collect();
        assert_eq!(STANDARD.decode(joined).expect("base64"), text.as_bytes());
        assert_eq!(json["encoding"], "base64");
        assert_eq!(json["size"], 100);
    }

    #[test]
    fn a_folder_lists_its_files_and_sub_folders() {
        let repo = FakeRepo::new("shop")
            .with_file("catalog-info.yaml", "a")
            .with_file("apis/orders.yaml", "b")
            .with_file("apis/v2/payments.yaml", "c");
        let listed = |folder: &str| -> Vec<(String, String)> {
            let json = folder_json("http://h", "acme", &repo, folder).expect("a folder");
            let items = json.as_array().expect("an array").clone();
            items.iter().map(|item| (item["type"].as_str().unwrap_or_default().to_owned(), item["path"].as_str().unwrap_or_default().to_owned())).collect()
        };
        assert_eq!(listed(""), [("dir".to_owned(), "apis".to_owned()), ("file".to_owned(), "catalog-info.yaml".to_owned())]);
        assert_eq!(listed("apis"), [("file".to_owned(), "apis/orders.yaml".to_owned()), ("dir".to_owned(), "apis/v2".to_owned())]);
        assert!(folder_json("http://h", "acme", &repo, "missing").is_none());
    }

    #[test]
    fn large_files_are_not_inlined() {
        let repo = FakeRepo::new("big");
        let text = "y".repeat(INLINE_LIMIT + 1);
        let json = content_json("http://h", "acme", &repo, "catalog-info.yaml", &text);
        assert_eq!(json["encoding"], "none");
        assert_eq!(json["content"], "");
    }
}
