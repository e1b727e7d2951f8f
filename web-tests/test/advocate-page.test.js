'use strict';

// An advocate's own page /p/{slug}/me: signed out it asks for an email and always answers "check
// your inbox"; an advocate's "Sign-in link" (read in the dashboard's Mailbox) opens the page;
// there they stop and resume the practice's emails and sign out. The unsubscribe link at the foot
// of the practice's emails stops them too, and the page shows it. The steps run in order.

const assert = require('node:assert/strict');
const { after, before, describe, test } = require('node:test');
const { checkAccessibility, newContext, screenshot, writeFindings } = require('../support/browser');
const { PRACTICE, startHarness, unique } = require('../support/harness');
const { linkIn, openMailbox } = require('../support/mailbox');
const { readAdvocatePage, shownAmount, useLink, visibleText, watchPolicy } = require('../support/patient');

const EMAILS_ON = `${PRACTICE.name} emails you about your rewards.`;
const EMAILS_OFF = new RegExp(`^You stopped emails from ${PRACTICE.name}\\.`);

describe("an advocate's own page", () => {
  let h;
  let mailbox;
  let advocate; // made through the API, so welcomed by email
  const state = {};

  before(async () => {
    h = await startHarness();
    mailbox = await openMailbox(h);
    advocate = await h.api('POST', '/v1/advocates', { name: 'Maya Lopez', email: unique('maya') });
  }, { timeout: 300000 });
  after(async () => {
    writeFindings('advocate-page');
    if (mailbox) await mailbox.close().catch(() => {});
    if (h) await h.stop();
  });

  const mePath = () => `/p/${h.practice.slug}/me`;

  // press sends one of the page's forms with its button and waits for the page it leads to.
  const press = async (page, button) => {
    const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() });
    await button.click();
    await navigated;
    await page.waitForLoadState();
    assert.equal(new URL(page.url()).pathname, mePath());
  };

  // askForLink fills the signed-out page's form in and returns the answer's visible text.
  const askForLink = async (page, email) => {
    await page.goto(h.baseUrl + mePath());
    await page.locator('#email').fill(email);
    await page.locator('#sign-in-button').click();
    await page.getByRole('status').getByRole('heading', { name: 'Check your inbox' }).waitFor();
    return visibleText(page);
  };

  test("the unsubscribe link in the advocate's welcome stops the practice's emails", async () => {
    const welcome = await mailbox.read({ to: advocate.email, kind: 'Advocate welcome' });
    const link = linkIn(welcome, `/p/${h.practice.slug}/unsubscribe`);
    const context = await newContext(h.browser, 'phone');
    try {
      const page = await context.newPage();
      const policy = watchPolicy(page);
      const res = await page.goto(link);
      assert.equal(res.status(), 200);
      const button = page.locator('#unsubscribe-button');
      assert.equal((await button.innerText()).trim(), `Stop emails from ${PRACTICE.name}`);
      await screenshot(page, 'unsubscribe', 'phone');
      await checkAccessibility(page, 'unsubscribe page');
      await button.click();
      await page.getByRole('status').getByRole('heading', { name: `You won't get more emails from ${PRACTICE.name}` }).waitFor();
      await screenshot(page, 'unsubscribe-result', 'phone');
      await checkAccessibility(page, 'unsubscribe result');
      assert.deepEqual(policy, []);
    } finally {
      await context.close();
    }
    state.unsubscribed = true;

    // A reward earned from now on is kept in the Mailbox, marked as not sent.
    const friend = unique('friend');
    await h.api('POST', '/v1/referrals', { advocate_id: advocate.id, friend_name: 'Finn Friend', friend_email: friend });
    const result = await h.api('POST', '/v1/conversions', { invoice_id: `INV-${Date.now()}`, email: friend, amount: '120.00' });
    assert.equal(result.outcome, 'converted', JSON.stringify(result));
    state.reward = result.conversion.reward;
    const [earned] = await mailbox.messagesTo(advocate.email);
    assert.equal(earned && earned.kind, 'Reward earned');
    assert.equal(earned.status.split('\n')[0].trim(), 'Not sent', 'the reward email to an unsubscribed address is not sent');
  });

  test('signed out, the page asks for an email and answers "check your inbox" alike for an advocate and a stranger', async () => {
    const stranger = unique('stranger');
    const context = await newContext(h.browser, 'phone');
    try {
      const page = await context.newPage();
      const res = await page.goto(h.baseUrl + mePath());
      assert.equal(res.status(), 200);
      assert.equal((await page.locator('h1').innerText()).trim(), 'Your referral page');
      assert.equal(await page.getByLabel('Your email', { exact: true }).count(), 1);
      assert.equal((await page.locator('#sign-in-button').innerText()).trim(), 'Email me a link');
      await screenshot(page, 'advocate-page-signed-out', 'phone');
      await checkAccessibility(page, 'advocate page, signed out');

      const toStranger = await askForLink(page, stranger);
      const toAdvocate = await askForLink(page, advocate.email);
      assert.equal(toAdvocate, toStranger, 'the answer reads the same whoever typed their email');
      await screenshot(page, 'advocate-page-check-inbox', 'phone');
      await checkAccessibility(page, 'advocate page, "check your inbox"');
    } finally {
      await context.close();
    }
    // Messages are written with the form's answer, so one to the stranger would be listed now.
    assert.deepEqual(await mailbox.kindsTo(stranger), [], 'a stranger gets no email');
    const message = await mailbox.read({ to: advocate.email, kind: 'Sign-in link' });
    state.link = linkIn(message, `/p/${h.practice.slug}/sign-in`);
    assert.ok(!message.links.some((l) => l.includes('/unsubscribe')), 'a sign-in link, asked for, has no unsubscribe link');
  });

  test('the "Sign-in link" opens the page; there the advocate resumes and stops emails, and signs out', async () => {
    assert.ok(state.link && state.unsubscribed, 'needs the link and the unsubscribe of the steps before');
    const { context, page } = await useLink(h.browser, 'phone', state.link, 'Open my page', async (linkPage) => {
      await screenshot(linkPage, 'one-time-link-sign-in', 'phone');
      await checkAccessibility(linkPage, 'one-time link page (sign in)');
    });
    try {
      const policy = watchPolicy(page);
      const me = await readAdvocatePage(page);
      assert.match(me.lead, /^Hi Maya\./);
      assert.equal(me.link, advocate.referral_url);
      assert.equal(me.code, advocate.referral_code);
      assert.equal(me.rewards.length, 1);
      for (const part of [state.reward.code, shownAmount(state.reward.amount, state.reward.currency), 'Issued']) {
        assert.ok(me.rewards[0].includes(part), `the reward reads "${me.rewards[0]}", without ${part}`);
      }
      await screenshot(page, 'advocate-page-emails-stopped', 'phone');
      await checkAccessibility(page, 'advocate page, signed in, emails stopped');

      const emailsState = page.locator('#emails-state');
      const emailsButton = page.locator('#emails-button');
      assert.match((await emailsState.innerText()).trim(), EMAILS_OFF, 'the page knows the emails were stopped by the unsubscribe link');
      assert.equal((await emailsButton.innerText()).trim(), 'Resume emails');
      await press(page, emailsButton);
      assert.equal((await emailsState.innerText()).trim(), EMAILS_ON);
      assert.equal((await emailsButton.innerText()).trim(), 'Stop emails');
      await press(page, emailsButton);
      assert.match((await emailsState.innerText()).trim(), EMAILS_OFF);
      assert.equal((await emailsButton.innerText()).trim(), 'Resume emails');
      await press(page, emailsButton);
      assert.equal((await emailsState.innerText()).trim(), EMAILS_ON);

      await press(page, page.locator('#sign-out-button'));
      assert.equal(await page.locator('#sign-in-button').count(), 1, 'signed out, the page asks for an email');
      assert.equal(await page.locator('#referral-link').count(), 0);
      await page.reload();
      assert.equal(await page.locator('#referral-link').count(), 0, 'signed out stays signed out');
      assert.deepEqual(policy, []);
    } finally {
      await context.close();
    }

    // Used once, the link no longer signs anyone in.
    const again = await newContext(h.browser, 'phone');
    try {
      const p = await again.newPage();
      assert.equal((await p.goto(state.link)).status(), 404);
      await p.getByRole('heading', { name: 'This link has expired' }).waitFor();
    } finally {
      await again.close();
    }
  });
});
