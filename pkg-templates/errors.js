// The package's error classes. The Rust client builds every error it throws through makeError
// (src/bindings.rs `to_js`), so `instanceof` works against these exports.

export class Auth0EdgeError extends Error {
  static name = "Auth0EdgeError";
  constructor(code, message, options = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    /** Stable machine-readable code, e.g. "invalid_grant". */
    this.code = code;
    if (options.status !== undefined) this.status = options.status;
  }
}

export class CustomTokenExchangeError extends Auth0EdgeError {
  static name = "CustomTokenExchangeError";
}
export class ConfigurationError extends Auth0EdgeError {
  static name = "ConfigurationError";
}
export class IdTokenError extends Auth0EdgeError {
  static name = "IdTokenError";
}
export class AccessTokenError extends Auth0EdgeError {
  static name = "AccessTokenError";
}
export class StoreError extends Auth0EdgeError {
  static name = "StoreError";
}
/**
 * An access token (or the request carrying it) refused by `ApiClient`: `code` is RFC 6750's
 * (`invalid_request`, `invalid_token`, `insufficient_scope`), RFC 9449's `invalid_dpop_proof`, or
 * `temporarily_unavailable`;
 * `status` and `headers` are what to answer with (`new Response(body, { status, headers })`).
 */
export class VerifyAccessTokenError extends Auth0EdgeError {
  static name = "VerifyAccessTokenError";
  constructor(code, message, options = {}) {
    super(code, message, options);
    /** `{ "WWW-Authenticate": challenge }`, or `{}` for an outage (503). */
    this.headers = options.wwwAuthenticate === undefined ? {} : { "WWW-Authenticate": options.wwwAuthenticate };
  }
}

const classes = {
  CustomTokenExchangeError,
  ConfigurationError,
  IdTokenError,
  AccessTokenError,
  StoreError,
  VerifyAccessTokenError,
};
// The name an error prints as (`${e}`, stack traces): each class's public name (`static name`).
for (const C of [Auth0EdgeError, ...Object.values(classes)]) C.prototype.name = C.name;

export const CustomTokenExchangeErrorCode = Object.freeze({
  INVALID_TOKEN_FORMAT: "invalid_token_format",
  MISSING_ACTOR_TOKEN_TYPE: "missing_actor_token_type",
  MISSING_ACTOR_TOKEN: "missing_actor_token",
  TOKEN_EXCHANGE_FAILED: "token_exchange_failed",
  INVALID_RESPONSE: "invalid_response",
  INVALID_PARAMETER: "invalid_parameter",
});

/** @internal The one way the Rust client (src/bindings.rs `to_js`) builds the errors it throws. */
export function makeError(className, code, message, status, cause, wwwAuthenticate) {
  return new (classes[className] ?? Auth0EdgeError)(code, message, { status, cause, wwwAuthenticate });
}
