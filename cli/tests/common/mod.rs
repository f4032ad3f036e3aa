//! What the service tests share: the real `clinex serve` on loopback with keys of each role,
//! and small HTTP helpers over it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clinex_tests::shared_dir;
use serde_json::Value;

pub const CURATOR: &str = "curator-key-for-the-tests-0001";
pub const LOADER: &str = "loader-key-for-the-tests-0001";
pub const ADMIN: &str = "admin-key-for-the-tests-0001";

/// A running `clinex serve`; killed (-9) when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Server {
    pub fn start(data: &Path, workers: usize) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_clinex"))
            .args(["serve", "--addr", "127.0.0.1:0", "--workers", &workers.to_string(), "--lease", "10"])
            .arg("--data")
            .arg(data)
            .env("CLINEX_API_KEYS", format!("{CURATOR}:curator,{LOADER}:loader,{ADMIN}:admin"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("clinex serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let base = line.trim().strip_prefix("clinex: listening on ").unwrap_or_else(|| panic!("{line:?}")).to_string();
        let server = Self { child, base };
        server.wait_until("workers ready", Duration::from_secs(120), || server.get("/readyz", ADMIN).0 == 200);
        server
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn agent() -> ureq::Agent {
        ureq::Agent::config_builder().http_status_as_error(false).build().into()
    }

    pub fn get(&self, path: &str, key: &str) -> (u16, String) {
        let mut r = Self::agent()
            .get(format!("{}{path}", self.base))
            .header("Authorization", format!("Bearer {key}"))
            .call()
            .expect("the server answers");
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap_or_default())
    }

    pub fn json(&self, path: &str, key: &str) -> Value {
        let (status, body) = self.get(path, key);
        assert!(status < 400, "{path}: {status} {body}");
        serde_json::from_str(&body).unwrap()
    }

    pub fn upload(&self, bytes: &[u8], name: &str, key: &str) -> (u16, Value) {
        let mut r = Self::agent()
            .post(format!("{}/v1/documents?filename={name}", self.base))
            .header("Authorization", format!("Bearer {key}"))
            .header("Content-Type", "application/octet-stream")
            .send(bytes)
            .expect("the server answers");
        let status = r.status().as_u16();
        (status, serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap_or(Value::Null))
    }

    pub fn wait_until(&self, what: &str, limit: Duration, mut ready: impl FnMut() -> bool) {
        let started = Instant::now();
        while !ready() {
            assert!(started.elapsed() < limit, "{what}: not within {} s", limit.as_secs());
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The document once it is done or failed.
    pub fn settled(&self, id: &str) -> Value {
        let mut doc = Value::Null;
        self.wait_until(&format!("document {id} settled"), Duration::from_secs(300), || {
            doc = self.json(&format!("/v1/documents/{id}"), CURATOR);
            doc["status"] == "done" || doc["status"] == "failed"
        });
        doc
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn rcuk_guideline() -> PathBuf {
    shared_dir().join("data/clinical/en_ed-handbook/docs/assets/emergency-treatment-anaphylaxis-2021.pdf")
}
