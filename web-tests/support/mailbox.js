'use strict';

// The practice's emails, read where they wait when no mail server is set (as in these tests):
// the dashboard's Mailbox at /app/mail. A member of staff signs in the way a new practice's admin
// first does, through the one-time set-up link `practice create` printed, and opens messages
// the way staff would: by their row in the list, then the message page with its links, its HTML
// part in a frame and its plain text part.

const assert = require('node:assert/strict');
const { newContext } = require('./browser');

const STAFF_PASSWORD = 'correct horse battery staple';
const HELD = 'In the mailbox, not delivered';
// The mail worker looks for new messages every second; a message is held well within this.
const HELD_WITHIN_MS = 10000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const atPath = (p) => (u) => new URL(u).pathname === p;

// rowsOf reads the Mailbox list on page: each message's address, kind, status and link.
const rowsOf = (page) =>
  page.locator('main tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const a = tr.querySelector('a[href^="/app/mail/"]');
      return {
        to: tr.cells[0].innerText.trim(),
        kind: a ? a.textContent.trim() : '',
        href: a ? a.getAttribute('href') : '',
        status: tr.cells[2] ? tr.cells[2].innerText.trim() : '',
      };
    }),
  );

// openMailbox signs a member of staff in to the practice's dashboard (h from startHarness) in a
// desktop browser of their own and returns their Mailbox.
const openMailbox = async (h) => {
  const setupPath = new URL(h.practice.admin_setup_url).pathname;
  const context = await newContext(h.browser, 'desktop');
  try {
    const page = await context.newPage();
    await page.goto(h.baseUrl + setupPath);
    await page.getByLabel('Password', { exact: true }).fill(STAFF_PASSWORD);
    await page.getByLabel('Confirm password', { exact: true }).fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Set password', exact: true }).click();
    await page.waitForURL(atPath('/app'));
    return { ...mailboxIn(page, h.baseUrl), context, close: () => context.close() };
  } catch (err) {
    await context.close();
    throw err;
  }
};

// mailboxIn reads the Mailbox in page, a dashboard page whose member of staff is signed in.
const mailboxIn = (page, baseUrl) => {
  const list = async () => {
    await page.goto(`${baseUrl}/app/mail`);
    return rowsOf(page);
  };

  // read opens the newest message of kind to address `to` (skipping the ids in except) once the
  // mail worker has held it, and returns what it says: subject, links, plain text and HTML.
  const read = async ({ to, kind, except = [] }) => {
    const deadline = Date.now() + HELD_WITHIN_MS;
    for (;;) {
      const rows = await list();
      const row = rows.find((r) => r.to === to && r.kind === kind && !except.includes(r.href.split('/').pop()));
      if (row && row.status.startsWith(HELD)) {
        await page.locator(`main tbody a[href="${row.href}"]`).click();
        await page.waitForURL(atPath(row.href));
        return readOpenMessage(page, row);
      }
      if (Date.now() > deadline) {
        const seen = rows.map((r) => `  ${r.to} · ${r.kind} · ${r.status}`).join('\n');
        throw new Error(`the Mailbox has no ${kind} to ${to} "${HELD}" after ${HELD_WITHIN_MS} ms; it lists:\n${seen}`);
      }
      await sleep(250);
    }
  };

  // messagesTo lists the messages the Mailbox holds for address `to` as it stands, newest first
  // ({ kind, status, href }); kindsTo just their kinds.
  const messagesTo = async (to) => (await list()).filter((r) => r.to === to);
  const kindsTo = async (to) => (await messagesTo(to)).map((r) => r.kind);

  return { page, read, messagesTo, kindsTo };
};

// readOpenMessage reads the message page open on page.
const readOpenMessage = async (page, row) => {
  assert.equal((await page.locator('h1').innerText()).trim(), row.kind, 'the message page is headed by its kind');
  const headers = page.locator('section[aria-labelledby="headers-heading"]');
  const to = (await headers.getByRole('row').filter({ hasText: /^To/ }).getByRole('cell').innerText()).trim();
  assert.equal(to, row.to, 'the message page names the address it is for');
  const links = await page
    .locator('section[aria-labelledby="links-heading"] a')
    .evaluateAll((as) => as.map((a) => ({ href: a.href, text: a.textContent.trim() })));
  for (const l of links) assert.equal(l.text, l.href, 'each of "Links in this message" shows its address');
  // The HTML part, in its frame, as the recipient would see it.
  const frame = page.locator('iframe.mail-frame');
  assert.equal(new URL(await frame.getAttribute('src'), page.url()).pathname, `${row.href}/html`);
  const html = await page.frameLocator('iframe.mail-frame').locator('body').innerText();
  assert.ok(html.trim().length > 0, 'the HTML part shows in its frame');
  return {
    id: row.href.split('/').pop(),
    url: page.url(),
    to,
    subject: (await page.locator('#headers-heading').innerText()).trim(),
    links: links.map((l) => l.href),
    text: await page.locator('main pre').innerText(),
    html,
  };
};

// linkIn finds the one link in message m whose path starts with prefix (such as
// /p/SLUG/sign-in), failing with the message's links when there is none.
const linkIn = (m, prefix) => {
  const found = m.links.filter((l) => new URL(l).pathname === prefix);
  assert.equal(found.length, 1, `message ${m.id} ("${m.subject}") has one ${prefix} link; its links:\n${m.links.join('\n')}`);
  return found[0];
};

module.exports = { linkIn, mailboxIn, openMailbox };
