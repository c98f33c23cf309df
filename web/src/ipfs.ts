// Kubo's RPC API (through the app server's /ipfs-api proxy): a picked folder added as one
// directory, CIDv1, pinned, exactly as the SDK's `add_dir` does, so the CID the provider
// fetches names the same bytes; and a result folder's listing.

/** The name the folder's root gets inside the upload (as in the SDK). */
const ROOT = "bundle";

export interface PickedFile {
  /** Path inside the picked folder, e.g. "job.json" or "input/image.png". */
  path: string;
  file: Blob;
}

/** Files from an `<input webkitdirectory>`: their path below the picked folder. */
export function pickedFolder(files: FileList | File[]): PickedFile[] {
  return Array.from(files).map((f) => {
    const rel = (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
    const parts = rel.split("/");
    return { path: (parts.length > 1 ? parts.slice(1) : parts).join("/"), file: f };
  });
}

/** Every folder the files sit in, parents first, for the upload's directory parts. */
export function folders(files: PickedFile[]): string[] {
  const set = new Set<string>();
  for (const f of files) {
    const parts = f.path.split("/");
    for (let i = 1; i < parts.length; i++) set.add(parts.slice(0, i).join("/"));
  }
  return [...set].sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b));
}

/** The root's CID from `add`'s NDJSON answer: the line named after the root. */
export function rootCid(ndjson: string): string {
  let cid: string | undefined;
  for (const line of ndjson.split("\n").filter((l) => l.trim())) {
    const entry = JSON.parse(line) as { Name?: string; Hash?: string; Message?: string };
    if (entry.Message) throw new Error(`Kubo: ${entry.Message}`);
    if (entry.Name === ROOT && entry.Hash) cid = entry.Hash;
  }
  if (!cid) throw new Error("Kubo's answer does not end with the folder");
  return cid;
}

export async function addFolder(apiBase: string, files: PickedFile[]): Promise<string> {
  if (files.length === 0) throw new Error("The folder is empty.");
  const form = new FormData();
  const dir = new Blob([], { type: "application/x-directory" });
  form.append("file", dir, ROOT);
  for (const f of folders(files)) form.append("file", dir, `${ROOT}/${f}`);
  for (const f of files)
    form.append("file", new Blob([f.file], { type: "application/octet-stream" }), `${ROOT}/${f.path}`);
  const url = `${apiBase}/api/v0/add?cid-version=1&pin=true&wrap-with-directory=false&progress=false`;
  const res = await fetch(url, { method: "POST", body: form });
  const body = await res.text();
  if (!res.ok) throw new Error(`Kubo refused the upload (${res.status}): ${body.slice(0, 200)}`);
  return rootCid(body);
}

export interface IpfsEntry {
  name: string;
  /** Path below the listed CID. */
  path: string;
  size: number;
  isDir: boolean;
}

/** Every file below `cid`, folders walked (at most `max` entries). */
export async function listFiles(apiBase: string, cid: string, max = 200): Promise<IpfsEntry[]> {
  const out: IpfsEntry[] = [];
  const walk = async (prefix: string) => {
    const arg = encodeURIComponent(prefix ? `${cid}/${prefix}` : cid);
    const res = await fetch(`${apiBase}/api/v0/ls?arg=${arg}`, { method: "POST" });
    if (!res.ok) throw new Error(`Kubo could not list ${cid} (${res.status})`);
    const body = (await res.json()) as { Objects: { Links: { Name: string; Size: number; Type: number }[] }[] };
    for (const link of body.Objects[0]?.Links ?? []) {
      if (out.length >= max) return;
      const path = prefix ? `${prefix}/${link.Name}` : link.Name;
      if (link.Type === 1) await walk(path);
      else out.push({ name: link.Name, path, size: link.Size, isDir: false });
    }
  };
  await walk("");
  return out;
}

export const isImage = (name: string) => /\.(png|jpe?g|gif|webp|svg)$/i.test(name);
