//! `portico audit verify` and `portico audit prune`, run as an operator would.

use std::process::{Command, Output};

use secrecy::ExposeSecret;

use super::{append_samples, sql};
use crate::support::{Engine, TestDb, on_both_engines};

on_both_engines!(verify_exits_non_zero_naming_the_altered_event, prune_removes_only_old_events);

/// Runs `portico` with `args` on the test database, off the test's runtime.
async fn portico(db: &TestDb, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("portico.toml");
    std::fs::write(&config, format!("database_url = {:?}\n", db.url.expose_secret())).expect("write config");
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        let output = Command::new(env!("CARGO_BIN_EXE_portico"))
            .env_remove("PORTICO_CONFIG")
            .env_remove("DATABASE_URL")
            .arg("--config")
            .arg(&config)
            .args(&args)
            .output()
            .expect("runs");
        drop(dir);
        output
    })
    .await
    .expect("command")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn verify_exits_non_zero_naming_the_altered_event(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    append_samples(&store, 3).await;
    let intact = portico(&db, &["audit", "verify"]).await;
    assert_eq!(intact.status.code(), Some(0), "{}{}", stdout(&intact), String::from_utf8_lossy(&intact.stderr));
    assert!(stdout(&intact).contains("audit log verified: 3 events, chain intact"), "{}", stdout(&intact));

    sql(&store, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 2").await;
    let broken = portico(&db, &["audit", "verify"]).await;
    assert_eq!(broken.status.code(), Some(1));
    let text = stdout(&broken);
    assert!(text.contains("event 2 (service.restart by mallory at ") && text.contains("was altered"), "{text}");
}

async fn prune_removes_only_old_events(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    append_samples(&store, 3).await;
    let output = portico(&db, &["audit", "prune", "--older-than-days", "1"]).await;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout(&output).contains("audit log pruned: 0 events older than 1 day"), "{}", stdout(&output));
    let refused = portico(&db, &["audit", "prune", "--older-than-days", "0"]).await;
    assert_eq!(refused.status.code(), Some(2), "0 days would prune everything");
    let verified = portico(&db, &["audit", "verify"]).await;
    assert!(stdout(&verified).contains("3 events, chain intact"));
}
