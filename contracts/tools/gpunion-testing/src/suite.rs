//! The chain: a [`SuiteBuilder`] deploys GUT, the market, the endorsement contract and a
//! CW20 receiver, and on request the token swap and the mining contract; the [`Suite`]
//! holds their addresses and the accounts around them. Each contract's actions, queries
//! and assertions are in its own module as further `impl Suite` blocks.

use anyhow::Result as AnyResult;
use cosmwasm_std::{Addr, Empty};
use cw_multi_test::{App, AppResponse, Contract, Executor};
use gpunion_interface::market::MarketParams;

use crate::endorsement::default_endorsement_params;
use crate::market::default_params;
use crate::receiver;
use crate::token_swap::Snapshot;

/// Seconds between blocks while the suite's chain runs ([`Suite::advance`]).
pub const BLOCK_SECONDS: u64 = 5;

/// Builds a [`Suite`]: GUT, the market, the endorsement contract and the receiver always;
/// the token swap and the mining contract when asked for.
pub struct SuiteBuilder {
    params: MarketParams,
    funded: Vec<(String, u128)>,
    snapshot: Option<Snapshot>,
    mining: Option<mining::msg::InstantiateMsg>,
}

impl Default for SuiteBuilder {
    fn default() -> Self {
        Self {
            params: default_params(),
            funded: Vec::new(),
            snapshot: None,
            mining: None,
        }
    }
}

impl SuiteBuilder {
    /// The market's parameters (default: [`default_params`]).
    pub fn with_params(mut self, params: MarketParams) -> Self {
        self.params = params;
        self
    }

    /// Gives the account named `name` `amount` ugut at start, minted before the mining
    /// contract (if any) takes over minting.
    pub fn with_funds(mut self, name: &str, amount: u128) -> Self {
        self.funded.push((name.to_string(), amount));
        self
    }

    /// A token swap over `snapshot`, owned by the suite's owner, that GUT allocates the
    /// snapshot's total at instantiation. Connected to the mining contract when the
    /// suite has one; otherwise not connected.
    pub fn with_token_swap(mut self, snapshot: Snapshot) -> Self {
        self.snapshot = Some(snapshot);
        self
    }

    /// A mining contract with `msg`'s parameters (its `token` and `token_swap` are the
    /// suite's), to which GUT's minter hands over minting.
    pub fn with_mining(mut self, msg: mining::msg::InstantiateMsg) -> Self {
        self.mining = Some(msg);
        self
    }

    /// Deploys the contracts; panics if one does not instantiate (see the suite's
    /// `instantiate_*` methods to test rejected instantiations).
    pub fn build(self) -> Suite {
        let app = App::default();
        let owner = app.api().addr_make("owner");
        let treasury = app.api().addr_make("treasury");
        let minter = app.api().addr_make("minter");
        // The contracts' addresses are filled in below, each after those it names.
        let mut suite = Suite {
            app,
            gut: Addr::unchecked(""),
            market: Addr::unchecked(""),
            endorsement: Addr::unchecked(""),
            owner,
            treasury,
            minter,
            receiver: Addr::unchecked(""),
            token_swap: None,
            snapshot: None,
            mining: None,
        };
        suite.receiver = suite
            .instantiate(receiver::contract(), &Empty {}, "receiver")
            .expect("receiver instantiates");
        if let Some(snapshot) = self.snapshot {
            let deadline = suite.app.block_info().time.plus_seconds(crate::SWAP_WINDOW);
            let msg = snapshot.instantiate_msg(&suite.owner, deadline);
            suite.token_swap = Some(suite.instantiate_swap(&msg).expect("swap instantiates"));
            suite.snapshot = Some(snapshot);
        }
        let gut_msg = suite.gut_msg();
        suite.gut = suite.instantiate_gut(&gut_msg).expect("GUT instantiates");
        suite.market = suite.instantiate_market(self.params);
        suite.endorsement = suite.instantiate_endorsement(default_endorsement_params());
        suite.wire_indexer();
        for (name, amount) in self.funded {
            let who = suite.addr(&name);
            suite.fund(&who, amount);
        }
        if let Some(msg) = self.mining {
            let mining = suite.instantiate_mining(msg).expect("mining instantiates");
            suite.hand_minting_to(&mining);
            if suite.token_swap.is_some() {
                let owner = suite.owner.clone();
                suite
                    .connect_swap(&owner, &mining)
                    .expect("swap connects to mining");
            }
            suite.mining = Some(mining);
            suite.wire_mining();
        }
        suite
    }
}

