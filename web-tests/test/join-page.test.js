'use strict';

// The hosted join page /p/{slug}: a patient joins on AdvocateLoop's own page in the practice's
// name and colour, by mouse or by keyboard alone, and is told to check their inbox; the email
// (read in the dashboard's Mailbox, since no mail server is set) holds a one-time link that
// confirms the address and opens their own page with their link, code and QR code. The answer
// is the same whoever's email was typed.

const assert = require('node:assert/strict');
const { after, before, describe, test } = require('node:test');
const { AXE_DEVICE, checkAccessibility, newContext, recordTransfer, screenshot, writeFindings } = require('../support/browser');
const { startHarness, unique } = require('../support/harness');
const { linkIn, openMailbox } = require('../support/mailbox');
const { readAdvocatePage, useLink, visibleText, watchPolicy } = require('../support/patient');

describe('the hosted join page', () => {
  let h;
  let mailbox;
  before(async () => {
    h = await startHarness();
    mailbox = await openMailbox(h);
  }, { timeout: 300000 });
  after(async () => {
    writeFindings('join-page');
    if (mailbox) await mailbox.close().catch(() => {});
    if (h) await h.stop();
  });

  const joinUrl = () => `${h.baseUrl}/p/${h.practice.slug}`;
  const signInPath = () => `/p/${h.practice.slug}/sign-in`;

  // join fills the form in and sends it; the answer is the "Check your inbox" card.
  const join = async (page, name, email) => {
    await page.getByLabel('Your name', { exact: true }).fill(name);
    await page.getByLabel('Your email', { exact: true }).fill(email);
    await page.locator('#join-button').click();
    await page.getByRole('status').getByRole('heading', { name: 'Check your inbox' }).waitFor();
  };

  const advocatesWith = async (email) => (await h.api('GET', `/v1/advocates?email=${encodeURIComponent(email)}`)).data;

  for (const device of ['phone', 'desktop']) {
    test(`${device}: a patient joins, confirms from the email, and their page has their link and code`, async (t) => {
      const email = unique('joiner');
      const context = await newContext(h.browser, device);
      let patient;
      try {
        const page = await context.newPage();
        const policy = watchPolicy(page);
        const transfer = recordTransfer(page);
        const res = await page.goto(joinUrl(), { waitUntil: 'networkidle' });
        assert.equal(res.status(), 200);
        assert.equal(await page.locator('h1').count(), 1, 'the join page has one h1');
        assert.equal((await page.locator('h1').innerText()).trim(), h.practiceInfo.name);
        assert.match(await page.content(), new RegExp(h.practiceInfo.brandColor, 'i'), "the page uses the practice's brand colour");
        assert.equal((await page.locator('#join-button').innerText()).trim(), 'Get my link');
        const load = transfer.take();
        t.diagnostic(`${device} GET /p/{slug}: ${load.requests} request(s), ${load.bytes} bytes transferred`);
        await screenshot(page, 'join', device);
        if (device === AXE_DEVICE) await checkAccessibility(page, 'join page');

        await join(page, 'Dana Brooks', email);
        assert.equal(await page.locator('#referral-link').count(), 0, 'the answer shows no referral link');
        assert.ok(!(await page.content()).includes('/r/'), 'the answer carries no referral link');
        const mine = page.getByRole('link', { name: 'Your page: see your link and rewards any time' });
        assert.equal(new URL(await mine.getAttribute('href'), page.url()).pathname, `/p/${h.practice.slug}/me`);
        await page.waitForLoadState('networkidle');
        const result = transfer.take();
        t.diagnostic(`${device} POST /p/{slug} ("Check your inbox"): ${result.requests} request(s), ${result.bytes} bytes transferred`);
        await screenshot(page, 'join-result', device);
        if (device === AXE_DEVICE) await checkAccessibility(page, 'join page result');
        assert.deepEqual(await advocatesWith(email), [], 'no advocate until the email is confirmed');

        const message = await mailbox.read({ to: email, kind: 'Join confirmation' });
        const link = linkIn(message, signInPath());
        patient = await useLink(h.browser, device, link, 'Confirm and get my link', async (linkPage) => {
          watchPolicy(linkPage, policy);
          await screenshot(linkPage, 'one-time-link-join', device);
          if (device === AXE_DEVICE) await checkAccessibility(linkPage, 'one-time link page (join)');
        });
        const mePage = patient.page;
        const me = await readAdvocatePage(mePage);
        assert.match(me.lead, /^Hi Dana\./);
        assert.match(me.link, new RegExp(`^${h.baseUrl}/r/[A-Za-z0-9]{8}$`), "the referral link is on the server's public URL");
        assert.equal(me.code, me.link.split('/').pop(), 'the code is the end of the link');
        assert.ok(await mePage.getByRole('button', { name: 'Copy link' }).isVisible(), '"Copy link" is offered');
        for (const name of ['Text', 'Email', 'WhatsApp']) {
          const href = await mePage.getByRole('link', { name, exact: true }).getAttribute('href');
          assert.ok(href.includes(encodeURIComponent(me.link)) || href.includes(me.link), `the "${name}" link carries the referral link`);
        }
        const qr = mePage.getByRole('img', { name: 'QR code for your referral link' });
        const loaded = await qr.evaluate((img) => (img.complete ? img.naturalWidth : new Promise((r) => { img.onload = () => r(img.naturalWidth); img.onerror = () => r(0); })));
        assert.ok(loaded > 0, 'the QR code image loads');
        await screenshot(mePage, 'advocate-page-new', device);

        const advocates = await advocatesWith(email);
        assert.equal(advocates.length, 1, 'confirming made the patient an advocate');
        assert.equal(advocates[0].name, 'Dana Brooks');
        assert.equal(advocates[0].referral_url, me.link);
        assert.deepEqual(policy, [], 'no page broke its Content Security Policy');

        // The link works once: opened again, it says so and offers a new one.
        const again = await newContext(h.browser, device);
        try {
          const p = await again.newPage();
          const res2 = await p.goto(link);
          assert.equal(res2.status(), 404, 'a used link answers 404');
          await p.getByRole('heading', { name: 'This link has expired' }).waitFor();
          assert.equal(await p.locator('#use-link-button').count(), 0);
          assert.equal(await p.locator('#sign-in-button').count(), 1, 'the page offers a new link');
        } finally {
          await again.close();
        }
      } finally {
        if (patient) await patient.context.close();
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
      await page.getByRole('status').getByRole('heading', { name: 'Check your inbox' }).waitFor();
    } finally {
      await context.close();
    }
    assert.deepEqual(await mailbox.kindsTo(email), ['Join confirmation'], 'the keyboard-only join sent its confirmation');
  });

  test('a form filled in by a bot (the honeypot) gets the same answer and sends no email', async () => {
    const person = unique('person');
    const bot = unique('bot');
    const context = await newContext(h.browser, 'phone');
    try {
      const page = await context.newPage();
      await page.goto(joinUrl());
      await join(page, 'Pat Person', person);
      const answer = (await visibleText(page)).replace(person, 'EMAIL');

      await page.goto(joinUrl());
      const honeypot = page.locator('#website');
      assert.equal(await honeypot.getAttribute('tabindex'), '-1');
      assert.ok(await honeypot.evaluate((el) => el.closest('[aria-hidden="true"]') !== null), 'the honeypot is hidden from assistive technology');
      await honeypot.evaluate((el) => { el.value = 'https://spam.example'; }); // what a form-filling bot does
      await join(page, 'Bo Bot', bot);
      assert.equal((await visibleText(page)).replace(bot, 'EMAIL'), answer, 'the bot gets the answer a person gets');
    } finally {
      await context.close();
    }
    // Messages are written with the form's answer, so an email the bot caused would be listed now.
    assert.deepEqual(await mailbox.kindsTo(person), ['Join confirmation']);
    assert.deepEqual(await mailbox.kindsTo(bot), [], 'the honeypot sends no email');
  });

  test('joining answers exactly the same for a new email and for an advocate’s, and only the emails differ', async () => {
    const advocate = await h.api('POST', '/v1/advocates', { name: 'Ava Known', email: unique('known') });
    const stranger = unique('new');
    const answers = [];
    for (const email of [stranger, advocate.email]) {
      const context = await newContext(h.browser, 'phone');
      try {
        const page = await context.newPage();
        await page.goto(joinUrl());
        await join(page, 'Ava Known', email);
        answers.push(await visibleText(page));
        if (email === advocate.email) await screenshot(page, 'join-result-advocate', 'phone');
      } finally {
        await context.close();
      }
    }
    assert.equal(answers[1], answers[0], 'the join result reads the same whoever typed their email');
    assert.ok(!answers[0].includes(stranger) && !answers[1].includes(advocate.email), 'the answer does not repeat the email');

    // What differs goes to that address alone: a confirmation for the newcomer, a link to their
    // page for the advocate (who already has a welcome from being added).
    const toStranger = await mailbox.read({ to: stranger, kind: 'Join confirmation' });
    linkIn(toStranger, signInPath());
    const toAdvocate = await mailbox.read({ to: advocate.email, kind: 'Sign-in link' });
    const link = linkIn(toAdvocate, signInPath());
    assert.ok(toAdvocate.text.includes(advocate.referral_code), "the advocate's email holds their code");
    const { context } = await useLink(h.browser, 'phone', link, 'Open my page');
    await context.close();
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
