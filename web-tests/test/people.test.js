'use strict';

// The dashboard's people pages, on a phone (390×844) and a desktop (1280×800): an admin finds
// an advocate by part of their name in the one search box, opens their page (referrals,
// conversions, rewards), emails them their link (it waits in the Mailbox), disables and
// re-enables them; Referrals shows a pending friend with their age; Rewards finds a reward by the
// advocate's email; Home counts the plan's places. Every page: no element wider than the
// viewport (measured by script), axe-core clean, a screenshot in test-artifacts/.

const assert = require('node:assert/strict');
const { after, before, describe, test } = require('node:test');
const { checkAccessibility, newContext, screenshot, writeFindings } = require('../support/browser');
const { startHarness } = require('../support/harness');

const PASSWORD = 'correct horse battery staple';
const DEVICES = ['phone', 'desktop'];
const JANE = { name: 'Jane Avery', email: 'jane.avery.people@example.com' };
const KIM = { name: 'Kim Brooks', email: 'kim.brooks.people@example.com' };
const FRIEND = { name: 'Fran Fields', email: 'fran.fields.people@example.com' };
const PENDING = { name: 'Lee Carter', email: 'lee.carter.people@example.com' };

const atPath = (p) => (u) => new URL(u).pathname === p;

// tooWide lists the elements that reach past the viewport's right edge, or the page's own width
// when the document scrolls sideways.
const tooWide = (page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    if (document.documentElement.scrollWidth > width) out.push(`document ${document.documentElement.scrollWidth}px > ${width}px`);
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 0.5) {
        out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className} right ${Math.round(r.right)}px > ${width}px`);
      }
    }
    return out;
  });

describe('advocates, referrals and plan usage in the dashboard', () => {
  let h;
  const pages = {};
  const contexts = [];
  const state = {};

  before(async () => {
    h = await startHarness();
    state.jane = await h.api('POST', '/v1/advocates', JANE);
    state.kim = await h.api('POST', '/v1/advocates', KIM);
    await h.api('POST', '/v1/referrals', { advocate_id: state.jane.id, friend_name: FRIEND.name, friend_email: FRIEND.email });
    await h.api('POST', '/v1/referrals', { advocate_id: state.kim.id, friend_name: PENDING.name, friend_email: PENDING.email });
    const res = await h.api('POST', '/v1/conversions', { invoice_id: 'INV-PEOPLE-1', email: FRIEND.email, name: FRIEND.name, amount: '250.00' });
    state.reward = res.conversion.reward;

    // The admin sets a password through the link `practice create` printed, then signs in on
    // the second device.
    for (const device of DEVICES) {
      const context = await newContext(h.browser, device);
      contexts.push(context);
      const page = await context.newPage();
      if (device === DEVICES[0]) {
        await page.goto(h.baseUrl + new URL(h.practice.admin_setup_url).pathname);
        await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
        await page.getByLabel('Confirm password', { exact: true }).fill(PASSWORD);
        await page.getByRole('button', { name: 'Set password', exact: true }).click();
      } else {
        await page.goto(`${h.baseUrl}/login`);
        await page.getByLabel('Email', { exact: true }).fill(h.practiceInfo.adminEmail);
        await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      }
      await page.waitForURL(atPath('/app'));
      pages[device] = page;
    }
  }, { timeout: 300000 });
  after(async () => {
    writeFindings('people');
    for (const c of contexts) await c.close().catch(() => {});
    if (h) await h.stop();
  });

  // judge checks what every page promises, then keeps its picture.
  const judge = async (page, name, device) => {
    assert.deepEqual(await tooWide(page), [], `${name} on a ${device}: elements wider than the viewport`);
    await checkAccessibility(page, `${name}-${device}`);
    await screenshot(page, `people-${name}`, device);
  };

  for (const device of DEVICES) {
    test(`${device}: find an advocate by part of their name and open their page`, async () => {
      const page = pages[device];
      await page.getByRole('navigation').getByRole('link', { name: 'Advocates', exact: true }).click();
      await page.waitForURL(atPath('/app/advocates'));
      await page.getByLabel('Name, email or code', { exact: true }).fill('aver');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL((u) => new URL(u).searchParams.get('q') === 'aver');
      const list = await page.locator('main').innerText();
      assert.match(list, /Jane Avery/);
      assert.match(list, new RegExp(JANE.email.replace(/\./g, '\\.')));
      assert.doesNotMatch(list, /Kim Brooks/, 'the search finds Jane only');
      await judge(page, 'advocates', device);

      await page.getByRole('link', { name: 'Jane Avery', exact: true }).click();
      await page.waitForURL(atPath(`/app/advocates/${state.jane.id}`));
      const about = await page.locator('main').innerText();
      for (const text of [state.jane.referral_code, FRIEND.name, FRIEND.email, 'INV-PEOPLE-1', state.reward.code]) {
        assert.ok(about.includes(text), `Jane's page shows ${text}; it reads:\n${about}`);
      }
      await judge(page, 'advocate', device);
    });
  }

  test('desktop: email an advocate their link; it waits in the Mailbox', async () => {
    const page = pages.desktop;
    await page.goto(`${h.baseUrl}/app/advocates/${state.kim.id}`);
    await page.getByRole('button', { name: 'Email them their link', exact: true }).click();
    await page.waitForURL((u) => new URL(u).searchParams.get('done') === 'sent');
    assert.match(await page.getByRole('status').innerText(), /Kim Brooks gets an email/);
    await page.goto(`${h.baseUrl}/app/mail`);
    const rows = await page.locator('main tbody tr').allInnerTexts();
    assert.ok(rows.some((r) => r.includes(KIM.email) && /Sign-in link/i.test(r)), `the Mailbox lists a sign-in link to Kim:\n${rows.join('\n')}`);
  });

  test('phone: disable an advocate, which frees a place on the plan, and enable them again', async () => {
    const page = pages.phone;
    await page.goto(`${h.baseUrl}/app`);
    assert.match(await page.locator('main').innerText(), /2 of 100 advocates/);
    await page.goto(`${h.baseUrl}/app/advocates/${state.kim.id}`);
    await page.getByRole('button', { name: 'Disable', exact: true }).click();
    await page.waitForURL((u) => new URL(u).searchParams.get('done') === 'disabled');
    assert.match(await page.getByRole('status').innerText(), /place on the plan is free/);
    await judge(page, 'advocate-disabled', 'phone');
    await page.goto(`${h.baseUrl}/app`);
    assert.match(await page.locator('main').innerText(), /1 of 100 advocates/);
    await judge(page, 'home', 'phone');
    await page.goto(`${h.baseUrl}/app/advocates/${state.kim.id}`);
    await page.getByRole('button', { name: 'Enable', exact: true }).click();
    await page.waitForURL((u) => new URL(u).searchParams.get('done') === 'enabled');
  });

  test('desktop: a clawback owed names the advocate in full and is marked settled', async () => {
    // Jane's reward is used, then the friend's payment refunded: a clawback owed.
    await h.api('POST', `/v1/rewards/${encodeURIComponent(state.reward.code)}/redeem`);
    await h.api('POST', '/v1/conversions/reverse', { invoice_id: 'INV-PEOPLE-1' });
    const page = pages.desktop;
    await page.goto(`${h.baseUrl}/app/rewards`);
    const owed = page.getByRole('heading', { name: 'Clawbacks owed' }).locator('xpath=..');
    const text = await owed.innerText();
    assert.ok(text.includes(state.reward.code) && text.includes(JANE.name) && text.includes(JANE.email),
      `the clawback names Jane in full with her email:\n${text}`);
    await judge(page, 'rewards-clawback', 'desktop');
    await owed.getByRole('button', { name: 'Mark settled', exact: true }).click();
    await page.waitForURL((u) => new URL(u).searchParams.get('done') === 'settled');
    assert.match(await page.getByRole('status').innerText(), /Clawback settled/);
    assert.doesNotMatch(await page.getByRole('heading', { name: 'Clawbacks owed' }).locator('xpath=..').innerText(),
      new RegExp(state.reward.code), 'the settled clawback leaves the list');
    const [reward] = await h.api('GET', `/v1/rewards?code=${encodeURIComponent(state.reward.code)}`).then((r) => r.data);
    assert.equal(reward.clawback_owed, false, 'the API no longer reports the clawback owed');
  });

  test('phone: at the plan\'s limit the home page says what patients see and how to make room', async () => {
    const active = (await h.api('GET', '/v1/advocates?status=active&limit=100')).data.length;
    for (let i = active; i < 100; i += 1) {
      await h.api('POST', '/v1/advocates', { name: `Patient ${i}`, email: `patient${i}.people@example.com` });
    }
    const page = pages.phone;
    await page.goto(`${h.baseUrl}/app`);
    const banner = page.getByRole('alert').filter({ hasText: 'program is full' });
    const text = await banner.innerText();
    assert.match(text, /100 of 100 advocates/);
    assert.match(text, /The referral program is full right now/);
    assert.equal(await banner.getByRole('link', { name: 'upgrade your plan' }).getAttribute('href'), '/app/upgrade');
    await judge(page, 'home-full', 'phone');
    await banner.getByRole('link', { name: /no referral in 90 days/ }).click();
    await page.waitForURL((u) => new URL(u).searchParams.get('status') === 'idle');
    await judge(page, 'advocates-idle', 'phone');
    await page.goto(`${h.baseUrl}/app/upgrade`);
    await judge(page, 'upgrade', 'phone');
  });

  for (const device of DEVICES) {
    test(`${device}: referrals show pending friends with their age, found by the advocate's name`, async () => {
      const page = pages[device];
      await page.getByRole('navigation').getByRole('link', { name: 'Referrals', exact: true }).click();
      await page.waitForURL(atPath('/app/referrals'));
      await page.getByLabel(/Friend or advocate/).fill('brooks');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL((u) => new URL(u).searchParams.get('q') === 'brooks');
      const text = await page.locator('main').innerText();
      assert.match(text, /Lee Carter/);
      assert.match(text, /pending less than a day/);
      assert.doesNotMatch(text, /Fran Fields/, 'the search finds Kim\'s friend only');
      await judge(page, 'referrals', device);
    });

    test(`${device}: rewards are found by the advocate's email`, async () => {
      const page = pages[device];
      await page.getByRole('navigation').getByRole('link', { name: 'Rewards', exact: true }).click();
      await page.waitForURL(atPath('/app/rewards'));
      await page.getByLabel('Reward code', { exact: true }).fill(JANE.email);
      await page.getByRole('button', { name: 'Look up', exact: true }).click();
      await page.waitForURL((u) => new URL(u).searchParams.get('code') === JANE.email);
      const found = await page.getByRole('heading', { name: 'Rewards found' }).locator('xpath=..').innerText();
      assert.ok(found.includes(state.reward.code), `the search lists Jane's reward:\n${found}`);
      await judge(page, 'rewards-search', device);
    });
  }
});
