//! A real Synapse homeserver for the Matrix tests, on a loopback port.
//!
//! Synapse is installed from PyPI into a virtual environment under cargo's
//! target directory by the first run that needs it (about 35 seconds), then
//! reused. A test binary starts one server for all its tests, which keep
//! apart by registering users of their own; a test that must stop its
//! server starts one of its own.
//!
//! Where this machine cannot install Synapse (no Python, no pip, no
//! network), the Matrix tests are skipped with one line on stderr, as the
//! PostgreSQL half is; a server that is installed but fails to start fails
//! the test.

mod config;
mod http;
mod venv;

use std::fs::{self, File};
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Once;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::sync::OnceCell;
use url::Url;

/// Starts Synapse under a watchdog that stops it when the tests end.
const RUN_SYNAPSE: &str = include_str!("synapse/run_synapse.py");

/// Synapse starts in under two seconds on an idle machine; a busy one
/// building in parallel can take many times that.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// A running homeserver. Dropping it stops it and deletes its files; the
/// shared one, never dropped, goes when the test process ends.
#[derive(Debug)]
pub struct Synapse {
    port: u16,
    child: Child,
    /// The watchdog's standard input: closing it stops the server.
    stdin: Option<ChildStdin>,
    dir: TempDir,
}

/// A user registered on the server, with the session registration opened.
#[derive(Debug, Clone)]
pub struct User {
    /// The full Matrix id, `@alice-1:localhost`.
    pub id: String,
    pub localpart: String,
    pub password: String,
    pub access_token: String,
    /// The device the registration's access token belongs to.
    pub device_id: String,
}

/// The server this test binary shares, started on first use; None, after
/// one line on stderr, when Synapse cannot be installed here.
pub async fn shared() -> Option<&'static Synapse> {
    static SHARED: OnceCell<Synapse> = OnceCell::const_new();
    let python = installed().await?;
    Some(SHARED.get_or_init(|| Synapse::launch(python, None)).await)
}

/// The virtual environment's Python, installed once per process at most.
async fn installed() -> Option<&'static Path> {
    static VENV: OnceCell<Result<PathBuf, String>> = OnceCell::const_new();
    static TOLD: Once = Once::new();
    match VENV.get_or_init(venv::install).await {
        Ok(python) => Some(python),
        Err(reason) => {
            // Written to stderr itself, which the test harness does not
            // capture, so that a skipped suite is seen.
            let line = format!("skipped: Matrix tests ({reason})");
            TOLD.call_once(|| drop(writeln!(std::io::stderr(), "{line}")));
            None
        }
    }
}

impl Synapse {
    /// A server of the test's own, for a test that stops it; None when
    /// Synapse cannot be installed here.
    pub async fn start() -> Option<Synapse> {
        let python = installed().await?;
        Some(Synapse::launch(python, None).await)
    }

    /// [`Synapse::start`] with each account's messages limited, as
    /// Synapse limits them by default.
    pub async fn start_limited(messages: config::MessageLimit) -> Option<Synapse> {
        let python = installed().await?;
        Some(Synapse::launch(python, Some(messages)).await)
    }

    async fn launch(python: &Path, messages: Option<config::MessageLimit>) -> Synapse {
        let dir = tempfile::Builder::new().prefix("synapse-").tempdir().expect("Synapse's dir");
        let port = free_port();
        let config = config::write(dir.path(), port, messages);
        let output = File::create(dir.path().join("synapse.out")).expect("Synapse's output");
        let mut child = Command::new(python)
            .arg("-c")
            .arg(RUN_SYNAPSE)
            .arg(&config)
            .stdin(Stdio::piped())
            .stdout(output.try_clone().expect("Synapse's output"))
            .stderr(output)
            // Out of the terminal's group, Ctrl-C stops the tests alone,
            // and the closed pipe then stops the server and cleans up.
            .process_group(0)
            .spawn()
            .expect("the virtual environment's Python runs");
        let stdin = child.stdin.take();
        let mut synapse = Synapse { port, child, stdin, dir };
        synapse.wait_until_ready().await;
        synapse
    }

