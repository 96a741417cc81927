// ../../../tmp/apijs/packages/auth0-api-js/src/api-client.ts
import * as oauth from "oauth4webapi";
import { createRemoteJWKSet, jwtVerify as jwtVerify2, customFetch as customFetch2, decodeJwt, decodeProtectedHeader } from "jose";
import { AuthClient, TokenForConnectionError, MissingClientAuthError } from "@auth0/auth0-auth-js";

// ../../../tmp/apijs/packages/auth0-api-js/src/errors.ts
var MissingRequiredArgumentError = class extends Error {
  code = "missing_required_argument_error";
  constructor(argument) {
    super(`The argument '${argument}' is required but was not provided.`);
    this.name = "MissingRequiredArgumentError";
  }
};
var InvalidConfigurationError = class extends Error {
  code = "invalid_configuration_error";
  constructor(message) {
    super(message);
    this.name = "InvalidConfigurationError";
  }
};
var AuthError = class extends Error {
  code;
  statusCode;
  headers;
  constructor(message, code, statusCode, headers) {
    super(message);
    this.name = this.constructor.name;
    this.code = code;
    this.statusCode = statusCode;
    this.headers = headers;
  }
};
var MissingTransactionError = class extends AuthError {
  constructor(message) {
    super(message ?? "The transaction is missing.", "missing_transaction_error");
  }
};
var VerifyAccessTokenError = class extends AuthError {
  constructor(message, headers) {
    super(message, "verify_access_token_error", 401, headers);
  }
};
var InvalidDpopProofError = class extends AuthError {
  constructor(message = "", headers) {
    super(message, "invalid_dpop_proof", 400, headers);
  }
};
var InvalidRequestError = class extends AuthError {
  constructor(message, headers) {
    super(message, "invalid_request", 400, headers);
  }
};

