import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { renderWith } from "../test/render";
import { Tabs } from "./Tabs";

function Example() {
  const [selected, setSelected] = useState<"a" | "b" | "c">("a");
  return (
    <Tabs label="Contoh" tabs={[{ key: "a", title: "A" }, { key: "b", title: "B" }, { key: "c", title: "C" }]} selected={selected} onSelect={setSelected}>
      <p>panel {selected}</p>
    </Tabs>
  );
}

describe("Tabs", () => {
  it("moves between tabs with the arrow keys, Home and End", async () => {
    renderWith(<Example />);
    await userEvent.tab();

    await userEvent.keyboard("{ArrowRight}");
    expect(screen.getByRole("tab", { name: "B" })).toHaveAttribute("aria-selected", "true");
    expect(screen.getByRole("tab", { name: "B" })).toHaveFocus();
    await userEvent.keyboard("{End}");
    expect(screen.getByRole("tabpanel")).toHaveTextContent("panel c");
    await userEvent.keyboard("{ArrowRight}");
    expect(screen.getByRole("tab", { name: "A" })).toHaveAttribute("aria-selected", "true");
  });
});
