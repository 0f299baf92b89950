//! `portico audit verify` and `portico audit prune`, run as an operator would.

use std::process::{Command, Output};

use secrecy::ExposeSecret;

use super::{append_samples, sql};
use crate::support::{Engine, TestDb, on_both_engines};

on_both_engines!(
    verify_exits_non_zero_naming_the_altered_event,
    prune_removes_only_old_events,
    a_kept_head_shows_the_tail_cut_off_consistently,
);

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

async fn a_kept_head_shows_the_tail_cut_off_consistently(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    append_samples(&store, 3).await;
    let first = stdout(&portico(&db, &["audit", "verify"]).await);
    let kept = first.lines().find_map(|line| line.strip_prefix("head: event ")).expect("the head is printed").replacen(' ', ":", 1);
    assert!(kept.starts_with("3:"), "{kept}");
    let second = store.audit_hash(2).await.expect("read").expect("event 2");

    // Someone with write access removes the newest event and moves the head back: the chain
    // alone still verifies.
    sql(&store, "DELETE FROM audit_events WHERE seq = 3").await;
    sql(&store, &format!("UPDATE audit_chain SET last_seq = 2, last_hash = '{second}' WHERE id = 1")).await;
    let alone = portico(&db, &["audit", "verify"]).await;
    assert_eq!(alone.status.code(), Some(0), "{}", stdout(&alone));

    let compared = portico(&db, &["audit", "verify", "--head", &kept]).await;
    assert_eq!(compared.status.code(), Some(1), "{}", stdout(&compared));
    assert!(stdout(&compared).contains("the chain ends at event 2, before the kept head 3: events were removed"), "{}", stdout(&compared));
    let earlier = portico(&db, &["audit", "verify", "--head", &format!("2:{second}")]).await;
    assert_eq!(earlier.status.code(), Some(0));
    assert!(stdout(&earlier).contains("event 2 still has the kept hash"), "{}", stdout(&earlier));
    let forged = portico(&db, &["audit", "verify", "--head", &format!("2:{}", "0".repeat(64))]).await;
    assert_eq!(forged.status.code(), Some(1));
    assert!(stdout(&forged).contains("the chain was rewritten at or before it"), "{}", stdout(&forged));
}
