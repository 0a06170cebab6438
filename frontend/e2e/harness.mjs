/**
 * The browser suite's fixtures: a demo server on a free loopback port, Debian's
 * chromium driven by playwright-core, a GraphQL helper to read the same API the
 * page reads, and one screenshot per page under ../test-artifacts/.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const ARTIFACTS = process.env.BIGONE_TEST_ARTIFACTS ?? join(ROOT, "test-artifacts");
const CHROMIUM = process.env.BIGONE_CHROMIUM ?? "/usr/bin/chromium";
const STARTUP_SECONDS = 240;

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function pythonExecutable() {
  if (process.env.BIGONE_PYTHON) return process.env.BIGONE_PYTHON;
  const venv = join(ROOT, ".venv", "bin", "python");
  return existsSync(venv) ? venv : "python3";
}

async function waitForHealth(url, child, output) {
  const deadline = Date.now() + STARTUP_SECONDS * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`bigone demo exited with ${child.exitCode}:\n${output.join("")}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 500));
  }
  throw new Error(`bigone demo did not become healthy in ${STARTUP_SECONDS}s:\n${output.join("")}`);
}

/** Starts `bigone demo` (or uses BIGONE_E2E_URL) and returns its base URL and a stop function. */
export async function startDemoServer() {
  if (process.env.BIGONE_E2E_URL) return { url: process.env.BIGONE_E2E_URL, stop: async () => {} };
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "bigone-e2e-"));
  const output = [];
  const child = spawn(
    pythonExecutable(),
    ["-m", "app.cli", "demo", "--host", "127.0.0.1", "--port", String(port), "--data-dir", dataDir],
    { cwd: ROOT, env: { ...process.env, PYTHONPATH: ROOT, BIGONE_LOG_LEVEL: "WARNING" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout.on("data", (chunk) => output.push(String(chunk)));
  child.stderr.on("data", (chunk) => output.push(String(chunk)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((done) => child.once("exit", done));
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), "bigone-chromium-"));
  // A fresh profile per run: playwright takes it as the persistent context's directory.
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const close = async () => {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { browser, close };
}

/** A page that fails the test on any uncaught script error or failed GraphQL response. */
export async function openPage(browser, { width = 1280, height = 900 } = {}) {
  const page = await browser.newPage();
  await page.setViewportSize({ width, height });
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("response", (response) => {
    if (response.url().endsWith("/graphql") && !response.ok()) problems.push(`GraphQL answered ${response.status()}`);
  });
  return { page, problems };
}

/** Runs a GraphQL query against the server the browser talks to, so a test compares with the API itself. */
export async function graphql(url, query, variables = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
