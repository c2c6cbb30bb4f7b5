// mizan_gql's Debug Toolbar panel in Chromium, on the demo started with MIZAN_DEMO_TOOLBAR=1.
//
//   DEMO_URL=http://127.0.0.1:8000 SCREENSHOT_DIR=test-output/browser node tests/browser/toolbar.mjs
//
// Signs alice in, reads the "user" context twice with fetch() (a miss, then a hit), opens
// the toolbar's mizan panel (the toolbar follows fetch requests) and checks its rows; then
// runs the updateProfile mutation and checks the invalidations. Exits 0 when every step
// passed; saves a screenshot of the panel after each.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const BASE = process.env.DEMO_URL.replace(/\/$/, "");
const SHOTS = path.resolve(process.env.SCREENSHOT_DIR);
const ARGS = ["--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"];
if (typeof process.getuid === "function" && process.getuid() === 0) ARGS.push("--no-sandbox");

const PROFILE = "query Profile($id: Int!) { userProfile(userId: $id) { displayName } }";
const UPDATE =
  "mutation Update($id: Int!, $name: String!) { updateProfile(userId: $id, displayName: $name) { displayName } }";

function fail(message) {
  throw new Error(message);
}

async function graphql(page, query, variables) {
  return page.evaluate(
    async ([query, variables]) => {
      const csrf = (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || "";
      const response = await fetch("/graphql", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ query, variables }),
      });
      return { id: response.headers.get("djdt-request-id"), body: await response.json() };
    },
    [query, variables],
  );
}

async function openPanel(page, requestId) {
  // The toolbar switches to the latest fetch request (UPDATE_ON_FETCH) by itself.
  // (Playwright's CSS locators reach into the toolbar's shadow DOM.)
  await page.locator(`#djDebug[data-request-id="${requestId}"]`).waitFor({
    state: "attached",
    timeout: 10_000,
  });
  await page.locator("#djdt-MizanPanel a").first().click();
  const panel = page.locator("#MizanPanel");
  await panel.locator("#mizan-reads").waitFor({ timeout: 10_000 });
  return panel;
}

const dir = await mkdtemp(path.join(tmpdir(), "mizan-toolbar-"));
const context = await chromium.launchPersistentContext(dir, {
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ARGS,
  viewport: { width: 1400, height: 1000 },
});
let ok = false;
try {
  const page = context.pages()[0] || (await context.newPage());
  // The demo's React bundle (present once another test built it) refetches after each
  // invalidation, and UPDATE_ON_FETCH would move the toolbar past the request checked here:
  // the page runs without it, and this script makes every fetch.
  await context.route("**/static/core/app/**", (route) => route.abort());
  await page.goto(`${BASE}/login/`);
  await page.fill('input[name="username"]', "alice");
  await page.fill('input[name="password"]', "alice-password");
  await Promise.all([page.waitForURL(`${BASE}/`), page.click('#login-form button[type="submit"]')]);
  await page.locator("#djDebug").waitFor({ state: "attached" });
  const alice = await page.evaluate(async () => {
    const response = await fetch("/graphql", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query: "{ currentUser { id } }" }),
    });
    return (await response.json()).data.currentUser.id;
  });

  await graphql(page, PROFILE, { id: alice }); // a miss: computed
  const hit = await graphql(page, PROFILE, { id: alice });
  if (!hit.id) fail("the /graphql response has no djdt-request-id header");
  let panel = await openPanel(page, hit.id);
  const reads = panel.locator("#mizan-reads tr.mizan-read");
  if ((await reads.count()) !== 1) fail(`expected 1 context read, got ${await reads.count()}`);
  if (!(await panel.locator("#mizan-reads tr.mizan-hit td.context").innerText()).includes("user"))
    fail("the read is not a hit of the user context");
  const op = await panel.locator("#mizan-operations tr.mizan-operation td.name").innerText();
  if (op.trim() !== "Profile") fail(`operation row says ${op}`);
  const path_ = await panel.locator("#mizan-operations tr.mizan-operation td.path").innerText();
  if (path_.trim() !== "prepared") fail(`the repeated document ran on the ${path_} path`);
  await page.screenshot({ path: path.join(SHOTS, "toolbar-01-context-hit.png") });
  console.log("context hit: OK");

  const update = await graphql(page, UPDATE, { id: alice, name: "Alice in the panel" });
  if (update.body.errors) fail(JSON.stringify(update.body.errors));
  panel = await openPanel(page, update.id);
  const entries = await panel.locator("#mizan-invalidations tr.mizan-invalidation td.entry").allInnerTexts();
  const expected = [`user;user_id=${alice}`, "people"];
  if (JSON.stringify(entries.map((e) => e.trim())) !== JSON.stringify(expected))
    fail(`invalidations ${JSON.stringify(entries)}`);
  const source = await panel.locator("#mizan-invalidations td.source").first().innerText();
  if (source.trim() !== "mutation update_profile") fail(`source ${source}`);
  const sql = await panel.locator("#mizan-functions tr.mizan-function pre.sql").count();
  if (sql < 1) fail("no SQL attributed to update_profile");
  if (!(await panel.locator("#mizan-purges td.urls").innerText()).includes(`/profile/${alice}/`))
    fail("the purge of the profile page is not listed");
  await page.screenshot({ path: path.join(SHOTS, "toolbar-02-mutation.png") });
  console.log("mutation: OK");
  ok = true;
  console.log("PASSED");
} catch (error) {
  console.error(error);
} finally {
  await context.close();
  await rm(dir, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
