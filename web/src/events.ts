// Live updates: the chain's CometBFT WebSocket (through the app server's /rpc proxy),
// subscribed to every included transaction. Pages re-read what they show when a
// transaction touched one of the GPUnion contracts; the connection comes back by itself.

export interface TxEvent {
  height: number;
  /** "wasm._contract_address" and "wasm.action" values of the transaction. */
  contracts: string[];
  actions: string[];
}

type Listener = (e: TxEvent) => void;

export class ChainEvents {
  private socket?: WebSocket;
  private listeners = new Set<Listener>();
  private stopped = false;
  connected = false;
  onStatus: (connected: boolean) => void = () => {};

  constructor(private readonly url: string) {}

  start(): void {
    this.stopped = false;
    const ws = new WebSocket(this.url);
    this.socket = ws;
    ws.onopen = () => {
      this.connected = true;
      this.onStatus(true);
      ws.send(JSON.stringify({ jsonrpc: "2.0", method: "subscribe", id: 1, params: { query: "tm.event='Tx'" } }));
    };
    ws.onmessage = (m) => {
      const event = parseTxEvent(String(m.data));
      if (event) for (const l of this.listeners) l(event);
    };
    ws.onclose = () => {
      this.connected = false;
      this.onStatus(false);
      if (!this.stopped) setTimeout(() => this.start(), 2000);
    };
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close();
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

/** A CometBFT `subscribe` result → what the pages need; `undefined` for anything else. */
export function parseTxEvent(data: string): TxEvent | undefined {
  let msg: {
    result?: { data?: { value?: { TxResult?: { height?: string } } }; events?: Record<string, string[]> };
  };
  try {
    msg = JSON.parse(data);
  } catch {
    return undefined;
  }
  const events = msg.result?.events;
  const tx = msg.result?.data?.value?.TxResult;
  if (!events || !tx) return undefined;
  return {
    height: Number(tx.height ?? 0),
    contracts: events["wasm._contract_address"] ?? [],
    actions: events["wasm.action"] ?? [],
  };
}
