/**
 * The dashboard in Debian's chromium against a running `bigone demo`: every page
 * shows the API's real data, filters change what is shown, and each page leaves
 * a screenshot under test-artifacts/.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { graphql, launchBrowser, openPage, screenshot, startDemoServer } from "./harness.mjs";

let server;
let chrome;

before(async () => {
  server = await startDemoServer();
  chrome = await launchBrowser();
});

after(async () => {
  await chrome?.close();
  await server?.stop();
});

async function visit(path, options) {
  const { page, problems } = await openPage(chrome.browser, options);
  await page.goto(`${server.url}${path}`);
  return { page, problems };
}

const regionLinkNames = (page) => page.locator("section").filter({ hasText: "Wilayah di bawahnya" }).locator("li a").allTextContents();
const linkTableRows = (page) => page.locator("table tbody tr").allTextContents();

describe("Ringkasan", () => {
  it("shows the graph's entity count as the API reports it", async () => {
    const { page, problems } = await visit("/");
    const { graphStats } = await graphql(server.url, '{ graphStats { entities: nodes(label: "Entity") } }');

    const figure = page.getByTestId("figure-entities");
    await figure.waitFor();

    assert.ok(graphStats.entities > 0);
    const shown = Number((await figure.locator(".figure-value").textContent()).replace(/\D/g, ""));
    assert.equal(shown, graphStats.entities);
    await screenshot(page, "ringkasan");
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("fits a 360 px phone without horizontal scrolling and switches to English", async () => {
    const { page, problems } = await visit("/", { width: 360, height: 780 });
    await page.getByTestId("figure-entities").waitFor();

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
    await screenshot(page, "ringkasan-360px");
    await page.getByRole("button", { name: "Switch to English" }).click();
    await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    // The choice is kept in the browser's storage, which the other tests share.
    await page.getByRole("button", { name: "Ganti ke Bahasa Indonesia" }).click();
    await page.getByRole("heading", { name: "Ringkasan", level: 1 }).waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe("Big One: entity explorer", () => {
  it("shows an entity's links from the graph, narrows them by kind, and draws the graph", async () => {
    const id = "place:33.28";
    const { page, problems } = await visit(`/bigone?tab=entities&entity=${encodeURIComponent(id)}`);
    const { graphNode } = await graphql(
      server.url,
      "query ($id: ID!) { graphNode(id: $id) { name neighbours { nodes { id kind } edges { sourceId targetId } } } }",
      { id },
    );
    await page.getByRole("heading", { name: graphNode.name }).waitFor();

    const touching = graphNode.neighbours.edges.filter((e) => e.sourceId === id || e.targetId === id);
    assert.equal((await linkTableRows(page)).length, touching.length);
    await page.locator(".graph-view canvas").first().waitFor();
    await screenshot(page, "bigone-entitas");

    await page.getByLabel("Jenis").selectOption("organisation");
    await page.waitForURL(/kind=organisation/);
    const kinds = new Map(graphNode.neighbours.nodes.map((n) => [n.id, n.kind]));
    const organisations = touching.filter((e) => kinds.get(e.sourceId === id ? e.targetId : e.sourceId) === "organisation");
    await page.waitForFunction((n) => document.querySelectorAll("table tbody tr").length === n, organisations.length);
    assert.ok(organisations.length > 0 && organisations.length < touching.length);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe("Wilayah", () => {
  it("shows the districts of the regency and follows a region-code filter", async () => {
    const { page, problems } = await visit("/region?code=33.28");
    await page.getByRole("heading", { name: "Kabupaten Tegal" }).waitFor();

    const districts = await regionLinkNames(page);
    assert.equal(districts.length, 18);
    assert.ok(districts.includes("Slawi"));
    await screenshot(page, "wilayah");

    await page.getByLabel("Kode wilayah").fill("33.28.10");
    await page.getByRole("button", { name: "Terapkan" }).click();
    await page.getByRole("heading", { name: "Slawi" }).waitFor();
    assert.match(page.url(), /code=33\.28\.10/);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe("Big Social", () => {
  it("renders its sections", async () => {
    const { page, problems } = await visit("/social");
    await page.getByRole("heading", { name: "Big Social", level: 1 }).waitFor();

    await screenshot(page, "big-social");
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe("Big Market", () => {
  it("renders its sections", async () => {
    const { page, problems } = await visit("/market");
    await page.getByRole("heading", { name: "Big Market", level: 1 }).waitFor();

    await screenshot(page, "big-market");
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe("client routes", () => {
  it("serves the app for a deep link and its own not-found page for an unknown path", async () => {
    const { page, problems } = await visit("/no/such/page");

    await page.getByRole("heading", { name: "Halaman tidak ditemukan" }).waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });
});
