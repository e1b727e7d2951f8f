'use strict';

// The first run, as a new practice lives it, on a phone and on a desktop (each on a server of
// its own with an empty database): the one-time /setup?token=… link the server printed, the
// set-up form (time zone filled in from the browser, currency, reward, friend offer, booking
// link), the home page's checklist with each step's state, an API key made from it, a step
// dismissed, and Settings asking before revoking a key, with the webhook secret behind Reveal.
// Every page: no element wider than the viewport, axe-core clean, a screenshot.

const assert = require('node:assert/strict');
const { after, before, describe, test } = require('node:test');
const { checkAccessibility, newContext, screenshot, writeFindings } = require('../support/browser');
const { firstRunLink, startEmptyHarness } = require('../support/harness');

const ADMIN = { practice: 'Lumen Skin Studio', email: 'owner@lumen.example', password: 'correct horse battery staple' };

// tooWide lists the elements reaching past the viewport's right edge, checked by script.
const tooWide = (page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).replace(/ /g, '.')}` : ''}`);
  });

// stepState is what the checklist shows for the step whose title starts with title.
const stepState = (page, title) =>
  page.locator('.checklist > ol > li', { hasText: title }).locator('.step').innerText();

for (const device of ['phone', 'desktop']) {
  describe(`first run on a ${device}`, () => {
    let h;
    let context;
    let page;

    before(async () => {
      h = await startEmptyHarness();
      context = await newContext(h.browser, device);
      page = await context.newPage();
    }, { timeout: 300000 });
    after(async () => {
      writeFindings(`setup-${device}`);
      if (context) await context.close().catch(() => {});
      if (h) await h.stop();
    });

    // looksRight holds every page to the same bar.
    const looksRight = async (name) => {
      assert.deepEqual(await tooWide(page), [], `${name} on a ${device}: elements wider than the viewport`);
      await checkAccessibility(page, `${name} (${device})`);
      await screenshot(page, name, device);
    };

    test('without the printed token /setup takes nothing', async () => {
      const res = await page.goto(`${h.baseUrl}/setup`);
      assert.equal(res.status(), 403);
      assert.match(await page.locator('main').innerText(), /the link the server printed/);
      assert.equal((await page.goto(`${h.baseUrl}/setup?token=guessed`)).status(), 404);
    });

    test('the printed link opens the set-up form, which creates the practice and signs the admin in', async () => {
      const link = await firstRunLink(h);
      assert.equal((await page.goto(link)).status(), 200);
      const browserZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
      assert.equal(await page.getByLabel('Time zone').inputValue(), browserZone, 'the time zone starts as the browser\'s');
      assert.equal(await page.locator('datalist#time-zones option[value="America/Los_Angeles"]').count(), 1);
      await looksRight('setup');

      await page.getByLabel('Practice name').fill(ADMIN.practice);
      await page.getByLabel('Currency').selectOption('EUR');
      await page.getByLabel('Time zone').fill('Europe/Paris');
      await page.getByLabel('Reward kind').selectOption('wallet_credit');
      await page.getByLabel('Reward amount').fill('40');
      await page.getByLabel('Friend offer').fill('€20 off your first treatment');
      await page.getByLabel('Booking link').fill('https://lumen.example/book');
      await page.getByLabel('Your email').fill(ADMIN.email);
      await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
      await page.getByLabel('Confirm password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Create practice' }).click();
      await page.waitForURL((u) => new URL(u).pathname === '/app');

      // The link was used up.
      const again = await fetch(link, { redirect: 'manual', signal: AbortSignal.timeout(10000) });
      assert.equal(again.status, 404, 'the set-up link works once');
    });

    test('the home page shows the checklist, each step with its state', async () => {
      const checklist = page.getByRole('region', { name: 'Get your referral program live' });
      await checklist.waitFor();
      for (const title of ['Create the API key', 'Connect Aesthetic Record', 'Add the widget', 'Set up email']) {
        assert.equal(await stepState(page, title), 'To do', title);
      }
      const text = await checklist.innerText();
      for (const words of ['Aesthetic Record EMR → New Invoice Payment', 'AdvocateLoop → Record Conversion', 'ADVOCATELOOP_SMTP_URL']) {
        assert.ok(text.includes(words), `the checklist says "${words}"`);
      }
      await looksRight('checklist');
    });

    test('an API key made from the checklist is shown once and ticks its step off', async () => {
      await page.getByRole('region', { name: 'Get your referral program live' }).getByRole('button', { name: 'Create API key' }).click();
      await page.waitForURL((u) => new URL(u).pathname === '/app/settings/api-keys');
      assert.match(await page.getByLabel('New API key').inputValue(), /^al_live_/);
      await page.getByRole('navigation').getByRole('link', { name: 'Home', exact: true }).click();
      assert.equal(await stepState(page, 'Create the API key'), 'Done');

      await page.getByRole('button', { name: 'Dismiss this step: email' }).click();
      await page.waitForURL((u) => new URL(u).pathname === '/app');
      assert.equal(await stepState(page, 'Set up email'), 'Dismissed');
      await looksRight('checklist-progress');
    });

    test('Settings keep the answers, hide the secret until revealed and ask before revoking', async () => {
      await page.goto(`${h.baseUrl}/app/settings`);
      assert.equal(await page.getByLabel('Currency').inputValue(), 'EUR');
      assert.equal(await page.getByLabel('Time zone').inputValue(), 'Europe/Paris');
      assert.equal(await page.getByLabel('Brand colour').getAttribute('type'), 'color');
      assert.equal(await page.locator('#webhook-secret').isVisible(), false, 'the secret is hidden');
      await looksRight('settings');
      await page.getByText('Reveal the webhook secret').click();
      assert.match(await page.locator('#webhook-secret').inputValue(), /^whsec_/);

      await page.getByRole('link', { name: /^Revoke al_live_/ }).click();
      await page.getByRole('heading', { name: /^Revoke API key/ }).waitFor();
      await looksRight('confirm-revoke');
      await page.getByRole('button', { name: 'Revoke API key' }).click();
      await page.waitForURL((u) => new URL(u).pathname === '/app/settings');
      assert.match(await page.getByRole('status').first().innerText(), /revoked/);
    });
  });
}
