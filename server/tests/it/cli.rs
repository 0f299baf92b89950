//! The `portico` command as an operator runs it.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};


use crate::support::fixture_catalog_dir;

fn portico() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_portico"));
    command.env_remove("PORTICO_CONFIG").env_remove("DATABASE_URL");
    command
}

fn write_config(dir: &std::path::Path, body: &str) -> std::path::PathBuf {
    let file = dir.join("portico.toml");
    std::fs::write(&file, body).expect("write config");
    file
}

#[test]
fn check_config_prints_each_problem_and_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = write_config(dir.path(), &format!("[catalog]\npaths = [{:?}]\n", fixture_catalog_dir()));
    let output = portico().arg("--config").arg(&config).arg("check-config").output().expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.lines().any(|l| l.contains("broken.yaml:") && l.contains("spec.owner")), "{stdout}");
    assert!(stdout.lines().any(|l| l.contains("syntax-error.yaml:")), "{stdout}");
    assert!(stdout.contains("catalog: 8 entities, 4 of them services"), "{stdout}");
}

#[test]
fn check_config_passes_on_a_clean_catalog() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = fixture_catalog_dir().join("good.yaml");
    let config = write_config(dir.path(), &format!("[catalog]\npaths = [{good:?}]\n"));
    let output = portico().arg("--config").arg(&config).arg("check-config").output().expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("no problems found"));
}

/// The demo names one root Location file; its targets bring in the rest of its catalog.
#[test]
fn the_demo_catalog_loads_through_its_root_location() {
    let config = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../deploy/demo/portico.toml");
    let output = portico().arg("--config").arg(&config).arg("check-config").output().expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    // 35 entities in the files the Location names, and the Location itself.
    assert!(stdout.contains("catalog: 36 entities, 14 of them services"), "{stdout}");
}

#[test]
fn a_bad_configuration_names_the_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = write_config(dir.path(), "listen = \"not an address\"\n");
    let output = portico().arg("--config").arg(&config).arg("check-config").output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains("listen"), "{stderr}");
}

#[test]
fn migrate_creates_the_sqlite_database_in_the_data_dir() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = write_config(dir.path(), "data_dir = \"state\"\n");
    let output = portico().arg("--config").arg(&config).arg("migrate").output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(dir.path().join("state/portico.db").is_file());
}

/// SIGTERM stops the portal only once the request in flight has its answer.
#[test]
fn serve_finishes_in_flight_requests_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port();
    let config = write_config(
        dir.path(),
        &format!("listen = \"127.0.0.1:{port}\"\ndata_dir = \"state\"\n[log]\nformat = \"json\"\n"),
    );
    let mut child = portico().arg("--config").arg(&config).arg("serve").stderr(Stdio::null()).stdout(Stdio::piped()).spawn().expect("starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    // With `log.format = "json"` every line is one JSON object, as log collectors expect.
    let serving = lines.by_ref().map_while(Result::ok).find_map(|line| {
        let event: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|_| panic!("not JSON: {line}"));
        event["message"].as_str().is_some_and(|m| m.starts_with("serving on")).then_some(event)
    });
    let serving = serving.expect("the portal never said it was serving");
    assert_eq!(serving["level"], "INFO");

    // A request whose headers are not complete yet is in flight when the signal arrives.
    let mut connection = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    connection.write_all(b"GET /healthz HTTP/1.1\r\nHost: portico\r\n").expect("send");
    // Nothing outside the process shows when the accept loop has taken the connection; on a
    // loaded machine the signal could otherwise arrive while it still waits in the backlog,
    // which is a connection the portal never had rather than one it dropped.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let status = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().expect("kill");
    assert!(status.success());
    let shutting_down = lines.by_ref().map_while(Result::ok).any(|line| line.contains("shutting down"));
    assert!(shutting_down, "the portal did not log its shutdown");
    assert!(child.try_wait().expect("status").is_none(), "exited with a request in flight");
    connection.write_all(b"Connection: close\r\n\r\n").expect("finish the request");
    let mut response = String::new();
    connection.read_to_string(&mut response).expect("response");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("ok"), "{response}");
    let exit = child.wait().expect("exits");
    assert!(exit.success(), "exit status after SIGTERM: {exit:?}");
}
