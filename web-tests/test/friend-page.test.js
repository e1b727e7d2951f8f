'use strict';

// The friend page /r/{code} and what follows it: an advocate who joined and confirmed has their
// page open; friends open the advocate's link in browsers of their own and claim the offer; the
// page thanks them and points to their inbox, where the welcome code is (never on the page); a
// conversion through the REST API puts the reward on the advocate's page and into a "Reward
// earned" email that never describes the friend. Every claim answers the same, whoever's email
// it is. The steps run in order; the emails are read in the dashboard's Mailbox.

const assert = require('node:assert/strict');
const { after, before, describe, test } = require('node:test');
const { AXE_DEVICE, checkAccessibility, newContext, recordTransfer, screenshot, writeFindings } = require('../support/browser');
const { startHarness, unique } = require('../support/harness');
const { linkIn, openMailbox } = require('../support/mailbox');
const { readAdvocatePage, shownAmount, useLink, visibleText, watchPolicy } = require('../support/patient');

const ADVOCATE = { name: 'Jane Avery', first: 'Jane', email: 'jane.avery@example.com' };
const FRIENDS = {
  phone: { name: 'Fran Fields', email: 'fran.fields@example.com' },
  desktop: { name: 'Omar Haddad', email: 'omar.haddad@example.com' },
};
// What the friend paid: distinctive, so that the advocate's email can be searched for it.
const PAID = '987.65';

const normalise = (s) => s.replace(/\s+/g, ' ').trim();

// dayInPracticeZone is how the advocate's page dates a reward issued at time t.
const dayInPracticeZone = (t) =>
  new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', month: 'short', day: 'numeric', year: 'numeric' }).format(t);

