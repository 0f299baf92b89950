//! The one integration-test binary: the double driven over HTTP, first with a plain client
//! to pin the wire format, then with the OAuth and GitHub clients the portal uses.

mod actions;
mod api;
mod clients;
mod oauth;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use github_double::{DoubleConfig, FakeUser, GithubDouble};
use sha2::{Digest, Sha256};

pub const CALLBACK: &str = "http://127.0.0.1:9/auth/github/callback";

pub fn alice() -> FakeUser {
    FakeUser {
        login: "alice".into(),
        id: 101,
        name: Some("Alice Liddell".into()),
        email: Some("alice@example.com".into()),
        orgs: vec!["acme".into(), "globex".into()],
        teams: vec![
            ("acme".into(), "platform".into()),
            ("acme".into(), "payments".into()),
            ("globex".into(), "ops".into()),
        ],
    }
}

pub fn bob() -> FakeUser {
    FakeUser {
        login: "bob".into(),
        id: 102,
        name: None,
        email: None,
        orgs: vec![],
        teams: vec![],
    }
}

pub async fn spawn() -> GithubDouble {
    GithubDouble::spawn(DoubleConfig::new(vec![alice(), bob()]))
        .await
        .expect("the double starts")
}

/// A client that shows redirects instead of following them.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client builds")
}

pub fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}
