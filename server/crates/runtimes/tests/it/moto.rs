//! The AWS API emulator (`moto_server`, from PyPI's `moto[server]`) as a child process on a
//! free local port, stopped when the test drops it.

use std::collections::HashSet;
use std::net::TcpListener;
use std::process::Stdio;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

/// One emulator, serving every AWS API on one endpoint.
pub struct Moto {
    pub endpoint: String,
    process: tokio::process::Child,
}

impl Moto {
    /// Starts the emulator with extra environment variables (moto reads some settings from
    /// its environment) and waits until it answers.
    pub async fn start(env: &[(&str, &str)]) -> Self {
        let port = free_port();
        let spawned = tokio::process::Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn();
        let process = match spawned {
            Ok(process) => process,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                panic!("moto_server is not on PATH: run `bash deploy/dev.sh setup` to install it")
            }
            Err(error) => panic!("cannot start moto_server: {error}"),
        };
        let mut moto = Self { endpoint: format!("http://127.0.0.1:{port}"), process };
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if let Ok(Some(exit)) = moto.process.try_wait() {
                panic!("moto_server stopped on {} ({exit})", moto.endpoint);
            }
            if client.get(format!("{}/moto-api/data.json", moto.endpoint)).send().await.is_ok() {
                return moto;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("moto_server did not answer on {} within 30 s", moto.endpoint);
    }
}

/// A port nothing listens on right now (the listener is closed before the port is used), and
/// never handed out before in this run: tests running side by side get different ports, so one
/// emulator cannot answer for another that failed to start, nor a closed port be reopened.
pub fn free_port() -> u16 {
    static HANDED_OUT: LazyLock<Mutex<HashSet<u16>>> = LazyLock::new(Mutex::default);
    loop {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free local port");
        let port = listener.local_addr().expect("a local address").port();
        if HANDED_OUT.lock().expect("the port list").insert(port) {
            return port;
        }
    }
}
