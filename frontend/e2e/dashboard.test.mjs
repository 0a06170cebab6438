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

const regionLinkNames = async (page) => {
  await page.getByTestId("region-children").waitFor();
  return page.getByTestId("region-children").locator("li a").allTextContents();
};
const linkTableRows = (page) => page.locator("section").filter({ has: page.getByRole("heading", { name: "Tautan dan asal-usul", exact: true }) }).locator("table tbody tr").allTextContents();

const figure = async (page, testId) => Number((await page.getByTestId(testId).locator(".figure-value").textContent()).replace(/\D/g, ""));

describe("Ringkasan", () => {
  it("shows key figures, alerts and spikes as the API reports them", async () => {
    const { page, problems } = await visit("/");
    const api = await graphql(
      server.url,
      '{ graphStats { entities: nodes(label: "Entity") } posts(limit: 1) { total } listings(limit: 1) { total } priceAlerts { name } }',
    );
    await page.getByTestId("latest-alerts").waitFor();
    await page.getByTestId("latest-spikes").waitFor();

    assert.ok(api.graphStats.entities > 0 && api.posts.total > 0 && api.listings.total > 0);
    assert.equal(await figure(page, "figure-entities"), api.graphStats.entities);
    assert.equal(await figure(page, "figure-posts"), api.posts.total);
    assert.equal(await figure(page, "figure-listings"), api.listings.total);
    const alerts = await page.getByTestId("latest-alerts").locator("li").allTextContents();
    assert.equal(alerts.length, Math.min(6, api.priceAlerts.length));
    assert.ok(alerts[0].includes(api.priceAlerts[0].name));
    await screenshot(page, "ringkasan");
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("fits a 360 px phone without horizontal scrolling and switches to English", async () => {
    const { page, problems } = await visit("/", { width: 360, height: 780 });
    for (const id of ["figure-entities", "figure-posts", "figure-listings", "latest-alerts", "latest-spikes"]) {
      await page.getByTestId(id).waitFor();
    }

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

const tableOf = (page, heading) => page.locator("section").filter({ has: page.getByRole("heading", { name: heading, exact: true }) }).locator("table").first();
const firstCells = async (table) => (await table.locator("tbody tr td:first-child").allTextContents()).map((s) => s.trim());

describe("Big Social", () => {
  it("shows issues and share of voice from the API, follows the sentiment filter, and searches by meaning", async () => {
    const { page, problems } = await visit("/social");
    const all = await graphql(server.url, "{ issueBreakdown { label } shareOfVoice { name posts } }");
    const issues = tableOf(page, "Isu");
    await issues.waitFor();

    assert.deepEqual(await firstCells(issues), all.issueBreakdown.map((i) => i.label));
    await page.getByTestId("chart-sentiment").locator("svg").first().waitFor();
    await screenshot(page, "big-social");

    const negative = await graphql(server.url, '{ shareOfVoice(filter: { sentiments: ["negative"] }) { name posts } }');
    await page.locator("select[name=sentiment]").selectOption("negative");
    await page.waitForURL(/sentiment=negative/);
    const voice = tableOf(page, "Share of voice per entitas");
    const expected = negative.shareOfVoice.map((v) => String(v.posts));
    await page.waitForFunction(
      (want) => {
        const section = [...document.querySelectorAll("section")].find((s) => s.querySelector("h2")?.textContent === "Share of voice per entitas");
        const cells = [...(section?.querySelectorAll("tbody tr td:nth-child(2)") ?? [])].map((td) => td.textContent);
        return JSON.stringify(cells) === JSON.stringify(want);
      },
      expected,
    );
    assert.notDeepEqual(expected, all.shareOfVoice.map((v) => String(v.posts)));
    assert.ok((await voice.locator("tbody tr").count()) > 0);

    const search = await graphql(server.url, '{ searchPosts(query: "banjir", filter: { sentiments: ["negative"] }, limit: 10) { post { text } } }');
    await page.getByLabel("Kata kunci pencarian").fill("banjir");
    await page.getByRole("button", { name: "Terapkan" }).click();
    const results = page.getByTestId("search-results").locator("li");
    await results.first().waitFor();
    assert.equal(await results.count(), search.searchPosts.length);
    assert.ok((await results.first().textContent()).includes(search.searchPosts[0].post.text));
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe("Big Market", () => {
  it("shows the staple watch and alerts from the API and follows the alert threshold", async () => {
    const { page, problems } = await visit("/market");
    const api = await graphql(server.url, "{ stapleWatch { name } priceAlerts { name } }");
    const watch = tableOf(page, "Pantauan bahan pokok");
    await watch.waitFor();

    assert.equal(await watch.locator("tbody tr").count(), api.stapleWatch.length);
    const alerts = page.getByTestId("price-alerts").locator("li");
    assert.equal(await alerts.count(), Math.min(12, api.priceAlerts.length));
    await page.getByTestId("chart-index").locator("svg").first().waitFor();
    await page.getByTestId("chart-history").locator("svg").first().waitFor();
    await tableOf(page, "Penjual lokal teratas").waitFor();
    await screenshot(page, "big-market");

    const strict = await graphql(server.url, '{ priceAlerts(thresholdPercent: "20") { name } }');
    await page.getByLabel("Ambang peringatan (%)").fill("20");
    await page.waitForURL(/threshold=20/);
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=price-alerts] li").length === n, Math.min(12, strict.priceAlerts.length));
    assert.ok(strict.priceAlerts.length < api.priceAlerts.length);
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
    await page.waitForFunction(
      (n) => {
        const section = [...document.querySelectorAll("section")].find((s) => s.querySelector("h2")?.textContent === "Tautan dan asal-usul");
        return section?.querySelectorAll("tbody tr").length === n;
      },
      organisations.length,
    );
    assert.ok(organisations.length > 0 && organisations.length < touching.length);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe("Big One: catalog and dataset table", () => {
  it("lists the catalog's datasets with their metadata and narrows them by search", async () => {
    const { page, problems } = await visit("/bigone?tab=catalog");
    const all = await graphql(server.url, "{ datasets { totalCount items { title } } }");
    const cards = page.getByTestId("catalog-results").locator("article");
    await cards.first().waitFor();

    assert.ok(all.datasets.totalCount > 0);
    assert.equal(await cards.count(), all.datasets.totalCount);
    await screenshot(page, "bigone-katalog");
    const search = await graphql(server.url, '{ datasets(search: "umkm") { items { title } } }');
    await page.getByLabel("Cari dataset").fill("umkm");
    await page.getByRole("button", { name: "Terapkan" }).click();
    await page.waitForURL(/search=umkm/);
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=catalog-results] article").length === n, search.datasets.items.length);
    assert.ok(search.datasets.items.length < all.datasets.totalCount);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("reads a dataset live, filters and sorts it, and groups it into aggregates", async () => {
    const { datasets } = await graphql(server.url, '{ datasets(search: "umkm") { items { id source name } } }');
    const { id } = datasets.items[0];
    const { page, problems } = await visit(`/bigone?tab=table&dataset=${id}`);
    const rows = page.locator("table tbody tr");
    await rows.first().waitFor();
    const all = await graphql(server.url, "{ filesDinkopukmUmkmBinaan(first: 100) { totalCount } }");
    assert.equal(await rows.count(), all.filesDinkopukmUmkmBinaan.totalCount);

    const slawi = await graphql(server.url, '{ filesDinkopukmUmkmBinaan(filter: { kecamatan: { eq: "Slawi" } }, orderBy: [{ column: tenaga_kerja, direction: DESC }]) { nodes { nama_usaha } } }');
    await page.getByLabel("Kolom").selectOption("kecamatan");
    await page.getByLabel("Nilai").fill("Slawi");
    await page.getByRole("button", { name: "Terapkan" }).click();
    await page.waitForURL(/fval=Slawi/);
    await page.getByRole("button", { name: /^tenaga_kerja/ }).click();
    await page.getByRole("button", { name: /^tenaga_kerja/ }).click();
    await page.waitForURL(/desc=1/);
    const expected = slawi.filesDinkopukmUmkmBinaan.nodes.map((n) => n.nama_usaha);
    await page.waitForFunction(
      (want) => {
        const header = [...document.querySelectorAll("thead th")].map((th) => th.textContent.trim());
        const column = header.findIndex((h) => h.startsWith("nama_usaha"));
        const cells = [...document.querySelectorAll("tbody tr")].map((tr) => tr.children[column]?.textContent);
        return JSON.stringify(cells) === JSON.stringify(want);
      },
      expected,
    );
    await screenshot(page, "bigone-tabel");

    const groups = await graphql(server.url, "{ filesDinkopukmUmkmBinaanAggregate(groupBy: [kecamatan]) { count } }");
    await page.locator("select[name=group]").selectOption("sektor");
    await page.waitForURL(/group=sektor/);
    const bySector = await graphql(server.url, '{ filesDinkopukmUmkmBinaanAggregate(filter: { kecamatan: { eq: "Slawi" } }, groupBy: [sektor]) { count } }');
    await page.waitForFunction((n) => document.querySelectorAll("tbody tr").length === n, bySector.filesDinkopukmUmkmBinaanAggregate.length);
    assert.ok(groups.filesDinkopukmUmkmBinaanAggregate.length > 1);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe("Big One: link review queue", () => {
  it("accepting a candidate link moves the record into the candidate's entity", async () => {
    const { reviewQueue } = await graphql(server.url, "{ reviewQueue(limit: 50) { id recordId candidateEntityId entityId reason } }");
    const item = reviewQueue.find((i) => i.candidateEntityId && i.reason !== "conflict") ?? reviewQueue.find((i) => i.candidateEntityId);
    assert.ok(item, "the demo's linking run left no candidate link to review");
    const linksOf = async (id) => (await graphql(server.url, "query ($id: ID!) { entity(id: $id) { links { recordId status decidedBy } } }", { id })).entity.links;
    const before = await linksOf(item.candidateEntityId);
    assert.ok(!before.some((l) => l.recordId === item.recordId && l.status === "accepted"));

    const { page, problems } = await visit("/bigone?tab=review");
    await page.getByLabel("Nama peninjau").fill("peninjau-e2e");
    const card = page.locator("article.review").filter({ hasText: item.recordId }).first();
    await card.waitFor();
    await screenshot(page, "bigone-tinjauan");
    await card.getByRole("button", { name: "Terima" }).click();
    const decisions = page.getByTestId("review-decisions");
    await decisions.waitFor();

    const after = await linksOf(item.candidateEntityId);
    const accepted = after.find((l) => l.recordId === item.recordId);
    assert.equal(accepted?.status, "accepted");
    // The demo serves visitors as stewards; the server records who decided, with the typed name as a label.
    assert.equal(accepted?.decidedBy, "anonymous (peninjau-e2e)");
    await decisions.getByRole("link", { name: "Lihat entitas" }).first().click();
    const records = page.getByTestId("entity-records");
    await records.waitFor();
    await page.waitForFunction((text) => document.querySelector("[data-testid=entity-records]")?.textContent.includes(text), "peninjau-e2e");
    await screenshot(page, "bigone-entitas-setelah-tinjauan");
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
    const social = await graphql(server.url, '{ posts(filter: { text: "tegal" }, limit: 1) { total } }');
    await page.getByTestId("region-posts").waitFor();
    assert.equal(await figure(page, "region-posts"), social.posts.total);
    await page.getByTestId("region-sellers").waitFor();
    await screenshot(page, "wilayah");

    await page.getByLabel("Kode wilayah").fill("33.28.10");
    await page.getByRole("button", { name: "Terapkan" }).click();
    await page.getByRole("heading", { name: "Slawi" }).waitFor();
    assert.match(page.url(), /code=33\.28\.10/);
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
