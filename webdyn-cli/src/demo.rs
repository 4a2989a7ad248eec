//! `webdyn demo`: decode one built-in sample of every supported format.
//!
//! Each format module contributes a `demo()` function returning its section;
//! the list grows as crates land.

use serde_json::{Map, Value};

use crate::cli_error::CliError;
use crate::io::print_json;

/// Arguments of `webdyn demo`.
#[derive(clap::Args)]
pub struct Args {
    /// Only show the sample of this format (e.g. `tic`).
    #[arg(long)]
    only: Option<String>,
}

/// One demo section: its name and a function building its JSON.
type Section = (&'static str, fn() -> Result<Value, CliError>);

/// Every format's sample, in the order they are printed.
const SECTIONS: &[Section] = &[
    ("bson", crate::bson::demo),
    ("defs", crate::defs::demo),
    ("easy", crate::easy::demo),
    ("sunspec", crate::sunspec::demo),
    ("tic", crate::tic::demo),
    ("wmbus", crate::wmbus::demo),
    ("wmbus_compact", crate::wmbus::compact_demo),
];

/// Runs the demo.
pub fn run(args: Args) -> Result<(), CliError> {
    let mut out = Map::new();
    for (name, build) in SECTIONS {
        if args.only.as_deref().is_some_and(|o| o != *name) {
            continue;
        }
        out.insert((*name).to_string(), build()?);
    }
    if let Some(o) = &args.only
        && out.is_empty()
    {
        return Err(CliError::Usage(format!("demo: no sample named {o:?}")));
    }
    print_json(&Value::Object(out))
}