// ../../../tmp/apijs/packages/auth0-api-js/src/dpop-api.ts
import { createHash } from "crypto";
import {
  EmbeddedJWK,
  base64url,
  calculateJwkThumbprint,
  jwtVerify
} from "jose";
var DPOP_ERROR_MESSAGES = {
  PROOF_VERIFICATION_FAILED: "Failed to verify DPoP proof",
  MISSING_PROOF: "Missing DPoP proof",
  MULTIPLE_PROOFS: "Multiple DPoP proofs are not allowed",
  MISSING_CNF_JKT: "Access token is missing cnf.jkt confirmation claim",
  INVALID_IAT: '"iat" claim must be a number',
  INVALID_JTI: '"jti" claim must be a string',
  INVALID_HTM: '"htm" claim must be a string',
  INVALID_HTU: '"htu" claim must be a string',
  INVALID_HTU_URL: '"htu" claim URL must be valid URL',
  INVALID_HTU_URL_HOST: 'Invalid "htu" claim URL: Host contains illegal characters or format',
  INVALID_HTU_URL_PATH: 'Invalid "htu" claim URL: Path must not start with "//"',
  INVALID_HTTP_URL: '"httpUrl" must be a valid URL',
  INVALID_HTTP_URL_HOST: 'Invalid "httpUrl": Host contains illegal characters or format',
  INVALID_HTTP_URL_PATH: 'Invalid "httpUrl": Path must not start with "//"',
  INVALID_ATH: '"ath" claim must be a string',
  IAT_MISMATCH: 'DPoP proof "iat" is outside the acceptable range',
  HTM_MISMATCH: 'DPoP proof "htm" mismatch',
  HTU_MISMATCH: 'DPoP proof "htu" mismatch',
  ATH_MISMATCH: 'DPoP proof "ath" mismatch',
  JWT_AT_MISMATCH: "JWT Access Token confirmation mismatch",
  MISSING_JWK: "Missing or invalid jwk in DPoP proof header",
  PRIVATE_KEY_MATERIAL: "DPoP proof header must not contain private key material",
  HEADER_PARAMETER_MUST_BE_PUBLIC_KEY: String.raw`"jwk" (JSON Web Key) Header Parameter must be a public key`
};
var ALLOWED_DPOP_ALGORITHMS = ["ES256"];
function normalizePercentEncodings(s) {
  const UNRESERVED = /[A-Za-z0-9\-._~]/;
  return s.replace(/%[0-9a-fA-F]{2}/g, (m) => {
    const byte = parseInt(m.slice(1), 16);
    const ch = String.fromCharCode(byte);
    return UNRESERVED.test(ch) ? ch : `%${m.slice(1).toUpperCase()}`;
  });
}
function normalizeUrl(input, source) {
  const HOST_RE = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
  const PROTOCOL_IN_PATH_RE = /^\/[a-z][a-z0-9+.-]*:\/\//i;
  try {
    const url = new URL(input);
    const host = url.host;
    if (typeof host !== "string" || host.length === 0 || host.includes("://") || host.includes("/") || host.includes("?") || host.includes("#") || !HOST_RE.test(host)) {
      if (source === "request") {
        throw new InvalidRequestError(DPOP_ERROR_MESSAGES.INVALID_HTTP_URL_HOST);
      } else {
        throw new InvalidDpopProofError(DPOP_ERROR_MESSAGES.INVALID_HTU_URL_HOST);
      }
    }
    if (source === "request") {
      const path = url.pathname;
      if (PROTOCOL_IN_PATH_RE.test(path)) {
        throw new InvalidRequestError(DPOP_ERROR_MESSAGES.INVALID_HTTP_URL_PATH);
      }
    }
    url.search = "";
    url.hash = "";
    url.pathname = normalizePercentEncodings(url.pathname);
    return url.origin + url.pathname;
  } catch (err) {
    if (source === "request") {
      if (err instanceof InvalidRequestError) throw err;
      throw new InvalidRequestError(DPOP_ERROR_MESSAGES.INVALID_HTTP_URL);
    }
    if (err instanceof InvalidDpopProofError) throw err;
    throw new InvalidDpopProofError(DPOP_ERROR_MESSAGES.INVALID_HTU_URL);
  }
}
async function verifyProofJwt(proof, algorithms) {
  try {
    const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, {
      typ: "dpop+jwt",
      algorithms: [...algorithms]
    });
    return { header: protectedHeader, claims: payload };
  } catch (err) {
    let message = DPOP_ERROR_MESSAGES.PROOF_VERIFICATION_FAILED;
    if (err instanceof Error && err.message) {
      message = err.message;
    }
    throw new InvalidDpopProofError(message);
  }
}
async function verifyDpopProof(options) {
  const { proof, accessToken, method, url, cnfJkt, iatOffset, iatLeeway, algorithms } = options;
  if (!proof) {
    throw new InvalidDpopProofError(DPOP_ERROR_MESSAGES.MISSING_PROOF);
  }
  if (proof.includes(",")) {
    throw new InvalidDpopProofError(DPOP_ERROR_MESSAGES.MULTIPLE_PROOFS);
  }
  if (!cnfJkt) {
    const err = new VerifyAccessTokenError(DPOP_ERROR_MESSAGES.MISSING_CNF_JKT);
    err.cause = { code: "dpop_binding_mismatch" };
    throw err;
  }
  const normalizedRequestUrl = normalizeUrl(url, "request");
  const { claims, header } = await verifyProofJwt(proof, algorithms);
  const { htm, htu, iat, ath, jti } = claims;
  if (typeof jti !== "string" || !jti) {
    throw new InvalidDpopProofError(DPOP_ERROR_MESSAGES.INVALID_JTI);
  }
  if (typeof iat !== "number") {
    throw new InvalidDpopProofError(DPOP_ERROR_MESSAGES.INVALID_IAT);
  }
  const now = Math.floor(Date.now() / 1e3);
  if (iat < now - iatOffset || iat > now + iatLeeway) {
    throw new InvalidDpopProofError(DPOP_ERROR_MESSAGES.IAT_MISMATCH);
  }
  if (typeof htm !== "string") {
    throw new InvalidDpopProofError(DPOP_ERROR_MESSAGES.INVALID_HTM);
  }
  if (htm.toUpperCase() !== method.toUpperCase()) {
    throw new InvalidDpopProofError(DPOP_ERROR_MESSAGES.HTM_MISMATCH);
  }
  if (typeof htu !== "string") {
    throw new InvalidDpopProofError(DPOP_ERROR_MESSAGES.INVALID_HTU);
  }
  const normalizedProofUrl = normalizeUrl(htu, "proof");
  if (normalizedProofUrl !== normalizedRequestUrl) {
    throw new InvalidDpopProofError(DPOP_ERROR_MESSAGES.HTU_MISMATCH);
  }
  if (typeof ath !== "string") {
    throw new InvalidDpopProofError(DPOP_ERROR_MESSAGES.INVALID_ATH);
  }
  const hash = createHash("sha256").update(accessToken).digest();
  const encodedHash = base64url.encode(hash);
  if (ath !== encodedHash) {
    throw new InvalidDpopProofError(DPOP_ERROR_MESSAGES.ATH_MISMATCH);
  }
  const jwk = header.jwk;
  if (!jwk || typeof jwk !== "object") {
    throw new InvalidDpopProofError(DPOP_ERROR_MESSAGES.MISSING_JWK);
  }
  if ("d" in jwk) {
    throw new InvalidDpopProofError(DPOP_ERROR_MESSAGES.PRIVATE_KEY_MATERIAL);
  }
  const thumbprint = await calculateJwkThumbprint(jwk);
  if (thumbprint !== cnfJkt) {
    const err = new VerifyAccessTokenError(DPOP_ERROR_MESSAGES.JWT_AT_MISMATCH);
    err.cause = { code: "dpop_binding_mismatch" };
    throw err;
  }
}
function buildChallenges(dpopMode, algorithms = ALLOWED_DPOP_ALGORITHMS, params = {}) {
  const bearerParams = [
    'realm="api"',
    params.error ? `error="${params.error}"` : void 0,
    params.errorDescription ? `error_description="${params.errorDescription}"` : void 0
  ].filter(Boolean).join(", ");
  const dpopParams = [
    params.dpopError ? `error="${params.dpopError}"` : void 0,
    params.dpopErrorDescription ? `error_description="${params.dpopErrorDescription}"` : void 0,
    `algs="${algorithms.join(" ")}"`
  ].filter(Boolean).join(", ");
  const bearerValue = `Bearer ${bearerParams}`;
  const dpopValue = `DPoP ${dpopParams}`;
  const challenges = [];
  if (dpopMode === "allowed") {
    challenges.push(bearerValue, dpopValue);
  } else if (dpopMode === "required") {
    challenges.push(dpopValue);
  } else {
    challenges.push(bearerValue);
  }
  return {
    "www-authenticate": challenges
  };
}

// ../../../tmp/apijs/packages/auth0-api-js/src/lru-cache.ts
var LruCache = class {
  #map;
  #inflight;
  #ttlMs;
  #maxEntries;
  constructor(ttlMs, maxEntries) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
    this.#map = /* @__PURE__ */ new Map();
    this.#inflight = /* @__PURE__ */ new Map();
  }
  get(key) {
    const entry = this.#map.get(key);
    if (!entry) {
      return void 0;
    }
    if (this.#ttlMs !== void 0 && entry.expiresAt !== void 0 && entry.expiresAt <= Date.now()) {
      this.#map.delete(key);
      return void 0;
    }
    this.#map.delete(key);
    this.#map.set(key, entry);
    return entry.value;
  }
  set(key, value) {
    const expiresAt = this.#ttlMs !== void 0 ? Date.now() + this.#ttlMs : void 0;
    this.#map.set(key, { value, expiresAt });
    this.#enforceLimit();
  }
  async getOrSet(key, loader) {
    const cached = this.get(key);
    if (cached !== void 0) {
      return cached;
    }
    const inflight = this.#inflight.get(key);
    if (inflight) {
      return inflight;
    }
    const promise = (async () => {
      const value = await loader();
      this.set(key, value);
      return value;
    })();
    const inflightPromise = promise.finally(() => {
      this.#inflight.delete(key);
    });
    this.#inflight.set(key, inflightPromise);
    return inflightPromise;
  }
  #enforceLimit() {
    if (this.#maxEntries === void 0) {
      return;
    }
    while (this.#map.size > this.#maxEntries) {
      const oldestKey = this.#map.keys().next().value;
      if (oldestKey === void 0) {
        break;
      }
      this.#map.delete(oldestKey);
    }
  }
};