/// A test chain: GUT, the market, the endorsement contract, a CW20 receiver, optionally
/// the token swap and the mining contract, and the accounts around them.
pub struct Suite {
    pub app: App,
    pub gut: Addr,
    pub market: Addr,
    pub endorsement: Addr,
    /// Instantiates every contract; owns the market, the endorsement contract and the
    /// token swap.
    pub owner: Addr,
    /// Receives GUT's premine and the market's fees.
    pub treasury: Addr,
    /// GUT's minter, until the mining contract takes over.
    pub minter: Addr,
    /// Takes any GUT `Send` and reports it in its attributes; refuses the hook `reject`.
    pub receiver: Addr,
    pub(crate) token_swap: Option<Addr>,
    pub(crate) snapshot: Option<Snapshot>,
    pub(crate) mining: Option<Addr>,
}

impl Suite {
    pub fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    /// Block time in seconds.
    pub fn now(&self) -> u64 {
        self.app.block_info().time.seconds()
    }

    /// Moves block time forward by `seconds` with blocks coming as usual: one every
    /// [`BLOCK_SECONDS`], at least one.
    pub fn advance(&mut self, seconds: u64) {
        self.app.update_block(|block| {
            block.time = block.time.plus_seconds(seconds);
            block.height += (seconds / BLOCK_SECONDS).max(1);
        });
    }

    /// The chain halts for `seconds`: time passes with no blocks, then one block comes.
    pub fn halt(&mut self, seconds: u64) {
        self.app.update_block(|block| {
            block.time = block.time.plus_seconds(seconds);
            block.height += 1;
        });
    }

    /// The token swap; panics if the suite was built without one.
    pub fn token_swap(&self) -> Addr {
        self.token_swap
            .clone()
            .expect("a suite built with_token_swap")
    }

    /// The token swap's snapshot; panics if the suite was built without one.
    pub fn snapshot(&self) -> &Snapshot {
        self.snapshot
            .as_ref()
            .expect("a suite built with_token_swap")
    }

    /// The mining contract; panics if the suite was built without one.
    pub fn mining(&self) -> Addr {
        self.mining.clone().expect("a suite built with_mining")
    }

    /// Stores `code` and instantiates it as the owner with `msg`.
    pub(crate) fn instantiate<M: serde::Serialize>(
        &mut self,
        code: Box<dyn Contract<Empty>>,
        msg: &M,
        label: &str,
    ) -> AnyResult<Addr> {
        let code_id = self.app.store_code(code);
        self.app
            .instantiate_contract(code_id, self.owner.clone(), msg, &[], label, None)
    }

    /// Executes `msg` on `contract` as `sender`.
    pub(crate) fn execute_on<M: serde::Serialize + std::fmt::Debug>(
        &mut self,
        sender: &Addr,
        contract: &Addr,
        msg: &M,
    ) -> AnyResult<AppResponse> {
        self.app
            .execute_contract(sender.clone(), contract.clone(), msg, &[])
    }

    /// Queries `contract`, panicking on failure (what `label` names).
    pub(crate) fn query_on<T: serde::de::DeserializeOwned, M: serde::Serialize>(
        &self,
        contract: &Addr,
        msg: &M,
        label: &str,
    ) -> T {
        self.app
            .wrap()
            .query_wasm_smart(contract, msg)
            .unwrap_or_else(|err| panic!("{label} query: {err}"))
    }
}

/// A contract crate's entry points, `contract::{execute, instantiate, query}`, as
/// cw-multi-test runs them.
macro_rules! contract_code {
    ($contract:ident) => {
        Box::new(cw_multi_test::ContractWrapper::new(
            $contract::contract::execute,
            $contract::contract::instantiate,
            $contract::contract::query,
        ))
    };
}
pub(crate) use contract_code;

/// The typed error of contract `E` inside a failed execution (through a CW20 `Send`
/// too); panics on any other error.
pub fn contract_err<E>(err: anyhow::Error) -> E
where
    E: std::fmt::Display + std::fmt::Debug + Send + Sync + 'static,
{
    match err.downcast::<E>() {
        Ok(err) => err,
        Err(other) => panic!("expected a {}, got {other:?}", std::any::type_name::<E>()),
    }
}

/// The error every contract returns for `address` (the suite's chain uses `MockApi`).
pub fn invalid_address(address: &str) -> gpunion_interface::address::InvalidAddress {
    gpunion_interface::address::validate(&cosmwasm_std::testing::MockApi::default(), address)
        .expect_err("an invalid address")
}
