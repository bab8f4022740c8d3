//! The binary as a child process: the command, the reference mock it serves
//! (`jira-conform mock --port 0`), the text a run printed, a scratch folder per test, and a
//! one-thread server that answers with raw bytes.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// `jira-conform` run in `dir`, without colours; each area adds its own environment.
pub fn bin_in(dir: impl AsRef<Path>) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jira-conform"));
    c.current_dir(dir).env("NO_COLOR", "1");
    c
}

/// stdout then stderr of a finished child, as text.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// An empty folder `<area>/<name>` under the target's scratch space, made anew.
pub fn temp_in(area: &str, name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(area)
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A server on 127.0.0.1 that answers each of `requests` connections with the raw bytes
/// `answer` makes of the request head, then stops; its URL.
pub fn tiny_server(requests: usize, answer: impl Fn(&str) -> String + Send + 'static) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).unwrap_or(0);
            let _ = stream.write_all(answer(&String::from_utf8_lossy(&buf[..n])).as_bytes());
        }
    });
    url
}

/// A `jira-conform mock --port 0` child and the URL it printed; killed on drop.
pub struct MockChild {
    child: Child,
    pub url: String,
    // Kept open so the child's later writes never hit a closed pipe.
    _stdout: BufReader<std::process::ChildStdout>,
}

impl MockChild {
    /// Starts `command` (a `jira-conform mock --port 0 …` the caller has set up, stderr
    /// included) and waits for the URL it prints on its first line.
    pub fn spawn(mut command: Command) -> MockChild {
        let mut child = command.stdout(Stdio::piped()).spawn().expect("mock starts");
        let mut reader = BufReader::new(child.stdout.take().expect("stdout piped"));
        let mut line = String::new();
        reader
            .read_line(&mut line)
            .expect("the mock prints its URL");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://127.0.0.1:"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .to_string();
        MockChild {
            child,
            url,
            _stdout: reader,
        }
    }
}

impl Drop for MockChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
