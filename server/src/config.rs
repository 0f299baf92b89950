//! One typed configuration, read from an optional TOML file and then `PORTICO_*` environment
//! variables (nested keys joined with `__`, e.g. `PORTICO_LOG__FORMAT=json`). `DATABASE_URL` is
//! honoured too, as most deployment platforms set it.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use domain::access::Policy;
use domain::catalog::ProductionNames;
use figment::Figment;
use figment::providers::{Env, Format, Toml};
use figment::value::magic::RelativePathBuf;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

mod access;
mod catalog;

pub use actions::{ActionsConfig, ActionsGithubConfig};
pub use access::{AccessConfig, AuditConfig, AuthConfig, DefaultRole, GithubConfig, GrantConfig, NoRole, is_loopback};
pub use catalog::GithubCatalogConfig;
pub use runtimes::config::{CallLimits, EcsConfig, KubernetesClusterConfig, RuntimeConfig};

/// Everything the portal can be told.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address the HTTP server listens on.
    pub listen: SocketAddr,
    /// Folder for the embedded database and other local state; created on first run.
    pub data_dir: RelativePathBuf,
    /// PostgreSQL (`postgres://…`) or SQLite (`sqlite://…`) URL. When absent, an SQLite file
    /// under `data_dir` is used. Kept secret: it may hold a password.
    pub database_url: Option<SecretString>,
    /// Where the built site (WASM, JS, CSS, public files) is served from.
    pub site_root: RelativePathBuf,
    pub log: LogConfig,
    pub catalog: CatalogConfig,
    pub auth: AuthConfig,
    pub access: AccessConfig,
    pub audit: AuditConfig,
    pub runtime: RuntimeConfig,
    pub actions: ActionsConfig,
    pub delivery: DeliveryConfig,
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    pub format: LogFormat,
    /// A `tracing` filter such as `info` or `info,sqlx=warn`; `RUST_LOG` takes precedence.
    pub filter: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CatalogConfig {
    /// Folders (or single files) of `catalog-info.yaml` manifests. Relative paths in the config
    /// file are relative to that file.
    pub paths: Vec<RelativePathBuf>,
    /// How often, in seconds, the folders are checked for changed files; 0 turns checking off.
    pub refresh_seconds: u64,
    /// The repositories of a GitHub organisation, besides the folders.
    pub github: Option<GithubCatalogConfig>,
    /// Environment names (with `*`) that are production whatever a manifest says.
    pub production_environments: ProductionNames,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 3000)),
            data_dir: PathBuf::from("data").into(),
            database_url: None,
            site_root: PathBuf::from("target/site").into(),
            log: LogConfig::default(),
            catalog: CatalogConfig::default(),
            auth: AuthConfig::default(),
            access: AccessConfig::default(),
            audit: AuditConfig::default(),
            runtime: RuntimeConfig::default(),
            actions: ActionsConfig::default(),
            delivery: DeliveryConfig::default(),
        }
    }
}

/// Where the delivery view reads the services' code history (docs/delivery.md).
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeliveryConfig {
    /// A folder of git repositories, one per `owner/name` of the services'
    /// `github.com/project-slug` annotations. Relative to the config file.
    pub local_repositories: Option<RelativePathBuf>,
}

impl Default for CatalogConfig {
    fn default() -> Self {
        Self { paths: Vec::new(), refresh_seconds: 30, github: None, production_environments: ProductionNames::default() }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        Self { format: LogFormat::Text, filter: "info".to_owned() }
    }
}

/// The configuration could not be read. Says which key and where it came from.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(String);

/// Which database the portal uses, without any credentials, for logs and messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseTarget {
    Sqlite(String),
    Postgres,
}

impl fmt::Display for DatabaseTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "SQLite ({path})"),
            Self::Postgres => write!(f, "PostgreSQL"),
        }
    }
}

