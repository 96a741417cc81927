// Every code block a user copies from README.md and pkg-templates/README.md, checked against the
// built package (pkg/): JavaScript under `tsc --strict --checkJs`, Deno's TypeScript under
// `deno check`, Rust compiled for wasm32 in a scratch crate, the browser page's module script
// parsed by Node. Shell blocks are commands, not code. A block that stops compiling fails the
// test command, naming the file and line of the block.
//
// Blocks are fragments: the names they use without defining (a user's own tokens, Node's
// `process`) are declared once here, in FREE_JS and FREE_RUST.
// node scripts/check-snippets.mjs <tsc> <deno>
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const [tsc, deno] = process.argv.slice(2);
const work = path.join(root, "target", "snippets");
const READMES = ["README.md", "pkg-templates/README.md"];

/** What the JavaScript blocks use without defining. */
const FREE_JS = `declare const process: { env: Record<string, string> };
declare const legacyToken: string;
declare const userAccessToken: string;
declare const serviceAccessToken: string;
`;
/** What the Rust blocks use without defining: the wrapper's parameters. */
const FREE_RUST = "legacy_token: String";

/** The fenced blocks of a markdown file: { lang, line, code }. */
function blocks(file) {
  const lines = readFileSync(path.join(root, file), "utf8").split("\n");
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const code = [];
    for (i++; i < lines.length && !lines[i].startsWith("```"); i++) code.push(lines[i]);
    found.push({ file, lang: open[1], line: start + 1, code: code.join("\n") });
  }
  return found;
}

const all = READMES.flatMap(blocks);
const name = (b) => `${b.file.replace(/[^A-Za-z0-9]/g, "_")}_${b.line}`;
const where = (b) => `${b.file}:${b.line}`;
rmSync(work, { recursive: true, force: true });
const failures = [];
const counts = {};
const count = (kind) => (counts[kind] = (counts[kind] ?? 0) + 1);

// JavaScript (and TypeScript that is not Deno's): one tsc project, every block a module.
const jsDir = path.join(work, "js");
mkdirSync(jsDir, { recursive: true });
const jsFiles = new Map();
for (const b of all) {
  if (b.lang === "js" || (b.lang === "ts" && !b.code.includes("Deno."))) {
    const f = `${name(b)}.${b.lang}`;
    writeFileSync(path.join(jsDir, f), `${b.code}\nexport {};\n`);
    jsFiles.set(f, b);
    count(b.lang === "js" ? "JavaScript (tsc --strict --checkJs)" : "TypeScript (tsc --strict)");
  }
}
writeFileSync(path.join(jsDir, "free.d.ts"), FREE_JS);
writeFileSync(path.join(jsDir, "tsconfig.json"), JSON.stringify({
  compilerOptions: {
    // Strict, but for implicit any: JavaScript has no annotations to give (a Worker's `env`).
    strict: true, noImplicitAny: false, allowJs: true, checkJs: true, noEmit: true, skipLibCheck: false,
    target: "es2022", module: "es2022", moduleResolution: "bundler", lib: ["es2022", "dom", "dom.iterable"], types: [],
    paths: { "auth0-edge": [path.join(root, "pkg", "index.d.ts")] },
  },
  files: ["free.d.ts", ...jsFiles.keys()],
}, null, 2));
if (jsFiles.size > 0) {
  const r = spawnSync(tsc, ["-p", jsDir, "--pretty", "false"], { encoding: "utf8" });
  if (r.status !== 0) {
    // tsc names our generated file: say which README block it is.
    const out = `${r.stdout}${r.stderr}`.replace(/[^\s(]*?([\w]+\.(?:js|ts))\((\d+),(\d+)\)/g, (m, f, l) => {
      const b = jsFiles.get(f);
      return b ? `${b.file}:${b.line + Number(l)}` : m;
    });
    failures.push(`tsc --strict on the README's JavaScript and TypeScript blocks:\n${out}`);
  }
}

// Deno: `deno check`, the package mapped to pkg/ (the README's `npm:auth0-edge` is its registry name).
for (const b of all.filter((b) => b.lang === "ts" && b.code.includes("Deno."))) {
  const dir = path.join(work, "deno", name(b));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "main.ts"), b.code.replaceAll('"npm:auth0-edge"', '"auth0-edge"'));
  writeFileSync(path.join(dir, "deno.json"), JSON.stringify({ imports: { "auth0-edge": path.join(root, "pkg", "deno.js") } }));
  const r = spawnSync(deno, ["check", "--quiet", "--unstable-kv", "--config", path.join(dir, "deno.json"), path.join(dir, "main.ts")], {
    encoding: "utf8", env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
  });
  count("Deno (deno check)");
  if (r.status !== 0) failures.push(`deno check, ${where(b)}:\n${r.stdout}${r.stderr}`);
}

