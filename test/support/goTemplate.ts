import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Go text/template with Sprig (test/support/gotemplate/main.go), built once per source version
 * from Debian's packages: golang-go and golang-github-masterminds-sprig-dev (`bash .ci/run`
 * installs both). The build runs offline in GOPATH mode: the go.mod written beside the source
 * makes `github.com/Masterminds/sprig/v3` resolve to the GOPATH copy.
 */
const SOURCE = path.join(__dirname, "gotemplate", "main.go");
const GOCODE = process.env.GOTEMPLATE_GOPATH ?? "/usr/share/gocode";
const INSTALL_HINT =
    "install Go and Sprig (Debian: apt-get install golang-go golang-github-masterminds-sprig-dev; `bash .ci/run` does it), " +
    "or point GOTEMPLATE_GOPATH at a GOPATH holding github.com/Masterminds/sprig and its dependencies";

let binary: string | undefined;

function build(): string {
    const source = readFileSync(SOURCE);
    const cache = path.join(__dirname, "..", "..", "node_modules", ".cache", "gotemplate");
    const out = path.join(cache, `gotemplate-${createHash("sha256").update(source).digest("hex").slice(0, 16)}`);
    if (existsSync(out)) return out;
    if (!existsSync(path.join(GOCODE, "src", "github.com", "Masterminds", "sprig"))) {
        throw new Error(`Sprig not found under ${GOCODE}/src: ${INSTALL_HINT}`);
    }
    const work = mkdtempSync(path.join(tmpdir(), "gotemplate-"));
    try {
        const pkg = path.join(work, "src", "gotemplate");
        mkdirSync(pkg, { recursive: true });
        writeFileSync(path.join(pkg, "main.go"), source);
        writeFileSync(path.join(pkg, "go.mod"), "module gotemplate\n\ngo 1.19\n");
        mkdirSync(cache, { recursive: true });
        const result = spawnSync("go", ["build", "-o", out, "."], {
            cwd: pkg,
            encoding: "utf8",
            env: {
                ...process.env,
                GO111MODULE: "off",
                GOPROXY: "off",
                GOFLAGS: "",
                GOPATH: `${work}:${GOCODE}`,
                GOCACHE: path.join(cache, "go-build"),
            },
        });
        if (result.error) throw new Error(`cannot run go (${result.error.message}): ${INSTALL_HINT}`);
        if (result.status !== 0) throw new Error(`go build of the template harness failed:\n${result.stderr}`);
        return out;
    } finally {
        rmSync(work, { recursive: true, force: true });
    }
}

/**
 * The template's output for the data, or an Error carrying Go's message when it does not parse
 * or execute. `functions: "none"` leaves Go's built-ins only (Image Updater's commit message).
 */
export function executeGoTemplate(template: string, data: unknown, options: { functions: "sprig" | "none" } = { functions: "sprig" }): string {
    binary ??= build();
    const dir = mkdtempSync(path.join(tmpdir(), "gotemplate-run-"));
    try {
        const file = path.join(dir, "template");
        writeFileSync(file, template);
        const args = options.functions === "none" ? ["-bare", file] : [file];
        const result = spawnSync(binary, args, { input: JSON.stringify(data), encoding: "utf8" });
        if (result.error) throw result.error;
        if (result.status !== 0) throw new Error(result.stderr.trim());
        return result.stdout;
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