// ../../../tmp/apijs/packages/auth0-api-js/src/api-client.ts
var OBO_ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
var ApiClient = class {
  #serverMetadataByDomain;
  #options;
  #jwksByUri;
  #domains;
  #algorithms;
  #defaultDomainUrl;
  #authClient;
  constructor(options) {
    if (options.dpop !== void 0 && (typeof options.dpop !== "object" || options.dpop === null)) {
      throw new InvalidConfigurationError('Invalid DPoP configuration: "dpop" must be an object');
    }
    if (options.dpop) {
      const { mode, iatOffset, iatLeeway } = options.dpop;
      if (mode !== void 0 && !["allowed", "required", "disabled"].includes(mode)) {
        throw new InvalidConfigurationError(
          'Invalid DPoP configuration: "mode" must be allowed, required, or disabled'
        );
      }
      if (iatOffset !== void 0) {
        if (!Number.isFinite(iatOffset)) {
          throw new InvalidConfigurationError('Invalid DPoP configuration: "iatOffset" must be a number');
        }
        if (iatOffset < 0) {
          throw new InvalidConfigurationError('Invalid DPoP configuration: "iatOffset" must be a non-negative number');
        }
      }
      if (iatLeeway !== void 0) {
        if (!Number.isFinite(iatLeeway)) {
          throw new InvalidConfigurationError('Invalid DPoP configuration: "iatLeeway" must be a number');
        }
        if (iatLeeway < 0) {
          throw new InvalidConfigurationError('Invalid DPoP configuration: "iatLeeway" must be a non-negative number');
        }
      }
    }
    const discoveryCacheConfig = options.discoveryCache ?? {};
    const ttlSeconds = discoveryCacheConfig.ttl ?? 600;
    if (!Number.isFinite(ttlSeconds)) {
      throw new InvalidConfigurationError('Invalid discoveryCache configuration: "ttl" must be a number');
    }
    if (ttlSeconds < 0) {
      throw new InvalidConfigurationError('Invalid discoveryCache configuration: "ttl" must be a non-negative number');
    }
    const cacheTtlMs = ttlSeconds * 1e3;
    const maxEntries = discoveryCacheConfig.maxEntries ?? 100;
    if (!Number.isFinite(maxEntries)) {
      throw new InvalidConfigurationError('Invalid discoveryCache configuration: "maxEntries" must be a number');
    }
    if (maxEntries < 0) {
      throw new InvalidConfigurationError(
        'Invalid discoveryCache configuration: "maxEntries" must be a non-negative number'
      );
    }
    this.#serverMetadataByDomain = new LruCache(cacheTtlMs, maxEntries);
    this.#jwksByUri = new LruCache(cacheTtlMs, maxEntries);
    this.#options = options;
    if (options.domain !== void 0) {
      try {
        this.#defaultDomainUrl = normalizeDomain(options.domain);
      } catch (error) {
        const message = error.message;
        throw new InvalidConfigurationError(`Invalid domain configuration: ${message}`);
      }
    }
    if (options.domains !== void 0) {
      if (Array.isArray(options.domains)) {
        if (options.domains.length === 0) {
          throw new InvalidConfigurationError('Invalid domains configuration: "domains" must not be empty');
        }
        const normalized = options.domains.map((domain) => {
          try {
            return normalizeDomain(domain);
          } catch (error) {
            const message = error.message;
            throw new InvalidConfigurationError(`Invalid domains configuration: ${message}`);
          }
        });
        this.#domains = Array.from(new Set(normalized));
      } else if (typeof options.domains === "function") {
        this.#domains = options.domains;
      } else {
        throw new InvalidConfigurationError('Invalid domains configuration: "domains" must be an array or a function');
      }
    }
    this.#algorithms = normalizeAlgorithms(options.algorithms);
    if (!this.#defaultDomainUrl && this.#domains === void 0) {
      throw new MissingRequiredArgumentError("domain or domains");
    }
    if (options.clientId) {
      if (!options.domain) {
        throw new MissingRequiredArgumentError("domain");
      }
      this.#authClient = new AuthClient({
        domain: options.domain,
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        clientAssertionSigningKey: options.clientAssertionSigningKey,
        clientAssertionSigningAlg: options.clientAssertionSigningAlg,
        customFetch: options.customFetch
      });
    }
    if (!this.#options.audience) {
      throw new MissingRequiredArgumentError("audience");
    }
  }
  /**
   * Initialized the SDK by performing Metadata Discovery.
   */
  async #discoverDomain(domain) {
    const serverMetadata = await this.#serverMetadataByDomain.getOrSet(domain, async () => {
      const issuer = new URL(domain);
      const response = await oauth.discoveryRequest(issuer, {
        [oauth.customFetch]: this.#options.customFetch
      });
      return oauth.processDiscoveryResponse(issuer, response);
    });
    return { serverMetadata };
  }
  /**
   * Verifies the provided access token against the ApiClient's configured audience.
   *
   * This method validates the JWT signature using the Auth0 tenant's JWKS and verifies
   * standard claims including issuer, expiration, and issued-at time. The audience claim
   * is verified against the audience configured when constructing the ApiClient.
   *
   * DPoP support:
   * - `dpop.mode` controls behavior: `allowed` (default) accepts Bearer or DPoP; `required` enforces DPoP; `disabled` ignores DPoP.
   * - When validating a DPoP-bound token, you must provide `scheme: 'dpop'`, the `dpopProof` header value, and the actual `httpMethod`/`httpUrl` used for the request.
   * - Bearer tokens omit DPoP params; DPoP params are validated together and proof binding is enforced.
   *
   * @param options Options containing the access token and optional required claims.
   * @see README.md and EXAMPLES.md for usage in allowed/required/disabled modes.
   * @returns Promise resolving to the verified token payload containing all JWT claims.
   * @throws {VerifyAccessTokenError} When verification fails due to invalid signature,
   *                                   expired token, mismatched audience, or missing required claims.
   *
   * @example
   * ```typescript
   * @example Bearer token validation
   * const apiClient = new ApiClient({
   *   domain: 'example.auth0.com',
   *   audience: 'https://api.example.com', // This audience is used for verification
   * });
   * const payload = await apiClient.verifyAccessToken({
   *   accessToken: 'eyJhbGc...',
   * });
   *
   * @example DPoP-bound token validation (allowed/required mode)
   * const apiClient = new ApiClient({
   *   domain: 'example.auth0.com',
   *   audience: 'https://api.example.com',
   *   dpop: { mode: 'required' }, // default is 'allowed'
   * });
   * const dpopPayload = await apiClient.verifyAccessToken({
   *   accessToken: 'eyJhbGc...',              // JWT with cnf.jkt claim
   *   scheme: 'dpop',
   *   dpopProof: 'eyJhbGciOiJFUzI1NiIsInR5cCI6ImRwb3A...', // value from DPoP header
   *   httpMethod: 'GET',                      // actual request method
   *   httpUrl: 'https://api.example.com/resource', // actual request URL
   * });
   * ```
   */
  async verifyAccessToken(options) {
    const mode = this.#options.dpop?.mode ?? "allowed";
    const iatOffset = this.#options.dpop?.iatOffset ?? 300;
    const iatLeeway = this.#options.dpop?.iatLeeway ?? 30;
    const scheme = (options.scheme ?? "bearer").toLowerCase();
    const dpopProof = options.dpopProof;
    const httpMethod = options.httpMethod;
    const httpUrl = options.httpUrl;
    const hasDpopParams = dpopProof !== void 0 || httpMethod !== void 0 || this.#domains === void 0 && httpUrl !== void 0;
    if (mode !== "disabled" && scheme && !["bearer", "dpop"].includes(scheme)) {
      const err = new InvalidRequestError("");
      err.cause = { code: "invalid_auth_scheme" };
      throw this.#addChallenges(err, mode, scheme, { includeError: false });
    }
    if (mode === "required" && scheme !== "dpop") {
      const err = new InvalidRequestError("");
      err.cause = { code: "invalid_auth_scheme" };
      throw this.#addChallenges(err, mode, scheme, {
        includeError: false,
        dpopSpecific: true
      });
    }
    if (mode === "disabled" && scheme && scheme !== "bearer") {
      const err = new InvalidRequestError("");
      err.cause = { code: "invalid_auth_scheme" };
      throw this.#addChallenges(err, mode, scheme, { includeError: false });
    }
    if (mode !== "disabled" && hasDpopParams && options.scheme === void 0) {
      const err = new InvalidRequestError("");
      err.cause = { code: "invalid_auth_scheme" };
      throw this.#addChallenges(err, mode, scheme, {
        includeError: false,
        dpopSpecific: true
      });
    }
    if (typeof options.accessToken !== "string" || !options.accessToken) {
      throw this.#addChallenges(new VerifyAccessTokenError(""), mode, scheme, { includeError: false });
    }
    const accessToken = options.accessToken;
    const domains = this.#domains;
    let jwks;
    let issuerForVerify = "";
    let unverifiedIss;
    let alg;
    const defaultDomainUrl = this.#defaultDomainUrl;
    try {
      try {
        const header = decodeProtectedHeader(accessToken);
        const payload2 = decodeJwt(accessToken);
        if (typeof header.alg === "string") {
          alg = header.alg;
        }
        if (typeof payload2.iss === "string") {
          unverifiedIss = payload2.iss;
        }
      } catch (error) {
        const message = error.message;
        throw this.#addChallenges(new VerifyAccessTokenError(message), mode, scheme);
      }
      if (alg && alg.toUpperCase().startsWith("HS")) {
        throw this.#addChallenges(
          new VerifyAccessTokenError("unsupported algorithm (symmetric algorithms are not supported)"),
          mode,
          scheme
        );
      }
      if (domains !== void 0) {
        if (!unverifiedIss) {
          throw this.#addChallenges(new VerifyAccessTokenError('missing required "iss" claim'), mode, scheme);
        }
        const context = {
          url: httpUrl,
          headers: options.headers,
          unverifiedIss
        };
        const allowedDomains = await this.#resolveDomains(domains, context, mode, scheme);
        const matchedDomain = allowedDomains.find((domain) => domain === unverifiedIss);
        if (!matchedDomain) {
          throw this.#addChallenges(
            new VerifyAccessTokenError(
              'unexpected "iss" claim value (issuer is not in the configured domain list)'
            ),
            mode,
            scheme
          );
        }
        const { serverMetadata } = await this.#discoverDomain(matchedDomain);
        const { issuer, jwksUri } = this.#requireDiscoveryMetadata(serverMetadata, mode, scheme);
        issuerForVerify = issuer;
        jwks = this.#getJwksForDomain(jwksUri);
      } else if (defaultDomainUrl !== void 0) {
        const { serverMetadata } = await this.#discoverDomain(defaultDomainUrl);
        const { issuer, jwksUri } = this.#requireDiscoveryMetadata(serverMetadata, mode, scheme);
        issuerForVerify = issuer;
        jwks = this.#getJwksForDomain(jwksUri);
      } else {
        throw new MissingRequiredArgumentError("domain or domains");
      }
      const jwtVerifyOptions = {
        audience: this.#options.audience,
        algorithms: options.algorithms ? normalizeAlgorithms(options.algorithms) : this.#algorithms,
        requiredClaims: ["iat", "exp", ...options.requiredClaims || []],
        issuer: issuerForVerify
      };
      const { payload } = await jwtVerify2(accessToken, jwks, jwtVerifyOptions);
      let cnfJkt;
      const cnf = payload.cnf;
      if (cnf && typeof cnf === "object") {
        const maybeJkt = cnf.jkt;
        if (typeof maybeJkt === "string") {
          cnfJkt = maybeJkt;
        }
      }
      const hasProof = typeof dpopProof === "string";
      if (mode !== "disabled" && scheme === "bearer" && hasProof && !cnfJkt) {
        throw this.#addChallenges(
          new InvalidRequestError("DPoP proof requires the DPoP authentication scheme, not Bearer"),
          mode,
          scheme
        );
      }
      const shouldVerifyDpop = mode !== "disabled" && (mode === "required" || scheme === "dpop" || hasProof || !!cnfJkt);
      if (mode !== "disabled" && scheme === "dpop" && !cnfJkt) {
        const err = new VerifyAccessTokenError("JWT Access Token has no jkt confirmation claim");
        err.cause = { code: "dpop_binding_mismatch" };
        throw this.#addChallenges(err, mode, scheme, { dpopSpecific: true });
      }
      if (scheme === "bearer" && cnfJkt && mode !== "disabled") {
        throw this.#addChallenges(
          new VerifyAccessTokenError("DPoP-bound token requires the DPoP authentication scheme, not Bearer"),
          mode,
          scheme
        );
      }
      if (!shouldVerifyDpop) {
        return payload;
      }
      if (!dpopProof) {
        throw this.#addChallenges(new InvalidRequestError(""), mode, scheme, {
          dpopSpecific: true,
          includeError: false
        });
      }
      if (typeof httpMethod !== "string" || !httpMethod) {
        throw this.#addChallenges(
          new InvalidRequestError("HTTP method is required for DPoP validation"),
          mode,
          scheme,
          { dpopSpecific: true }
        );
      }
      if (typeof httpUrl !== "string" || !httpUrl) {
        throw this.#addChallenges(new InvalidRequestError("HTTP URL is required for DPoP validation"), mode, scheme, {
          dpopSpecific: true
        });
      }
      try {
        await verifyDpopProof({
          proof: dpopProof,
          accessToken: options.accessToken,
          method: httpMethod,
          url: httpUrl,
          cnfJkt,
          iatOffset,
          iatLeeway,
          algorithms: ALLOWED_DPOP_ALGORITHMS
        });
      } catch (err) {
        if (err instanceof VerifyAccessTokenError || err instanceof InvalidDpopProofError || err instanceof InvalidRequestError) {
          throw this.#addChallenges(err, mode, scheme, { dpopSpecific: true });
        }
        throw err;
      }
      return payload;
    } catch (e) {
      if (e instanceof AuthError) {
        throw e;
      }
      const message = e instanceof Error ? e.message : String(e);
      const err = new VerifyAccessTokenError(message);
      throw this.#addChallenges(err, mode, scheme);
    }
  }
  async #resolveDomains(domains, context, mode, scheme) {
    if (Array.isArray(domains)) {
      return domains;
    }
    let resolved;
    try {
      resolved = await domains(context);
    } catch {
      throw this.#addChallenges(
        new VerifyAccessTokenError("domain validation failed: domains resolver failed"),
        mode,
        scheme
      );
    }
    if (!Array.isArray(resolved)) {
      throw this.#addChallenges(
        new VerifyAccessTokenError(
          "domain validation failed: domains resolver must return an array of domain strings"
        ),
        mode,
        scheme
      );
    }
    if (resolved.length === 0) {
      throw this.#addChallenges(
        new VerifyAccessTokenError(
          "domain validation failed: domains resolver returned no allowed domains"
        ),
        mode,
        scheme
      );
    }
    const normalized = [];
    for (const domain of resolved) {
      if (typeof domain !== "string" || !domain.trim()) {
        throw this.#addChallenges(
          new VerifyAccessTokenError(
            "domain validation failed: domains resolver returned a non-string domain"
          ),
          mode,
          scheme
        );
      }
      try {
        normalized.push(normalizeDomain(domain));
      } catch (error) {
        const message = error.message;
        throw this.#addChallenges(new VerifyAccessTokenError(message), mode, scheme);
      }
    }
    return Array.from(new Set(normalized));
  }
  #requireDiscoveryMetadata(serverMetadata, mode, scheme) {
    if (!serverMetadata.jwks_uri) {
      throw this.#addChallenges(
        new VerifyAccessTokenError('missing "jwks_uri" in discovery metadata'),
        mode,
        scheme
      );
    }
    return { issuer: serverMetadata.issuer, jwksUri: serverMetadata.jwks_uri };
  }
  #getJwksForDomain(jwksUri) {
    const existing = this.#jwksByUri.get(jwksUri);
    if (existing) {
      return existing;
    }
    const jwksUrl = new URL(jwksUri);
    const jwks = createRemoteJWKSet(jwksUrl, {
      [customFetch2]: this.#createJwksFetch()
    });
    this.#jwksByUri.set(jwksUri, jwks);
    return jwks;
  }
  #createJwksFetch() {
    const baseFetch = this.#options.customFetch ?? fetch;
    return async (input, init) => {
      try {
        const response = await baseFetch(input, init);
        if (!response.ok) {
          throw new Error("JWKS request failed");
        }
        return response;
      } catch (error) {
        if (error instanceof Error && error.message.startsWith("JWKS request failed")) {
          throw error;
        }
        throw new Error("JWKS request failed");
      }
    };
  }
  #addChallenges(err, mode, scheme, params) {
    const authErr = err;
    if (!authErr.headers) {
      const includeError = params?.includeError ?? true;
      const target = params?.target ?? (params?.dpopSpecific === true ? "dpop" : scheme === "dpop" ? "dpop" : "bearer");
      let challengeCode = authErr.code;
      if (authErr instanceof VerifyAccessTokenError) {
        challengeCode = "invalid_token";
      } else if (authErr instanceof InvalidRequestError) {
        challengeCode = "invalid_request";
      } else if (authErr instanceof InvalidDpopProofError) {
        challengeCode = "invalid_dpop_proof";
      }
      const challengeParams = includeError && target === "dpop" ? { dpopError: challengeCode, dpopErrorDescription: authErr.message } : includeError && target === "bearer" ? { error: challengeCode, errorDescription: authErr.message } : {};
      authErr.headers = buildChallenges(mode, ALLOWED_DPOP_ALGORITHMS, challengeParams);
    }
    return authErr;
  }
  /**
   * Retrieves an access token for a connection.
   *
   * @param options - Options for retrieving an access token for a connection.
   *
   * @throws {TokenForConnectionError} If there was an issue requesting the access token.
   *
   * @returns The Connection Token Set, containing the access token for the connection, as well as additional information.
   */
  async getAccessTokenForConnection(options) {
    if (!this.#authClient) {
      throw new TokenForConnectionError("Client credentials are required to use getAccessTokenForConnection");
    }
    const tokenEndpointResponse = await this.#authClient.getTokenForConnection({
      connection: options.connection,
      loginHint: options.loginHint,
      accessToken: options.accessToken
    });
    return {
      accessToken: tokenEndpointResponse.accessToken,
      scope: tokenEndpointResponse.scope,
      expiresAt: tokenEndpointResponse.expiresAt,
      connection: options.connection,
      loginHint: options.loginHint
    };
  }
  /**
   * Exchanges a token via a Custom Token Exchange Profile for a different API audience while preserving user identity (RFC 8693).
   *
   * This method supports **Custom Token Exchange** for custom token types via a configured Token Exchange Profile.
   *
   * For **Access Token Exchange with Token Vault** (external provider's access tokens), use {@link getAccessTokenForConnection} instead.
   *
   * **Note**: This method requires a confidential client (client credentials must be configured).
   * While Custom Token Exchange Early Access technically permits public clients, this implementation
   * currently requires client authentication. Public client support may be added in a future release.
   *
   * @param subjectToken - The raw token to be exchanged (without "Bearer " prefix)
   * @param options - Configuration for the token exchange
   *
   * @returns A promise that resolves with the {@link TokenExchangeProfileResult}
   *
   * @throws {TokenExchangeError} When client credentials are not configured or exchange fails
   *
   * @see {@link https://auth0.com/docs/authenticate/custom-token-exchange Custom Token Exchange Documentation}
   *
   * @example
   * ```typescript
   * // Exchange custom token (organization is optional)
   * const result = await apiClient.getTokenByExchangeProfile(
   *   userToken,
   *   {
   *     subjectTokenType: 'urn:example:custom-token',
   *     audience: 'https://api.backend.com',
   *     organization: 'org_abc123', // Optional - Organization ID or name
   *     scope: 'read:data write:data',
   *   }
   * );
   * // When organization is provided, the access token will include the organization ID in its payload
   * ```
   */
  async getTokenByExchangeProfile(subjectToken, options) {
    if (!this.#authClient) {
      throw new MissingClientAuthError();
    }
    const response = await this.#authClient.exchangeToken({
      subjectTokenType: options.subjectTokenType,
      subjectToken,
      audience: options.audience,
      scope: options.scope,
      requestedTokenType: options.requestedTokenType,
      organization: options.organization
    });
    return {
      accessToken: response.accessToken,
      expiresAt: response.expiresAt,
      ...response.scope && { scope: response.scope },
      ...response.idToken && { idToken: response.idToken },
      ...response.refreshToken && { refreshToken: response.refreshToken },
      ...response.tokenType && { tokenType: response.tokenType },
      ...response.issuedTokenType && { issuedTokenType: response.issuedTokenType }
    };
  }
  /**
   * Exchanges an Auth0 access token for another Auth0 access token targeting a downstream API
   * while acting on behalf of the same end user (OBO).
   *
   * This is a convenience wrapper around {@link getTokenByExchangeProfile} that fixes the
   * RFC 8693 token types for Auth0 access-token-to-access-token exchange.
   *
   * **Note**: This method requires a confidential client (client credentials must be configured).
   * In the current implementation, the SDK forwards the incoming access token as the
   * `subject_token` and does not apply any special DPoP-specific handling during exchange.
   *
   * @param accessToken - The Auth0 access token to exchange (without "Bearer " prefix)
   * @param options - Configuration for the downstream audience and optional scope
   *
   * @returns A promise that resolves with the {@link OnBehalfOfTokenResult}
   *
   * @throws {TokenExchangeError} When client credentials are not configured or exchange fails
   *
   * @example
   * ```typescript
   * const result = await apiClient.getTokenOnBehalfOf(incomingAccessToken, {
   *   audience: 'https://api.backend.com',
   *   scope: 'read:data write:data',
   * });
   * ```
   */
  async getTokenOnBehalfOf(accessToken, options) {
    const result = await this.getTokenByExchangeProfile(accessToken, {
      subjectTokenType: OBO_ACCESS_TOKEN_TYPE,
      requestedTokenType: OBO_ACCESS_TOKEN_TYPE,
      audience: options.audience,
      scope: options.scope
    });
    return {
      accessToken: result.accessToken,
      expiresAt: result.expiresAt,
      ...result.scope && { scope: result.scope },
      ...result.tokenType && { tokenType: result.tokenType },
      ...result.issuedTokenType && { issuedTokenType: result.issuedTokenType }
    };
  }
};
function normalizeDomain(value) {
  if (typeof value !== "string" || !value.trim()) {
    throw new Error("domain must be a non-empty string");
  }
  const trimmed = value.trim();
  let withScheme;
  if (/^https?:\/\//i.test(trimmed)) {
    if (!/^https:\/\//i.test(trimmed)) {
      throw new Error("invalid domain URL (https required)");
    }
    withScheme = trimmed;
  } else {
    withScheme = `https://${trimmed}`;
  }
  let domainUrl;
  try {
    domainUrl = new URL(withScheme);
  } catch {
    throw new Error("invalid domain URL");
  }
  if (domainUrl.username || domainUrl.password) {
    throw new Error("invalid domain URL (credentials are not allowed)");
  }
  if (domainUrl.search || domainUrl.hash) {
    throw new Error("invalid domain URL (query/fragment are not allowed)");
  }
  domainUrl.hash = "";
  domainUrl.search = "";
  domainUrl.hostname = domainUrl.hostname.toLowerCase();
  if (domainUrl.pathname && domainUrl.pathname !== "/" && domainUrl.pathname !== "") {
    throw new Error("invalid domain URL (path segments are not allowed)");
  }
  domainUrl.pathname = "/";
  return domainUrl.toString();
}
function normalizeAlgorithms(algorithms) {
  if (algorithms === void 0) {
    return ["RS256"];
  }
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw new InvalidConfigurationError('Invalid algorithms configuration: "algorithms" must be a non-empty array');
  }
  const normalized = [];
  for (const algorithm of algorithms) {
    if (typeof algorithm !== "string" || !algorithm.trim()) {
      throw new InvalidConfigurationError(
        'Invalid algorithms configuration: each "algorithms" entry must be a non-empty string'
      );
    }
    const trimmed = algorithm.trim();
    if (trimmed.toUpperCase().startsWith("HS")) {
      throw new InvalidConfigurationError(
        "Invalid algorithms configuration: symmetric algorithms are not allowed"
      );
    }
    normalized.push(trimmed);
  }
  return Array.from(new Set(normalized));
}

