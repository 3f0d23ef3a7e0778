/**
 * Version constraints with the semantics of Masterminds/semver v3.4.0, the
 * library Argo CD Image Updater v1.x uses to pick the newest image tag.
 *
 * npm `semver` is deliberately not used here: its ranges differ (no comma
 * AND, no `!=`, `~0-0` is invalid, pre-releases only match on the same
 * x.y.z), and its versions differ too (exactly three parts, no leading zeros,
 * numbers capped at 2^53 where Masterminds accepts any uint64). Ordering is
 * therefore implemented here as well, following Masterminds' `Compare`.
 *
 * Everything mirrors upstream's regular expressions and comparison functions,
 * including their quirks, because the point is to predict exactly which tag
 * the updater will deploy.
 *
 * @module
 */

/** A version as Masterminds' `NewVersion` parses it. */
export interface Version {
    /** Numeric parts are uint64 upstream, so they are bigint here (tags such as `20240101123456789` exceed 2^53). */
    readonly major: bigint;
    readonly minor: bigint;
    readonly patch: bigint;
    /** Dot-separated pre-release identifiers without the leading `-`; empty when there are none. Build metadata is not kept: no comparison reads it. */
    readonly prerelease: string;
}

/** The operators Masterminds accepts, as written. An empty operator means `=`. */
export type Operator = "" | "=" | "!=" | ">" | "<" | ">=" | "=>" | "<=" | "=<" | "~" | "~>" | "^";

/**
 * The first wildcard (`x`, `X`, `*`) or missing part of a constraint's
 * version: `*` is `"major"`, `1` and `1.x` are `"minor"`, `1.2` and `1.2.x`
 * are `"patch"`. Upstream calls these `dirty`, `minorDirty` and `patchDirty`.
 */
export type WildcardFrom = "major" | "minor" | "patch";

/** One comparison inside an AND-group, such as `>= 1.2`. */
export interface Comparator {
    readonly operator: Operator;
    /** The version as written, e.g. `1.x` or `v1.2.3-rc.1`. */
    readonly version: string;
    /** The version compared against: wildcards and missing parts become 0 and build metadata is dropped. */
    readonly bound: Version;
    /** Undefined when the version names all three parts. */
    readonly wildcardFrom: WildcardFrom | undefined;
}

/** Comparators that must all hold (separated by spaces or commas). */
export interface ConstraintGroup {
    readonly comparators: readonly Comparator[];
    /** Whether a comparator carries a pre-release, which lets pre-release versions through this group. */
    readonly hasPrerelease: boolean;
}

/** Options for {@link parseConstraint}. */
export interface ConstraintOptions {
    /**
     * Masterminds' `Constraints.IncludePrerelease`: let pre-release versions
     * through every group. Argo CD Image Updater leaves it false.
     */
    readonly includePrerelease?: boolean;
}

/** Thrown for a constraint that Masterminds' `NewConstraint` rejects. */
export class ConstraintError extends Error {
    override readonly name = "ConstraintError";
    /** The constraint as given. */
    readonly constraint: string;
    /** The offending text (empty when the constraint ends where something was expected). */
    readonly fragment: string;
    /** Zero-based offset of the offending text in {@link ConstraintError.constraint}. */
    readonly position: number;

    constructor(details: { constraint: string; fragment: string; position: number; problem: string; note?: string }) {
        super(
            `Invalid version constraint ${JSON.stringify(details.constraint)}: ` +
                `${details.problem} at position ${details.position}${details.note ?? ""}`,
        );
        this.constraint = details.constraint;
        this.fragment = details.fragment;
        this.position = details.position;
    }
}

/** A parsed constraint: OR-groups of AND-ed comparators. */
export class Constraint {
    /**
     * True when some pre-release version can pass: a group carries a
     * pre-release (e.g. `~0-0`) or `includePrerelease` was set. When false,
     * every pre-release is rejected whatever its x.y.z.
     */
    readonly admitsPrereleases: boolean;

