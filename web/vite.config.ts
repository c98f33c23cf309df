// The app is static; this server (dev and `vite preview` alike) adds what a browser
// page cannot reach by itself on this machine:
//   /deployment.json  the chain's deployment (GPUNION_DEPLOYMENT, default
//                     ../testnet/deployment.json): chain id, endpoints, contracts
//   /rpc, /rest       the chain's CometBFT RPC (with its WebSocket) and REST: CometBFT's
//                     RPC sends no CORS headers
//   /ipfs-api         Kubo's RPC API (IPFS_API): Kubo refuses browser origins it does not
//                     list, and browsers' user agents: Origin and Referer are dropped
//                     and the user agent replaced on the way
//   /ipfs             Kubo's gateway (IPFS_GATEWAY): result files, same origin
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Connect, Plugin, ProxyOptions } from "vite";
import { defineConfig } from "vite";

const deploymentPath = resolve(
  process.env.GPUNION_DEPLOYMENT ?? resolve(__dirname, "../testnet/deployment.json"),
);

function readDeployment(): { rpc: string; rest: string } {
  return JSON.parse(readFileSync(deploymentPath, "utf8"));
}

/** Serves the deployment file as read at each request (a redeploy needs no restart). */
function deploymentJson(): Plugin {
  const handler: Connect.NextHandleFunction = (req, res, next) => {
    if (req.url !== "/deployment.json") return next();
    try {
      res.setHeader("content-type", "application/json");
      res.setHeader("cache-control", "no-store");
      res.end(readFileSync(deploymentPath));
    } catch (e) {
      res.statusCode = 503;
      res.end(JSON.stringify({ error: `no deployment at ${deploymentPath}: ${e}` }));
    }
  };
  return {
    name: "gpunion-deployment",
    configureServer: (server) => void server.middlewares.use(handler),
    configurePreviewServer: (server) => void server.middlewares.use(handler),
  };
}

function proxies(): Record<string, ProxyOptions> {
  let rpc = "http://127.0.0.1:26657";
  let rest = "http://127.0.0.1:1317";
  try {
    ({ rpc, rest } = readDeployment());
  } catch {
    // No deployment yet: the defaults of testnet/chain.
  }
  const ipfsApi = process.env.IPFS_API ?? "http://127.0.0.1:5001";
  const gateway = process.env.IPFS_GATEWAY ?? "http://127.0.0.1:8080";
  // Called before the request is proxied (undefined: proxy it).
  const noOrigin: ProxyOptions["bypass"] = (req) => {
    delete req.headers.origin;
    delete req.headers.referer;
    req.headers["user-agent"] = "gpunion-web";
    return undefined;
  };
  return {
    "/rpc": { target: rpc, changeOrigin: true, ws: true, rewrite: (p) => p.replace(/^\/rpc/, ""), bypass: noOrigin },
    "/rest": { target: rest, changeOrigin: true, rewrite: (p) => p.replace(/^\/rest/, "") },
    "/ipfs-api": { target: ipfsApi, changeOrigin: true, rewrite: (p) => p.replace(/^\/ipfs-api/, ""), bypass: noOrigin },
    "/ipfs/": { target: gateway, changeOrigin: true },
  };
}

export default defineConfig({
  plugins: [deploymentJson()],
  server: { host: "127.0.0.1", proxy: proxies() },
  preview: { host: "127.0.0.1", proxy: proxies() },
  // cosmjs is most of the bundle (about 1 MB, 300 kB gzipped): one chunk is fine here.
  build: { target: "es2022", sourcemap: true, chunkSizeWarningLimit: 2000 },
  test: { include: ["test/**/*.test.ts"] },
});
