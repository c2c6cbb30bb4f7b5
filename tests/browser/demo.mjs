// The demo in a real browser: Debian's Chromium driven by playwright-core.
//
//   DEMO_URL=http://127.0.0.1:8000 SCREENSHOT_DIR=test-output/browser node tests/browser/demo.mjs
//
// Run by tests/demo/test_browser.py against `manage.py rundemo` on a free loopback port. Two
// browsers (each a persistent context with a new, empty user-data-dir) sign in as alice and
// bob. The script exits 0 when every step passed, 1 with the failing step otherwise, and
// saves a screenshot of each page it visits under SCREENSHOT_DIR.

import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const BASE = required("DEMO_URL").replace(/\/$/, "");
const SHOTS = path.resolve(required("SCREENSHOT_DIR"));
const EXECUTABLE = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const STEP_TIMEOUT = 15_000;
const TOTAL_TIMEOUT = 100_000;
const STAMP = Date.now().toString(36);

const ARGS = [
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
];
if (typeof process.getuid === "function" && process.getuid() === 0) ARGS.push("--no-sandbox");

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}

function fail(message) {
  throw new Error(message);
}

function exactly(text) {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`);
}

const started = Date.now();
function log(message) {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);
}

let shotNumber = 0;
async function screenshot(page, name) {
  shotNumber += 1;
  const file = path.join(SHOTS, `${String(shotNumber).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  log(`screenshot ${path.basename(file)}`);
}

/** Records every header state the page shows (React sets data-state on the header bar). */
function recordHeaderStates() {
  window.__headerStates = [];
  new MutationObserver(() => {
    const bar = document.querySelector("#site-header .header-bar");
    const state = bar?.getAttribute("data-state");
    if (state && window.__headerStates[window.__headerStates.length - 1] !== state) {
      window.__headerStates.push(state);
    }
  }).observe(document, { subtree: true, childList: true, attributes: true });
}

/** One browser with its own new, empty user-data-dir, and what its page did. */
async function openBrowser(name) {
  const dir = await mkdtemp(path.join(tmpdir(), `mizan-demo-${name}-`));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: EXECUTABLE,
    headless: true,
    args: ARGS,
    viewport: { width: 1200, height: 800 },
    locale: "en-GB",
    timezoneId: "UTC",
    timeout: 30_000,
  });
  context.setDefaultTimeout(STEP_TIMEOUT);
  await context.addInitScript(recordHeaderStates);
  const page = context.pages()[0] ?? (await context.newPage());
  const browser = { name, dir, context, page, requests: [], errors: [] };
  page.on("request", (request) =>
    browser.requests.push({
      method: request.method(),
      url: request.url(),
      body: request.postData() ?? "",
    }),
  );
  page.on("pageerror", (error) => browser.errors.push(`${name}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") log(`${name} console error: ${message.text()}`);
  });
  return browser;
}

async function closeBrowser(browser) {
  await browser.context.close().catch(() => {});
  await rm(browser.dir, { recursive: true, force: true });
}

/** Requests made since `mark` (an index into browser.requests) that match `test`. */
function requestsSince(browser, mark, test) {
  return browser.requests.slice(mark).filter(test);
}

async function signIn(browser, username, password, { screenshotAs } = {}) {
  const { page } = browser;
  await page.goto(`${BASE}/login/`);
  await page.locator("#login-form").waitFor();
  if (screenshotAs) await screenshot(page, screenshotAs);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await Promise.all([
    page.waitForURL(`${BASE}/`),
    page.click('#login-form button[type="submit"]'),
  ]);
  await page.locator('[data-testid="current-user"]', { hasText: exactly(username) }).waitFor();
}

async function headerStates(page) {
  return page.evaluate(() => window.__headerStates);
}

async function run(alice, bob) {
  await mkdir(SHOTS, { recursive: true });

  log("bob signs in and opens alice's profile");
  await signIn(bob, "bob", "bob-password");
  await bob.page.locator(".people a", { hasText: "@alice" }).click();
  await bob.page.waitForURL(/\/profile\/\d+\/$/);
  const aliceProfileUrl = bob.page.url();
  await bob.page.locator('[data-testid="profile-name"]').waitFor();

  log("alice signs in: the header shows her at once, from the hydrated global context");
  await signIn(alice, "alice", "alice-password", { screenshotAs: "sign-in" });
  let mark = 0;
  const page = alice.page;
  const states = await headerStates(page);
  if (states.join() !== "ready") fail(`the header went through ${states.join(" -> ")}, not just "ready"`);
  const fetchedUser = requestsSince(alice, mark, (r) => /current_?user|CurrentUser/i.test(r.url + r.body));
  if (fetchedUser.length > 0) fail(`the current user was fetched instead of hydrated: ${fetchedUser[0].url}`);
  await page.locator('[data-testid="greeting"]', { hasText: exactly("Hello, alice!") }).waitFor();
  await page.locator('[data-testid="people"] a', { hasText: "@bob" }).waitFor();

  log("the greeting widget fetches its local context for a new name");
  mark = alice.requests.length;
  await page.fill('input[name="greet-name"]', "Ada Lovelace");
  await page.locator('[data-testid="greeting"]', { hasText: exactly("Hello, Ada Lovelace!") }).waitFor();
  if (requestsSince(alice, mark, (r) => r.url.includes("/graphql/ctx/greet/?name=Ada")).length === 0) {
    fail("the new greeting did not come from /graphql/ctx/greet/");
  }
  await screenshot(page, "home");

  log("alice opens her profile (hydrated by the @view) and edits it");
  mark = alice.requests.length;
  await Promise.all([page.waitForURL(aliceProfileUrl), page.click('[data-testid="current-user"]')]);
  await page.locator('[data-testid="profile-name"]').waitFor();
  if ((await headerStates(page)).join() !== "ready") fail("the header was not hydrated on the profile page");
  if (requestsSince(alice, mark, (r) => r.url.includes("/graphql/ctx/user/")).length > 0) {
    fail("the profile was fetched although the view hydrated it");
  }
  await screenshot(page, "profile");

  await page.getByRole("button", { name: "Edit profile" }).click();
  await page.fill('[data-testid="profile-editor"] input[name="displayName"]', "   ");
  await page.getByRole("button", { name: "Save" }).click();
  const nameError = page.locator('[data-testid="profile-editor"] .field-error');
  await nameError.waitFor();
  log(`server-side error shown: ${await nameError.first().innerText()}`);
  await screenshot(page, "profile-edit-error");

  const newName = `Alice ${STAMP}`;
  const newBio = `Edited in Chromium at ${new Date().toISOString()}.`;
  mark = alice.requests.length;
  await page.fill('[data-testid="profile-editor"] input[name="displayName"]', newName);
  await page.fill('[data-testid="profile-editor"] textarea[name="bio"]', newBio);
  await page.getByRole("button", { name: "Save" }).click();
  await page.locator('[data-testid="profile-name"]', { hasText: exactly(newName) }).waitFor();
  await page.locator('[data-testid="profile-bio"]', { hasText: newBio }).waitFor();
  const refetched = requestsSince(alice, mark, (r) => r.url.includes("/graphql/ctx/user/?user_id="));
  if (refetched.length === 0) fail("the profile did not refetch its context after the mutation");
  await screenshot(page, "profile-edited");

  log("bob, still on alice's profile, sees the change live (mizanInvalidations)");
  await bob.page.locator('[data-testid="profile-name"]', { hasText: exactly(newName) }).waitFor();
  await screenshot(bob.page, "profile-live-bob");

  log("reloading shows the new version (the server cache was invalidated)");
  await page.reload();
  await page.locator('[data-testid="profile-name"]', { hasText: exactly(newName) }).waitFor();

  log("contact form: Zod refuses first, then the server, then it is sent");
  await page.goto(`${BASE}/contact/`);
  await page.locator('[data-testid="contact-form"]').waitFor();
  mark = alice.requests.length;
  await page.fill("#contact-name", "Alice");
  await page.fill("#contact-email", "alice@");
  await page.fill("#contact-message", "Hi!");
  await page.getByRole("button", { name: "Send message" }).click();
  await page
    .locator('[data-field="email"] .field-error', { hasText: "Enter a valid email address." })
    .waitFor();
  await page
    .locator('[data-field="message"] .field-error', { hasText: "at least 10 characters" })
    .waitFor();
  const early = requestsSince(alice, mark, (r) => r.url.includes("/graphql") && /contact(Submit|Validate)/i.test(r.url + r.body));
  if (early.length > 0) fail("the invalid form reached the server; Zod should have stopped it");
  await screenshot(page, "contact-client-errors");

  await page.fill("#contact-email", "alice@example.com");
  await page.fill("#contact-message", "Hello from the browser test, everything works.");
  await page.getByRole("button", { name: "Send message" }).click();
  await page
    .locator('[data-field="email"] .field-error', { hasText: "We cannot reply to example.com addresses" })
    .waitFor();
  if (await page.locator('[data-field="message"] .field-error').count()) {
    fail("the message's old Zod error is still shown");
  }
  const submitted = requestsSince(alice, mark, (r) => r.method === "POST" && r.body.includes("contactSubmit"));
  if (submitted.length !== 1) fail(`expected one contactSubmit POST, saw ${submitted.length}`);
  await screenshot(page, "contact-server-error");

  await page.fill("#contact-email", "alice@wonderland.test");
  await page.getByRole("button", { name: "Send message" }).click();
  const sent = page.locator('[data-testid="contact-sent"]');
  await sent.waitFor();
  const ticket = /#(\d+)/.exec(await sent.innerText());
  if (!ticket) fail(`no ticket number in "${await sent.innerText()}"`);
  log(`contact form sent as ticket #${ticket[1]}`);
  await screenshot(page, "contact-sent");

  log("chat: alice and bob join #lobby");
  await Promise.all([page.goto(`${BASE}/chat/lobby/`), bob.page.goto(`${BASE}/chat/lobby/`)]);
  await Promise.all([
    page.locator('.chat[data-ready="true"]').waitFor(),
    bob.page.locator('.chat[data-ready="true"]').waitFor(),
  ]);

  async function say(browser, text) {
    await browser.page.fill('input[name="message"]', text);
    await browser.page.getByRole("button", { name: "Send", exact: true }).click();
  }
  function line(browser, text) {
    return browser.page.locator('[data-testid="messages"] li', { hasText: text });
  }

  // Subscriptions have no acknowledgement: each user's own message coming back over the
  // socket proves that user's subscription is live before the other one counts on it.
  const fromBob = `Bob here, ready when you are (${STAMP})`;
  await say(bob, fromBob);
  await line(bob, fromBob).waitFor();
  const fromAlice = `Hello Bob, this is Alice (${STAMP})`;
  await say(alice, fromAlice);
  await line(alice, fromAlice).waitFor();
  await line(bob, fromAlice).waitFor();
  const reply = `Hi Alice, got it live! (${STAMP})`;
  await say(bob, reply);
  await line(alice, reply).waitFor();
  if ((await page.inputValue('input[name="message"]')) !== "") fail("the composer was not cleared");
  await screenshot(page, "chat-alice");
  await screenshot(bob.page, "chat-bob");

  log("alice signs out");
  await Promise.all([page.waitForURL(`${BASE}/`), page.getByRole("button", { name: "Sign out" }).click()]);
  await page.locator('[data-testid="sign-in"]').waitFor();
  if ((await headerStates(page)).join() !== "ready") fail("the signed-out header was not hydrated");
  await page.locator('[data-testid="greeting"]', { hasText: exactly("Hello, world!") }).waitFor();
  await screenshot(page, "signed-out");

  const errors = [...alice.errors, ...bob.errors];
  if (errors.length > 0) fail(`uncaught errors in the pages:\n${errors.join("\n")}`);
}

const watchdog = setTimeout(() => {
  console.error(`FAILED: the browser test did not finish within ${TOTAL_TIMEOUT / 1000} s`);
  process.exit(1);
}, TOTAL_TIMEOUT);

const browsers = [];
try {
  const [alice, bob] = await Promise.all([openBrowser("alice"), openBrowser("bob")]);
  browsers.push(alice, bob);
  log(`Chromium ${alice.context.browser()?.version() ?? ""} against ${BASE}`.trim());
  await run(alice, bob);
  log("PASSED");
} catch (error) {
  console.error(`FAILED: ${error instanceof Error ? error.stack || error.message : error}`);
  for (const browser of browsers) {
    const file = path.join(SHOTS, `failure-${browser.name}.png`);
    await browser.page.screenshot({ path: file, fullPage: true }).catch(() => {});
    console.error(`${browser.name} was at ${browser.page.url()} (screenshot ${file})`);
  }
  process.exitCode = 1;
} finally {
  await Promise.all(browsers.map(closeBrowser));
  clearTimeout(watchdog);
}