    /** @internal Use {@link parseConstraint}. */
    constructor(
        /** The constraint as given. */
        readonly text: string,
        /** The OR-groups, in order. */
        readonly groups: readonly ConstraintGroup[],
        private readonly includePrerelease: boolean,
    ) {
        this.admitsPrereleases = includePrerelease || groups.some((group) => group.hasPrerelease);
    }

    /**
     * Masterminds' `Constraints.Check`. An unparseable version string is
     * rejected.
     */
    check(version: string | Version): boolean {
        const parsed = typeof version === "string" ? parseVersion(version) : version;
        return parsed !== undefined && this.groups.some((group) => groupAdmits(group, parsed, this.includePrerelease));
    }
}

/**
 * Parses a version like Masterminds' `NewVersion` (not `StrictNewVersion`):
 * an optional `v`, one to three numeric parts (missing parts are 0, leading
 * zeros allowed), then an optional pre-release and build metadata.
 *
 * @returns undefined when Masterminds would reject the text.
 */
export function parseVersion(text: string): Version | undefined {
    const read = readVersion(text);
    return read.ok ? read.version : undefined;
}

/**
 * Masterminds' `Version.Compare`: numeric parts, then pre-release (a release
 * sorts after its pre-releases). Build metadata is ignored.
 *
 * @returns -1, 0 or 1.
 */
export function compareVersions(a: Version, b: Version): -1 | 0 | 1 {
    return (
        compareBigints(a.major, b.major) ||
        compareBigints(a.minor, b.minor) ||
        compareBigints(a.patch, b.patch) ||
        compareReleaseStatus(a.prerelease, b.prerelease)
    );
}

/**
 * Parses a constraint like Masterminds' `NewConstraint`: `||` separates
 * OR-groups, spaces or commas separate the comparators of a group, and
 * `A - B` hyphen ranges become `>= A, <= B`.
 *
 * @throws {ConstraintError} when Masterminds would reject it, including for
 * the empty string (Argo CD Image Updater substitutes `*` for an empty
 * constraint before parsing; {@link newestTag} does the same).
 */
export function parseConstraint(text: string, options: ConstraintOptions = {}): Constraint {
    const rewritten = rewriteHyphenRanges(text);
    const fail: Fail = (at, fragment, problem) => {
        const { position, range } = originalPosition(rewritten, at);
        if (!range) return new ConstraintError({ constraint: text, fragment, position, problem });
        // The rewritten text is not what the user wrote: blame the whole range and show the rewrite.
        const note =
            ` (inside the hyphen range ${JSON.stringify(range.written)}, which Masterminds rewrites to ` +
            `${JSON.stringify(range.replacement)} before parsing)`;
        return new ConstraintError({ constraint: text, fragment: range.written, position, problem, note });
    };
    const groups: ConstraintGroup[] = [];
    let at = 0;
    // Split after the rewrite, as upstream does; `strings.Split` and String.split agree on runs like `|||`.
    for (const part of rewritten.text.split("||")) {
        const comparators = scanGroup(part, at, fail);
        groups.push({ comparators, hasPrerelease: comparators.some((c) => c.bound.prerelease !== "") });
        at += part.length + "||".length;
    }
    return new Constraint(text, groups, options.includePrerelease ?? false);
}

/**
 * Whether `version` satisfies `constraint` (Masterminds' `Check` with
 * IncludePrerelease=false).
 *
 * @returns false when the version is not parseable.
 * @throws {ConstraintError} when the constraint is invalid.
 */
export function satisfies(version: string, constraint: string): boolean {
    return parseConstraint(constraint).check(version);
}

/**
 * The tags that parse as versions, ascending by version with equal versions
 * (`v2.0` and `v2.0.0`) ordered by tag string, as the updater sorts them.
 */
export function sortSemverTags(tags: readonly string[]): string[] {
    return semverCandidates(tags).map((candidate) => candidate.tag);
}

/**
 * The tag Argo CD Image Updater's semver strategy would pick: the highest
 * parseable tag that satisfies the constraint (empty means `*`, which admits
 * no pre-releases).
 *
 * @returns undefined when no tag qualifies or the constraint is invalid (the
 * updater logs an error and does not update).
 */
