//! `gpunion keeper`: settles every overdue lease of the market, pass after pass, until
//! Ctrl-C; and the lines it prints about what it did.

use std::time::Duration;

use gpunion_sdk::Result;
use gpunion_sdk::keeper::{Keeper, Overdue, Pass, Settled, Settlement};

use crate::{Context, Output};

/// Longest wait between retries after the chain could not be reached.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// `gpunion keeper …`.
#[derive(clap::Args)]
pub struct KeeperArgs {
    /// Seconds between passes.
    #[arg(long, default_value_t = 10)]
    interval: u64,
    /// One pass, then exit.
    #[arg(long)]
    once: bool,
    /// The first lease id to look at (the market's first lease is 1).
    #[arg(long, default_value_t = 1)]
    from: u64,
}

/// Runs `gpunion keeper` until Ctrl-C (or after one pass with `--once`).
pub async fn run(ctx: &Context, out: &Output, args: &KeeperArgs) -> Result<()> {
    let mut keeper = Keeper::new(ctx.signer()?, ctx.chain.market()?, args.from);
    let interval = Duration::from_secs(args.interval.max(1));
    let mut totals = Totals::default();
    let mut failures = 0u32;
    out.progress(&format!(
        "keeper: settling overdue leases from id {} every {} s (Ctrl-C stops)",
        args.from,
        interval.as_secs()
    ));
    let stop = tokio::signal::ctrl_c();
    tokio::pin!(stop);
    loop {
        let pause = tokio::select! {
            pass = keeper.pass() => match pass {
                Ok(pass) => {
                    failures = 0;
                    totals.add(&pass);
                    report(out, &pass, &totals);
                    if args.once {
                        return Ok(());
                    }
                    interval
                }
                Err(e) if args.once => return Err(e),
                Err(e) => {
                    failures += 1;
                    let wait = backoff(failures);
                    out.progress(&format!(
                        "keeper: pass failed ({e}); retrying in {} s",
                        wait.as_secs()
                    ));
                    wait
                }
            },
            _ = &mut stop => break,
        };
        tokio::select! {
            _ = tokio::time::sleep(pause) => {}
            _ = &mut stop => break,
        }
    }
    out.progress(&format!(
        "keeper: stopped; {} expired, {} reclaimed, {} already settled by others",
        totals.expired, totals.reclaimed, totals.by_others
    ));
    Ok(())
}

/// 2, 4, 8 … seconds after consecutive failures, at most [`MAX_BACKOFF`].
fn backoff(failures: u32) -> Duration {
    Duration::from_secs(1u64 << failures.min(6)).min(MAX_BACKOFF)
}

/// What the keeper has done since it started.
#[derive(Default)]
struct Totals {
    expired: u64,
    reclaimed: u64,
    by_others: u64,
}

impl Totals {
    fn add(&mut self, pass: &Pass) {
        for settled in &pass.settled {
            match (&settled.settlement, settled.overdue) {
                (Settlement::AlreadySettled { .. }, _) => self.by_others += 1,
                (Settlement::Sent { .. }, Overdue::ProviderLapsed) => self.expired += 1,
                (Settlement::Sent { .. }, Overdue::AcceptDeadlinePassed) => self.reclaimed += 1,
            }
        }
    }
}

/// One line per action and failure on stdout, the pass's progress on stderr.
fn report(out: &Output, pass: &Pass, totals: &Totals) {
    for settled in &pass.settled {
        let (text, json) = describe(settled);
        out.event(&text, &json);
    }
    for (lease_id, error) in &pass.failed {
        out.event(
            &format!("lease {lease_id}: not settled: {error}"),
            &serde_json::json!({ "lease_id": lease_id, "error": error.to_string() }),
        );
    }
    let discovery = if pass.caught_up {
        "caught up"
    } else {
        "catching up"
    };
    out.progress(&format!(
        "keeper: block {} ({}): ids below {} scanned ({discovery}), {} open from id {}; \
         in all {} expired, {} reclaimed, {} settled by others",
        pass.at.height,
        pass.at.seconds,
        pass.scanned_to,
        pass.open,
        pass.low_water_mark,
        totals.expired,
        totals.reclaimed,
        totals.by_others
    ));
}

/// A settled lease, for a person and for a script.
pub fn describe(settled: &Settled) -> (String, serde_json::Value) {
    let id = settled.lease_id;
    let action = settled.overdue.action();
    match &settled.settlement {
        Settlement::Sent {
            tx,
            refund,
            slashed,
        } => (
            format!(
                "lease {id}: {action} in block {}: {refund} ugut refunded, {slashed} ugut \
                 slashed to the customer {} (tx {})",
                tx.height, settled.customer, tx.hash
            ),
            serde_json::json!({
                "lease_id": id,
                "action": action,
                "customer": settled.customer,
                "refund": refund.to_string(),
                "slashed": slashed.to_string(),
                "tx": tx.hash,
                "height": tx.height,
            }),
        ),
        Settlement::AlreadySettled { state } => (
            format!("lease {id}: already settled ({state:?}) by someone else"),
            serde_json::json!({
                "lease_id": id,
                "action": action,
                "customer": settled.customer,
                "already_settled": state,
            }),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_a_minute() {
        let waits: Vec<u64> = (1..=8).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(waits, [2, 4, 8, 16, 32, 60, 60, 60]);
    }
}
