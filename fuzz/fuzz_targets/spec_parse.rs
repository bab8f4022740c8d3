//! `spec::parse` on arbitrary text (JSON, or YAML when it does not start with `{`): an error
//! must name the file, a spec that loads must generate cases.
#![no_main]

use jira_conform::case::Api;
use jira_conform::fixtures::Fixtures;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match jira_conform::spec::parse(text, "fuzz.json") {
        Err(e) => assert!(e.to_string().starts_with("fuzz.json"), "{e}"),
        Ok(spec) => {
            let fixtures = Fixtures::embedded().expect("the embedded fixtures");
            jira_conform::generate::generate(&spec, &fixtures, &Api::ALL)
                .expect("a spec that loads generates");
        }
    }
});
