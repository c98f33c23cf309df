//! `gpunion endorser`, `reputation` and `recommend`: the endorsement contract, where
//! bonded endorsers vouch for what providers claim, and customers read the ranking.

use clap::{Subcommand, ValueEnum};
use gpunion_sdk::msg::endorsement::{Attribute, RecommendRequest};
use gpunion_sdk::{Chain, Result};

use crate::{Context, Output};

/// An attribute a provider declares and an endorser can vouch for.
#[derive(Clone, Copy, ValueEnum)]
pub enum AttributeArg {
    /// The GPU model, e.g. "NVIDIA H200".
    GpuModel,
    /// How many GPUs.
    GpuCount,
    /// GPU memory.
    Memory,
    /// Where the machine is (country and geohash).
    Region,
    /// The X16S hashrate the provider claims.
    Hashrate,
}

impl From<AttributeArg> for Attribute {
    fn from(arg: AttributeArg) -> Self {
        match arg {
            AttributeArg::GpuModel => Self::GpuModel,
            AttributeArg::GpuCount => Self::GpuCount,
            AttributeArg::Memory => Self::Memory,
            AttributeArg::Region => Self::Region,
            AttributeArg::Hashrate => Self::Hashrate,
        }
    }
}

/// What an endorser does (signs with --key).
#[derive(Subcommand)]
pub enum EndorserCommand {
    /// Bonds AMOUNT ugut of GUT as endorsing stake (slashable if an attestation is false).
    Bond { amount: u128 },
    /// Vouches that PROVIDER's ATTRIBUTE is CLAIM (the value checked, e.g. "NVIDIA H200").
    Endorse {
        provider: String,
        #[arg(value_enum)]
        attribute: AttributeArg,
        claim: String,
    },
    /// Withdraws an attestation.
    Revoke {
        provider: String,
        #[arg(value_enum)]
        attribute: AttributeArg,
    },
    /// Starts unbonding the whole stake.
    Unbond,
    /// Takes the stake back after unbonding.
    ClaimStake,
    /// An endorser's bond and state (default: the signer).
    Show { address: Option<String> },
    /// The attestations PROVIDER has received.
    Endorsements { provider: String },
}

/// Runs an endorser command.
pub async fn run(ctx: &Context, out: &Output, command: &EndorserCommand) -> Result<()> {
    let chain: &Chain = &ctx.chain;
    let endorsement = chain.endorsement()?;
    match command {
        EndorserCommand::Show { address } => {
            return out.value(
                &endorsement
                    .endorser(&ctx.address_or_signer(address)?)
                    .await?,
            );
        }
        EndorserCommand::Endorsements { provider } => {
            return out.value(&endorsement.endorsements(provider, None).await?);
        }
        _ => {}
    }
    let signer = ctx.signer()?;
    let tx = match command {
        EndorserCommand::Bond { amount } => {
            out.progress("bonding, waiting for inclusion");
            endorsement
                .bond_endorser(&signer, &chain.gut()?, *amount)
                .await?
        }
        EndorserCommand::Endorse {
            provider,
            attribute,
            claim,
        } => {
            endorsement
                .endorse(&signer, provider, (*attribute).into(), claim)
                .await?
        }
        EndorserCommand::Revoke {
            provider,
            attribute,
        } => {
            endorsement
                .revoke(&signer, provider, (*attribute).into())
                .await?
        }
        EndorserCommand::Unbond => endorsement.unbond(&signer).await?,
        EndorserCommand::ClaimStake => endorsement.claim_stake(&signer).await?,
        EndorserCommand::Show { .. } | EndorserCommand::Endorsements { .. } => {
            unreachable!("read above")
        }
    };
    out.tx(&tx)
}

/// The filter of `gpunion recommend`.
#[derive(clap::Args)]
pub struct RecommendArgs {
    /// ISO 3166 country code the machine must be in.
    #[arg(long)]
    country: String,
    /// Geohash of where the customer is: nearer providers rank first.
    #[arg(long)]
    geohash: String,
    /// GPU model, exactly as declared.
    #[arg(long)]
    gpu_model: Option<String>,
    /// Least GPU memory, MiB.
    #[arg(long)]
    min_memory_mib: Option<u64>,
    /// Least GPU count.
    #[arg(long)]
    min_gpu_count: Option<u32>,
    /// Highest price per hour, ugut.
    #[arg(long)]
    max_price: u128,
    /// How many at most.
    #[arg(long)]
    limit: Option<u32>,
    /// Least share of the claimed X16S hashrate the mining record must prove, per
    /// mille (0..=1000).
    #[arg(long)]
    min_hashrate_ratio: Option<u64>,
}

/// Prints the endorsement contract's ranking for a request.
pub async fn recommend(ctx: &Context, out: &Output, args: &RecommendArgs) -> Result<()> {
    let request = RecommendRequest {
        country: args.country.clone(),
        geohash: args.geohash.clone(),
        gpu_model: args.gpu_model.clone(),
        min_memory_mib: args.min_memory_mib,
        min_gpu_count: args.min_gpu_count,
        max_price_per_hour: args.max_price.into(),
        limit: args.limit,
        min_hashrate_ratio_permille: args.min_hashrate_ratio,
    };
    out.value(&ctx.chain.endorsement()?.recommend(request).await?)
}

/// Prints a provider's reputation with its parts.
pub async fn reputation(ctx: &Context, out: &Output, provider: &str) -> Result<()> {
    out.value(&ctx.chain.endorsement()?.reputation(provider).await?)
}
