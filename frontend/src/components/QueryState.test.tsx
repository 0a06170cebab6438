import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { CombinedError } from "urql";
import { describe, expect, it, vi } from "vitest";
import { renderWith } from "../test/render";
import { QueryState } from "./QueryState";

const show = (data: string[]) => <p>{data.join(",")}</p>;

describe("QueryState", () => {
  it("announces loading while there is no data", () => {
    renderWith(<QueryState fetching data={undefined}>{show}</QueryState>);

    expect(screen.getByRole("status")).toHaveTextContent("Memuat…");
  });

  it("shows the server's error message and retries on request", async () => {
    const retry = vi.fn();
    const error = new CombinedError({ graphQLErrors: [{ message: "source dinkes is down" }] });
    renderWith(<QueryState fetching={false} error={error} data={undefined} onRetry={retry}>{show}</QueryState>);

    expect(screen.getByRole("alert")).toHaveTextContent("source dinkes is down");
    await userEvent.click(screen.getByRole("button", { name: "Coba lagi" }));
    expect(retry).toHaveBeenCalledOnce();
  });

  it("says when there is nothing to show", () => {
    renderWith(<QueryState fetching={false} data={[]} isEmpty={(d) => d.length === 0}>{show}</QueryState>);

    expect(screen.getByRole("status")).toHaveTextContent("Belum ada data.");
  });

  it("renders the data otherwise", () => {
    renderWith(<QueryState fetching={false} data={["a", "b"]} isEmpty={(d) => d.length === 0}>{show}</QueryState>);

    expect(screen.getByText("a,b")).toBeInTheDocument();
  });
});
