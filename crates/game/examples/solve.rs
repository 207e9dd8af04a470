//! Solves one instance file and prints the solution JSON (the same call `baove plan solve`
//! makes): `cargo run --release -p baove-game --example solve -- INSTANCE.json`. With
//! `--time`, the solve time in seconds (parsing, solving and writing) goes to stderr.

use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let time = args.iter().any(|a| a == "--time");
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: solve INSTANCE.json [--time]");
        return ExitCode::from(2);
    };
    let input = match std::fs::read_to_string(path) {
        Ok(input) => input,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let start = Instant::now();
    match baove_game::solve_json(&input) {
        Ok(out) => {
            if time {
                eprintln!("solve_seconds {:.6}", start.elapsed().as_secs_f64());
            }
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
