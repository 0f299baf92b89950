//! The `portico` command.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use domain::runtime::Operation;
use server::config::Config;
use server::remote;
use server::store::{Store, audit};
use server::audit_head::{self, HeadCheck};
use server::{Portal, audit_retention, catalog_source, shutdown_signal, telemetry};

/// Returns freed memory to the system: a large catalog load is a transient peak, which glibc's
/// allocator kept resident (docs/performance.md, "Catalog at 100,000 entities of every kind").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "portico", version, about = "Portico, the internal developer portal")]
struct Cli {
    /// TOML configuration file. Environment variables `PORTICO_*` override it.
    #[arg(long, short, env = "PORTICO_CONFIG", global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database, load the catalog and serve the portal (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print every problem in the configuration and the catalog; exit non-zero if any.
    CheckConfig,
    /// Check or prune the audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Restart, stop, start or scale an environment of a running portal (needs an operator's
    /// API token).
    Env {
        #[command(subcommand)]
        command: EnvCommand,
        /// The running portal; `http://` + the configured listen address by default.
        #[arg(long, global = true)]
        url: Option<url::Url>,
        /// An API token of an operator (create one on the portal's Tokens page).
        #[arg(long, env = "PORTICO_TOKEN", global = true, hide_env_values = true)]
        token: Option<String>,
        /// The service's name, typed again: production environments ask for it.
        #[arg(long, global = true, value_name = "SERVICE")]
        confirm: Option<String>,
    },
}

#[derive(Subcommand)]
enum EnvCommand {
    /// Replace every process, pod or task with a fresh one.
    Restart { service: String, environment: String },
    /// Stop every instance (the scale is remembered for start).
    Stop { service: String, environment: String },
    /// Start a stopped environment again.
    Start { service: String, environment: String },
    /// Set how many instances run.
    Scale {
        service: String,
        environment: String,
        #[arg(long)]
        replicas: u32,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Re-check every event's hash and link; exit 1 naming the first problem found.
    Verify {
        /// A head kept from an earlier verification or from the portal's log (`SEQ:HASH`):
        /// exit 1 unless event SEQ still has that hash, which shows a rewrite of the whole chain.
        #[arg(long, value_name = "SEQ:HASH", value_parser = audit_head::parse_head)]
        head: Option<audit::Head>,
    },
    /// Delete the events older than the given number of days, keeping the chain verifiable.
    Prune {
        /// At least 1: pruning everything up to now is never what was meant.
        #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..))]
        older_than_days: u32,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("configuration error:\n{error}");
            return ExitCode::from(2);
        }
    };
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => migrate(config).await,
        Command::CheckConfig => return check_config(&config),
        Command::Audit { command } => match audit(config, command).await {
            Ok(code) => return code,
            Err(error) => Err(error),
        },
        Command::Env { command, url, token, confirm } => env(&config, command, url, token, confirm).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    telemetry::init(&config.log);
    let portal = Portal::start(&config).await?;
    let shutdown = shutdown_signal();
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.listen))?;
    tracing::info!("serving on http://{}", listener.local_addr()?);
    portal.serve(listener, shutdown).await
}

async fn migrate(config: Config) -> anyhow::Result<()> {
    telemetry::init(&config.log);
    let target = config.database_target()?;
    let store = Store::connect(&config.database_url()).await?;
    store.migrate().await?;
    println!("{target}: migrations applied");
    Ok(())
}

