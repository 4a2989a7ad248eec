//! `webdyn`: the command line of webdyn-rs.
//!
//! One subcommand per library crate; the machine-readable contract is
//! `shared/spec/cli.md`. Piped output is JSON (JSON Lines for streams), errors
//! are one line on stderr, and the exit status is 0 (success, even when a
//! decoded frame is reported invalid), 1 (the input as a whole is invalid) or
//! 2 (usage or I/O error).

mod bson;
mod cli_error;
mod defs;
mod demo;
mod easy;
mod io;
mod sunspec;
mod tic;
mod wmbus;

use clap::{Parser, Subcommand};

/// Decode, encode and validate the files and frames of Webdyn energy gateways.
#[derive(Parser)]
#[command(name = "webdyn", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// One variant per library crate. A crate's subcommand appears here only once
// the crate really implements it: no stubs.
#[derive(Subcommand)]
enum Command {
    /// BSON documents: to MongoDB Extended JSON v2 and back.
    Bson(bson::Args),
    /// SunPM configuration and definition files: check, to-json, from-json.
    Defs(defs::Args),
    /// Decode one built-in sample of every supported format and print it.
    Demo(demo::Args),
    /// WebdynEasy W M-Bus hub files: decode (with keys), encode, frames.
    Easy(easy::Args),
    /// SunSpec Modbus register images: decode to JSON, encode from JSON.
    Sunspec(sunspec::Args),
    /// Enedis TIC meter frames: decode to JSON lines, encode, error counters.
    Tic(tic::Args),
    /// Wireless and wired M-Bus telegrams: decode (with keys) and encode.
    Wmbus(wmbus::Args),
}

fn main() {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => match e.kind() {
            // --help and --version are answers, not errors.
            clap::error::ErrorKind::DisplayHelp
            | clap::error::ErrorKind::DisplayVersion
            | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => e.exit(),
            _ => {
                // The contract is one line per error on stderr: keep clap's
                // first line and point at --help for the rest.
                let text = e.to_string();
                let first = text.lines().next().unwrap_or("usage error");
                let first = first.strip_prefix("error: ").unwrap_or(first);
                eprintln!("webdyn: {first} (see webdyn --help)");
                std::process::exit(2);
            }
        },
    };
    let result = match cli.command {
        Command::Bson(args) => bson::run(args),
        Command::Defs(args) => defs::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Easy(args) => easy::run(args),
        Command::Sunspec(args) => sunspec::run(args),
        Command::Tic(args) => tic::run(args),
        Command::Wmbus(args) => wmbus::run(args),
    };
    if let Err(e) = result {
        eprintln!("webdyn: {e}");
        std::process::exit(e.exit_code());
    }
}