    async fn wait_until_ready(&mut self) {
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("Synapse exited while starting, {status}:\n{}", self.output());
            }
            let health = http::send(self.port, "GET", "/health", None, None).await;
            if health.is_ok_and(|answer| answer.status == 200) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("Synapse did not answer within {STARTUP_TIMEOUT:?}:\n{}", self.output());
    }

    /// Takes the server down for `pause`, keeping its data, then brings
    /// it back on the same port and waits until it answers.
    pub async fn stop_for(&mut self, pause: Duration) {
        self.tell("stop");
        tokio::time::sleep(pause).await;
        self.tell("start");
        self.wait_until_ready().await;
    }

    fn tell(&mut self, word: &str) {
        let stdin = self.stdin.as_mut().expect("the watchdog listens");
        writeln!(stdin, "{word}").and_then(|()| stdin.flush()).expect("the watchdog listens");
    }

    /// What Synapse printed and logged, to explain a failed start.
    fn output(&self) -> String {
        let read = |name: &str| fs::read_to_string(self.dir.path().join(name)).unwrap_or_default();
        format!("{}{}", read("synapse.out"), read("homeserver.log"))
    }

    /// The homeserver URL to give a Matrix client.
    pub fn url(&self) -> Url {
        Url::parse(&format!("http://127.0.0.1:{}/", self.port)).expect("loopback URL")
    }

    /// Registers a new user whose localpart starts with `name`, through
    /// the shared secret; a number makes it unique, so tests sharing the
    /// server never meet.
    pub async fn register(&self, name: &str) -> User {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        let localpart = format!("{name}-{}", NEXT.fetch_add(1, Ordering::Relaxed));
        let password = format!("{localpart}-password");
        let path = "/_synapse/admin/v1/register";
        let nonce = self.request("GET", path, None, None).await;
        let nonce = nonce["nonce"].as_str().expect("a nonce").to_owned();
        let body = json!({
            "nonce": nonce,
            "username": localpart,
            "password": password,
            "admin": false,
            "mac": registration_mac(&nonce, &localpart, &password),
        });
        let answer = self.request("POST", path, None, Some(body)).await;
        let field = |name: &str| answer[name].as_str().expect(name).to_owned();
        let (id, access_token, device_id) =
            (field("user_id"), field("access_token"), field("device_id"));
        User { id, localpart, password, access_token, device_id }
    }

    /// Logs the user in with their password; returns the new session's
    /// access token.
    pub async fn login(&self, user: &User) -> String {
        let body = json!({
            "type": "m.login.password",
            "identifier": { "type": "m.id.user", "user": user.localpart },
            "password": user.password,
        });
        let answer = self.request("POST", "/_matrix/client/v3/login", None, Some(body)).await;
        answer["access_token"].as_str().expect("a token").to_owned()
    }

    /// One call to the client API; anything but a success fails the test.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Value {
        let answer = http::send(self.port, method, path, token, body.as_ref())
            .await
            .unwrap_or_else(|error| panic!("{method} {path}: {error}"));
        let status = answer.status;
        assert!((200..300).contains(&status), "{method} {path}: {status} {}", answer.body);
        serde_json::from_str(&answer.body).expect("a JSON answer")
    }
}

impl Drop for Synapse {
    /// Stops the server the way the end of the test process does, so that
    /// a test that drops one checks what the shared one relies on.
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// The proof of the shared secret Synapse asks of a registration: an
/// HMAC-SHA1 over the nonce, the name, the password and the admin flag.
fn registration_mac(nonce: &str, localpart: &str, password: &str) -> String {
    use hmac::{KeyInit, Mac};
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(config::SHARED_SECRET.as_bytes())
        .expect("any key length");
    for part in [nonce, localpart, password] {
        mac.update(part.as_bytes());
        mac.update(b"\0");
    }
    mac.update(b"notadmin");
    mac.finalize().into_bytes().iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A port free a moment ago; Synapse binds it a second later.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    listener.local_addr().expect("a bound address").port()
}
