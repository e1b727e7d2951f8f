'use strict';

// Debian's Chromium driven by playwright-core (which never downloads a browser), the two screen
// sizes the pages are judged at, screenshots as test artifacts, and axe-core run inside the page.

const fs = require('node:fs');
const path = require('node:path');
const axe = require('axe-core');
const { chromium } = require('playwright-core');

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const ARTIFACTS_DIR = path.resolve(__dirname, '..', '..', 'test-artifacts');
const SCREENSHOTS_DIR = path.join(ARTIFACTS_DIR, 'screenshots');

const DEVICES = {
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 },
  // The front-desk dashboard is judged on a desktop and on a tablet at the desk.
  tablet: { viewport: { width: 820, height: 1180 }, deviceScaleFactor: 1, hasTouch: true },
};

// The pages are designed for phones first, so axe-core checks them at that size; injecting it
// costs about a second a page, which a second pass at desktop size would double.
const AXE_DEVICE = 'phone';

// Bounded waits: a missing element fails a test in seconds, never at the runner's limit.
const ACTION_TIMEOUT_MS = 10000;

const launchBrowser = async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's Chromium with \`apt-get install -y chromium\` (scripts/test does).`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30000 });
};

// newContext opens a fresh, cookie-less browser context at one of DEVICES' sizes.
const newContext = async (browser, device) => {
  const context = await browser.newContext({ ...DEVICES[device], locale: 'en-US' });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
  return context;
};

// screenshot saves the whole page as test-artifacts/screenshots/NAME-DEVICE.png.
const screenshot = async (page, name, device) => {
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const file = path.join(SCREENSHOTS_DIR, `${name}-${device}.png`);
  // Fonts and the first paint settle before the picture is taken.
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => r()))));
  if ((await page.locator('iframe').count()) === 0) {
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
    return file;
  }
  // Chromium's full-page capture leaves a frame in another process (the Mailbox's sandboxed
  // message frame) blank, so such a page is captured in a window as tall as the page instead.
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height });
  try {
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
    await page.screenshot({ path: file, animations: 'disabled' });
  } finally {
    await page.setViewportSize(viewport);
  }
  return file;
};

// The axe findings of every page checked in this process, written to
// test-artifacts/accessibility-NAME.json so moderate and minor ones can be read after the run.
const findings = [];

// checkAccessibility runs axe-core in the page (through evaluate, so a page's Content Security
// Policy cannot block it), fails on serious or critical violations and records the rest.
// include narrows the check to part of the page (the widget on the practice's hostile test page).
const checkAccessibility = async (page, label, { include } = {}) => {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.evaluate(axe.source);
  const result = await page.evaluate(
    ({ include }) =>
      window.axe.run(include ? { include } : document, {
        resultTypes: ['violations'],
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      }),
    { include },
  );
  const violations = result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
  }));
  findings.push({ page: label, url: page.url(), violations });
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (blocking.length > 0) {
    const lines = blocking.map((v) => `  ${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}\n      ${String(n.summary).replace(/\n/g, '\n      ')}`).join('\n')}`);
    throw new Error(`axe-core found serious or critical violations on ${label} (${page.url()}):\n${lines.join('\n')}`);
  }
  return violations;
};

const writeFindings = (name) => {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(ARTIFACTS_DIR, `accessibility-${name}.json`), `${JSON.stringify(findings, null, 2)}\n`);
};

// recordTransfer counts what the page's requests cost over the wire (bodies as sent, plus
// headers); take() says how much since the last take() and starts counting again.
const recordTransfer = (page) => {
  let requests = 0;
  let bytes = 0;
  page.on('requestfinished', async (request) => {
    try {
      const s = await request.sizes();
      requests += 1;
      bytes += s.responseBodySize + s.responseHeadersSize;
    } catch (e) {
      // A request whose page has gone away has no sizes; it is not part of the load measured.
    }
  });
  return {
    take: () => {
      const seen = { requests, bytes };
      requests = 0;
      bytes = 0;
      return seen;
    },
  };
};

module.exports = {
  AXE_DEVICE,
  checkAccessibility,
  launchBrowser,
  newContext,
  recordTransfer,
  screenshot,
  writeFindings,
};