// ../../../tmp/apijs/packages/auth0-api-js/src/protected-resource-metadata.ts
var BearerMethod = /* @__PURE__ */ ((BearerMethod2) => {
  BearerMethod2["HEADER"] = "header";
  BearerMethod2["BODY"] = "body";
  BearerMethod2["QUERY"] = "query";
  return BearerMethod2;
})(BearerMethod || {});
var SigningAlgorithm = /* @__PURE__ */ ((SigningAlgorithm2) => {
  SigningAlgorithm2["RS256"] = "RS256";
  SigningAlgorithm2["RS384"] = "RS384";
  SigningAlgorithm2["RS512"] = "RS512";
  SigningAlgorithm2["ES256"] = "ES256";
  SigningAlgorithm2["ES384"] = "ES384";
  SigningAlgorithm2["ES512"] = "ES512";
  SigningAlgorithm2["PS256"] = "PS256";
  SigningAlgorithm2["PS384"] = "PS384";
  SigningAlgorithm2["PS512"] = "PS512";
  SigningAlgorithm2["HS256"] = "HS256";
  SigningAlgorithm2["HS384"] = "HS384";
  SigningAlgorithm2["HS512"] = "HS512";
  return SigningAlgorithm2;
})(SigningAlgorithm || {});
var GrantType = /* @__PURE__ */ ((GrantType2) => {
  GrantType2["AUTHORIZATION_CODE"] = "authorization_code";
  GrantType2["IMPLICIT"] = "implicit";
  GrantType2["PASSWORD"] = "password";
  GrantType2["CLIENT_CREDENTIALS"] = "client_credentials";
  GrantType2["REFRESH_TOKEN"] = "refresh_token";
  GrantType2["JWT_BEARER"] = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  GrantType2["SAML2_BEARER"] = "urn:ietf:params:oauth:grant-type:saml2-bearer";
  GrantType2["DEVICE_CODE"] = "urn:ietf:params:oauth:grant-type:device_code";
  return GrantType2;
})(GrantType || {});
var ProtectedResourceMetadataBuilder = class {
  props;
  /**
   * Constructor for the builder
   * @param resource - The protected resource identifier (REQUIRED)
   * @param authorization_servers - Array of authorization server URLs (REQUIRED)
   */
  constructor(resource, authorization_servers) {
    if (!resource?.trim()) {
      throw new MissingRequiredArgumentError("resource");
    }
    if (!Array.isArray(authorization_servers) || authorization_servers.length === 0) {
      throw new MissingRequiredArgumentError("authorization_servers");
    }
    this.props = { resource, authorization_servers };
  }
  get properties() {
    return this.props;
  }
  /**
   * Builds the ProtectedResourceMetadata
   */
  build() {
    return new ProtectedResourceMetadata(this);
  }
  /**
   * Builder method to add JWKS URI
   */
  withJwksUri(jwks_uri) {
    this.props.jwks_uri = jwks_uri;
    return this;
  }
  /**
   * Builder method to add supported scopes
   */
  withScopesSupported(scopes_supported) {
    this.props.scopes_supported = [...scopes_supported];
    return this;
  }
  /**
   * Builder method to add supported bearer methods
   */
  withBearerMethodsSupported(bearer_methods_supported) {
    this.props.bearer_methods_supported = [...bearer_methods_supported];
    return this;
  }
  /**
   * Builder method to add supported resource signing algorithms
   */
  withResourceSigningAlgValuesSupported(resource_signing_alg_values_supported) {
    this.props.resource_signing_alg_values_supported = [...resource_signing_alg_values_supported];
    return this;
  }
  /**
   * Builder method to add resource_name
   */
  withResourceName(resource_name) {
    this.props.resource_name = resource_name;
    return this;
  }
  /**
   * Builder method to add resource documentation URL
   */
  withResourceDocumentation(resource_documentation) {
    this.props.resource_documentation = resource_documentation;
    return this;
  }
  /**
   * Builder method to add resource policy URI
   */
  withResourcePolicyUri(resource_policy_uri) {
    this.props.resource_policy_uri = resource_policy_uri;
    return this;
  }
  /**
   * Builder method to add resource terms of service URI
   */
  withResourceTosUri(resource_tos_uri) {
    this.props.resource_tos_uri = resource_tos_uri;
    return this;
  }
  /**
   * Builder method to enable TLS client certificate bound access tokens
   */
  withTlsClientCertificateBoundAccessTokens(tls_client_certificate_bound_access_tokens) {
    this.props.tls_client_certificate_bound_access_tokens = tls_client_certificate_bound_access_tokens;
    return this;
  }
  /**
   * Builder method to add supported authorization details types
   */
  withAuthorizationDetailsTypesSupported(authorization_details_types_supported) {
    this.props.authorization_details_types_supported = [...authorization_details_types_supported];
    return this;
  }
  /**
   * Builder method to add supported DPoP signing algorithms
   */
  withDpopSigningAlgValuesSupported(dpop_signing_alg_values_supported) {
    this.props.dpop_signing_alg_values_supported = [...dpop_signing_alg_values_supported];
    return this;
  }
  /**
   * Builder method to require DPoP bound access tokens
   */
  withDpopBoundAccessTokensRequired(dpop_bound_access_tokens_required) {
    this.props.dpop_bound_access_tokens_required = dpop_bound_access_tokens_required;
    return this;
  }
};
var ProtectedResourceMetadata = class {
  #resource;
  #authorization_servers;
  #jwks_uri;
  #scopes_supported;
  #bearer_methods_supported;
  #resource_signing_alg_values_supported;
  #resource_documentation;
  #resource_policy_uri;
  #resource_tos_uri;
  #resource_name;
  #tls_client_certificate_bound_access_tokens;
  #authorization_details_types_supported;
  #dpop_signing_alg_values_supported;
  #dpop_bound_access_tokens_required;
  constructor(builder) {
    const props = builder.properties;
    this.#resource = props.resource;
    this.#authorization_servers = [...props.authorization_servers];
    this.#jwks_uri = props.jwks_uri;
    this.#scopes_supported = props.scopes_supported ? [...props.scopes_supported] : void 0;
    this.#bearer_methods_supported = props.bearer_methods_supported ? [...props.bearer_methods_supported] : void 0;
    this.#resource_signing_alg_values_supported = props.resource_signing_alg_values_supported ? [...props.resource_signing_alg_values_supported] : void 0;
    this.#resource_documentation = props.resource_documentation;
    this.#resource_policy_uri = props.resource_policy_uri;
    this.#resource_tos_uri = props.resource_tos_uri;
    this.#resource_name = props.resource_name;
    this.#tls_client_certificate_bound_access_tokens = props.tls_client_certificate_bound_access_tokens;
    this.#authorization_details_types_supported = props.authorization_details_types_supported ? [...props.authorization_details_types_supported] : void 0;
    this.#dpop_signing_alg_values_supported = props.dpop_signing_alg_values_supported ? [...props.dpop_signing_alg_values_supported] : void 0;
    this.#dpop_bound_access_tokens_required = props.dpop_bound_access_tokens_required;
  }
  /**
   * Convert to JSON representation
   */
  toJSON() {
    return {
      resource: this.#resource,
      authorization_servers: [...this.#authorization_servers],
      ...this.#jwks_uri !== void 0 && { jwks_uri: this.#jwks_uri },
      ...this.#scopes_supported !== void 0 && {
        scopes_supported: [...this.#scopes_supported]
      },
      ...this.#bearer_methods_supported !== void 0 && {
        bearer_methods_supported: [...this.#bearer_methods_supported]
      },
      ...this.#resource_signing_alg_values_supported !== void 0 && {
        resource_signing_alg_values_supported: [...this.#resource_signing_alg_values_supported]
      },
      ...this.#resource_documentation !== void 0 && {
        resource_documentation: this.#resource_documentation
      },
      ...this.#resource_policy_uri !== void 0 && {
        resource_policy_uri: this.#resource_policy_uri
      },
      ...this.#resource_tos_uri !== void 0 && {
        resource_tos_uri: this.#resource_tos_uri
      },
      ...this.#resource_name !== void 0 && {
        resource_name: this.#resource_name
      },
      ...this.#tls_client_certificate_bound_access_tokens !== void 0 && {
        tls_client_certificate_bound_access_tokens: this.#tls_client_certificate_bound_access_tokens
      },
      ...this.#authorization_details_types_supported !== void 0 && {
        authorization_details_types_supported: [...this.#authorization_details_types_supported]
      },
      ...this.#dpop_signing_alg_values_supported !== void 0 && {
        dpop_signing_alg_values_supported: [...this.#dpop_signing_alg_values_supported]
      },
      ...this.#dpop_bound_access_tokens_required !== void 0 && {
        dpop_bound_access_tokens_required: this.#dpop_bound_access_tokens_required
      }
    };
  }
};

