'use strict';

// Every page, as the people who use it see it, on a phone (390×844) and a desktop (1280×800):
// the dashboard signed in as the practice's admin (every page its navigation links, so a new
// page is swept as soon as it is linked), the patient pages, /docs, /login and /setup. On each,
// no element is wider than the viewport (measured in the page, not judged by eye), axe-core
// finds nothing serious or critical, and a screenshot goes to
// test-artifacts/screenshots/every-page-NAME-DEVICE.png.

const assert = require('node:assert/strict');
const { after, before, describe, test } = require('node:test');
const fs = require('node:fs');
const path = require('node:path');
const { checkAccessibility, newContext, screenshot, writeFindings } = require('../support/browser');
const { startHarness } = require('../support/harness');
const { openMailbox } = require('../support/mailbox');

const DEVICES = ['phone', 'desktop'];

// A page taller than this (the API reference) is pictured by its first screen, which is what
// has to be right: a whole-page capture of it at the phone's pixel ratio takes too long.
const TALL_PX = 6000;

// capture saves the page's screenshot, whole unless it is tall.
const capture = async (page, name, device) => {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (height <= TALL_PX) return screenshot(page, name, device);
  const dir = path.resolve(__dirname, '..', '..', 'test-artifacts', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${device}.png`);
  await page.screenshot({ path: file, animations: 'disabled' });
  return file;
};

// overflowing lists the elements that reach past the viewport's right edge, or are wider than
// it, unless a box that scrolls (or clips) sideways holds them: a wide table inside its own
// scrolling box is fine, a page that scrolls sideways is not.
const overflowing = (page) =>
  page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const clipped = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const x = getComputedStyle(p).overflowX;
        if (x === 'auto' || x === 'scroll' || x === 'hidden' || x === 'clip') return true;
      }
      return false;
    };
    const describe = (el) => {
      const id = el.id ? `#${el.id}` : '';
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      const text = (el.innerText || el.value || '').replace(/\s+/g, ' ').trim().slice(0, 40);
      return `<${el.tagName.toLowerCase()}${id}${cls}> "${text}"`;
    };
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if ((r.right > vw + 1 || r.width > vw + 1) && !clipped(el)) {
        out.push(`${describe(el)}: ${Math.round(r.left)}–${Math.round(r.right)} px of ${vw}`);
      }
    }
    if (document.documentElement.scrollWidth > vw + 1) {
      out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px wide in ${vw}`);
    }
    return out;
  });

describe('every page on a phone and a desktop', () => {
  let h;
  let admin; // the admin's desktop browser, signed in
  const contexts = {};
  const pages = []; // { name, path, signedIn }

  before(async () => {
    h = await startHarness();
    admin = await openMailbox(h);
    // Something on every page: advocates, a friend who claimed, a conversion with its reward.
    const jane = await h.api('POST', '/v1/advocates', { name: 'Jane Avery', email: 'jane.avery@example.com' });
    const kim = await h.api('POST', '/v1/advocates', { name: 'Kim Brooks', email: 'kim.brooks@example.com' });
    assert.ok(jane.referral_code && kim.referral_code, JSON.stringify(jane));
    await h.api('POST', '/v1/referrals', { referral_code: jane.referral_code, friend_name: 'Fran Fields', friend_email: 'fran.fields@example.com' });
    await h.api('POST', '/v1/referrals', { referral_code: kim.referral_code, friend_name: 'Lee Carter', friend_email: 'lee.carter@example.com' });
    const paid = await h.api('POST', '/v1/conversions', { invoice_id: 'INV-1001', email: 'fran.fields@example.com', amount: '1250.50' });
    assert.equal(paid.outcome, 'converted', JSON.stringify(paid));

    // The dashboard: every page the admin's navigation links.
    await admin.page.goto(`${h.baseUrl}/app`);
    const linked = await admin.page
      .locator('nav a[href^="/app"]')
      .evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href')))]);
    assert.ok(linked.length >= 6, `the navigation links ${linked.join(', ')}`);
    for (const path of linked) pages.push({ name: `app${path.slice(4).replace(/\//g, '-') || '-home'}`, path, signedIn: true });
    pages.push(
      { name: 'join', path: `/p/${h.practice.slug}` },
      { name: 'invitation', path: `/r/${jane.referral_code}` },
      { name: 'advocate-sign-in', path: `/p/${h.practice.slug}/me` },
      { name: 'not-found', path: '/r/NOPE2345' },
      { name: 'docs', path: '/docs' },
      { name: 'login', path: '/login' },
      { name: 'setup', path: '/setup' },
    );

    const cookies = await admin.context.cookies();
    for (const device of DEVICES) {
      contexts[device] = { visitor: await newContext(h.browser, device), staff: await newContext(h.browser, device) };
      await contexts[device].staff.addCookies(cookies);
    }
  }, { timeout: 300000 });

  after(async () => {
    writeFindings('every-page');
    for (const c of Object.values(contexts)) {
      await c.visitor.close().catch(() => {});
      await c.staff.close().catch(() => {});
    }
    if (admin) await admin.close().catch(() => {});
    if (h) await h.stop();
  });

  for (const device of DEVICES) {
    test(`on a ${device}: nothing wider than the screen, axe-core clean, a screenshot of each`, async () => {
      const problems = [];
      for (const p of pages) {
        const page = await contexts[device][p.signedIn ? 'staff' : 'visitor'].newPage();
        try {
          const res = await page.goto(h.baseUrl + p.path);
          assert.ok(res.status() < 500, `${p.path} answered ${res.status()}`);
          if (p.signedIn) assert.equal(new URL(page.url()).pathname, p.path, `${p.path} kept the admin signed in`);
          await capture(page, `every-page-${p.name}`, device);
          for (const o of await overflowing(page)) problems.push(`${p.path} on a ${device}: ${o}`);
          try {
            await checkAccessibility(page, `${p.name} (${device})`);
          } catch (err) {
            problems.push(err.message);
          }
        } finally {
          await page.close();
        }
      }
      assert.deepEqual(problems, [], problems.join('\n'));
    });
  }
});
