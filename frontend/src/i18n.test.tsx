import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { Layout } from "./components/Layout";
import { translate } from "./i18n";
import { renderWith } from "./test/render";

describe("translate", () => {
  it("fills named values into the template", () => {
    expect(translate("id", "entity.notFound", { id: "place:1" })).toBe("Entitas place:1 tidak ditemukan.");
    expect(translate("en", "entity.notFound", { id: "place:1" })).toBe("Entity place:1 was not found.");
  });
});

describe("Layout", () => {
  it("speaks Indonesian by default and switches to English and back", async () => {
    renderWith(<Layout />);
    expect(screen.getByRole("link", { name: "Ringkasan" })).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Switch to English" }));

    expect(screen.getByRole("link", { name: "Overview" })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe("en");
    await userEvent.click(screen.getByRole("button", { name: "Ganti ke Bahasa Indonesia" }));
    expect(screen.getByRole("link", { name: "Ringkasan" })).toBeInTheDocument();
  });

  it("links to GraphiQL and offers a skip link to the content", () => {
    renderWith(<Layout />);

    expect(screen.getByRole("link", { name: "GraphiQL" })).toHaveAttribute("href", "/graphql");
    expect(screen.getByRole("link", { name: "Langsung ke konten" })).toHaveAttribute("href", "#main");
  });
});