impl Config {
    /// Reads `file` (when given) and the environment. Every problem figment finds is reported.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::new();
        if let Some(file) = file {
            if !file.is_file() {
                return Err(ConfigError(format!("configuration file {} not found", file.display())));
            }
            figment = figment.merge(Toml::file_exact(file));
        }
        figment = figment
            .merge(Env::prefixed("PORTICO_").split("__").ignore(&["config"]))
            .merge(Env::raw().only(&["database_url"]))
            // cargo-leptos tells the binary it serves where it put the built site.
            .merge(Env::raw().only(&["leptos_site_root"]).map(|_| "site_root".into()));
        let config: Self = figment.extract().map_err(|error| {
            let messages: Vec<String> = error.into_iter().map(|e| e.to_string()).collect();
            ConfigError(messages.join("\n"))
        })?;
        config.auth.check(config.listen).map_err(ConfigError)?;
        config.policy().map_err(ConfigError)?;
        Ok(config)
    }

    /// The access rules, with bare team names resolved against [`Config::teams_org`].
    pub fn policy(&self) -> Result<Policy, String> {
        self.access.policy(self.teams_org()?)
    }

    /// The organisation whose teams bare team names mean: `access.teams_org`, else the
    /// catalog's organisation, else the single allowed organisation. With several allowed
    /// organisations and neither named, a bare `payments` could mean a team of any of them, so
    /// the configuration is refused.
    pub fn teams_org(&self) -> Result<Option<String>, String> {
        if let Some(org) = self.access.teams_org.as_ref().or(self.catalog.github.as_ref().map(|github| &github.org)) {
            return Ok(Some(org.trim().to_lowercase()));
        }
        match self.auth.allowed_orgs.as_slice() {
            [] => Ok(None),
            [org] => Ok(Some(org.trim().to_lowercase())),
            orgs => Err(format!(
                "access.teams_org is needed: catalog owners and bare team names in action files name teams of one \
                 organisation, and auth.allowed_orgs lists {}; set access.teams_org to the one whose teams they mean",
                orgs.join(", ")
            )),
        }
    }

    /// The database URL to connect to: the configured one, or an SQLite file in `data_dir`.
    pub fn database_url(&self) -> SecretString {
        match &self.database_url {
            Some(url) => url.clone(),
            None => {
                let path = self.data_dir.relative().join("portico.db");
                SecretString::from(format!("sqlite://{}", path.display()))
            }
        }
    }

    /// Which engine (and SQLite file) the URL names, safe to log.
    pub fn database_target(&self) -> Result<DatabaseTarget, ConfigError> {
        let url = self.database_url();
        let url = url.expose_secret();
        if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            Ok(DatabaseTarget::Sqlite(path.split('?').next().unwrap_or(path).to_owned()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DatabaseTarget::Postgres)
        } else {
            Err(ConfigError(
                "database_url must start with postgres://, postgresql:// or sqlite://".to_owned(),
            ))
        }
    }

    /// Catalog folders and files, resolved against the config file's folder.
    pub fn catalog_paths(&self) -> Vec<PathBuf> {
        self.catalog.paths.iter().map(RelativePathBuf::relative).collect()
    }

    /// Action files and folders, resolved against the config file's folder.
    pub fn action_paths(&self) -> Vec<PathBuf> {
        self.actions.paths.iter().map(RelativePathBuf::relative).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_is_redacted_in_debug_output() {
        let config = Config {
            database_url: Some(SecretString::from("postgres://portico:hunter2@db/portico")),
            ..Config::default()
        };
        let printed = format!("{config:?}");
        assert!(!printed.contains("hunter2"), "secret leaked: {printed}");
        assert_eq!(config.database_target().ok(), Some(DatabaseTarget::Postgres));
    }

    #[test]
    fn defaults_to_an_sqlite_file_in_the_data_dir() {
        let config = Config::default();
        assert_eq!(config.database_url().expose_secret(), "sqlite://data/portico.db");
        assert_eq!(config.database_target().ok(), Some(DatabaseTarget::Sqlite("data/portico.db".into())));
    }

    #[test]
    fn rejects_unknown_keys_and_names_them() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("portico.toml");
        std::fs::write(&file, "listen = \"127.0.0.1:4000\"\n[catalog]\npath = [\"x\"]\n").expect("write");
        let error = Config::load(Some(&file)).expect_err("unknown key accepted");
        assert!(error.to_string().contains("path"), "{error}");
    }

    fn load(toml: &str) -> Result<Config, ConfigError> {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("portico.toml");
        std::fs::write(&file, toml).expect("write");
        Config::load(Some(&file))
    }

    #[test]
    fn github_sign_in_needs_https_off_loopback() {
        let github = "[auth.github]\nclient_id = \"x\"\nclient_secret = \"y\"\n";
        let plain = format!("listen = \"0.0.0.0:3000\"\n[auth]\npublic_url = \"http://portal.example.com\"\n{github}");
        let error = load(&plain).expect_err("plain http refused");
        assert!(error.to_string().contains("https://"), "{error}");
        load(&plain.replace("http://portal", "https://portal")).expect("https accepted");
        load(&format!("listen = \"127.0.0.1:3000\"\n{github}")).expect("loopback may use http");
    }

    #[test]
    fn bare_team_names_need_one_organisation() {
        let two = "[auth]\nallowed_orgs = [\"inkwell\", \"quill\"]\n";
        let error = load(two).expect_err("ambiguous");
        assert!(error.to_string().contains("access.teams_org"), "{error}");
        let chosen = load(&format!("{two}[access]\nteams_org = \"Inkwell\"\n")).expect("named");
        assert_eq!(chosen.teams_org(), Ok(Some("inkwell".to_owned())));
        let one = load("[auth]\nallowed_orgs = [\"inkwell\"]\n").expect("one organisation");
        assert_eq!(one.policy().expect("policy").teams_org.as_deref(), Some("inkwell"));
        assert_eq!(load("").expect("empty").teams_org(), Ok(None));
    }

    #[test]
    fn catalog_paths_are_relative_to_the_config_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("portico.toml");
        std::fs::write(&file, "[catalog]\npaths = [\"catalog\"]\n").expect("write");
        let config = Config::load(Some(&file)).expect("valid config");
        assert_eq!(config.catalog_paths(), vec![dir.path().join("catalog")]);
    }
}