// Rust: each block the body of an async function of a scratch crate, compiled for wasm32.
const rust = all.filter((b) => b.lang === "rust");
if (rust.length > 0) {
  const dir = path.join(work, "rust");
  mkdirSync(path.join(dir, "src"), { recursive: true });
  writeFileSync(path.join(dir, "Cargo.toml"), `[package]
name = "readme-snippets"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
auth0-edge = { path = ${JSON.stringify(root)} }
wasm-bindgen = "=0.2.130"
`);
  copyFileSync(path.join(root, "Cargo.lock"), path.join(dir, "Cargo.lock"));
  const fns = rust.map((b) => `// ${where(b)}\n#[allow(unused)]\nasync fn ${name(b)}(${FREE_RUST}) -> Result<(), auth0_edge::Error> {\n${b.code}\nOk(())\n}\n`);
  writeFileSync(path.join(dir, "src", "lib.rs"), fns.join("\n"));
  for (const b of rust) count("Rust (cargo check, wasm32)");
  const r = spawnSync("cargo", ["check", "--quiet", "--target", "wasm32-unknown-unknown", "--message-format", "short"], {
    cwd: dir, encoding: "utf8", env: { ...process.env, CARGO_TARGET_DIR: path.join(root, "target") },
  });
  if (r.status !== 0) failures.push(`cargo check of the README's Rust blocks (${dir}/src/lib.rs, each block after its "// README" line):\n${r.stderr}`);
}

// The browser page: its module script must parse (it runs in a browser, not under tsc).
for (const b of all.filter((b) => b.lang === "html")) {
  const scripts = [...b.code.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  scripts.forEach((s, i) => {
    const f = path.join(work, "html", `${name(b)}_${i}.mjs`);
    mkdirSync(path.dirname(f), { recursive: true });
    writeFileSync(f, s);
    const r = spawnSync(process.execPath, ["--check", f], { encoding: "utf8" });
    count("HTML module scripts (node --check)");
    if (r.status !== 0) failures.push(`node --check, ${where(b)}:\n${r.stderr}`);
  });
}

// The packaged README: every relative link must reach a file of the package.
const packaged = readFileSync(path.join(root, "pkg-templates", "README.md"), "utf8");
for (const [, target] of packaged.matchAll(/\]\(([^)\s]+)\)/g)) {
  if (/^(https?:|mailto:|#)/.test(target)) continue;
  const file = path.join(root, "pkg", target.split("#")[0]);
  count("links of the packaged README, inside the package");
  try {
    readFileSync(file);
  } catch {
    failures.push(`pkg-templates/README.md links ${target}, which is not in the package`);
  }
}

// The package's own documents (README, types, JavaScript) cite nothing the package lacks.
for (const f of ["README.md", "index.d.ts", "auth0_edge.d.ts"]) {
  const text = readFileSync(path.join(root, "pkg", f), "utf8");
  count("package documents free of references to the repository's files");
  for (const ref of ["BEHAVIOUR.md", "pkg-templates/", "src/", "tests/"]) {
    if (text.includes(ref)) failures.push(`pkg/${f} mentions ${ref}, which is not in the package`);
  }
}

const skipped = all.filter((b) => !["js", "ts", "rust", "html"].includes(b.lang)).length;
for (const [kind, n] of Object.entries(counts)) console.log(`    ${kind}: ${n}`);
console.log(`    shell and text blocks (commands, not code): ${skipped}`);
if (failures.length > 0) {
  console.error(`\n${failures.join("\n\n")}`);
  process.exit(1);
}
