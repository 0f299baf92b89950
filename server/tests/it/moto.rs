//! The AWS API emulator (`moto_server`, from PyPI's `moto[server]`) as a child process on a
//! free local port, stopped when the test drops it.

use std::net::TcpListener;
use std::process::Stdio;
use std::time::Duration;

/// One emulator, serving every AWS API on one endpoint.
pub struct Moto {
    pub endpoint: String,
    _process: tokio::process::Child,
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
        let moto = Self { endpoint: format!("http://127.0.0.1:{port}"), _process: process };
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if client.get(format!("{}/moto-api/data.json", moto.endpoint)).send().await.is_ok() {
                return moto;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("moto_server did not answer on {} within 30 s", moto.endpoint);
    }
}

/// A port nothing listens on right now (the listener is closed before the port is used).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|listener| listener.local_addr()).expect("a free local port").port()
}
