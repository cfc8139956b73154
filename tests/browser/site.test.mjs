// The example handbook as a reader meets it: headless Chromium (Debian's
// chromium, driven by playwright-core), from file:// and through
// `archbook serve`; every page through the Nu HTML Checker; each page type
// through axe-core in light and dark mode. Screenshots of the main page types
// go to target/screenshots.
//
// Needs: a build of archbook (ARCHBOOK, default target/release/archbook; CI
// passes the debug build, whose dependencies are optimised),
// /usr/bin/chromium (CHROMIUM), java for vnu.jar. `.ci/run` provides all three.
import { test, before, after } from "node:test";
import vm from "node:vm";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, statSync, cpSync, readFileSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const archbook = process.env.ARCHBOOK || join(repo, "target", "release", "archbook");
const shots = join(repo, "target", "screenshots");

// One page of every type.
const PAGES = {
  home: "index.html",
  role: "roles/infrastructure-architect.html",
  component: "components/kubernetes-platform.html",
  layer: "layers/storage.html",
  activity: "activities/design-infrastructure.html",
  decision: "decisions/0001-kubernetes-as-container-platform.html",
  glossary: "glossary.html",
  raci: "raci.html",
  layers: "layers.html",
  boundaries: "boundaries.html",
  roles: "roles.html",
  decisions: "decisions.html",
  health: "health.html",
  print: "print.html",
};

let browser;
let site; // built site folder
let work; // a copy of the handbook that the live-reload test edits
let server; // archbook serve on that copy
let base; // its URL

function htmlFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...htmlFiles(p));
    else if (name.endsWith(".html")) out.push(p);
  }
  return out;
}

async function open(url, { width = 1280, height = 900, dark = false } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme: dark ? "dark" : "light" });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
  await page.goto(url, { waitUntil: "load" });
  return { page, context, errors };
}

