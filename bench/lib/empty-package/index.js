// The floor of the Node cold-start figure (see bench/run.mjs): imported and constructed as
// auth0-edge is, it measures what Node itself spends on a dynamic import of a package by name.
export class MemoryStore {}
export class ServerClient {
  constructor(options) {
    this.options = options;
  }
}