/// `audit verify` and `audit prune`, on the configured database (migrated first, like `migrate`).
/// Verification exits with 1 when the chain is broken.
async fn audit(config: Config, command: AuditCommand) -> anyhow::Result<ExitCode> {
    telemetry::init(&config.log);
    let store = Store::connect(&config.database_url()).await?;
    store.migrate().await?;
    match command {
        AuditCommand::Verify { head } => {
            let report = audit::verify(&store).await?;
            let compared = match &head {
                Some(kept) => Some(audit_head::check(&store, kept).await?),
                None => None,
            };
            store.close().await;
            if let Some(problem) = report.first_problem {
                println!("audit log verification failed after {} intact events: {problem}", report.checked);
                return Ok(ExitCode::FAILURE);
            }
            println!("audit log verified: {} events, chain intact", report.checked);
            // Kept elsewhere, the head shows a later rewrite of the whole log.
            println!("head: event {} {}", report.head_seq, report.head_hash);
            if let (Some(kept), Some(compared)) = (head, compared) {
                let (failed, words) = match compared {
                    HeadCheck::Same => (false, format!("event {} still has the kept hash: nothing up to it was rewritten", kept.seq)),
                    HeadCheck::Rewritten { stored } => (true, format!(
                        "event {} has hash {stored}, not the kept {}: the chain was rewritten at or before it", kept.seq, kept.hash
                    )),
                    HeadCheck::Truncated { last } => (true, format!(
                        "the chain ends at event {last}, before the kept head {}: events were removed", kept.seq
                    )),
                    // A faked prune could hide a rewrite, so what cannot be compared does not pass.
                    HeadCheck::Pruned => (true, format!(
                        "event {} is no longer there (pruned, or deleted with a faked prune): the kept head cannot be compared; keep a newer one", kept.seq
                    )),
                };
                println!("kept head: {words}");
                if failed {
                    return Ok(ExitCode::FAILURE);
                }
            }
        }
        AuditCommand::Prune { older_than_days } => {
            let cutoff = audit_retention::cutoff_micros(std::time::SystemTime::now(), older_than_days);
            let pruned = audit::prune(&store, cutoff).await?;
            store.close().await;
            let unit = if older_than_days == 1 { "day" } else { "days" };
            println!("audit log pruned: {pruned} events older than {older_than_days} {unit}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `env restart|stop|start|scale`: through the running portal's API, so the change is made by
/// the process that owns the environment and recorded in its audit log.
async fn env(config: &Config, command: EnvCommand, url: Option<url::Url>, token: Option<String>, confirm: Option<String>) -> anyhow::Result<()> {
    let token = token.ok_or_else(|| anyhow::anyhow!("an API token is needed: pass --token or set PORTICO_TOKEN"))?;
    let url = match url {
        Some(url) => url,
        None => url::Url::parse(&format!("http://{}", config.listen))?,
    };
    let (service, environment, operation) = match command {
        EnvCommand::Restart { service, environment } => (service, environment, Operation::Restart),
        EnvCommand::Stop { service, environment } => (service, environment, Operation::Stop),
        EnvCommand::Start { service, environment } => (service, environment, Operation::Start),
        EnvCommand::Scale { service, environment, replicas } => (service, environment, Operation::Scale(replicas)),
    };
    println!("{}", remote::operate(&url, &token, &service, &environment, operation, confirm.as_deref()).await?);
    Ok(())
}

fn check_config(config: &Config) -> ExitCode {
    let mut problems = Vec::new();
    if let Err(error) = config.database_target() {
        problems.push(format!("configuration: {error}"));
    }
    if config.catalog.paths.is_empty() && config.catalog.github.is_none() {
        problems.push("configuration: neither catalog.paths nor catalog.github is set, so the catalog will be empty".to_owned());
    }
    if let Some(github) = &config.catalog.github {
        // Reading GitHub needs the network and the token; this command checks files only.
        println!("catalog.github: the {} organisation's manifests are checked when the portal reads them", github.org);
    }
    let catalog = catalog_source::load(&config.catalog_paths());
    problems.extend(catalog.problems.iter().map(ToString::to_string));
    println!("catalog: {} entities, {} of them services", catalog.entities.len(), catalog.services.len());
    let actions = server::action_files::load_definitions(&config.action_paths());
    problems.extend(actions.problems.iter().map(ToString::to_string));
    println!("actions: {}", actions.actions.len());
    for problem in &problems {
        println!("{problem}");
    }
    if problems.is_empty() {
        println!("no problems found");
        ExitCode::SUCCESS
    } else {
        println!("{} problem(s) found", problems.len());
        ExitCode::FAILURE
    }
}
