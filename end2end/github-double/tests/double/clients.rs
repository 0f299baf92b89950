//! The portal's own clients against the double: if these deserialize, the portal will too.

use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge, RedirectUrl,
    RequestTokenError, Scope, TokenResponse, TokenUrl,
};
use octocrab::Octocrab;
use octocrab::models::UserProfile;

use crate::{CALLBACK, http, spawn};

#[tokio::test]
async fn oauth2_and_octocrab_work_against_the_double() {
    let github = spawn().await;
    let base = github.base_url();
    let client = BasicClient::new(ClientId::new("portico-test".into()))
        .set_client_secret(ClientSecret::new("portico-test-secret".into()))
        .set_auth_uri(AuthUrl::new(format!("{base}/login/oauth/authorize")).expect("auth url"))
        .set_token_uri(
            TokenUrl::new(format!("{base}/login/oauth/access_token")).expect("token url"),
        )
        .set_redirect_uri(RedirectUrl::new(CALLBACK.into()).expect("redirect url"));
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (authorize_url, csrf) = client
        .authorize_url(CsrfToken::new_random)
        .add_scope(Scope::new("read:user".into()))
        .add_scope(Scope::new("read:org".into()))
        .set_pkce_challenge(challenge)
        .url();

    // The shortcut parameter stands in for pressing "Sign in as alice".
    let redirect = http()
        .get(format!("{authorize_url}&login=alice"))
        .send()
        .await
        .expect("authorize");
    let location = redirect.headers()["location"]
        .to_str()
        .expect("ascii location");
    let location = reqwest::Url::parse(location).expect("absolute location");
    let param = |name: &str| {
        location
            .query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    };
    assert_eq!(param("state").as_deref(), Some(csrf.secret().as_str()));
    let code = AuthorizationCode::new(param("code").expect("a code"));

    let token = client
        .exchange_code(code.clone())
        .set_pkce_verifier(verifier)
        .request_async(&http())
        .await
        .expect("the exchange succeeds");
    // GitHub's comma-separated scope string arrives as a single oauth2 `Scope`.
    let scopes = token.scopes().expect("scopes returned");
    assert_eq!(scopes[0].as_str(), "read:user,read:org");

    // GitHub reports a failed exchange with HTTP 200, so oauth2 reads it as a token response
    // that lacks `access_token`: a `Parse` error holding the body, not a `ServerResponse`.
    let replay = client.exchange_code(code).request_async(&http()).await;
    match replay {
        Err(RequestTokenError::Parse(_, body)) => {
            let body = String::from_utf8(body).expect("utf-8 body");
            assert!(
                body.contains("\"error\":\"bad_verification_code\""),
                "{body}"
            );
        }
        other => panic!("expected a Parse error, got {other:?}"),
    }

    let octocrab = Octocrab::builder()
        .base_uri(base.as_str())
        .expect("base uri")
        .personal_token(token.access_token().secret().clone())
        .build()
        .expect("octocrab builds");
    let user = octocrab.current().user().await.expect("/user as Author");
    assert_eq!(user.login, "alice");
    let profile: UserProfile = octocrab
        .get("/user", None::<&()>)
        .await
        .expect("/user as UserProfile");
    assert_eq!(profile.name.as_deref(), Some("Alice Liddell"));
    let orgs = octocrab
        .current()
        .list_orgs()
        .send()
        .await
        .expect("/user/orgs");
    assert_eq!(orgs.items.len(), 2);
    let first = octocrab
        .current()
        .list_all_teams_for_auth_user()
        .per_page(2u8)
        .send()
        .await
        .expect("/user/teams");
    assert!(first.next.is_some());
    let teams = octocrab
        .all_pages(first)
        .await
        .expect("every page of /user/teams");
    let slugs: Vec<&str> = teams.iter().map(|team| team.slug.as_str()).collect();
    assert_eq!(slugs, ["platform", "payments", "ops"]);
}
