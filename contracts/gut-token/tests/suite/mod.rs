//! A cw-multi-test chain with GUT and a CW20 receiver contract on it.

use cosmwasm_std::{
    Addr, Binary, Deps, DepsMut, Empty, Env, MessageInfo, Response, StdError, StdResult, Uint128,
    to_json_binary,
};
use cw_multi_test::{App, AppResponse, ContractWrapper, Executor};
use cw20::{BalanceResponse, Cw20ReceiveMsg, MinterResponse, TokenInfoResponse};
use gut_token::ContractError;
use gut_token::msg::{ExecuteMsg, InstantiateMsg, QueryMsg, TokenSwapAllocation};

/// Accounts and contracts of one test chain.
pub struct Suite {
    pub app: App,
    pub token: Addr,
    pub treasury: Addr,
    pub minter: Addr,
    pub receiver: Addr,
}

/// Builds a [`Suite`]; `token_swap` optionally gives the swap contract a balance.
#[derive(Default)]
pub struct SuiteBuilder {
    token_swap: Option<Uint128>,
}

impl SuiteBuilder {
    pub fn with_token_swap(mut self, amount: u128) -> Self {
        self.token_swap = Some(Uint128::new(amount));
        self
    }

    pub fn build(self) -> Suite {
        let mut app = App::default();
        let treasury = app.api().addr_make("treasury");
        let minter = app.api().addr_make("minter");
        let token_swap = self.token_swap.map(|amount| TokenSwapAllocation {
            address: app.api().addr_make("token-swap").to_string(),
            amount,
        });
        let msg = InstantiateMsg {
            treasury: treasury.to_string(),
            minter: minter.to_string(),
            token_swap,
            marketing: None,
        };
        let token = instantiate_gut(&mut app, &msg).expect("GUT instantiates");
        let receiver_code = app.store_code(Box::new(ContractWrapper::new(
            receive_cw20,
            instantiate_receiver,
            query_receiver,
        )));
        let receiver = app
            .instantiate_contract(receiver_code, treasury.clone(), &Empty {}, &[], "rx", None)
            .expect("receiver instantiates");
        Suite {
            app,
            token,
            treasury,
            minter,
            receiver,
        }
    }
}

/// Stores GUT's code and instantiates it with `msg`, returning its typed error on failure.
pub fn instantiate_gut(app: &mut App, msg: &InstantiateMsg) -> Result<Addr, ContractError> {
    let code = app.store_code(Box::new(ContractWrapper::new(
        gut_token::contract::execute,
        gut_token::contract::instantiate,
        gut_token::contract::query,
    )));
    let admin = app.api().addr_make("admin");
    app.instantiate_contract(code, admin, msg, &[], "GUT", None)
        .map_err(into_contract_error)
}

fn into_contract_error(err: anyhow::Error) -> ContractError {
    match err.downcast::<ContractError>() {
        Ok(err) => err,
        Err(other) => panic!("expected a GUT ContractError, got {other:?}"),
    }
}

impl Suite {
    pub fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    pub fn execute(
        &mut self,
        sender: &Addr,
        msg: ExecuteMsg,
    ) -> Result<AppResponse, ContractError> {
        self.app
            .execute_contract(sender.clone(), self.token.clone(), &msg, &[])
            .map_err(into_contract_error)
    }

    pub fn mint(&mut self, to: &Addr, amount: u128) -> Result<AppResponse, ContractError> {
        let minter = self.minter.clone();
        self.execute(
            &minter,
            ExecuteMsg::Mint {
                recipient: to.to_string(),
                amount: Uint128::new(amount),
            },
        )
    }

    pub fn transfer(
        &mut self,
        from: &Addr,
        to: &Addr,
        amount: u128,
    ) -> Result<AppResponse, ContractError> {
        self.execute(
            from,
            ExecuteMsg::Transfer {
                recipient: to.to_string(),
                amount: Uint128::new(amount),
            },
        )
    }

    pub fn balance(&self, who: &Addr) -> u128 {
        let response: BalanceResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                &self.token,
                &QueryMsg::Balance {
                    address: who.to_string(),
                },
            )
            .expect("balance query");
        response.balance.u128()
    }

    pub fn token_info(&self) -> TokenInfoResponse {
        self.app
            .wrap()
            .query_wasm_smart(&self.token, &QueryMsg::TokenInfo {})
            .expect("token info query")
    }

    pub fn minter_info(&self) -> Option<MinterResponse> {
        self.app
            .wrap()
            .query_wasm_smart(&self.token, &QueryMsg::Minter {})
            .expect("minter query")
    }
}

/// What a CW20 token sends to a receiving contract.
#[cosmwasm_schema::cw_serde]
enum ReceiverMsg {
    Receive(Cw20ReceiveMsg),
}

/// The receiver's hook: rejects the message "reject", otherwise reports what it got.
fn receive_cw20(
    _deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: ReceiverMsg,
) -> StdResult<Response> {
    let ReceiverMsg::Receive(msg) = msg;
    if msg.msg.as_slice() == b"reject" {
        return Err(StdError::generic_err("receiver rejects this payment"));
    }
    Ok(Response::new()
        .add_attribute("token", info.sender)
        .add_attribute("received_from", msg.sender)
        .add_attribute("received_amount", msg.amount)
        .add_attribute("received_msg", msg.msg.to_base64()))
}

fn instantiate_receiver(_: DepsMut, _: Env, _: MessageInfo, _: Empty) -> StdResult<Response> {
    Ok(Response::new())
}

fn query_receiver(_: Deps, _: Env, _: Empty) -> StdResult<Binary> {
    to_json_binary(&Empty {})
}
