//! `x16s`: hash a header, show the function order of a previous hash, or compare
//! the speed of this crate with sphlib's C on this machine.

mod bench;

use std::process::ExitCode;

const USAGE: &str = "usage:
  x16s hash <header-hex>   X16S of an 80-byte header (raw bytes, then the displayed reversed hash)
  x16s order <prev-hex>    function order for a 32-byte previous hash (raw header bytes 4..36)
  x16s bench [millis]      per-thread speed of this crate and of sphlib's C, about `millis` per item";

/// What went wrong on the command line.
#[derive(Debug)]
enum CliError {
    Usage,
    Hex {
        what: &'static str,
        expected_bytes: usize,
    },
    Bench(bench::BenchError),
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Usage => f.write_str(USAGE),
            Self::Hex {
                what,
                expected_bytes,
            } => write!(f, "{what} must be {expected_bytes} bytes of hex"),
            Self::Bench(e) => write!(f, "{e}"),
        }
    }
}

fn parse_hex<const N: usize>(text: &str, what: &'static str) -> Result<[u8; N], CliError> {
    let error = CliError::Hex {
        what,
        expected_bytes: N,
    };
    if text.len() != 2 * N || !text.is_ascii() {
        return Err(error);
    }
    let mut bytes = [0u8; N];
    for (byte, pair) in bytes.iter_mut().zip(text.as_bytes().chunks_exact(2)) {
        let pair = std::str::from_utf8(pair).map_err(|_| CliError::Hex {
            what,
            expected_bytes: N,
        })?;
        *byte = u8::from_str_radix(pair, 16).map_err(|_| CliError::Hex {
            what,
            expected_bytes: N,
        })?;
    }
    Ok(bytes)
}

fn hex(bytes: impl IntoIterator<Item = u8>) -> String {
    bytes.into_iter().map(|b| format!("{b:02x}")).collect()
}

fn run(args: &[String]) -> Result<(), CliError> {
    match args {
        [command, header] if command == "hash" => {
            let hash = x16s::hash(&parse_hex(header, "the header")?);
            println!("{}", hex(hash));
            println!("{}", hex(hash.into_iter().rev()));
        }
        [command, prev] if command == "order" => {
            let order = x16s::order(&parse_hex(prev, "the previous hash")?);
            let digits: String = order.iter().map(|i| format!("{i:X}")).collect();
            let names: Vec<&str> = order
                .iter()
                .map(|&i| x16s::FUNCTIONS[usize::from(i)].name)
                .collect();
            println!("{digits}");
            println!("{}", names.join(" "));
        }
        [command, rest @ ..] if command == "bench" && rest.len() <= 1 => {
            let millis = match rest.first() {
                Some(text) => text.parse().map_err(|_| CliError::Usage)?,
                None => 1000,
            };
            bench::run(millis).map_err(CliError::Bench)?;
        }
        _ => return Err(CliError::Usage),
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("x16s: {e}");
            ExitCode::FAILURE
        }
    }
}
