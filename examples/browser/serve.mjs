// A static server for the browser example: the page at /, the installed package at /auth0-edge/.
//   node browser/serve.mjs            (PORT=8080 by default; 0 picks a free port)
import { createServer } from "node:http";
import { readFile, realpath } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const roots = {
  "/auth0-edge/": await realpath(path.join(here, "..", "node_modules", "auth0-edge")),
  "/": here,
};
// WASM_TYPE: the .wasm's content type (the tests also serve it as application/octet-stream, as some
// static hosts do: the package then instantiates it from its bytes, without streaming).
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": process.env.WASM_TYPE || "application/wasm", ".json": "application/json" };

const server = createServer(async (req, res) => {
  const { pathname } = new URL(req.url, "http://localhost");
  const prefix = Object.keys(roots).find((p) => pathname.startsWith(p));
  const rel = decodeURIComponent(pathname.slice(prefix.length)) || "index.html";
  const file = path.join(roots[prefix], rel);
  const type = TYPES[path.extname(file)];
  if (!type || !file.startsWith(roots[prefix] + path.sep) || req.method !== "GET") {
    res.writeHead(404).end("not found");
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { "content-type": type, "cache-control": "no-store" }).end(body);
  } catch {
    res.writeHead(404).end("not found");
  }
});
server.listen(Number(process.env.PORT ?? 8080), "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}/`);
});
