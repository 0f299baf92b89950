//! The sign-in client's own calls against the GitHub double: GitHub's refusal of a code, and
//! the API of a GitHub Enterprise Server under `/api/v3`.

use github_double::{DoubleConfig, FakeUser, GithubDouble};
use secrecy::SecretString;
use server::auth::github::GithubSignIn;
use server::config::GithubConfig;

fn member() -> FakeUser {
    let teams = (1..=5).map(|n| ("acme".to_owned(), format!("team-{n}"))).collect();
    FakeUser { login: "ci-bot".into(), id: 950, name: None, email: None, orgs: vec!["acme".into()], teams }
}

fn sign_in(github: &GithubDouble) -> GithubSignIn {
    let config = GithubConfig {
        client_id: github_double::DEFAULT_CLIENT_ID.to_owned(),
        client_secret: SecretString::from(github_double::DEFAULT_CLIENT_SECRET.to_owned()),
        web_url: url::Url::parse(&github.base_url()).expect("url"),
        api_url: url::Url::parse(&github.api_url()).expect("url"),
    };
    GithubSignIn::new(&config, &url::Url::parse("http://127.0.0.1:9/").expect("url")).expect("sign-in client")
}

#[tokio::test]
async fn a_refused_code_is_reported_with_githubs_own_error_code() {
    let github = GithubDouble::spawn(DoubleConfig::new(vec![member()])).await.expect("GitHub double starts");
    // GitHub answers a bad code with HTTP 200 and an error body.
    let refused = sign_in(&github).exchange("not-a-code".to_owned(), "a-verifier-of-enough-length-0123456789abcdef".to_owned()).await;
    let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("bad_verification_code") && message.contains("incorrect or expired"), "{message}");
}

#[tokio::test]
async fn sign_in_reads_an_enterprise_servers_api_under_api_v3() {
    let github = GithubDouble::spawn(DoubleConfig::new(vec![member()]).enterprise()).await.expect("GitHub double starts");
    let token = github.mint_token("ci-bot").expect("the bot exists");
    let account = sign_in(&github).identity(SecretString::from(token), &[]).await.expect("the identity");
    assert_eq!(account.identity.login, "ci-bot");
    assert_eq!(account.identity.orgs, ["acme"]);
    assert_eq!(account.identity.teams.len(), 5);
}
