#!/usr/bin/env node
// Test helper for the local Auth0-compatible provider (server.mjs).
//
// Library:  const p = await startProvider(); ...; await p.stop();
// CLI:      node tests/provider/harness.mjs -- <command> [args...]
//   starts the provider, runs <command> with AUTH0_EDGE_TEST_* env vars added
//   (stdio inherited), stops the provider and exits with the command's code.

import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import * as jose from 'jose';

import {
  CLIENTS, DPOP_API_PATHS, EXTERNAL_ISSUER, KEYS_ENV, USERS,
} from './fixtures.mjs';

const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

// Providers not stopped by their owner (a crashed test, say) die with this process.
const live = new Set();
process.once('exit', () => { for (const child of live) child.kill('SIGKILL'); });

async function generateRsaKeyPair() {
  const { privateKey } = await new Promise((resolve, reject) => {
    crypto.generateKeyPair('rsa', { modulusLength: 2048 }, (err, publicKey, privKey) => {
      if (err) reject(err); else resolve({ publicKey, privateKey: privKey });
    });
  });
  const privateJwk = privateKey.export({ format: 'jwk' });
  privateJwk.kid = await jose.calculateJwkThumbprint(privateJwk);
  privateJwk.alg = 'RS256';
  const {
    d, p, q, dp, dq, qi, ...publicJwk
  } = privateJwk;
  return {
    privateKey,
    privateJwk,
    publicJwk,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }),
  };
}

/**
 * Starts server.mjs on a free loopback port with freshly generated keys for the
 * private_key_jwt client and the external IdP.
 *
 * @param {{ verbose?: boolean }} [options] verbose: let the server log to stderr.
 * @returns {Promise<{
 *   issuer: string, port: number, domain: string, tokenEndpoint: string,
 *   discoveryUrl: string, jwksUri: string, dpopApiUrl: string, dpopNonceApiUrl: string,
 *   clientPrivateKeyPem: string, clientPrivateJwk: object, clientPublicJwk: object,
 *   externalPrivateJwk: object, externalPublicJwk: object, signingPrivateJwk: object,
 *   mintExternalJwt: (claims?: object, opts?: { expiresIn?: number, issuer?: string|null, key?: any, kid?: string }) => Promise<string>,
 *   stop: () => Promise<number|null>,
 * }>}
 */
