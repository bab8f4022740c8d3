//! A `curl` command that reproduces a request, the token as an environment variable reference.

use crate::exchange::SentRequest;
use crate::fixtures::{Credentials, Fixtures};

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The environment variable a principal's token is expected in for reproductions.
pub fn token_variable(name: &str) -> String {
    let upper: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("JIRA_TOKEN_{upper}")
}

/// The end marker of a body given as a heredoc; no generated body holds this line.
const BODY_END: &str = "JIRA_CONFORM_BODY";

/// The command. A body up to 2 KiB is inlined as an argument; a larger one follows as a quoted
/// heredoc (`--data-binary @- <<'JIRA_CONFORM_BODY'`), so the command replays as it stands.
pub fn curl_command(request: &SentRequest, fixtures: &Fixtures) -> String {
    let mut parts = vec![
        "curl".to_string(),
        "-i".into(),
        "-X".into(),
        request.method.clone(),
    ];
    match fixtures
        .principal(&request.actor)
        .map(|p| (&p.credentials, &p.name))
    {
        Some((Credentials::Basic { email, .. }, name)) => {
            parts.push("-u".into());
            parts.push(format!("\"{email}:${}\"", token_variable(name)));
        }
        Some((Credentials::Bearer { .. }, name)) => {
            parts.push("-H".into());
            parts.push(format!(
                "\"Authorization: Bearer ${}\"",
                token_variable(name)
            ));
        }
        None if request.actor == "invalid-credentials" => {
            parts.push("-u".into());
            parts.push(shell_quote(&format!(
                "nobody@example.invalid:{}",
                crate::case::INVALID_TOKEN
            )));
        }
        None => {}
    }
    if let Some(ct) = &request.content_type {
        parts.push("-H".into());
        parts.push(shell_quote(&format!("Content-Type: {ct}")));
    }
    parts.push(shell_quote(&request.url));
    let mut heredoc = None;
    if let Some(body) = &request.body {
        parts.push("--data-binary".into());
        if body.len() > 2048 && !body.lines().any(|l| l == BODY_END) {
            parts.push(format!("@- <<'{BODY_END}'"));
            heredoc = Some(body);
        } else {
            parts.push(shell_quote(body));
        }
    }
    let mut command = parts.join(" ");
    if let Some(body) = heredoc {
        command.push('\n');
        command.push_str(body);
        command.push('\n');
        command.push_str(BODY_END);
    }
    command
}

/// A reproduction whose base URL is written `$JIRA_BASE` (the embedded mock's address is gone
/// once the run ends: start `jira-conform mock --port P` and set `JIRA_BASE`).
pub fn with_base_variable(command: &str, base_url: &str) -> String {
    let base = base_url.trim_end_matches('/');
    command.replace(&format!("'{base}"), "\"$JIRA_BASE\"'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_an_environment_reference() {
        let f = Fixtures::embedded().unwrap();
        let req = SentRequest {
            method: "PUT".into(),
            url: "http://127.0.0.1:1/x?a=b".into(),
            actor: "alice".into(),
            content_type: Some("application/json".into()),
            body: Some("{}".into()),
        };
        let cmd = curl_command(&req, &f);
        assert!(cmd.contains("$JIRA_TOKEN_ALICE"), "{cmd}");
        assert!(!cmd.contains("mock-alice-token"), "{cmd}");
        assert!(cmd.contains("'http://127.0.0.1:1/x?a=b'"), "{cmd}");
        assert_eq!(
            with_base_variable(&cmd, "http://127.0.0.1:1"),
            cmd.replace("'http://127.0.0.1:1/", "\"$JIRA_BASE\"'/")
        );
    }

    #[test]
    fn a_large_body_follows_as_a_quoted_heredoc() {
        let f = Fixtures::embedded().unwrap();
        let body = format!("{{\"v\":\"{}\"}}", "x".repeat(4000));
        let req = SentRequest {
            method: "PUT".into(),
            url: "http://127.0.0.1:1/x".into(),
            actor: "alice".into(),
            content_type: Some("application/json".into()),
            body: Some(body.clone()),
        };
        let cmd = curl_command(&req, &f);
        assert!(cmd.starts_with("curl "), "{cmd}");
        assert!(
            cmd.contains("--data-binary @- <<'JIRA_CONFORM_BODY'\n"),
            "{cmd}"
        );
        assert!(cmd.ends_with(&format!("\n{body}\nJIRA_CONFORM_BODY")));
    }
}
