// What a Worker imports from auth0-edge (loaded through the package's "workerd" export condition).
export { ServerClient, MemoryStore, CookieStore, KvStore } from "auth0-edge";
