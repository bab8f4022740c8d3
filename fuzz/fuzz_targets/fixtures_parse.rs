//! `Fixtures::parse` on arbitrary text: an error must name the file, fixtures that load must
//! generate cases against the embedded spec and seed a mock.
#![no_main]

use jira_conform::case::Api;
use jira_conform::fixtures::Fixtures;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Fixtures::parse(text, "fuzz.toml", &|_| None) {
        Err(e) => assert!(e.to_string().starts_with("fuzz.toml"), "{e}"),
        Ok(fixtures) => {
            let spec = jira_conform::spec::embedded().expect("the embedded spec");
            jira_conform::generate::generate(&spec, &fixtures, &Api::ALL)
                .expect("fixtures that load generate");
            let _ = jira_conform::mock::MockState::new(&fixtures, &[]);
        }
    }
});
