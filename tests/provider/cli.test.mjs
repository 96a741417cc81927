// The two command lines other test suites rely on: server.mjs and harness.mjs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import * as jose from 'jose';

const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));
const HARNESS = fileURLToPath(new URL('./harness.mjs', import.meta.url));

function collect(stream) {
  const chunks = [];
  stream.on('data', (c) => chunks.push(c));
  return () => Buffer.concat(chunks).toString('utf8');
}

async function startServerProcess(signal) {
  const env = { ...process.env };
  delete env.AUTH0_EDGE_PROVIDER_KEYS;
  delete env.AUTH0_EDGE_PROVIDER_DEBUG;
  const child = spawn(process.execPath, [SERVER, '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  const exit = once(child, 'exit');
  // wait for the first complete line
  while (!stdout().includes('\n')) {
    const res = await Promise.race([once(child.stdout, 'data'), exit.then(() => 'exit')]);
    if (res === 'exit') throw new Error(`server exited early: ${stderr()}`);
  }
  const ready = JSON.parse(stdout().split('\n')[0]);
  const discovery = await (await fetch(new URL('.well-known/openid-configuration', ready.issuer))).json();
  const started = Date.now();
  child.kill(signal);
  const [code, sig] = await exit;
  return {
    ready, discovery, code, sig, stdout: stdout(), stderr: stderr(), stopMs: Date.now() - started,
  };
}

test('server.mjs --port 0 without keys: one JSON line on stdout, quiet, exits 0 on SIGTERM', async () => {
  const r = await startServerProcess('SIGTERM');
  assert.deepEqual(Object.keys(r.ready).sort(), ['issuer', 'port']);
  assert.equal(r.ready.issuer, `http://127.0.0.1:${r.ready.port}/`);
  assert.equal(r.discovery.issuer, r.ready.issuer);
  assert.equal(r.stdout, `${JSON.stringify(r.ready)}\n`, 'stdout holds exactly the JSON line');
  assert.equal(r.stderr, '', 'quiet by default');
  assert.equal(r.code, 0);
  assert.equal(r.sig, null);
  assert.ok(r.stopMs < 3000, `stopped in ${r.stopMs} ms`);
});

test('server.mjs exits 0 on SIGINT', async () => {
  const r = await startServerProcess('SIGINT');
  assert.equal(r.code, 0);
});

test('harness.mjs -- <command>: env vars, inherited stdio, exit code passed through', async () => {
  const script = `
    const e = process.env;
    const meta = await (await fetch(new URL('.well-known/openid-configuration', e.AUTH0_EDGE_TEST_ISSUER))).json();
    console.log(JSON.stringify({
      issuer: e.AUTH0_EDGE_TEST_ISSUER, domain: e.AUTH0_EDGE_TEST_DOMAIN, port: e.AUTH0_EDGE_TEST_PORT,
      key: e.AUTH0_EDGE_TEST_PKJWT_KEY, jwt: e.AUTH0_EDGE_TEST_EXTERNAL_JWT, metaIssuer: meta.issuer,
    }));
    process.exit(7);
  `;
  const child = spawn(process.execPath, [HARNESS, '--', process.execPath, '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  const [code] = await once(child, 'exit');
  assert.equal(code, 7, stderr());
  const out = JSON.parse(stdout().trim());
  assert.match(out.issuer, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.equal(out.metaIssuer, out.issuer);
  assert.equal(out.domain, `http://127.0.0.1:${out.port}`);
  assert.equal(out.issuer, `${out.domain}/`);
  assert.match(out.key, /^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n?$/);
  await jose.importPKCS8(out.key, 'RS256');
  const claims = jose.decodeJwt(out.jwt);
  assert.equal(claims.iss, 'https://external-idp.example/');
  assert.equal(claims.sub, 'ext-alice');
  assert.ok(claims.exp - claims.iat >= 7190 && claims.exp - claims.iat <= 7200);
  // the provider was stopped: its port no longer answers
  await assert.rejects(fetch(new URL('.well-known/jwks.json', out.issuer)));
});

test('harness.mjs -- <missing command> exits 127', async () => {
  const child = spawn(process.execPath, [HARNESS, '--', 'auth0-edge-no-such-command-xyz'], { stdio: 'ignore' });
  const [code] = await once(child, 'exit');
  assert.equal(code, 127);
});
