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

/// The command; bodies over 2 KiB are described instead of inlined.
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
                crate::run::INVALID_TOKEN
            )));
        }
        None => {}
    }
    if let Some(ct) = &request.content_type {
        parts.push("-H".into());
        parts.push(shell_quote(&format!("Content-Type: {ct}")));
    }
    if let Some(body) = &request.body {
        parts.push("--data-binary".into());
        if body.len() > 2048 {
            parts.push(format!(
                "@body.json  # a {}-byte body: see the report",
                body.len()
            ));
        } else {
            parts.push(shell_quote(body));
        }
    }
    parts.insert(
        parts.len() - usize::from(request.body.as_ref().is_some_and(|b| b.len() > 2048)) * 2,
        shell_quote(&request.url),
    );
    parts.join(" ")
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
    }
}