// ../../../tmp/apijs/packages/auth0-api-js/src/act.ts
var INVALID_ACT_CLAIM_MESSAGE = 'Invalid "act" claim';
function getCurrentActor(claims) {
  if (!claims || typeof claims !== "object") {
    throw new InvalidRequestError(INVALID_ACT_CLAIM_MESSAGE);
  }
  if (claims.act === void 0) {
    return void 0;
  }
  if (!claims.act || typeof claims.act !== "object" || Array.isArray(claims.act)) {
    throw new InvalidRequestError(INVALID_ACT_CLAIM_MESSAGE);
  }
  const sub = claims.act.sub;
  if (typeof sub !== "string" || sub.trim().length === 0) {
    throw new InvalidRequestError(INVALID_ACT_CLAIM_MESSAGE);
  }
  return sub;
}
function getDelegationChain(claims) {
  if (!claims || typeof claims !== "object") {
    throw new InvalidRequestError(INVALID_ACT_CLAIM_MESSAGE);
  }
  if (claims.act === void 0) {
    return [];
  }
  const chain = [];
  let current = claims.act;
  while (current) {
    if (typeof current !== "object" || Array.isArray(current)) {
      throw new InvalidRequestError(INVALID_ACT_CLAIM_MESSAGE);
    }
    const record = current;
    if (typeof record.sub !== "string" || record.sub.trim().length === 0) {
      throw new InvalidRequestError(INVALID_ACT_CLAIM_MESSAGE);
    }
    chain.push(record.sub);
    current = record.act;
  }
  return chain;
}

