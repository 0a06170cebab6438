import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { renderWith } from "../test/render";
import { DataTable } from "./DataTable";
import type { SortState } from "./DataTable";

interface Row {
  name: string;
  price: number;
}
const ROWS: Row[] = [
  { name: "Beras", price: 72000 },
  { name: "Cabai", price: 15000 },
  { name: "Minyak", price: 36000 },
];

function Sorted() {
  const [sort, setSort] = useState<SortState>({ key: "name", descending: false });
  const rows = [...ROWS].sort((a, b) => {
    const order = sort.key === "price" ? a.price - b.price : a.name.localeCompare(b.name);
    return sort.descending ? -order : order;
  });
  return (
    <DataTable
      caption="Harga"
      columns={[
        { key: "name", header: "Produk", render: (r) => r.name, sortable: true },
        { key: "price", header: "Harga", render: (r) => r.price, sortable: true, numeric: true },
      ]}
      rows={rows}
      rowKey={(r) => r.name}
      sort={sort}
      onSort={setSort}
    />
  );
}

const firstColumn = () => screen.getAllByRole("row").slice(1).map((row) => row.firstChild?.textContent);

describe("DataTable", () => {
  it("sorts by a column from the keyboard and tells screen readers the order", async () => {
    renderWith(<Sorted />);

    await userEvent.tab(); // the scrollable region
    await userEvent.tab(); // "Produk"
    await userEvent.tab(); // "Harga"
    expect(screen.getByRole("button", { name: /Harga/ })).toHaveFocus();
    await userEvent.keyboard("{Enter}");

    expect(firstColumn()).toEqual(["Cabai", "Minyak", "Beras"]);
    expect(screen.getByRole("columnheader", { name: /Harga/ })).toHaveAttribute("aria-sort", "ascending");
    await userEvent.keyboard("{Enter}");
    expect(firstColumn()).toEqual(["Beras", "Minyak", "Cabai"]);
    expect(screen.getByRole("columnheader", { name: /Harga/ })).toHaveAttribute("aria-sort", "descending");
  });
});
