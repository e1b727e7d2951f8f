'use strict';

// The hosted join page /p/{slug}: a patient joins on AdvocateLoop's own page in the practice's
// name and colour, by mouse or by keyboard alone, and gets a link and its QR code.

const assert = require('node:assert/strict');
const { after, before, describe, test } = require('node:test');
const { AXE_DEVICE, checkAccessibility, newContext, recordTransfer, screenshot, writeFindings } = require('../support/browser');
const { startHarness, unique } = require('../support/harness');

describe('the hosted join page', () => {
  let h;
  before(async () => {
    h = await startHarness();
  }, { timeout: 300000 });
  after(async () => {
    writeFindings('join-page');
    if (h) await h.stop();
  });

  const joinUrl = () => `${h.baseUrl}/p/${h.practice.slug}`;

  for (const device of ['phone', 'desktop']) {
    test(`${device}: a patient joins and sees their link and its QR code`, async (t) => {
      const email = unique('joiner');
      const context = await newContext(h.browser, device);
      try {
        const page = await context.newPage();
        const transfer = recordTransfer(page);
        const res = await page.goto(joinUrl(), { waitUntil: 'networkidle' });
        assert.equal(res.status(), 200);
        assert.equal(await page.locator('h1').count(), 1, 'the join page has one h1');
        assert.equal((await page.locator('h1').innerText()).trim(), h.practiceInfo.name);
        assert.match(await page.content(), new RegExp(h.practiceInfo.brandColor, 'i'), "the page uses the practice's brand colour");
        const load = transfer.take();
        t.diagnostic(`${device} GET /p/{slug}: ${load.requests} request(s), ${load.bytes} bytes transferred`);
        await screenshot(page, 'join', device);
        if (device === AXE_DEVICE) await checkAccessibility(page, 'join page');

        await page.getByLabel('Your name', { exact: true }).fill('Dana Brooks');
        await page.getByLabel('Your email', { exact: true }).fill(email);
        await page.getByRole('button', { name: 'Get my link' }).click();
        await page.getByRole('heading', { name: 'Your referral link' }).waitFor();
        const link = await page.getByRole('textbox', { name: 'Your referral link' }).inputValue();
        assert.match(link, new RegExp(`^${h.baseUrl}/r/[A-Za-z0-9]{8}$`));
        assert.ok(await page.getByRole('button', { name: 'Copy link' }).isVisible(), '"Copy link" is offered');
        for (const name of ['Text', 'Email', 'WhatsApp']) {
          const href = await page.getByRole('link', { name, exact: true }).getAttribute('href');
          assert.ok(href.includes(encodeURIComponent(link)) || href.includes(link), `the "${name}" link carries the referral link`);
        }
        const qr = page.getByRole('img', { name: 'QR code for your referral link' });
        await qr.waitFor();
        const loaded = await qr.evaluate((img) => (img.complete ? img.naturalWidth : 0));
        assert.ok(loaded > 0, 'the QR code image loads');
        await page.waitForLoadState('networkidle');
        const result = transfer.take();
        t.diagnostic(`${device} POST /p/{slug} (link and QR code): ${result.requests} request(s), ${result.bytes} bytes transferred`);
        await screenshot(page, 'join-result', device);
        if (device === AXE_DEVICE) await checkAccessibility(page, 'join page result');

        const advocates = await h.api('GET', `/v1/advocates?email=${encodeURIComponent(email)}`);
        assert.equal(advocates.data.length, 1);
        assert.equal(advocates.data[0].referral_url, link);
      } finally {
        await context.close();
      }
    });
  }

  test('the join form can be reached and sent with Tab and Enter alone, with visible focus', async () => {
    const email = unique('keyboard');
    const context = await newContext(h.browser, 'desktop');
    try {
      const page = await context.newPage();
      await page.goto(joinUrl());
      const focused = () =>
        page.evaluate(() => {
          const el = document.activeElement;
          const label = el && el.labels && el.labels[0] ? el.labels[0].innerText.trim() : '';
          const s = el ? getComputedStyle(el) : null;
          return {
            tag: el ? el.tagName : '',
            name: el ? el.getAttribute('name') : '',
            label,
            text: el ? el.innerText || '' : '',
            outline: s ? s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 : false,
            shadow: s ? s.boxShadow !== 'none' : false,
          };
        });
      // tabTo presses Tab until pred holds, never landing on the honeypot on the way.
      const tabTo = async (what, pred) => {
        for (let i = 0; i < 25; i += 1) {
          await page.keyboard.press('Tab');
          const f = await focused();
          assert.notEqual(f.name, 'website', 'the honeypot field is not in the tab order');
          if (pred(f)) {
            assert.ok(f.outline || f.shadow, `${what} shows a visible focus indicator`);
            return;
          }
        }
        assert.fail(`${what} was not reached within 25 presses of Tab`);
      };
      await tabTo('"Your name"', (f) => f.tag === 'INPUT' && f.label.startsWith('Your name'));
      await page.keyboard.type('Kim Keys');
      await tabTo('"Your email"', (f) => f.tag === 'INPUT' && f.label.startsWith('Your email'));
      await page.keyboard.type(email);
      await tabTo('"Get my link"', (f) => f.tag === 'BUTTON' && f.text.trim() === 'Get my link');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Your referral link' }).waitFor();
      assert.match(await page.getByRole('textbox', { name: 'Your referral link' }).inputValue(), /\/r\/[A-Za-z0-9]{8}$/);
    } finally {
      await context.close();
    }
    const advocates = await h.api('GET', `/v1/advocates?email=${encodeURIComponent(email)}`);
    assert.equal(advocates.data.length, 1, 'the keyboard-only join created the advocate');
  });

  test('QR codes of the join page and of an advocate link are SVG images', async () => {
    const advocate = await h.api('POST', '/v1/advocates', { name: 'Quinn Reed', email: unique('qr') });
    for (const path of [`/p/${h.practice.slug}/qr.svg`, `/r/${advocate.referral_code}/qr.svg`]) {
      const res = await fetch(h.baseUrl + path, { signal: AbortSignal.timeout(10000) });
      assert.equal(res.status, 200, `GET ${path}`);
      assert.match(res.headers.get('content-type') || '', /^image\/svg\+xml/, `GET ${path}`);
      assert.match(await res.text(), /<svg[\s>]/, `GET ${path}`);
    }
  });

  test('an unknown practice answers a friendly 404 page', async () => {
    const context = await newContext(h.browser, 'phone');
    try {
      const page = await context.newPage();
      const res = await page.goto(`${h.baseUrl}/p/no-such-practice`);
      assert.equal(res.status(), 404);
      assert.equal(await page.locator('h1').count(), 1, 'the 404 page has a heading');
      assert.equal(await page.getByLabel('Your email', { exact: true }).count(), 0);
    } finally {
      await context.close();
    }
  });
});