export function newestTag(tags: readonly string[], constraint: string): string | undefined {
    let parsed: Constraint;
    try {
        parsed = parseConstraint(constraint === "" ? "*" : constraint);
    } catch (error) {
        if (error instanceof ConstraintError) return undefined;
        throw error;
    }
    return semverCandidates(tags)
        .filter((candidate) => parsed.check(candidate.version))
        .at(-1)?.tag;
}

// ---------------------------------------------------------------------------
// Versions

/** Upstream's `NewVersion` pattern (the coercing one, in effect by default since v3.4.0). */
const VERSION_PATTERN =
    /^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

const UINT64_MAX = 2n ** 64n - 1n;

type ReadVersion = { ok: true; version: Version } | { ok: false; problem: string };

/** `NewVersion`, keeping the reason for a rejection so constraint errors can explain it. */
function readVersion(text: string): ReadVersion {
    const match = VERSION_PATTERN.exec(text);
    if (!match) return { ok: false, problem: "not a version" };
    const [, major, minor = "0", patch = "0", prerelease = ""] = match;
    const tooBig = [major, minor, patch].find((part) => parseUint64(part) === undefined);
    if (tooBig !== undefined) return { ok: false, problem: `${JSON.stringify(tooBig)} does not fit in 64 bits` };
    // The pattern already limits characters; upstream's validatePrerelease adds the leading-zero rule.
    const leadingZero = prerelease.split(".").find((id) => /^0[0-9]+$/.test(id));
    if (leadingZero !== undefined) {
        return { ok: false, problem: `numeric pre-release identifier ${JSON.stringify(leadingZero)} has a leading zero` };
    }
    return {
        ok: true,
        version: {
            major: BigInt(major),
            minor: BigInt(minor),
            patch: BigInt(patch),
            prerelease,
        },
    };
}

/** Go's `strconv.ParseUint(s, 10, 64)`: decimal digits (leading zeros fine) up to 2^64-1. */
function parseUint64(text: string): bigint | undefined {
    if (!/^[0-9]+$/.test(text)) return undefined;
    const value = BigInt(text);
    return value <= UINT64_MAX ? value : undefined;
}

