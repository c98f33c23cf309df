//! The snapshot builder, as a library and as the `swap-snapshot` command.

use std::process::Command;

use gpunion_interface::token_swap::address::encode_p2pkh;
use gpunion_interface::token_swap::merkle;
use gpunion_interface::token_swap::proof_file::ProofFile;
use swap_snapshot::{Snapshot, SnapshotError, Summary};

const VERSION: u8 = 55;

fn address(i: u16) -> String {
    let mut payload = [0u8; 21];
    payload[0] = VERSION;
    payload[1..3].copy_from_slice(&i.to_be_bytes());
    encode_p2pkh(&payload)
}

fn build(csv: &str) -> Result<Snapshot, SnapshotError> {
    Snapshot::from_csv(csv.as_bytes(), VERSION, 900, |_| {})
}

#[test]
fn every_proof_leads_to_the_root_and_amounts_are_converted() {
    let mut csv = String::from("address,amount\n");
    for i in 0..50u16 {
        csv += &format!("{},{}.{:08}\n", address(i), i, 1234 + u32::from(i));
    }
    csv += &format!("{},0.00000099\n", address(999)); // under 1 ugut: dust only
    let snapshot = build(&csv).expect("valid balances");
    assert_eq!(snapshot.entries.len(), 50);
    assert_eq!(snapshot.summary.skipped_dust_rows, 1);
    let root = snapshot.tree.root();
    assert_eq!(snapshot.summary.merkle_root, hex::encode(root));
    let mut total = 0u128;
    for (i, entry) in snapshot.entries.iter().enumerate() {
        let file = snapshot.proof_file(i).expect("in range");
        let amount = file.amount.u128();
        // i coins + (1234 + i) old units = i * 10^6 + (1234 + i) / 100 ugut.
        assert_eq!(
            amount,
            u128::from(i as u16) * 1_000_000 + (1234 + i as u128) / 100
        );
        let proof = file.hashes().expect("32-byte hashes");
        assert_eq!(
            merkle::root_from_proof(merkle::leaf(&entry.payload, amount), &proof),
            root
        );
        total += amount;
    }
    assert_eq!(snapshot.summary.total_allocation, total.to_string());
    let dust: u128 = (0..50u128).map(|i| (1234 + i) % 100).sum::<u128>() + 99;
    assert_eq!(snapshot.summary.dust_old_units, dust.to_string());
}

#[test]
fn bad_rows_are_reported_with_their_row_number() {
    let good = address(1);
    let cases = [
        (format!("{good},1\nnot-an-address,2\n"), "row 2: address"),
        (format!("{good},1\n{good},2\n"), "row 2: "),
        (format!("{good},1.123456789\n"), "row 1: "),
        (format!("{good},-3\n"), "row 1: "),
        (format!("{good},1,extra\n"), "row 1: expected 2 columns"),
        ("address,amount\n".to_string(), "no claimable amount"),
    ];
    for (csv, message) in cases {
        let err = build(&csv).expect_err(&csv).to_string();
        assert!(
            err.starts_with(message) || err.contains(message),
            "{csv:?}: {err}"
        );
    }
    assert!(matches!(
        build(&format!("{good},1\n{good},2\n")),
        Err(SnapshotError::Duplicate { row: 2, .. })
    ));
    let bitcoin = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
    assert!(matches!(
        build(&format!("{bitcoin},1\n")),
        Err(SnapshotError::Address { row: 1, .. })
    ));
}

#[test]
fn the_command_writes_the_summary_and_one_proof_per_holder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let balances = dir.path().join("balances.csv");
    let rows: String = (0..5u16)
        .map(|i| format!("{},{}\n", address(i), i + 1))
        .collect();
    std::fs::write(&balances, rows).expect("write csv");
    let out = dir.path().join("snapshot");
    let output = Command::new(env!("CARGO_BIN_EXE_swap-snapshot"))
        .args(["--balances", balances.to_str().expect("utf-8")])
        .args(["--address-version", "55", "--height", "4242", "--out"])
        .arg(&out)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: Summary = serde_json::from_slice(&output.stdout).expect("summary on stdout");
    assert_eq!(summary.holders, 5);
    assert_eq!(summary.total_allocation, "15000000");
    assert_eq!(summary.snapshot_height, 4242);
    let written: Summary = serde_json::from_str(
        &std::fs::read_to_string(out.join("snapshot.json")).expect("snapshot.json"),
    )
    .expect("json");
    assert_eq!(written, summary);
    let proof: ProofFile = serde_json::from_str(
        &std::fs::read_to_string(out.join("proofs").join(format!("{}.json", address(3))))
            .expect("proof file"),
    )
    .expect("json");
    assert_eq!(proof.amount.u128(), 4_000_000);
    assert_eq!(
        std::fs::read_dir(out.join("proofs")).expect("dir").count(),
        5
    );

    std::fs::write(&balances, "garbage,1\n").expect("write csv");
    let output = Command::new(env!("CARGO_BIN_EXE_swap-snapshot"))
        .args(["--balances", balances.to_str().expect("utf-8")])
        .args(["--address-version", "55", "--height", "1", "--out"])
        .arg(dir.path().join("bad"))
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("row 1: address \"garbage\""), "{stderr}");
    assert!(
        !dir.path().join("bad").exists(),
        "nothing written on bad input"
    );
}
