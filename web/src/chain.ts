// Reads from the chain, typed by the generated contract types. One query client per page
// load, over the app server's /rpc proxy.
import { CosmWasmClient } from "@cosmjs/cosmwasm-stargate";
import type { AppConfig } from "./config";
import type * as E from "./contracts/endorsement";
import type * as G from "./contracts/gut-token";
import type * as M from "./contracts/market";
import type * as Mi from "./contracts/mining";
import type * as S from "./contracts/token-swap";

export class Chain {
  private constructor(
    readonly config: AppConfig,
    readonly client: CosmWasmClient,
  ) {}

  static async connect(config: AppConfig): Promise<Chain> {
    return new Chain(config, await CosmWasmClient.connect(config.rpc));
  }

  private q<T>(contract: string, msg: object): Promise<T> {
    return this.client.queryContractSmart(contract, msg) as Promise<T>;
  }

  market = <T>(msg: M.QueryMsg) => this.q<T>(this.config.contracts.market, msg);
  endorsement = <T>(msg: E.QueryMsg) => this.q<T>(this.config.contracts.endorsement, msg);
  gutToken = <T>(msg: G.QueryMsg) => this.q<T>(this.config.contracts.gut, msg);
  mining = <T>(msg: Mi.QueryMsg) => this.q<T>(this.need(this.config.contracts.mining, "mining"), msg);
  swap = <T>(msg: S.QueryMsg) => this.q<T>(this.need(this.config.contracts.tokenSwap, "token swap"), msg);

  private need(address: string | undefined, name: string): string {
    if (!address) throw new Error(`no ${name} contract is deployed on this chain`);
    return address;
  }

  async gutBalance(address: string): Promise<bigint> {
    const r = await this.gutToken<G.BalanceResponse>({ balance: { address } });
    return BigInt(r.balance);
  }

  /** The latest block's time in UNIX seconds: "now" as the contracts see it. */
  async blockTime(): Promise<number> {
    const block = await this.client.getBlock();
    return Math.floor(Date.parse(block.header.time) / 1000);
  }

  /** Every provider, following `next_start_after` (the market reads 100 per call). */
  async providers(filter: M.ProviderFilter | null = null): Promise<M.ProviderResponse[]> {
    const out: M.ProviderResponse[] = [];
    let start_after: string | null = null;
    for (let page = 0; page < 50; page++) {
      const r: M.ProvidersResponse = await this.market({ providers: { filter, start_after, limit: 30 } });
      out.push(...r.providers);
      if (!r.next_start_after) break;
      start_after = r.next_start_after;
    }
    return out;
  }

  provider = (address: string) => this.market<M.ProviderResponse | null>({ provider: { address } });
  lease = (id: number) => this.market<M.LeaseResponse | null>({ lease: { id } });
  marketConfig = () => this.market<M.ConfigResponse>({ config: {} });
  reputation = (provider: string) => this.endorsement<E.Reputation>({ reputation: { provider } });

  /** A customer's leases, newest first. */
  leasesOf = (customer: string) => this.leases((start_after) => ({ leases_by_customer: { customer, start_after, limit: 30 } }));

  /** A provider's leases, newest first. */
  leasesOfProvider = (provider: string) =>
    this.leases((start_after) => ({ leases_by_provider: { provider, start_after, limit: 30 } }));

  /** Every lease a paged query lists (30 a page, by id), newest first. */
  private async leases(query: (start_after: number | null) => M.QueryMsg): Promise<M.Lease[]> {
    const out: M.Lease[] = [];
    let start_after: number | null = null;
    for (let page = 0; page < 50; page++) {
      const r: M.LeasesResponse = await this.market(query(start_after));
      out.push(...r.leases);
      if (r.leases.length < 30) break;
      start_after = r.leases[r.leases.length - 1].id;
    }
    return out.reverse();
  }
}