function compareBigints(a: bigint, b: bigint): -1 | 0 | 1 {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** Same x.y.z: a release sorts after any of its pre-releases. */
function compareReleaseStatus(a: string, b: string): -1 | 0 | 1 {
    if (a === b) return 0;
    if (a === "") return 1;
    if (b === "") return -1;
    return comparePrerelease(a, b);
}

/** Upstream's `comparePrerelease`: identifier by identifier; the shorter list sorts first when one is a prefix. */
function comparePrerelease(a: string, b: string): -1 | 0 | 1 {
    const as = a.split(".");
    const bs = b.split(".");
    const orders = Array.from({ length: Math.max(as.length, bs.length) }, (_, i) => compareIdentifier(as[i] ?? "", bs[i] ?? ""));
    return orders.find((order) => order !== 0) ?? 0;
}

/**
 * Upstream's `comparePrePart`. An identifier is numeric when Go's ParseUint
 * accepts it, so `-2` is alphanumeric and sorts after every number, and a
 * numeric identifier beyond uint64 compares as text.
 */
function compareIdentifier(a: string, b: string): -1 | 0 | 1 {
    if (a === b) return 0;
    if (a === "") return -1;
    if (b === "") return 1;
    const an = parseUint64(a);
    const bn = parseUint64(b);
    if (an !== undefined && bn !== undefined) return an < bn ? -1 : 1;
    if (an !== undefined) return -1;
    if (bn !== undefined) return 1;
    return a < b ? -1 : 1;
}

interface Candidate {
    readonly tag: string;
    readonly version: Version;
}

function semverCandidates(tags: readonly string[]): Candidate[] {
    return tags
        .flatMap((tag) => {
            const version = parseVersion(tag);
            return version ? [{ tag, version }] : [];
        })
        .sort((a, b) => compareVersions(a.version, b.version) || compareStrings(a.tag, b.tag));
}

/** Go's string order. Parseable tags are ASCII, where UTF-16 and byte order agree. */
function compareStrings(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------
// Constraint syntax

/** Go RE2's `\s`, narrower than JavaScript's (no `\v`, no Unicode spaces). */
const SPACE = "[\\t\\n\\f\\r ]";
/** Upstream's `[0-9|x|X|\*]+`: inside a class `|` is literal, so `1|2` scans here and fails later as a number. */
const PART = "[0-9|xX*]+";
const IDENTIFIERS = "[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*";
/** Upstream's `cvRegex`, capturing major, minor, patch, pre-release and metadata. */
const CONSTRAINT_VERSION = `v?(${PART})(?:\\.(${PART}))?(?:\\.(${PART}))?(?:-(${IDENTIFIERS}))?(?:\\+(${IDENTIFIERS}))?`;

/** Upstream's `constraintRangeRegex`: it also swallows the whitespace around the range. */
const HYPHEN_RANGE = new RegExp(
    `${SPACE}*(?<from>${CONSTRAINT_VERSION})${SPACE}+-${SPACE}+(?<to>${CONSTRAINT_VERSION})${SPACE}*`,
    "g",
);
/** Two-character operators first; a one-character prefix of them can never be followed by a version. */
const OPERATOR_AT = /!=|>=|=>|<=|=<|~>|[=><~^]|/y;
const SPACES_AT = new RegExp(`${SPACE}*`, "y");
const CONSTRAINT_VERSION_AT = new RegExp(CONSTRAINT_VERSION, "y");

type Fail = (rewrittenAt: number, fragment: string, problem: string) => ConstraintError;

interface RangeRewrite {
    /** The span of the replacement in the rewritten text. */
    readonly outStart: number;
    readonly outEnd: number;
    /** Where the match, including the whitespace around the range, ends in the original text. */
    readonly inEnd: number;
    /** The range as written (without that whitespace) and where it starts in the original text. */
    readonly written: string;
    readonly writtenAt: number;
    readonly replacement: string;
}

interface Rewritten {
    readonly text: string;
    readonly ranges: readonly RangeRewrite[];
}

/**
 * Upstream's `rewriteRange`: every `A - B` becomes `>= A, <= B ` before
 * anything else is parsed, whitespace on both sides included. That is why
 * `>1 1 - 2` is invalid (it becomes `>1>= 1, <= 2 `) while `>1, 1 - 2` and
 * `1 - 2 >1` are fine. Upstream replaces the first occurrence of each
 * matched text; replacing the match in place gives the same result for
 * every constraint that parses.
 */
function rewriteHyphenRanges(text: string): Rewritten {
    const ranges: RangeRewrite[] = [];
    let out = "";
    let copied = 0;
    for (const match of text.matchAll(HYPHEN_RANGE)) {
        const replacement = `>= ${match.groups!.from}, <= ${match.groups!.to} `;
        out += text.slice(copied, match.index);
        copied = match.index + match[0].length;
        ranges.push({
            outStart: out.length,
            outEnd: out.length + replacement.length,
            inEnd: copied,
            written: match[0].trim(),
            writtenAt: match.index + match[0].length - match[0].trimStart().length,
            replacement,
        });
        out += replacement;
    }
    return { text: out + text.slice(copied), ranges };
}

/** Maps an offset in the rewritten text back to the original, pointing at the range when it falls inside one. */
function originalPosition(rewritten: Rewritten, at: number): { position: number; range?: RangeRewrite } {
    let shift = 0;
    for (const range of rewritten.ranges) {
        if (at < range.outStart) break;
        if (at < range.outEnd) return { position: range.writtenAt, range };
        shift = range.inEnd - range.outEnd;
    }
    return { position: at + shift };
}

/**
 * Scans one OR-group. Equivalent to upstream's `validConstraintRegex` check
 * followed by `findConstraintRegex`: comparators are separated by whitespace
 * or by one comma with optional whitespace around it.
 *
 * @param at offset of `text` in the rewritten constraint, for error positions.
 */
function scanGroup(text: string, at: number, fail: Fail): Comparator[] {
    const comparators: Comparator[] = [];
    let pos = skipSpaces(text, 0);
    // Every round consumes a comparator, so the scan ends within text.length + 1 rounds; the bound
    // turns a scanning bug into an error instead of a hang of `pulumi up`.
    for (let round = 0; round <= text.length; round++) {
        const operator = matchAt(OPERATOR_AT, text, pos)![0] as Operator;
        const versionAt = skipSpaces(text, pos + operator.length);
        const version = matchAt(CONSTRAINT_VERSION_AT, text, versionAt);
        if (!version) {
            const fragment = fragmentAt(text, versionAt);
            const expected = operator ? `a version after "${operator}"` : "an operator or a version";
            throw fail(at + versionAt, fragment, `expected ${expected} but found ${describe(fragment)}`);
        }
        comparators.push(comparator(operator, version, at + versionAt, fail));

        const end = versionAt + version[0].length;
        pos = skipSpaces(text, end);
        if (pos === text.length) return comparators;
        if (text[pos] === ",") {
            pos = skipSpaces(text, pos + 1);
        } else if (pos === end) {
            const fragment = fragmentAt(text, end);
            throw fail(at + end, fragment, `unexpected ${describe(fragment)} after "${version[0]}"`);
        }
    }
    throw new Error(`constraint scanner made no progress in ${JSON.stringify(text)}`);
}

/**
 * Upstream's `parseConstraint` for one comparator: parts from the first
 * wildcard on are replaced by 0 (and are not checked any further, so `1.x.5`
 * is `1.x`), and build metadata only survives on a full version.
 */
function comparator(operator: Operator, match: RegExpExecArray, at: number, fail: Fail): Comparator {
    const [written, major, minor, patch, prerelease] = match;
    const wildcardFrom: WildcardFrom | undefined = isWildcard(major)
        ? "major"
        : isWildcard(minor)
          ? "minor"
          : isWildcard(patch)
            ? "patch"
            : undefined;
    const suffix = prerelease === undefined ? "" : `-${prerelease}`;
    const boundText = {
        major: `0.0.0${suffix}`,
        minor: `${major}.0.0${suffix}`,
        patch: `${major}.${minor}.0${suffix}`,
        full: written,
    }[wildcardFrom ?? "full"];
    const bound = readVersion(boundText);
    if (!bound.ok) {
        throw fail(at, written, `invalid version ${JSON.stringify(written)} (${bound.problem})`);
    }
    return { operator, version: written, bound: bound.version, wildcardFrom };
}

/** A missing part counts as a wildcard, as upstream's `isX(m[n]) || m[n] == ""`. */
function isWildcard(part: string | undefined): boolean {
    return part === undefined || part === "x" || part === "X" || part === "*";
}

function matchAt(pattern: RegExp, text: string, pos: number): RegExpExecArray | null {
    pattern.lastIndex = pos;
    return pattern.exec(text);
}

function skipSpaces(text: string, pos: number): number {
    return pos + matchAt(SPACES_AT, text, pos)![0].length;
}

/** The text up to the next separator, or the single separator found where text was expected. */
function fragmentAt(text: string, pos: number): string {
    return /^[^\t\n\f\r ,]*/.exec(text.slice(pos))![0] || text.charAt(pos);
}

function describe(fragment: string): string {
    return fragment === "" ? "nothing" : JSON.stringify(fragment);
}

// ---------------------------------------------------------------------------
// Constraint semantics (upstream's constraint* functions)

function groupAdmits(group: ConstraintGroup, version: Version, includePrerelease: boolean): boolean {
    // Upstream checks this at the top of every comparator: a pre-release only
    // passes a group that carries a pre-release somewhere, and then it is
    // compared like any other version, whatever its x.y.z (`~0-0` admits 0.9.0-beta.1).
    if (version.prerelease !== "" && !includePrerelease && !group.hasPrerelease) return false;
    return group.comparators.every((c) => comparatorAdmits(c, version));
}

function comparatorAdmits(c: Comparator, v: Version): boolean {
    switch (c.operator) {
        case "":
        case "=":
            return c.wildcardFrom ? tilde(c, v) : compareVersions(v, c.bound) === 0;
        case "!=":
            return notEqual(c, v);
        case ">":
            return greaterThan(c, v);
        case "<":
            // No wildcard handling upstream: `<1.x` is `<1.0.0`.
            return compareVersions(v, c.bound) < 0;
        case ">=":
        case "=>":
            return compareVersions(v, c.bound) >= 0;
        case "<=":
        case "=<":
            return lessOrEqual(c, v);
        case "~":
        case "~>":
            return tilde(c, v);
        case "^":
            return caret(c, v);
    }
}

/** `!=1.x` excludes all of 1.y.z; `!=1.2` excludes 1.2.z but, for pre-releases, only the exact pre-release. */
function notEqual(c: Comparator, v: Version): boolean {
    const b = c.bound;
    if (c.wildcardFrom === "minor") return v.major !== b.major;
    if (c.wildcardFrom === "patch") {
        if (v.major !== b.major || v.minor !== b.minor) return true;
        // Only equality matters here, and no pre-release list equals the empty one.
        return comparePrerelease(v.prerelease, b.prerelease) !== 0;
    }
    // Quirk: `!=*` has the bound 0.0.0 and so excludes only 0.0.0.
    return compareVersions(v, b) !== 0;
}

/** `>1` needs 2.0.0 or more, `>1.2` needs 1.3.0 or more. */
function greaterThan(c: Comparator, v: Version): boolean {
    const b = c.bound;
    if (c.wildcardFrom === "minor" || c.wildcardFrom === "patch") {
        if (v.major !== b.major) return v.major > b.major;
        return c.wildcardFrom === "patch" && v.minor > b.minor;
    }
    return compareVersions(v, b) > 0;
}

/** `<=1` admits all of 1.y.z, `<=1.2` all of 1.2.z; the bound's pre-release is ignored then. */
function lessOrEqual(c: Comparator, v: Version): boolean {
    const b = c.bound;
    if (!c.wildcardFrom) return compareVersions(v, b) <= 0;
    if (v.major !== b.major) return v.major < b.major;
    // Quirk: `<=*` has the bound 0.0.0 and no minor wildcard, so it admits only 0.0.z.
    return c.wildcardFrom === "minor" || v.minor <= b.minor;
}

/** `~1.2.3` is >=1.2.3 <1.3.0, `~1` (and `1`, `1.x`) is >=1.0.0 <2.0.0. */
function tilde(c: Comparator, v: Version): boolean {
    const b = c.bound;
    if (compareVersions(v, b) < 0) return false;
    // Upstream's special case for ~0.0.0, which `*` and `~*` also reach: anything at or above the bound.
    if (b.major === 0n && b.minor === 0n && b.patch === 0n && (c.wildcardFrom === undefined || c.wildcardFrom === "major")) {
        return true;
    }
    if (v.major !== b.major) return false;
    return c.wildcardFrom === "minor" || v.minor === b.minor;
}

/** `^1.2.3` is >=1.2.3 <2.0.0, `^0.2.3` is >=0.2.3 <0.3.0, `^0.0.3` is exactly 0.0.3. */
function caret(c: Comparator, v: Version): boolean {
    const b = c.bound;
    if (compareVersions(v, b) < 0) return false;
    if (b.major > 0n || c.wildcardFrom === "minor") return v.major === b.major;
    // Quirk: `^*` has the bound 0.0.0 and no minor/patch wildcard, so it admits only 0.0.0.
    if (v.major > 0n) return false;
    if (b.minor > 0n || c.wildcardFrom === "patch") return v.minor === b.minor;
    if (v.minor > 0n) return false;
    return v.patch === b.patch;
}
