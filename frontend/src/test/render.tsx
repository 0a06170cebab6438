/** Renders a component with the providers the app has: urql client, language and router. */
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter } from "react-router";
import { Provider } from "urql";
import type { Client } from "urql";
import { fromValue, never } from "wonka";
import { I18nProvider } from "../i18n";
import type { Language } from "../i18n";

/**
 * A urql client that answers every query from `respond` (by operation name), so a
 * component test sees exactly the response shapes the server sends.
 */
export function clientAnswering(respond: (operationName: string, variables: Record<string, unknown>) => unknown): Client {
  return {
    executeQuery: (operation: { query: { definitions: { name?: { value: string } }[] }; variables: Record<string, unknown> }) => {
      const name = operation.query.definitions[0]?.name?.value ?? "";
      const data = respond(name, operation.variables);
      return data === undefined ? never : fromValue({ operation, data, stale: false, hasNext: false });
    },
  } as unknown as Client;
}

export function renderWith(ui: ReactElement, { client, route = "/", lang = "id" }: { client?: Client; route?: string; lang?: Language } = {}) {
  const tree = (
    <I18nProvider initial={lang}>
      <MemoryRouter initialEntries={[route]}>{ui}</MemoryRouter>
    </I18nProvider>
  );
  return render(client ? <Provider value={client}>{tree}</Provider> : tree);
}
