import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/** The promotion gate's scripts, from test/delivery/. */
export const GATE_DIR = path.resolve(__dirname, "../../ci/promotion-gate");

/** A token nothing may print; the fakes log which token each call saw. */
export const TOKEN = "sentinel-token-5c1e9a0f";

/**
 * Fake argocd: serves `app get <name> -o json` from <apps>/<ARGOCD_SERVER>/<name>.json, or from
 * <name>.<n>.json on its n-th call for that name when such a file exists. An unknown name gets
 * Argo CD's answer for it (permission denied); FAKE_ARGOCD_ERROR fails every call with that text.
 * Logs tool, token, server, options (ARGOCD_OPTS) and argv, unit-separated, one call per line.
 */
const FAKE_ARGOCD = `#!/usr/bin/env bash
{ printf 'argocd\\x1f%s\\x1f%s\\x1f%s\\x1f' "\${ARGOCD_AUTH_TOKEN:-}" "\${ARGOCD_SERVER:-}" "\${ARGOCD_OPTS:-}"; printf '%s\\x1f' "$@"; echo; } >> "$FAKE_LOG"
if [ -n "\${FAKE_ARGOCD_ERROR:-}" ]; then echo "$FAKE_ARGOCD_ERROR" >&2; exit 20; fi
if [ "$1 $2 $4 $5" != "app get -o json" ] || [ "$#" -ne 5 ]; then echo "fake argocd: unexpected call: $*" >&2; exit 99; fi
dir="$FAKE_APPS/\${ARGOCD_SERVER:-none}"
count_file="$dir/.$3.calls"
count=$(( $(cat "$count_file" 2>/dev/null || echo 0) + 1 ))
mkdir -p "$dir" && echo "$count" > "$count_file"
for file in "$dir/$3.$count.json" "$dir/$3.json"; do
  if [ -f "$file" ]; then cat "$file"; exit 0; fi
done
echo 'time="2026-01-01T00:00:00Z" level=fatal msg="rpc error: code = PermissionDenied desc = permission denied"' >&2
exit 20
`;

export interface Call {
  tool: string;
  token: string;
  server: string;
  opts: string;
  args: string[];
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: Call[];
}

/** Options of an Application fixture, as `argocd app get -o json` prints it. */
export interface AppState {
  namespace?: string;
  sync?: string;
  health?: string;
  images?: string[];
  history?: Array<{ id: number; deployedAt: string | null }>;
  operationState?: { phase: string; startedAt: string; finishedAt?: string };
}

export function application(name: string, state: AppState = {}): unknown {
  return {
    metadata: { name, namespace: state.namespace ?? "argocd" },
    spec: { project: name.endsWith("-prd") ? "services-prd" : "services-dev" },
    status: {
      sync: { status: state.sync ?? "Synced", revision: "0123456789abcdef0123456789abcdef01234567" },
      health: { status: state.health ?? "Healthy" },
      summary: { images: state.images ?? [] },
      ...(state.history ? { history: state.history } : {}),
      ...(state.operationState ? { operationState: state.operationState } : {}),
    },
  };
}

/** RFC 3339 time, in seconds as Kubernetes writes it, `seconds` before now. */
export function ago(seconds: number): string {
  return new Date(Date.now() - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A scratch directory with fake tools on PATH and Applications per server. */
export class Sandbox {
  readonly dir = mkdtempSync(path.join(tmpdir(), "promotion-gate-"));
  readonly bin = path.join(this.dir, "bin");
  readonly apps = path.join(this.dir, "apps");

  constructor(tools: Record<string, string> = {}) {
    mkdirSync(this.bin);
    for (const [name, body] of Object.entries({ argocd: FAKE_ARGOCD, ...tools })) {
      writeFileSync(path.join(this.bin, name), body);
      chmodSync(path.join(this.bin, name), 0o755);
    }
  }

  /** Serves the Application on `server` (on its `call`-th call only, when given). */
  serve(server: string, app: unknown, call?: number): void {
    const name = (app as { metadata: { name: string } }).metadata.name;
    mkdirSync(path.join(this.apps, server), { recursive: true });
    writeFileSync(path.join(this.apps, server, call ? `${name}.${call}.json` : `${name}.json`), JSON.stringify(app));
  }

  /** Serves any text as `argocd app get <name> -o json` prints it on `server`. */
  serveText(server: string, name: string, text: string): void {
    mkdirSync(path.join(this.apps, server), { recursive: true });
    writeFileSync(path.join(this.apps, server, `${name}.json`), text);
  }

  /** Forgets every Application and call count. */
  reset(): void {
    rmSync(this.apps, { recursive: true, force: true });
  }

  /** Runs a script of ci/promotion-gate with bash, the fakes first on PATH. */
  run(script: string, args: string[], env: Record<string, string | undefined> = {}, input?: string | Buffer): Run {
    const log = path.join(this.dir, `calls-${Math.random().toString(36).slice(2)}.log`);
    writeFileSync(log, "");
    const merged: Record<string, string | undefined> = {
      PATH: `${this.bin}:${process.env.PATH}`,
      HOME: this.dir,
      FAKE_LOG: log,
      FAKE_APPS: this.apps,
      ARGOCD_SERVER: "argocd.example.com",
      ARGOCD_AUTH_TOKEN: TOKEN,
      ...env,
    };
    const clean = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const res = spawnSync("bash", [path.join(GATE_DIR, script), ...args], { env: clean, encoding: "utf8", input });
    const calls = readFileSync(log, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line): Call => {
        const fields = line.split("\x1f");
        fields.pop(); // every field, the last one too, ends with a separator
        const [tool, token, server, opts, ...args] = fields;
        return { tool, token, server, opts, args };
      });
    return { status: res.status, stdout: res.stdout, stderr: res.stderr, calls };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A commit message as Image Updater's template for prd writes it: trailers in the last paragraph. */
export function updateMessage(app: string, ...images: Array<[name: string, tag: string]>): string {
  const groups = images.map(([name, tag]) => `Image-Updater-App: ${app}\nImage-Updater-Image: ${name}\nImage-Updater-Tag: ${tag}\n`);
  const lines = images.map(([name, tag]) => `- ${name} -> ${tag}\n`);
  return `build: promote ${app}\n\nImage Updater updates ${app}:\n${lines.join("")}\n${groups.join("")}`;
}

/** A repository in `dir` with a base commit and one empty commit per message on top. */
export function commitHistory(dir: string, messages: string[]): { base: string; shas: string[]; log: Buffer } {
  const git = (args: string[], input?: string) =>
    execFileSync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { encoding: "utf8", input });
  git(["init", "-q"]);
  git(["commit", "-q", "--allow-empty", "-m", "base"]);
  const base = git(["rev-parse", "HEAD"]).trim();
  for (const message of messages) git(["commit", "-q", "--allow-empty", "--cleanup=verbatim", "-F", "-"], message);
  const shas = git(["rev-list", "--reverse", `${base}..HEAD`]).trim().split("\n").filter(Boolean);
  // What the templates feed the gate: the commits of base..head, merges left out.
  const log = execFileSync("git", ["-C", dir, "log", "-z", "--no-merges", "--format=%H%n%B", `${base}..HEAD`]);
  return { base, shas, log };
}

/** Every line a run printed, on stdout and stderr. */
export const printed = (r: Run): string => r.stdout + r.stderr;
