'use strict';

// Everything one test file needs, started in its `before` and stopped in its `after`: the real
// server with a practice whose settings allow the test page's origin, the practice's own site on
// a second origin, a site on a third origin that the practice has not allowed, and Chromium.
// No mail server is set, whatever the environment says: every email to a patient waits in the
// dashboard's Mailbox, where the tests read it as staff would (support/mailbox.js).

const fs = require('node:fs');
const path = require('node:path');
const { launchBrowser } = require('./browser');
const { startHostPage } = require('./host-page');
const {
  apiClient,
  buildServer,
  createPractice,
  makeTempDir,
  startServer,
  updateSettings,
} = require('./server');

const PRACTICE = {
  name: 'Glow Aesthetics',
  adminEmail: 'admin@glow.example',
  friendOffer: '20% off your first treatment',
  welcomeCode: 'WELCOME20',
  bookingUrl: 'https://glowaesthetics.example/book',
  brandColor: '#6b4eff',
};

// Generous rate limits keep the suite's bursts of API calls and page loads clear of 429; an empty
// ADVOCATELOOP_SMTP_URL keeps the mail in the Mailbox.
const SERVER_ENV = {
  ADVOCATELOOP_RATE_LIMIT: '1000',
  ADVOCATELOOP_PUBLIC_RATE_LIMIT: '1000',
  ADVOCATELOOP_SMTP_URL: '',
};

const startHarness = async () => {
  const dir = makeTempDir();
  const stops = [];
  const stop = async () => {
    for (const s of stops.reverse()) {
      await s().catch(() => {});
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const h = { practiceInfo: PRACTICE };
    const page = () => ({ serverUrl: h.baseUrl, slug: h.practice.slug });
    h.site = await startHostPage('127.0.0.1', page);
    stops.push(h.site.stop);
    // 127.0.0.2 is loopback too, and a different origin the practice never allowed.
    h.strangerSite = await startHostPage('127.0.0.2', page);
    stops.push(h.strangerSite.stop);

    // Chromium starts while Go links the server.
    const launching = launchBrowser();
    launching.catch(() => {}); // awaited below; this only keeps a failure from going unhandled
    stops.push(async () => (await launching).close());
    const bin = await buildServer();
    const server = { bin, databaseUrl: `sqlite://${path.join(dir, 'advocateloop.db')}` };
    h.practice = await createPractice(server, PRACTICE.name, PRACTICE.adminEmail);
    h.settings = await updateSettings(server, h.practice.slug, {
      allowedOrigins: [h.site.origin],
      friendOffer: PRACTICE.friendOffer,
      welcomeCode: PRACTICE.welcomeCode,
      bookingUrl: PRACTICE.bookingUrl,
      brandColor: PRACTICE.brandColor,
    });
    const running = await startServer(server, SERVER_ENV);
    stops.push(running.stop);
    h.server = running;
    h.baseUrl = running.baseUrl;
    h.api = apiClient(running.baseUrl, h.practice.api_key);

    h.browser = await launching;
    h.stop = stop;
    return h;
  } catch (err) {
    await stop();
    throw err;
  }
};

// startEmptyHarness starts the server on a fresh, empty database (no practice yet, so its
// first-run /setup page is open) and Chromium, for the front-desk dashboard's tests.
const startEmptyHarness = async () => {
  const dir = makeTempDir();
  const stops = [];
  const stop = async () => {
    for (const s of stops.reverse()) {
      await s().catch(() => {});
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const launching = launchBrowser();
    launching.catch(() => {}); // awaited below; this only keeps a failure from going unhandled
    stops.push(async () => (await launching).close());
    const bin = await buildServer();
    const running = await startServer(
      { bin, databaseUrl: `sqlite://${path.join(dir, 'advocateloop.db')}` },
      SERVER_ENV,
    );
    stops.push(running.stop);
    const h = { server: running, baseUrl: running.baseUrl, stop };
    h.browser = await launching;
    return h;
  } catch (err) {
    await stop();
    throw err;
  }
};

// unique makes emails that never collide between tests or runs.
let counter = 0;
const unique = (prefix) => `${prefix}.${Date.now().toString(36)}${(counter += 1)}@example.com`;

// firstRunLink is the one-time /setup?token=… link an empty server prints on its standard
// output, as the server prints it (so under the public URL).
const firstRunLink = async (h, timeoutMs = 10000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = h.server.output.join('\n').match(/(https?:\/\/\S+\/setup\?token=[0-9A-Za-z]+)/);
    if (m) return m[1];
    if (Date.now() > deadline) {
      throw new Error(`serve printed no /setup?token= link; it printed:\n${h.server.output.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

module.exports = { PRACTICE, firstRunLink, startEmptyHarness, startHarness, unique };
