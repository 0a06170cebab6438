/** The one GraphQL client of the dashboard: urql with its document cache over /graphql. */
import { Client, cacheExchange, fetchExchange } from "urql";

export function createClient(url = "/graphql"): Client {
  return new Client({
    url,
    exchanges: [cacheExchange, fetchExchange],
    preferGetMethod: false,
    requestPolicy: "cache-and-network",
  });
}
