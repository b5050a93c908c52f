//! A catalog file as the user imports it: any text is parsed, and a refusal names the file.
//! What is accepted survives a round trip through JSON (cases keep their copy as JSON).
#![no_main]

use evalbench::catalog::Catalog;
use evalbench_fuzz::FILE_NAME;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match Catalog::parse(FILE_NAME, &text) {
        Ok(catalog) => {
            let json = serde_json::to_string(&catalog).expect("a catalog serialises");
            let again = Catalog::parse("again.json", &json).unwrap_or_else(|e| {
                panic!("an accepted catalog is refused after a round trip: {e}")
            });
            assert_eq!(
                again, catalog,
                "the catalog changed on its way through JSON"
            );
        }
        Err(error) => {
            let message = error.to_string();
            assert!(
                message.starts_with(FILE_NAME),
                "the message does not name the file: {message}"
            );
        }
    }
});
