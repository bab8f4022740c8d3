//! Secrets never leak: the suite runs with distinctive tokens (from environment variables, as
//! a real site's fixtures give them), passing and failing cases, every report format, snapshots
//! recorded, a dry run and a diff; then stdout, stderr and every file written are searched for
//! each token in plain, base64 (alone and as `email:token`) and URL-encoded form.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::Engine;
use jira_conform::fixtures::EMBEDDED_MOCK_FIXTURES;

/// Tokens with characters that change under base64 and URL encoding.
const TOKENS: [(&str, &str, &str, &str); 3] = [
    (
        "admin",
        "JC_SECRET_ADMIN",
        "adm!n-Zq9/+=s3cr3t?&x",
        "admin@example.test",
    ),
    (
        "alice",
        "JC_SECRET_ALICE",
        "al1ce-Xr7 %k+/=t0k3n",
        "alice@example.test",
    ),
    (
        "bob",
        "JC_SECRET_BOB",
        "b0b-Wp5#~!tok/en==",
        "bob@example.test",
    ),
];

fn bin(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jira-conform"));
    c.current_dir(dir).env("NO_COLOR", "1");
    for (_, var, token, _) in TOKENS {
        c.env(var, token);
    }
    c
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn url_encoded(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn no_token_appears_in_any_output_in_any_form() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("secrets");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut fixtures = EMBEDDED_MOCK_FIXTURES.to_string();
    for (name, var, _, _) in TOKENS {
        let inline = format!("token = \"mock-{name}-token\"");
        assert!(fixtures.contains(&inline), "{inline}");
        fixtures = fixtures.replace(&inline, &format!("token_env = \"{var}\""));
    }
    std::fs::write(dir.join("site.toml"), fixtures).expect("fixtures");
    let snapshots = dir.join("snapshots");

    let mut outputs = Vec::new();
    for args in [
        // Passing, recording snapshots.
        vec!["run", "--fixtures", "site.toml", "--record", "-v"],
        // Failing, verifying, every report format.
        vec![
            "run",
            "--fixtures",
            "site.toml",
            "-v",
            "--fault",
            "admin-check-missing",
            "--fault",
            "invalid-credentials-accepted",
            "--fault",
            "wrong-content-type",
            "--report",
            "junit=r.xml",
            "--report",
            "json=r.json",
            "--report",
            "markdown=r.md",
            "--report",
            "html=r.html",
        ],
        vec![
            "run",
            "--fixtures",
            "site.toml",
            "--dry-run",
            "--target",
            "https://jira.invalid",
        ],
        vec![
            "diff",
            "--fixtures",
            "site.toml",
            "--fault-b",
            "anonymous-read-allowed",
        ],
        vec!["list", "--fixtures", "site.toml"],
    ] {
        let mut c = bin(&dir);
        c.args(&args);
        if args[0] == "run" && !args.contains(&"--dry-run") {
            c.arg("--snapshot-dir").arg(&snapshots);
        }
        let out = c.output().expect("runs");
        // The recording run must pass (the tokens authenticate), the faulty run must fail.
        let expected = if args.contains(&"--fault") { 1 } else { 0 };
        let expected = if args.contains(&"--fault-b") {
            1
        } else {
            expected
        };
        assert_eq!(
            out.status.code(),
            Some(expected),
            "{args:?}: {}",
            text(&out)
        );
        outputs.push((format!("{args:?}"), text(&out)));
    }
    let mut files = Vec::new();
    files_under(&dir, &mut files);
    assert!(files
        .iter()
        .any(|f| f.extension().is_some_and(|e| e == "snap")));
    assert!(files.iter().any(|f| f.ends_with("r.html")));
    for file in files.iter().filter(|f| !f.ends_with("site.toml")) {
        let bytes = std::fs::read(file).expect("readable");
        outputs.push((
            file.display().to_string(),
            String::from_utf8_lossy(&bytes).into(),
        ));
    }
    let b64 = base64::engine::general_purpose::STANDARD;
    for (name, _, token, email) in TOKENS {
        let forms = [
            token.to_string(),
            b64.encode(token),
            b64.encode(format!("{email}:{token}")),
            url_encoded(token),
        ];
        for (what, text) in &outputs {
            for form in &forms {
                assert!(
                    !text.contains(form.as_str()),
                    "{name}'s token leaked as {form:?} in {what}"
                );
            }
        }
    }
    // The failing run did print reproductions: they name the variable instead.
    assert!(outputs.iter().any(|(_, t)| t.contains("$JIRA_TOKEN_ALICE")));
}
