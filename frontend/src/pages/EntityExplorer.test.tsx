import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { clientAnswering, renderWith } from "../test/render";
import { EntityExplorer, filterByKind, linkRows } from "./EntityExplorer";

// Cytoscape draws on a canvas that jsdom does not have; the browser suite covers it.
vi.mock("../components/GraphView", () => ({
  GraphView: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

const node = (id: string, name: string, kind: string) => ({ id, name, kind, label: "Entity", properties: {} });
const edge = (id: string, type: string, sourceId: string, targetId: string, properties = {}) => ({ id, type, sourceId, targetId, properties });

const REGENCY = {
  ...node("place:33.28", "Kabupaten Tegal", "place"),
  properties: { level: "regency", code: "33.28" },
  neighbours: {
    nodes: [
      node("place:33.28", "Kabupaten Tegal", "place"),
      node("place:33.28.10", "Slawi", "place"),
      node("org:agency:dinkes", "Dinas Kesehatan", "organisation"),
      node("place:33", "Jawa Tengah", "place"),
    ],
    edges: [
      edge("e1", "LOCATED_IN", "place:33.28.10", "place:33.28"),
      edge("e2", "LOCATED_IN", "org:agency:dinkes", "place:33.28", { method: "config", status: "accepted" }),
      edge("e3", "LOCATED_IN", "place:33.28", "place:33"),
    ],
  },
};

describe("linkRows", () => {
  it("gives each link of the entity its direction and the entity at the other end", () => {
    const rows = linkRows("place:33.28", REGENCY.neighbours);

    expect(rows.map((r) => [r.type, r.outgoing, r.other?.name])).toEqual([
      ["LOCATED_IN", false, "Slawi"],
      ["LOCATED_IN", false, "Dinas Kesehatan"],
      ["LOCATED_IN", true, "Jawa Tengah"],
    ]);
  });
});

describe("filterByKind", () => {
  it("keeps the focus and the neighbours of one kind with the edges among them", () => {
    const shown = filterByKind("place:33.28", REGENCY.neighbours, "organisation");

    expect(shown.nodes.map((n) => n.name)).toEqual(["Kabupaten Tegal", "Dinas Kesehatan"]);
    expect(shown.edges.map((e) => e.id)).toEqual(["e2"]);
  });
});

describe("EntityExplorer", () => {
  const client = clientAnswering((name, variables) =>
    name === "EntityNeighbourhood" ? { graphNode: variables.id === "place:33.28" ? REGENCY : null } : undefined,
  );

  it("shows the entity from the URL with its links and their provenance", () => {
    renderWith(<EntityExplorer />, { client, route: "/bigone?entity=place:33.28" });

    expect(screen.getByRole("heading", { name: "Kabupaten Tegal" })).toBeInTheDocument();
    const table = screen.getByRole("table");
    expect(within(table).getAllByRole("row")).toHaveLength(4);
    expect(within(table).getByText(/"method":"config"/)).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /3 tautan/ })).toBeInTheDocument();
  });

  it("narrows the links to one kind when the filter changes", async () => {
    renderWith(<EntityExplorer />, { client, route: "/bigone?entity=place:33.28" });

    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Jenis" }), "organisation");

    const rows = within(screen.getByRole("table")).getAllByRole("row");
    expect(rows).toHaveLength(2);
    expect(rows[1]).toHaveTextContent("Dinas Kesehatan");
  });

  it("says so when the entity does not exist", async () => {
    renderWith(<EntityExplorer />, { client, route: "/bigone" });

    await userEvent.type(screen.getByRole("searchbox", { name: "Cari entitas (nama atau ID)" }), "place:99");
    await userEvent.click(screen.getByRole("button", { name: "Buka" }));

    expect(screen.getByRole("status")).toHaveTextContent("Entitas place:99 tidak ditemukan.");
  });
});
