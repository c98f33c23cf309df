use cosmwasm_schema::{export_schema, schema_for, write_api};
use market::msg::{ExecuteMsg, InstantiateMsg, QueryMsg, ReceiveMsg};

fn main() {
    write_api! {
        instantiate: InstantiateMsg,
        execute: ExecuteMsg,
        query: QueryMsg,
    }
    // The hook of a GUT `Send` to the market (registration, lease deposits) travels as
    // base64 inside `Receive`, where `write_api!` cannot see it: its own file, from which
    // clients (web/) generate its type like the others'.
    export_schema(&schema_for!(ReceiveMsg), std::path::Path::new("schema"));
}