describe('the friend page and the reward it leads to', () => {
  let h;
  let mailbox;
  let advocate; // the advocate's phone, signed in to their page, from the first step on
  const state = {};

  before(async () => {
    h = await startHarness();
    mailbox = await openMailbox(h);
  }, { timeout: 300000 });
  after(async () => {
    writeFindings('friend-page');
    if (advocate) await advocate.context.close().catch(() => {});
    if (mailbox) await mailbox.close().catch(() => {});
    if (h) await h.stop();
  });

  const slugPath = (p) => `/p/${h.practice.slug}${p}`;

  // claim opens an advocate's link in a fresh browser and claims the offer; the answer is the
  // "Thank you! Check your inbox" card. look(page, load), when given, sees the page first, with
  // what loading it cost. It returns the context, which the caller closes.
  const claim = async (device, referralUrl, name, email, look) => {
    const context = await newContext(h.browser, device);
    try {
      const page = await context.newPage();
      const transfer = recordTransfer(page);
      const res = await page.goto(referralUrl, { waitUntil: 'networkidle' });
      assert.equal(res.status(), 200);
      if (look) await look(page, transfer.take());
      await page.getByLabel('Your name', { exact: true }).fill(name);
      await page.getByLabel('Your email', { exact: true }).fill(email);
      assert.equal((await page.locator('#claim-button').innerText()).trim(), 'Claim my offer');
      await page.locator('#claim-button').click();
      await page.getByRole('status').getByRole('heading', { name: 'Thank you! Check your inbox' }).waitFor();
      return { context, page };
    } catch (err) {
      await context.close();
      throw err;
    }
  };

  test('an advocate joins on the hosted page, confirms from the email, and copies their link', async () => {
    const context = await newContext(h.browser, 'phone');
    try {
      const page = await context.newPage();
      await page.goto(h.baseUrl + slugPath(''));
      await page.getByLabel('Your name', { exact: true }).fill(ADVOCATE.name);
      await page.getByLabel('Your email', { exact: true }).fill(ADVOCATE.email);
      await page.locator('#join-button').click();
      await page.getByRole('status').getByRole('heading', { name: 'Check your inbox' }).waitFor();
    } finally {
      await context.close();
    }
    const message = await mailbox.read({ to: ADVOCATE.email, kind: 'Join confirmation' });
    advocate = await useLink(h.browser, 'phone', linkIn(message, slugPath('/sign-in')), 'Confirm and get my link');
    await advocate.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.baseUrl });
    const policy = watchPolicy(advocate.page);
    await advocate.page.reload();
    const me = await readAdvocatePage(advocate.page);
    assert.match(me.lead, new RegExp(`^Hi ${ADVOCATE.first}\\.`));
    await advocate.page.getByRole('button', { name: 'Copy link' }).click();
    await advocate.page.locator('#copy-status').filter({ hasText: 'Link copied.' }).waitFor();
    assert.equal(await advocate.page.evaluate(() => navigator.clipboard.readText()), me.link, '"Copy link" copies the link');
    assert.deepEqual(policy, [], "the page's own script runs under its Content Security Policy");
    state.link = me.link;
    state.code = me.code;

    // Confirmed, the advocate is welcomed by email with their link and code.
    const welcome = await mailbox.read({ to: ADVOCATE.email, kind: 'Advocate welcome' });
    assert.ok(welcome.text.includes(me.code) && welcome.links.includes(me.link), 'the welcome holds the link and code');
  });

  for (const device of ['phone', 'desktop']) {
    test(`${device}: a friend claims through the link and is told to check their inbox; the welcome code comes by email`, async (t) => {
      assert.ok(state.link, "needs the advocate's link from the first step");
      const friend = FRIENDS[device];
      const { context, page } = await claim(device, state.link, friend.name, friend.email, async (landing, load) => {
        t.diagnostic(`${device} GET /r/{code}: ${load.requests} request(s), ${load.bytes} bytes transferred`);
        const h1 = landing.locator('h1');
        assert.equal(await h1.count(), 1, 'the friend page has one h1');
        assert.equal(normalise(await h1.innerText()), `${ADVOCATE.first} invited you to ${h.practiceInfo.name}`);
        await landing.getByText(h.practiceInfo.friendOffer).first().waitFor();
        assert.ok(!(await landing.content()).includes(ADVOCATE.email), "the advocate's email is never shown");
        await screenshot(landing, 'friend', device);
        if (device === AXE_DEVICE) await checkAccessibility(landing, 'friend page');
      });
      try {
        const result = page.getByRole('status');
        assert.ok((await result.innerText()).includes(h.practiceInfo.friendOffer), 'the answer repeats the offer');
        const book = page.locator('#book-button');
        assert.equal((await book.innerText()).trim(), 'Book now');
        assert.equal(await book.getAttribute('href'), h.practiceInfo.bookingUrl);
        const html = await page.content();
        assert.ok(!html.includes(h.practiceInfo.welcomeCode), 'the welcome code is not on the page');
        assert.ok(!html.includes(ADVOCATE.email), "the advocate's email is never shown");
        assert.equal(await page.locator('#claim-button').count(), 0, 'the form is gone');
        await screenshot(page, 'friend-result', device);
        if (device === AXE_DEVICE) await checkAccessibility(page, 'friend page result');
      } finally {
        await context.close();
      }

      const referrals = await h.api('GET', `/v1/referrals?friend_email=${encodeURIComponent(friend.email)}`);
      assert.equal(referrals.data.length, 1, 'the claim created one referral');
      const referral = referrals.data[0];
      assert.equal(referral.source, 'link');
      assert.equal(referral.referral_code, state.code);
      assert.equal(referral.friend_name, friend.name);
      assert.equal(referral.status, 'pending');

      const welcome = await mailbox.read({ to: friend.email, kind: 'Friend welcome' });
      assert.ok(welcome.text.includes(h.practiceInfo.welcomeCode), `the "Friend welcome" holds ${h.practiceInfo.welcomeCode}:\n${welcome.text}`);
      assert.ok(welcome.text.includes(h.practiceInfo.friendOffer), 'the "Friend welcome" holds the offer');
      assert.ok(welcome.links.includes(h.practiceInfo.bookingUrl), 'the "Friend welcome" links to booking');
      state[device] = true;
    });
  }

  test('a conversion for the friend puts the reward on the advocate’s page and in an email that never describes the friend', async () => {
    assert.ok(advocate && state.phone, 'needs the advocate and the claim of the steps before');
    const friend = FRIENDS.phone;
    const issuedAround = [dayInPracticeZone(new Date())];
    const result = await h.api('POST', '/v1/conversions', { invoice_id: `INV-${Date.now()}`, email: friend.email, amount: PAID });
    issuedAround.push(dayInPracticeZone(new Date()));
    assert.equal(result.outcome, 'converted', JSON.stringify(result));
    const reward = result.conversion.reward;
    assert.match(reward.code, /^AL-/);

    const page = advocate.page;
    await page.reload();
    const me = await readAdvocatePage(page);
    assert.equal(me.rewards.length, 1, `one reward on the page: ${JSON.stringify(me.rewards)}`);
    const line = me.rewards[0];
    for (const part of [reward.code, shownAmount(reward.amount, reward.currency), 'Issued']) {
      assert.ok(line.includes(part), `the reward reads "${line}", without ${part}`);
    }
    assert.ok(issuedAround.some((day) => line.includes(day)), `the reward reads "${line}", dated neither ${issuedAround.join(' nor ')}`);
    const pageText = await page.locator('body').innerText();
    for (const secret of [friend.name.split(' ')[0], friend.email, PAID]) {
      assert.ok(!pageText.includes(secret), `the advocate's page does not show ${secret}`);
    }
    await screenshot(page, 'advocate-page', 'phone');
    await checkAccessibility(page, 'advocate page, signed in, with a reward');
    const desktop = await newContext(h.browser, 'desktop');
    try {
      await desktop.addCookies(await advocate.context.cookies()); // the session cookie is scoped to the practice's pages
      const p = await desktop.newPage();
      await p.goto(h.baseUrl + slugPath('/me'));
      assert.equal((await readAdvocatePage(p)).rewards.length, 1);
      await screenshot(p, 'advocate-page', 'desktop');
    } finally {
      await desktop.close();
    }

    const earned = await mailbox.read({ to: ADVOCATE.email, kind: 'Reward earned' });
    assert.ok(earned.text.includes(reward.code), `the "Reward earned" email holds ${reward.code}:\n${earned.text}`);
    for (const [part, text] of [['plain text', earned.text], ['HTML', earned.html], ['subject', earned.subject]]) {
      for (const secret of [...friend.name.split(' '), friend.email, PAID]) {
        assert.ok(!text.includes(secret), `the "Reward earned" ${part} does not hold ${secret}:\n${text}`);
      }
    }
    state.messageUrl = earned.url;
  });

  test('the Mailbox, list and message, on a desktop and a phone', async () => {
    assert.ok(state.messageUrl, 'needs the emails of the steps before');
    const staff = mailbox.page;
    await staff.goto(`${h.baseUrl}/app/mail`);
    const banner = staff.locator('main .banner');
    assert.match(await banner.innerText(), /^Email is not being delivered/);
    await screenshot(staff, 'dashboard-mailbox', 'desktop');
    await checkAccessibility(staff, 'Mailbox');
    await staff.goto(state.messageUrl);
    await screenshot(staff, 'dashboard-mail-message', 'desktop');
    await checkAccessibility(staff, 'Mailbox, a message');

    // The email itself: its frame runs no script, so axe-core reads a copy of its HTML part.
    const cookie = (await mailbox.context.cookies(h.baseUrl)).map((c) => `${c.name}=${c.value}`).join('; ');
    const part = await fetch(`${state.messageUrl}/html`, { headers: { Cookie: cookie }, signal: AbortSignal.timeout(10000) });
    assert.equal(part.status, 200);
    const copy = await mailbox.context.newPage();
    try {
      await copy.setContent(await part.text());
      await checkAccessibility(copy, '"Reward earned" email, HTML part');
    } finally {
      await copy.close();
    }

    const phone = await newContext(h.browser, 'phone');
    try {
      await phone.addCookies(await mailbox.context.cookies(h.baseUrl));
      const p = await phone.newPage();
      await p.goto(`${h.baseUrl}/app/mail`);
      await screenshot(p, 'dashboard-mailbox', 'phone');
      await p.goto(state.messageUrl);
      await screenshot(p, 'dashboard-mail-message', 'phone');
    } finally {
      await phone.close();
    }
  });

  test('every claim answers the same: a new friend, the advocate themself, a friend invited by someone else, a patient', async () => {
    const cleo = await h.api('POST', '/v1/advocates', { name: 'Cleo Advocate', email: unique('cleo') });
    const ben = await h.api('POST', '/v1/advocates', { name: 'Ben Second', email: unique('ben') });
    const fay = unique('fay');
    const first = await claim('phone', ben.referral_url, 'Fay Friend', fay);
    await first.context.close();

    // Four claims on Cleo's link; the pages must not differ by a character.
    const claims = [
      ['a new friend', 'Nia New', unique('nia')],
      ['the advocate themself', 'Cleo Advocate', cleo.email],
      ['a friend invited by another advocate', 'Fay Friend', fay],
      ['an existing patient (an advocate)', 'Ben Second', ben.email],
    ];
    const answers = [];
    for (const [who, name, email] of claims) {
      const { context, page } = await claim('phone', cleo.referral_url, name, email);
      try {
        const text = await visibleText(page);
        assert.ok(!text.includes(ben.name.split(' ')[0]), `the answer to ${who} names no other advocate`);
        answers.push([who, text]);
        if (email === cleo.email) {
          await screenshot(page, 'friend-result-self', 'phone');
          await checkAccessibility(page, 'friend page result, the advocate themself');
        }
      } finally {
        await context.close();
      }
    }
    for (const [who, text] of answers.slice(1)) {
      assert.equal(text, answers[0][1], `the claim of ${who} reads the same as a new friend's`);
    }

    const referralsOf = async (email) => (await h.api('GET', `/v1/referrals?friend_email=${encodeURIComponent(email)}`)).data;
    assert.equal((await referralsOf(claims[0][2]))[0].advocate_id, cleo.id, "the new friend is Cleo's referral");
    assert.deepEqual(await referralsOf(cleo.email), [], 'no self-referral');
    const fays = await referralsOf(fay);
    assert.equal(fays.length, 1, 'the friend invited first has one referral');
    assert.equal(fays[0].advocate_id, ben.id, 'the first referral stands');
    assert.deepEqual(await referralsOf(ben.email), [], 'an advocate is no one’s referral');

    // What differs went to each address alone.
    assert.equal((await mailbox.read({ to: claims[0][2], kind: 'Friend welcome' })).to, claims[0][2]);
    for (const [who, , email] of claims.slice(1)) {
      const note = await mailbox.read({ to: email, kind: 'Claim not added' });
      for (const other of [ben.name, ben.email]) {
        if (email !== ben.email) assert.ok(!note.text.includes(other), `the note to ${who} does not name ${other}`);
      }
    }
  });

  test('a name with markup is shown as text, never run', async () => {
    const advocateWithMarkup = await h.api('POST', '/v1/advocates', { name: '<script>window.__pwned=1</script> Mallory', email: unique('mallory') });
    const context = await newContext(h.browser, 'phone');
    try {
      const page = await context.newPage();
      await page.goto(advocateWithMarkup.referral_url);
      assert.equal(await page.evaluate(() => window.__pwned), undefined, 'the name did not run as markup');
      assert.equal(await page.locator('h1 script').count(), 0);
      assert.match(await page.locator('h1').innerText(), /^<script>window\.__pwned=1<\/script> invited you to /);
    } finally {
      await context.close();
    }
  });

  test("a disabled advocate's link answers the 404 page", async () => {
    const disabled = await h.api('POST', '/v1/advocates', { name: 'Dina Disabled', email: unique('dina') });
    await h.api('PATCH', `/v1/advocates/${disabled.id}`, { status: 'disabled' });
    const res = await fetch(disabled.referral_url, { signal: AbortSignal.timeout(10000) });
    assert.equal(res.status, 404);
    assert.ok(!(await res.text()).includes('Dina'), 'the 404 page does not name the advocate');
  });

  test('an unknown code answers a friendly 404 page with no form', async () => {
    const context = await newContext(h.browser, 'phone');
    try {
      const page = await context.newPage();
      const res = await page.goto(`${h.baseUrl}/r/ZZZZZZZZ`);
      assert.equal(res.status(), 404);
      assert.equal(await page.locator('h1').count(), 1, 'the 404 page has a heading');
      assert.equal(await page.locator('#claim-button').count(), 0);
      await screenshot(page, 'friend-not-found', 'phone');
      await checkAccessibility(page, 'friend page, unknown code');
    } finally {
      await context.close();
    }
  });
});