before(async () => {
  site = join(mkdtempSync(join(tmpdir(), "archbook-site-")), "book");
  execFileSync(archbook, ["build", repo, "-o", site, "-q"], { stdio: "inherit" });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  work = mkdtempSync(join(tmpdir(), "archbook-serve-"));
  cpSync(join(repo, "book.toml"), join(work, "book.toml"));
  cpSync(join(repo, "content"), join(work, "content"), { recursive: true });
  server = spawn(archbook, ["serve", work, "--port", "0", "-o", join(work, "site")], { stdio: ["ignore", "ignore", "pipe"] });
  base = await new Promise((ok, fail) => {
    let text = "";
    server.stderr.on("data", (d) => {
      text += d;
      const m = text.match(/http:\/\/[0-9.:]+\//);
      if (m) ok(m[0]);
    });
    server.on("exit", (code) => fail(new Error(`serve exited with ${code}: ${text}`)));
  });
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  if (browser) await browser.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((ok) => server.once("exit", ok));
    server.kill("SIGINT");
    await exited;
  }
  // The temporary folders go too, so repeated runs do not fill the disk.
  if (site) rmSync(dirname(site), { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

for (const [kind, path] of Object.entries(PAGES)) {
  test(`${kind} page loads without console errors from file:// and over http`, async () => {
    for (const url of [`file://${site}/${path}`, `${base}${path}`]) {
      const { page, context, errors } = await open(url);
      assert.ok((await page.title()).length > 0, `${url} has no title`);
      assert.deepEqual(errors, [], `${url}: ${errors.join("; ")}`);
      if (url.startsWith("file:")) await page.screenshot({ path: join(shots, `${kind}.png`) });
      await context.close();
    }
  });
}

test("the sidebar and previous/next work by keyboard", async () => {
  const { page, context } = await open(`file://${site}/roles/technical-manager.html`);
  // Tab to the "Next" link and follow it with Enter.
  let found = false;
  for (let i = 0; i < 300 && !found; i++) {
    await page.keyboard.press("Tab");
    found = await page.evaluate(() => document.activeElement && document.activeElement.matches(".prev-next .next"));
  }
  assert.ok(found, "the Next link is not reachable by Tab");
  await Promise.all([page.waitForURL("**/roles/application-manager.html"), page.keyboard.press("Enter")]);
  // The skip link is the first stop; a sidebar link is reachable and opens its page.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.className), "skip-link");
  found = false;
  for (let i = 0; i < 150 && !found; i++) {
    await page.keyboard.press("Tab");
    found = await page.evaluate(() => document.activeElement.closest("#sidebar") !== null && document.activeElement.textContent === "Glossary");
  }
  assert.ok(found, "the sidebar's Glossary link is not reachable by Tab");
  await Promise.all([page.waitForURL("**/glossary.html"), page.keyboard.press("Enter")]);
  assert.equal(await page.locator(".sidebar a[aria-current=page]").textContent(), "Glossary");
  await context.close();
});

test("the whole table of contents comes from toc.js; without scripts each page holds its branch", async () => {
  // The example handbook's tree is long enough to be written once.
  const whole = readFileSync(join(site, "toc.js"), "utf8");
  const entries = (whole.match(/<a href=/g) || []).length;
  const url = `file://${site}/components/kubernetes-platform.html`;
  const { page, context, errors } = await open(url);
  const links = page.locator("#sidebar a");
  assert.equal(await links.count(), entries);
  assert.equal(await page.locator("#sidebar a[aria-current=page]").count(), 1);
  assert.equal(await page.locator("#sidebar a[aria-current=page]").textContent(), "Kubernetes platform");
  // Links from toc.js are made relative to the page: each opens a file.
  const hrefs = await links.evaluateAll((as) => as.map((a) => a.href));
  for (const href of hrefs) {
    const file = decodeURIComponent(new URL(href).pathname);
    assert.ok(statSync(file).isFile(), `${href} leads nowhere`);
  }
  assert.deepEqual(errors, []);
  await context.close();
  // Without JavaScript: the page's own branch, a fraction of the tree,
  // with the page marked and every section's page reachable.
  const bare = await browser.newContext({ javaScriptEnabled: false });
  const plain = await bare.newPage();
  await plain.goto(url);
  const branch = await plain.locator("#sidebar a").count();
  assert.ok(branch > 5 && branch < entries / 2, `${branch} of ${entries} links`);
  assert.equal(await plain.locator("#sidebar a[aria-current=page]").textContent(), "Kubernetes platform");
  for (const section of ["Roles", "Layers", "Activities", "Decisions"]) {
    const there = await plain.locator("#sidebar li.s").filter({ hasText: section }).count();
    assert.ok(there > 0, `no ${section} section in the branch`);
  }
  await bare.close();
});

test("search finds a word from a component page and opens it", async () => {
  const { page, context } = await open(`file://${site}/index.html`);
  await page.keyboard.press("/");
  await page.keyboard.type("hypervisor");
  await page.waitForSelector("#search-results li a");
  const first = await page.locator("#search-results li a").first().getAttribute("href");
  assert.match(first, /components\/hypervisor-cluster\.html/);
  await Promise.all([page.waitForURL("**/components/hypervisor-cluster.html"), page.keyboard.press("Enter")]);
  await context.close();
});

test("search finds words by their stems: patches, installing, policies", async () => {
  const { page, context } = await open(`file://${site}/index.html`);
  const first = async (q) => {
    await page.locator("#search-input").fill(q);
    await page.waitForFunction((q) => {
      const l = document.querySelector("#search-results");
      return !l.hidden && document.querySelector("#search-input").value === q && l.querySelector("li");
    }, q);
    return page.locator("#search-results li a").first().getAttribute("href");
  };
  assert.match(await first("patches"), /activities\/install-and-patch\.html$/);
  assert.match(await first("installing"), /install/);
  assert.match(await first("security policies"), /activities\/define-security-policy\.html/);
  // A word still being typed is found by its start.
  assert.match(await first("hypervi"), /components\/hypervisor-cluster\.html/);
  await context.close();
});

test("search results show a snippet with the match marked, and the views are found", async () => {
  const { page, context, errors } = await open(`file://${site}/index.html`);
  const results = async (q) => {
    await page.locator("#search-input").fill(q);
    await page.waitForFunction((q) => {
      const l = document.querySelector("#search-results");
      return !l.hidden && document.querySelector("#search-input").value === q && l.querySelector("li a .snippet mark");
    }, q);
    return page.locator("#search-results li a").evaluateAll((as) => as.map((a) => ({
      href: a.getAttribute("href"),
      snippet: a.querySelector(".snippet") ? a.querySelector(".snippet").textContent : "",
      marks: Array.from(a.querySelectorAll(".snippet mark")).map((m) => m.textContent.toLowerCase()),
    })));
  };
  // "patches" finds the install activity first; its snippet marks "patch"
  // (the stem matched), in the words around it.
  const patches = await results("patches");
  assert.match(patches[0].href, /activities\/install-and-patch\.html$/);
  const marked = patches.find((r) => r.marks.length);
  assert.ok(marked.marks.every((m) => m.startsWith("patch")), JSON.stringify(marked));
  assert.ok(marked.snippet.length > 20 && marked.snippet.length < 260, marked.snippet);
  // The generated views are searchable: the RACI matrix by area, the role
  // boundaries by role, the layer matrix by layer.
  const sla = await results("monitor slas");
  assert.ok(sla.some((r) => /raci\.html#area-operations--management$/.test(r.href)), JSON.stringify(sla.map((r) => r.href)));
  const raciHit = sla.find((r) => /raci\.html/.test(r.href));
  assert.match(raciHit.snippet, /Monitor SLAs: .*A\/R/);
  const boundary = await results("tickets");
  assert.ok(boundary.some((r) => /boundaries\.html#boundary-/.test(r.href)), JSON.stringify(boundary.map((r) => r.href)));
  await results("patches");
  await page.screenshot({ path: join(shots, "search-snippets.png") });
  // The anchor leads to the row.
  await page.goto(`file://${site}/${raciHit.href}`);
  assert.equal(await page.locator("tr#area-operations--management").count(), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the browser's stemmer gives the stems the index was built with", () => {
  // The same pairs the Rust unit test checks (english_stems_are_the_browsers).
  const sandbox = { window: {} };
  vm.runInNewContext(readFileSync(join(repo, "src", "render", "search", "porter2.js"), "utf8"), sandbox);
  const differ = readFileSync(join(repo, "tests", "fixtures", "stems.tsv"), "utf8").trim().split("\n")
    .map((l) => l.split("\t")).filter(([w, s]) => sandbox.window.archbookStem(w) !== s);
  assert.deepEqual(differ, []);
});

test("search results fit a 390 px phone", async () => {
  const { page, context } = await open(`file://${site}/index.html`, { width: 390, height: 844 });
  await page.locator("#search-input, .search-input").first().fill("patch");
  await page.waitForSelector("#search-results li a");
  const box = await page.locator("#search-results").boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 390, `results at ${box.x}+${box.width}px`);
  assert.ok(box.width >= 300, `results squeezed to ${box.width}px`);
  await page.screenshot({ path: join(shots, "search-390px.png") });
  await context.close();
});

test("the dark-mode choice persists across pages", async () => {
  const { page, context } = await open(`file://${site}/index.html`);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "light");
  await page.click(".theme-toggle");
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  await page.goto(`file://${site}/raci.html`);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  assert.equal(await page.locator(".theme-toggle").getAttribute("aria-pressed"), "true");
  await context.close();
});

test("the RACI matrix at 390 px: one card per activity, nothing wider than the screen", async () => {
  const { page, context } = await open(`file://${site}/raci.html`, { width: 390, height: 844 });
  const m = await page.evaluate(() => ({
    pageWidth: document.documentElement.scrollWidth,
    row: document.querySelector("tr[data-activity=install-and-patch]").getBoundingClientRect(),
    label: getComputedStyle(document.querySelector("tr[data-activity=install-and-patch] td[data-role=technical-manager]"), "::before").content,
  }));
  assert.ok(m.pageWidth <= 390, `the page overflows: ${m.pageWidth}px`);
  assert.ok(m.row.width <= 390 && m.row.x >= 0, `the card is ${m.row.x}+${m.row.width}px`);
  assert.match(m.label, /Technical Manager/);
  const card = page.locator("tr[data-activity=install-and-patch]");
  assert.equal(await card.locator("td[data-role=technical-manager]").innerText(), "A/R");
  // Roles without a letter there are left out of the card.
  assert.equal(await card.locator("td[data-role=enterprise-architect]").isVisible(), false);
  assert.equal(await card.locator("td:visible").count(), 3);
  await page.screenshot({ path: join(shots, "raci-390px.png") });
  await context.close();
});

test("the layer stack stays legible at 390 px", async () => {
  const { page, context } = await open(`file://${site}/layers.html`, { width: 390, height: 844 });
  const m = await page.evaluate(() => ({
    pageWidth: document.documentElement.scrollWidth,
    text: document.querySelector(".stack-diagram svg text").getBoundingClientRect().height,
  }));
  assert.ok(m.pageWidth <= 390, `the page overflows: ${m.pageWidth}px`);
  assert.ok(m.text >= 9, `stack text is ${m.text}px high`);
  await context.close();
});

test("the RACI matrix filters by role, letter and area, from the address too", async () => {
  const visible = (page, css) => page.locator(css).evaluateAll((els) => els.filter((e) => e.offsetParent !== null).length);
  // No script: the whole table, no filter form.
  {
    const { page, context } = await open(`file://${site}/raci.html`);
    await page.route("**/archbook.js", (r) => r.abort());
    await page.reload();
    assert.equal(await page.locator("form.matrix-filters").isVisible(), false);
    assert.equal(await visible(page, "thead th[data-role]"), 9);
    await context.close();
  }
  const { page, context } = await open(`file://${site}/raci.html?role=infrastructure-architect`);
  assert.equal(await visible(page, "thead th[data-role]"), 1, "a deep link shows one role");
  assert.ok(await page.locator('input[name=role][value=infrastructure-architect]').isChecked());
  // "Where am I Accountable?": rows where the architect holds an A.
  await page.selectOption("select[name=letter]", "A");
  const rows = await page.locator("tr[data-activity]").evaluateAll((trs) => trs.filter((t) => !t.hidden).map((t) => t.getAttribute("data-activity")));
  assert.ok(rows.length >= 3 && rows.includes("design-infrastructure"), rows.join(" "));
  assert.ok(!rows.includes("install-and-patch"));
  assert.match(page.url(), /role=infrastructure-architect&letter=A/);
  assert.match(await page.locator(".filter-status").textContent(), new RegExp(`^${rows.length} activities × 1 role$`));
  // An area, then everything again.
  await page.locator("button[type=reset]").click();
  await page.selectOption("select[name=area]", "Operations & Management");
  assert.equal(await visible(page, "tr[data-activity]"), 8);
  assert.equal(await visible(page, "thead th[data-role]"), 9);
  await page.locator("button[type=reset]").click();
  await page.waitForFunction(() => !window.location.search);
  assert.equal(await visible(page, "tr[data-activity]"), 23);
  // The boundary is visible in the matrix: does_not cells are marked.
  const marked = page.locator("td.does-not[data-role=infrastructure-architect] .not-done");
  assert.ok((await marked.count()) >= 1);
  // The column under the pointer is marked.
  await page.locator("tr[data-activity=install-and-patch] td[data-role=network-specialist]").hover();
  assert.equal(await page.locator("th.col-hover[data-role=network-specialist]").count(), 1);
  await page.screenshot({ path: join(shots, "raci-filtered.png") });
  await context.close();
});

test("Mermaid diagrams are drawn without a script, legible, in light and dark", async () => {
  for (const dark of [false, true]) {
    const { page, context } = await open(`file://${site}/activities/draft-rfp-rfi.html`, { dark });
    const svg = page.locator("figure.diagram.mermaid > svg");
    assert.equal(await svg.count(), 1);
    // Below the fact box, across the column: not squeezed beside it.
    const box = await svg.boundingBox();
    const facts = await page.locator(".facts").boundingBox();
    assert.ok(box.y >= facts.y + facts.height, "the diagram sits beside the fact box");
    assert.ok(box.width > 550, `the diagram is squeezed to ${box.width}px`);
    // Its labels are text a reader can find, and it is named for screen readers.
    assert.ok((await svg.textContent()).includes("Issue the RFI or RFP"));
    assert.equal(await page.locator(`#${await svg.getAttribute("aria-labelledby")}`).textContent(), "The course of an RFI and RFP");
    const filter = await svg.evaluate((e) => getComputedStyle(e).filter);
    assert.equal(filter === "none", !dark, `filter in ${dark ? "dark" : "light"} mode: ${filter}`);
    if (!dark) await page.locator("figure.diagram").screenshot({ path: join(shots, "mermaid-sequence.png") });
    await context.close();
  }
});

test("model diagrams: boxes apart, linked, legible and findable, in light and dark", async () => {
  // Rendered boxes of an SVG, as the reader sees them.
  const rects = (svg) => svg.locator("rect.diagram-box").evaluateAll((rs) =>
    rs.map((r) => { const b = r.getBoundingClientRect(); return { x: b.x, y: b.y, w: b.width, h: b.height }; }));
  const apart = (a, b) => a.x + a.w <= b.x + 0.5 || b.x + b.w <= a.x + 0.5 || a.y + a.h <= b.y + 0.5 || b.y + b.h <= a.y + 0.5;
  for (const dark of [false, true]) {
    const mode = dark ? "dark" : "light";
    for (const [file, title, shot] of [
      ["dependencies.html", "Dependencies by layer", "dependencies"],
      ["components/kubernetes-platform.html", "Dependencies of Kubernetes platform", "neighbourhood"],
      ["roles/network-specialist.html", "Relations of Telecom / Network Specialist", "relations"],
      ["decisions/0004-colocation-with-a-cloud-recovery-site.html", "Supersedes chain of ADR 0004: Colocation for the primary site, recovery in the cloud", "supersedes"],
    ]) {
      const { page, context } = await open(`file://${site}/${file}`, { dark });
      const svg = page.locator("main svg.model-diagram").first();
      assert.equal(await svg.locator(":scope > title").textContent(), title, file);
      assert.ok((await svg.locator(":scope > desc").textContent()).length > 20, `${file}: described`);
      const boxes = await rects(svg);
      assert.ok(boxes.length >= 2, `${file}: ${boxes.length} boxes`);
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++)
          assert.ok(apart(boxes[i], boxes[j]), `${file}: boxes ${i} and ${j} overlap`);
      // Drawn at its own size (scrolled sideways if wider): text stays legible.
      const size = await svg.locator("text.diagram-title").first().evaluate((t) => t.getBoundingClientRect().height);
      assert.ok(size >= 12, `${file}: title text ${size}px high`);
      // Text in the box's colour differs from the box (dark mode follows).
      const [fill, ink] = await svg.locator("text.diagram-title").first().evaluate((t) => [
        getComputedStyle(t.closest("a").querySelector("rect")).fill, getComputedStyle(t).fill]);
      assert.notEqual(fill, ink, `${file} ${mode}`);
      // Every box opens its page.
      const href = await svg.locator("a:has(rect.diagram-box)").first().getAttribute("href");
      assert.ok(href.endsWith(".html"), href);
      // The facts are in a table too.
      if (file !== "dependencies.html") assert.ok((await page.locator("main .diagram-facts tbody tr").count()) >= 1, file);
      else assert.ok((await page.locator("main .dependency-table tbody tr").count()) >= 16);
      await page.locator("main .model-figure figure").first().screenshot({ path: join(shots, `model-${shot}-${mode}.png`) });
      await context.close();
    }
  }
  // Select a box: its page opens.
  const { page, context } = await open(`file://${site}/dependencies.html`);
  await page.locator("main svg.model-diagram a:has(rect.diagram-box)", { hasText: "SAN storage" }).click();
  await page.waitForURL(/components\/san-storage\.html$/);
  // The stack marks the sunset component, with a legend.
  await page.goto(`file://${site}/layers.html`);
  assert.equal(await page.locator(".stack-diagram rect.lifecycle-old").count(), 1);
  assert.match(await page.locator("main ul.legend[aria-label=\"Lifecycle marks\"]").textContent(), /sunset \(1\)/);
  await context.close();
});

test("print.html prints without the navigation", async () => {
  const { page, context } = await open(`file://${site}/print.html`);
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator(".topbar, #sidebar").count(), 0);
  assert.ok((await page.locator("section.print-chapter").count()) > 60);
  const role = await open(`file://${site}/roles/infrastructure-architect.html`);
  await role.page.emulateMedia({ media: "print" });
  assert.equal(await role.page.locator("#sidebar").isVisible(), false);
  assert.equal(await role.page.locator(".topbar").isVisible(), false);
  await role.context.close();
  await context.close();
});

test("live reload updates an open page after an edit", async () => {
  const { page, context } = await open(`${base}roles/technical-manager.html`);
  const file = join(work, "content", "roles", "technical-manager.md");
  const text = readFileSync(file, "utf8");
  writeFileSync(file, `${text}\nA sentence added while the page was open.\n`);
  await page.waitForFunction(() => document.body.textContent.includes("A sentence added while the page was open."), null, { timeout: 10000 });
  // A broken edit shows the overlay; the fix removes it.
  writeFileSync(file, text.replace("kind: role", "kind: rolle"));
  await page.waitForSelector("#archbook-error-overlay", { timeout: 10000 });
  const panel = page.locator("#archbook-error-overlay");
  assert.match(await panel.textContent(), /unknown kind `rolle`/);
  // A panel at the foot, not a cover: the page's title stays visible above it.
  const box = await panel.boundingBox();
  const viewport = page.viewportSize();
  assert.ok(box.height <= viewport.height * 0.5 && box.y > viewport.height * 0.4, JSON.stringify(box));
  assert.ok(await page.locator("main h1").isVisible());
  // Dismissed, it stays away while the findings are the same...
  await panel.getByRole("button", { name: "Dismiss" }).click();
  assert.equal(await panel.count(), 0);
  writeFileSync(file, text.replace("kind: role", "kind: rolle") + "\n");
  await page.waitForTimeout(1500);
  assert.equal(await panel.count(), 0, "a dismissed panel came back with the same findings");
  // ...and comes back when they change.
  writeFileSync(file, text.replace("kind: role", "kind: roel"));
  await page.waitForSelector("#archbook-error-overlay", { timeout: 10000 });
  assert.match(await panel.textContent(), /unknown kind `roel`/);
  writeFileSync(file, text);
  await page.waitForSelector("#archbook-error-overlay", { state: "detached", timeout: 10000 });
  await context.close();
});

test("mdBook redirects and the landing page of a book without README.md lead on", async () => {
  // The mdBook fixture, started at chapter_1.md, with old addresses redirected.
  const book = mkdtempSync(join(tmpdir(), "archbook-redirects-"));
  try {
    cpSync(join(repo, "tests", "fixtures", "mdbook"), book, { recursive: true });
    const src = join(book, "src");
    rmSync(join(src, "README.md"));
    const summary = readFileSync(join(src, "SUMMARY.md"), "utf8").split("\n").filter((l) => !l.includes("README.md")).join("\n");
    writeFileSync(join(src, "SUMMARY.md"), summary);
    writeFileSync(join(src, "chapter_1.md"), readFileSync(join(src, "chapter_1.md"), "utf8").replace("(README.md)", "(chapter_2.md)"));
    writeFileSync(join(book, "book.toml"), readFileSync(join(book, "book.toml"), "utf8") +
      '\n[output.html.redirect]\n"/old/intro.html" = "../chapter_1.html"\n"/old/intro.html#setup" = "../chapter_2.html#top"\n"/chapter_2.html#gone" = "appendix.html"\n');
    const out = join(book, "out");
    execFileSync(archbook, ["build", book, "-o", out, "-q"], { stdio: "inherit" });
    const lands = async (from, to) => {
      const { page, context } = await open(`file://${out}/${from}`);
      await page.waitForURL((u) => u.href.endsWith(to), { timeout: 10000 });
      assert.ok((await page.title()).length > 0, `${to} has no title`);
      await context.close();
    };
    await lands("index.html", "/chapter_1.html");
    await lands("old/intro.html", "/chapter_1.html");
    await lands("old/intro.html#setup", "/chapter_2.html#top");
    await lands("old/intro.html#other", "/chapter_1.html#other");
    await lands("chapter_2.html#gone", "/appendix.html");
  } finally {
    rmSync(book, { recursive: true, force: true });
  }
});

test("a right-to-left handbook reads from the right", async () => {
  // The example handbook with `text-direction = "rtl"`: the sidebar moves to
  // the right of the text, the fact box to the left.
  const book = mkdtempSync(join(tmpdir(), "archbook-rtl-"));
  try {
    cpSync(join(repo, "content"), join(book, "content"), { recursive: true });
    writeFileSync(join(book, "book.toml"), readFileSync(join(repo, "book.toml"), "utf8").replace("[book]\n", '[book]\ntext-direction = "rtl"\n'));
    const out = join(book, "out");
    execFileSync(archbook, ["build", book, "-o", out, "-q"], { stdio: "inherit" });
    const { page, context, errors } = await open(`file://${out}/components/kubernetes-platform.html`);
    assert.equal(await page.getAttribute("html", "dir"), "rtl");
    const sidebar = await page.locator("#sidebar").boundingBox();
    const main = await page.locator("#main").boundingBox();
    const facts = await page.locator(".facts").boundingBox();
    assert.ok(sidebar.x > main.x, `sidebar at ${sidebar.x}, text at ${main.x}`);
    assert.ok(facts.x < main.x + main.width / 2, "the fact box is not on the left");
    assert.deepEqual(errors, []);
    await page.screenshot({ path: join(shots, "component-rtl.png") });
    await context.close();
  } finally {
    rmSync(book, { recursive: true, force: true });
  }
});

test("the What changed page, its marks in the matrix and on pages (changes-since)", async () => {
  // The history fixture as a repository: v1 tagged, then v2 built with
  // `--changes-since v1`.
  const repoDir = mkdtempSync(join(tmpdir(), "archbook-history-"));
  try {
    const git = (...args) => execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: repoDir, stdio: "ignore" });
    git("init", "-q");
    for (const v of ["v1", "v2"]) {
      rmSync(join(repoDir, "docs"), { recursive: true, force: true });
      cpSync(join(repo, "tests", "fixtures", "history", v), join(repoDir, "docs"), { recursive: true });
      git("add", "-A");
      git("commit", "-q", "-m", v);
      git("tag", v);
    }
    const out = join(repoDir, "out");
    execFileSync(archbook, ["build", join(repoDir, "docs"), "--changes-since", "v1", "-o", out, "-q"], { stdio: "inherit" });
    const axe = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
    const pages = { changes: "changes.html", "raci-changed": "raci.html", "component-changed": "components/storage.html" };
    for (const dark of [false, true]) {
      for (const [kind, path] of Object.entries(pages)) {
        const { page, context, errors } = await open(`file://${out}/${path}`, { dark });
        // Before axe, whose own requests for the stylesheets file:// refuses.
        assert.deepEqual(errors, []);
        await page.addScriptTag({ content: axe });
        const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
        const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${kind}: ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        assert.deepEqual(serious, []);
        await page.screenshot({ path: join(shots, `${kind}${dark ? "-dark" : ""}.png`), fullPage: kind === "changes" });
        await context.close();
      }
    }
    // What a reader sees: marks before each change, old and new values set apart.
    const { page, context } = await open(`file://${out}/changes.html`);
    const first = page.locator("#changes-accountable + ul li").first();
    assert.match(await first.innerText(), /Guide transitions: Project Manager → Architect/);
    const mark = await first.locator(".change-mark").evaluate((e) => getComputedStyle(e, "::before").content);
    assert.equal(mark, '"~"');
    const del = await first.locator("del").evaluate((e) => getComputedStyle(e).textDecorationLine);
    assert.equal(del, "line-through");
    // The subject links to its page, which says it changed.
    await first.locator("a").first().click();
    await page.waitForURL(/activities\/transitions\.html$/);
    assert.match(await page.locator(".changed-since").innerText(), /Changed since v1: RACI/);
    await context.close();
    // The matrix: changed cells stand out and say what they were.
    const m = await open(`file://${out}/raci.html`);
    const cell = m.page.locator('tr[data-activity="transitions"] td[data-role="architect"]');
    assert.equal(await cell.getAttribute("class"), "changed");
    assert.match(await cell.innerText(), /A\/R\s*was C/);
    const shadow = await cell.evaluate((e) => getComputedStyle(e).boxShadow);
    assert.notEqual(shadow, "none");
    await m.context.close();
    // Valid HTML.
    const jar = join(dirname(require.resolve("vnu-jar")), "build", "dist", "vnu.jar");
    let report = "";
    try {
      execFileSync("java", ["-jar", jar, "--errors-only", "--format", "json", ...Object.values(pages).map((p) => join(out, p))], { stdio: ["ignore", "ignore", "pipe"] });
    } catch (e) {
      report = String(e.stderr);
    }
    const messages = report ? JSON.parse(report).messages.filter((x) => x.type === "error") : [];
    assert.deepEqual(messages.map((x) => `${x.url}:${x.lastLine}: ${x.message}`), []);
  } finally {
    rmSync(repoDir, { recursive: true, force: true });
  }
});

test("every page passes the Nu HTML Checker", () => {
  const jar = join(dirname(require.resolve("vnu-jar")), "build", "dist", "vnu.jar");
  // The example handbook, and the mdBook fixture for what only mdBook books
  // use (admonitions, listings, hidden lines, numbered chapters).
  const mdbookDir = mkdtempSync(join(tmpdir(), "archbook-mdbook-"));
  const mdbook = join(mdbookDir, "out");
  let out = "";
  try {
    execFileSync(archbook, ["build", join(repo, "tests", "fixtures", "mdbook"), "-o", mdbook, "-q"], { stdio: "inherit" });
    try {
      execFileSync("java", ["-jar", jar, "--errors-only", "--format", "json", ...htmlFiles(site), ...htmlFiles(mdbook)], { stdio: ["ignore", "ignore", "pipe"] });
    } catch (e) {
      out = String(e.stderr);
    }
  } finally {
    rmSync(mdbookDir, { recursive: true, force: true });
  }
  const messages = out ? JSON.parse(out).messages.filter((m) => m.type === "error") : [];
  assert.deepEqual(messages.slice(0, 10).map((m) => `${m.url.replace(`file:${site}`, "").replace(`file:${mdbook}`, "mdbook:")}:${m.lastLine}: ${m.message}`), []);
});

for (const dark of [false, true]) {
  test(`axe finds no serious or critical violations (${dark ? "dark" : "light"} mode)`, async () => {
    const axe = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
    const problems = [];
    for (const [kind, path] of Object.entries(PAGES)) {
      const { page, context } = await open(`file://${site}/${path}`, { dark });
      await page.addScriptTag({ content: axe });
      const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
      for (const v of result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
        problems.push(`${kind}: ${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
      }
      if (dark) await page.screenshot({ path: join(shots, `${kind}-dark.png`) });
      await context.close();
    }
    assert.deepEqual(problems, []);
  });
}
