//! How verdicts are shown and written: the colour choice, `--report FORMAT=PATH`, the terminal
//! summary followed by the report files.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use jira_conform::report::{
    write_html, write_json, write_junit, write_markdown, write_terminal, TerminalOptions,
};
use jira_conform::verdict::RunReport;

use super::{CliError, Exit};

// How a run's verdicts are shown and written.
#[derive(Args)]
pub struct OutputArgs {
    /// Also write a report: junit=PATH, json=PATH, markdown=PATH or html=PATH; repeatable.
    #[arg(long = "report", value_parser = parse_report)]
    pub reports: Vec<(ReportFormat, PathBuf)>,
    /// List passing and skipped cases too.
    #[arg(long, short)]
    pub verbose: bool,
    /// Colour: auto (on a terminal, unless CI or NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

/// A report file's format; its `Debug` name appears in the message of a failed write.
#[derive(Clone, Copy, Debug)]
pub enum ReportFormat {
    Junit,
    Json,
    Markdown,
    Html,
}

pub fn parse_report(s: &str) -> Result<(ReportFormat, PathBuf), String> {
    let (format, path) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?}: write FORMAT=PATH, e.g. junit=target/junit.xml"))?;
    let format = match format {
        "junit" => ReportFormat::Junit,
        "json" => ReportFormat::Json,
        "markdown" | "md" => ReportFormat::Markdown,
        "html" => ReportFormat::Html,
        other => {
            return Err(format!(
                "{other:?} is not a report format: use junit, json, markdown or html"
            ))
        }
    };
    Ok((format, PathBuf::from(path)))
}

/// Whether to colour what goes to standard output.
pub fn color_choice(arg: ColorArg) -> bool {
    match arg {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("CI").is_none()
                && std::env::var_os("NO_COLOR").is_none()
        }
    }
}

/// The terminal summary and the requested report files of a finished report (`validate`,
/// `report merge`); exit 1 when a case failed.
pub fn show_report(report: &RunReport, output: &OutputArgs) -> Result<Exit, CliError> {
    let mut stdout = std::io::stdout().lock();
    write_terminal(
        report,
        &mut stdout,
        &TerminalOptions {
            color: color_choice(output.color),
            verbose: output.verbose,
        },
    )
    .map_err(|source| CliError::Print {
        what: "the summary",
        source,
    })?;
    drop(stdout);
    write_reports(report, &output.reports)?;
    Ok(Exit::failed_if(report.failed()))
}

/// Writes every requested report file; the error names the format and the file.
pub fn write_reports(
    report: &RunReport,
    reports: &[(ReportFormat, PathBuf)],
) -> Result<(), CliError> {
    for (format, path) in reports {
        write_report(report, *format, path).map_err(|message| CliError::Report {
            format: *format,
            path: path.clone(),
            message,
        })?;
    }
    Ok(())
}

/// One report file in one format; `-` is standard output (one report at most; `run` moves the
/// rest of what it prints to stderr then).
fn write_report(report: &RunReport, format: ReportFormat, path: &PathBuf) -> Result<(), String> {
    let mut sink: Box<dyn Write> = if path.as_os_str() == "-" {
        Box::new(std::io::stdout().lock())
    } else {
        Box::new(std::fs::File::create(path).map_err(|e| e.to_string())?)
    };
    let written = match format {
        ReportFormat::Junit => write_junit(report, &mut sink),
        ReportFormat::Json => write_json(report, &mut sink),
        ReportFormat::Markdown => write_markdown(report, &mut sink),
        ReportFormat::Html => write_html(report, &mut sink),
    };
    written.map_err(|e| e.to_string())
}