export async function startProvider({ verbose = false } = {}) {
  const [client, external, signing] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair(), generateRsaKeyPair()]);

  const env = {
    ...process.env,
    [KEYS_ENV]: JSON.stringify({ clientJwk: client.publicJwk, externalJwk: external.publicJwk, signingJwk: signing.privateJwk }),
    AUTH0_EDGE_PROVIDER_PARENT_PID: String(process.pid),
  };
  if (verbose) env.AUTH0_EDGE_PROVIDER_DEBUG = '1';

  const child = spawn(process.execPath, [SERVER, '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  live.add(child);
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => { live.delete(child); resolve({ code, signal }); });
  });

  let ready;
  try {
    ready = await new Promise((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      const timer = setTimeout(() => reject(new Error('provider did not become ready in time')), READY_TIMEOUT_MS);
      lines.once('line', (line) => {
        clearTimeout(timer);
        try {
          resolve(JSON.parse(line));
        } catch (cause) {
          reject(new Error(`provider printed an unexpected line: ${line}`, { cause }));
        }
      });
      child.once('error', (err) => { clearTimeout(timer); reject(err); });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`provider exited before it was ready (code ${code}, signal ${signal})`));
      });
    });
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  // keep draining stdout so the child can never block on a full pipe
  child.stdout.resume();

  const { issuer, port } = ready;

  async function mintExternalJwt(claims = {}, {
    expiresIn = 3600, issuer: iss = EXTERNAL_ISSUER, key, kid,
  } = {}) {
    const now = Math.floor(Date.now() / 1000);
    let signingKey = key ?? external.privateKey;
    if (signingKey && !(signingKey instanceof crypto.KeyObject) && typeof signingKey === 'object'
      && 'kty' in signingKey) {
      signingKey = await jose.importJWK(signingKey, 'RS256');
    }
    const payload = {
      sub: USERS.alice.externalSub,
      iat: expiresIn > 0 ? now : now + expiresIn - 60,
      jti: crypto.randomUUID(),
      ...claims,
    };
    if (payload.exp === undefined) payload.exp = now + expiresIn;
    if (payload.iss === undefined && iss !== null && iss !== undefined) payload.iss = iss;
    return new jose.SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: kid ?? (key ? undefined : external.publicJwk.kid) })
      .sign(signingKey);
  }

  let stopped;
  function stop() {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        const { code } = await exited;
        clearTimeout(timer);
        return code;
      }
      return child.exitCode;
    })();
    return stopped;
  }

  return {
    issuer,
    port,
    domain: `http://127.0.0.1:${port}`, // a ServerClient's `domain`, with its scheme (plain http)
    tokenEndpoint: new URL('oauth/token', issuer).href,
    discoveryUrl: new URL('.well-known/openid-configuration', issuer).href,
    jwksUri: new URL('.well-known/jwks.json', issuer).href,
    dpopApiUrl: new URL(DPOP_API_PATHS.plain, issuer).href, // the DPoP-protected test API
    dpopNonceApiUrl: new URL(DPOP_API_PATHS.nonce, issuer).href, // the same, nonce required
    clientPrivateKeyPem: client.privateKeyPem,
    clientPrivateJwk: client.privateJwk,
    clientPublicJwk: client.publicJwk,
    externalPrivateJwk: external.privateJwk,
    externalPublicJwk: external.publicJwk,
    signingPrivateJwk: signing.privateJwk, // the provider's primary signing key (its JWKS's first)
    mintExternalJwt,
    stop,
  };
}

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

async function cli(argv) {
  const sep = argv.indexOf('--');
  const command = sep === -1 ? argv : argv.slice(sep + 1);
  if (command.length === 0) {
    process.stderr.write('usage: node tests/provider/harness.mjs -- <command> [args...]\n');
    return 2;
  }

  const provider = await startProvider();
  const env = {
    ...process.env,
    AUTH0_EDGE_TEST_ISSUER: provider.issuer,
    AUTH0_EDGE_TEST_DOMAIN: provider.domain,
    AUTH0_EDGE_TEST_PORT: String(provider.port),
    AUTH0_EDGE_TEST_PKJWT_KEY: provider.clientPrivateKeyPem,
    AUTH0_EDGE_TEST_EXTERNAL_JWT: await provider.mintExternalJwt({}, { expiresIn: 2 * 3600 }),
    // The fixed clients, for test code that cannot import fixtures.mjs (Rust/wasm tests).
    AUTH0_EDGE_TEST_CLIENTS: JSON.stringify(CLIENTS),
    // The provider's signing key (a throwaway of this run), for tests that mint tokens as it does.
    AUTH0_EDGE_TEST_SIGNING_JWK: JSON.stringify(provider.signingPrivateJwk),
  };

  const child = spawn(command[0], command.slice(1), { env, stdio: 'inherit' });
  const forward = (signal) => { if (child.exitCode === null) child.kill(signal); };
  for (const signal of Object.keys(SIGNALS)) process.on(signal, forward);

  const code = await new Promise((resolve) => {
    child.once('error', (err) => {
      process.stderr.write(`harness: cannot run ${command[0]}: ${err.message}\n`);
      resolve(err.code === 'ENOENT' ? 127 : 126);
    });
    child.once('exit', (exitCode, signal) => {
      resolve(exitCode ?? 128 + (SIGNALS[signal] ?? 1));
    });
  });

  await provider.stop();
  return code;
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url))) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`harness: ${err.stack ?? err}\n`);
      process.exit(1);
    },
  );
}

export { SERVER as serverPath, generateRsaKeyPair };
export const harnessPath = fileURLToPath(import.meta.url);
export const rootDir = path.dirname(harnessPath);