// ../../../tmp/apijs/packages/auth0-api-js/src/token.ts
var TOKEN_RE = /^(?:Bearer|DPoP) (.+)$/i;
function getToken(headers, query, body) {
  const fromHeader = getTokenFromHeader(headers);
  const fromQuery = getTokenFromQuery(query);
  const fromBody = getTokenFromBody(headers, body);
  if (!fromQuery && !fromHeader && !fromBody) {
    throw new InvalidRequestError("No access token found in request");
  }
  if (+!!fromQuery + +!!fromBody + +!!fromHeader > 1) {
    throw new InvalidRequestError(
      "More than one method used for authentication"
    );
  }
  return fromQuery || fromBody || fromHeader;
}
function getTokenFromHeader(headers) {
  const authHeader = headers.authorization;
  if (typeof authHeader !== "string") {
    return void 0;
  }
  const match = authHeader.match(TOKEN_RE);
  return match?.[1];
}
function getTokenFromQuery(query) {
  const accessToken = query?.access_token;
  if (typeof accessToken === "string") {
    return accessToken;
  }
}
function getTokenFromBody(headers, body) {
  if (!body || typeof body.access_token !== "string") {
    return void 0;
  }
  const contentType = headers["content-type"];
  if (!contentType) {
    return void 0;
  }
  const isFormEncoded = contentType.toLowerCase().includes("application/x-www-form-urlencoded");
  if (!isFormEncoded) {
    return void 0;
  }
  return body.access_token;
}

// ../../../tmp/apijs/packages/auth0-api-js/src/index.ts
import {
  MissingClientAuthError as MissingClientAuthError2,
  TokenExchangeError
} from "@auth0/auth0-auth-js";
export {
  ApiClient,
  AuthError,
  BearerMethod,
  GrantType,
  InvalidConfigurationError,
  InvalidDpopProofError,
  InvalidRequestError,
  MissingClientAuthError2 as MissingClientAuthError,
  MissingRequiredArgumentError,
  MissingTransactionError,
  ProtectedResourceMetadata,
  ProtectedResourceMetadataBuilder,
  SigningAlgorithm,
  TokenExchangeError,
  VerifyAccessTokenError,
  getCurrentActor,
  getDelegationChain,
  getToken
};
