// What a Worker imports from @auth0/auth0-server-js for the same job.
export { ServerClient, StatelessStateStore, StatefulStateStore, CookieTransactionStore } from "@auth0/auth0-server-js";
