//! `gpunion swap`: the token swap's figures, and claiming an old-chain balance as GUT
//! with the proof file from the snapshot and a signature made by the old wallet.

use std::path::PathBuf;

use cosmwasm_std::Binary;
use gpunion_sdk::contracts::token_swap::Claim;
use gpunion_sdk::keys::parse_address;
use gpunion_sdk::msg::token_swap::{claim_message, proof_file::ProofFile};
use gpunion_sdk::{Error, Result};

use crate::{Context, Output};

/// Length of a `signmessage` signature: a recovery byte and the 64-byte signature.
const SIGNATURE_LEN: usize = 65;

/// `gpunion swap …`.
#[derive(clap::Subcommand)]
pub enum SwapCommand {
    /// Totals claimed and returned.
    Stats,
    /// Whether an old address has claimed.
    Claimed { old_address: String },
    /// Step 1 of a claim: prints the exact text to sign with the old wallet
    /// (`signmessage <old address> "<text>"` in the old chain's wallet or console). It
    /// names this chain, this swap contract and the recipient, so the signature pays
    /// out only here and only to that address.
    Message {
        /// The GPUnion address that will receive the GUT (default: the signer's).
        #[arg(long)]
        recipient: Option<String>,
    },
    /// Step 2 of a claim: sends the claim of an old-chain balance. Anyone may send it
    /// (the signer pays the fee); the GUT go to the recipient named in the signed text.
    Claim {
        /// The holder's proof file from the swap snapshot (`proofs/<old address>.json`).
        #[arg(long)]
        proof: PathBuf,
        /// The old wallet's signature of the text `gpunion swap message` printed for
        /// the same recipient: base64 (as `signmessage` prints it) or hex.
        #[arg(long)]
        signature: String,
        /// The GPUnion address receiving the GUT (default: the signer's); it must be the
        /// one in the signed text.
        #[arg(long)]
        recipient: Option<String>,
    },
}

/// Runs a `gpunion swap` command.
pub async fn run(ctx: &Context, out: &Output, command: &SwapCommand) -> Result<()> {
    let swap = ctx.chain.token_swap()?;
    match command {
        SwapCommand::Stats => out.value(&swap.stats().await?),
        SwapCommand::Claimed { old_address } => out.value(&swap.claim_of(old_address).await?),
        SwapCommand::Message { recipient } => {
            let recipient = recipient_or_signer(ctx, recipient)?;
            let chain_id = &ctx.chain.deployment().chain_id;
            let message = claim_message(chain_id, swap.address(), &recipient);
            out.fact(
                &message,
                serde_json::json!({
                    "message": message,
                    "chain_id": chain_id,
                    "swap": swap.address(),
                    "recipient": recipient,
                }),
            )
        }
        SwapCommand::Claim {
            proof,
            signature,
            recipient,
        } => {
            let recipient = recipient_or_signer(ctx, recipient)?;
            let file = read_proof_file(proof)?;
            let claim = Claim {
                old_address: file.old_address.clone(),
                amount: file.amount.u128(),
                proof: file
                    .hashes()
                    .map_err(|e| Error::BadInput(format!("{}: {e}", proof.display())))?,
                signature: parse_signature(signature)?,
                recipient: recipient.clone(),
            };
            out.progress(&format!(
                "claiming {} ugut of {} for {recipient}, waiting for inclusion",
                claim.amount, claim.old_address
            ));
            let tx = swap.claim(&ctx.signer()?, &claim).await?;
            let mut json = crate::tx_json(&tx);
            json["old_address"] = claim.old_address.clone().into();
            json["recipient"] = recipient.clone().into();
            json["ugut"] = claim.amount.to_string().into();
            out.fact(
                &format!(
                    "claimed {} ugut of {} to {recipient}\n{}",
                    claim.amount,
                    claim.old_address,
                    crate::tx_line(&tx)
                ),
                json,
            )
        }
    }
}

/// `recipient` checked as an address of this chain, or the signer's address.
fn recipient_or_signer(ctx: &Context, recipient: &Option<String>) -> Result<String> {
    let address = ctx.address_or_signer(recipient)?;
    parse_address(&address, Some(&ctx.chain.deployment().prefix()))?;
    Ok(address)
}

fn read_proof_file(path: &PathBuf) -> Result<ProofFile> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::BadInput(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| Error::BadInput(format!("{}: {e}", path.display())))
}

/// A 65-byte signature given as hex (with or without `0x`) or base64.
fn parse_signature(text: &str) -> Result<Vec<u8>> {
    let text = text.trim();
    let hex_digits = text.strip_prefix("0x").unwrap_or(text);
    // 130 hex digits; base64 of 65 bytes is 88 characters, so the two never mix up.
    let bytes = match hex::decode(hex_digits) {
        Ok(bytes) if hex_digits.len() == 2 * SIGNATURE_LEN => bytes,
        _ => Binary::from_base64(text)
            .map_err(|_| Error::BadInput("the signature is neither hex nor base64".into()))?
            .to_vec(),
    };
    if bytes.len() != SIGNATURE_LEN {
        return Err(Error::BadInput(format!(
            "the signature is {} bytes, not {SIGNATURE_LEN}",
            bytes.len()
        )));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_read_as_hex_or_base64() {
        let bytes: Vec<u8> = (0..65).collect();
        assert_eq!(parse_signature(&hex::encode(&bytes)).unwrap(), bytes);
        assert_eq!(
            parse_signature(&format!("0x{}", hex::encode(&bytes))).unwrap(),
            bytes
        );
        let base64 = Binary::from(bytes.clone()).to_base64();
        assert_eq!(parse_signature(&base64).unwrap(), bytes);
        assert!(matches!(
            parse_signature(&Binary::from([1u8; 64]).to_base64()),
            Err(Error::BadInput(_))
        ));
        assert!(matches!(
            parse_signature("not a signature!"),
            Err(Error::BadInput(_))
        ));
    }
}
