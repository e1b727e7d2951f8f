'use strict';

// The front-desk dashboard under /app, on a server whose database starts empty: first-run setup,
// sign-out and sign-in, an API key made in Settings and used on the REST API, the conversion it
// records in the Home feed, the emails those changes caused in the Mailbox (no mail server is
// set, so every page says email is not being delivered), the reward redeemed on Rewards, the
// liability on Reports dropping by exactly the reward's amount, and the conversions CSV.
// Screenshots at desktop and tablet sizes; axe-core on every page. The steps run in order and
// share one signed-in browser.

const assert = require('node:assert/strict');
const { after, before, describe, test } = require('node:test');
const { checkAccessibility, newContext, screenshot, writeFindings } = require('../support/browser');
const { apiClient } = require('../support/server');
const { firstRunLink, startEmptyHarness } = require('../support/harness');
const { mailboxIn } = require('../support/mailbox');

const ADMIN = {
  practice: 'Glow Aesthetics',
  email: 'owner@glow.example',
  password: 'correct horse battery staple',
};

// Two conversions, so that a drop of exactly one reward is told apart from a drop to zero.
const PAIRS = [
  { advocate: 'Jane Avery', friend: 'Fran Fields', invoice: 'INV-1001', amount: '250.00' },
  { advocate: 'Kim Brooks', friend: 'Lee Carter', invoice: 'INV-1002', amount: '180.00' },
];

// The dashboard's pages, by their nav link's exact name, with the path and h1 of the contract.
const PAGES = {
  Home: { path: '/app', h1: 'Conversions' },
  Rewards: { path: '/app/rewards' },
  Reports: { path: '/app/reports' },
  Mailbox: { path: '/app/mail', h1: 'Mailbox' },
  Settings: { path: '/app/settings' },
};

const emailOf = (name) => `${name.toLowerCase().replace(/ /g, '.')}@example.com`;

// cents reads the first amount such as "$1,250.50", "$100" or "50.00" in text.
const cents = (text, what) => {
  const m = /(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{2}))?/.exec(text);
  assert.ok(m, `${what} shows no amount; it reads:\n${text}`);
  return Number(m[1].replace(/,/g, '')) * 100 + Number(m[2] ?? 0);
};

describe('the front-desk dashboard', () => {
  let h;
  let context; // the admin's desktop browser, signed in from the first step on
  let page;
  const state = { rewards: [] };

  before(async () => {
    h = await startEmptyHarness();
    context = await newContext(h.browser, 'desktop');
    page = await context.newPage();
  }, { timeout: 300000 });
  after(async () => {
    writeFindings('dashboard');
    if (context) await context.close().catch(() => {});
    if (h) await h.stop();
  });

  // Accessibility is checked on every page as the steps go, and judged in a test of its own at
  // the end, so a violation never hides whether the feature itself works.
  const blocking = [];
  const a11y = async (p, label) => {
    try {
      await checkAccessibility(p, label);
    } catch (err) {
      blocking.push(err.message);
    }
  };

  const url = (p) => h.baseUrl + p;
  const atPath = (p) => (u) => new URL(u).pathname.replace(/\/$/, '') === p;

  // visit opens a page through its nav link and checks what every page promises.
  const visit = async (p, name) => {
    await p.getByRole('navigation').getByRole('link', { name, exact: true }).click();
    await p.waitForURL(atPath(PAGES[name].path));
    assert.equal(await p.getAttribute('html', 'lang'), 'en', `${name}: <html lang="en">`);
    assert.equal(await p.locator('main').count(), 1, `${name}: one <main>`);
    assert.equal(await p.locator('h1').count(), 1, `${name}: one <h1>`);
    if (PAGES[name].h1) assert.equal((await p.locator('h1').innerText()).trim(), PAGES[name].h1);
    const banner = p.locator('main .banner');
    assert.match(await banner.innerText(), /^Email is not being delivered/, `${name}: the banner says email is not being delivered`);
    assert.equal(new URL(await banner.getByRole('link').getAttribute('href'), p.url()).pathname, '/app/mail', `${name}: the banner leads to the Mailbox`);
  };

  // liability reads the "Outstanding reward liability" total on Reports.
  const liability = async () => {
    await visit(page, 'Reports');
    const heading = page.getByRole('heading', { name: /Outstanding reward liability/i });
    await heading.waitFor();
    const section = heading.locator('xpath=ancestor::section[1]');
    const box = (await section.count()) > 0 ? section : heading.locator('xpath=..');
    const text = await box.innerText();
    const headingText = await heading.innerText();
    return cents(text.slice(text.indexOf(headingText) + headingText.length), 'The "Outstanding reward liability" section');
  };

  const signIn = async (p, email, password) => {
    await p.goto(url('/login'));
    await p.getByLabel('Email', { exact: true }).fill(email);
    await p.getByLabel('Password', { exact: true }).fill(password);
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    await p.waitForLoadState();
  };

  test('an empty database offers first-run setup, which creates the practice and signs the admin in', async () => {
    await page.goto(await firstRunLink(h)); // the one-time link serve printed
    await a11y(page, 'setup');
    await page.getByLabel('Practice name', { exact: true }).fill(ADMIN.practice);
    await page.getByLabel('Your email', { exact: true }).fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Confirm password', { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create practice', exact: true }).click();
    await page.waitForURL(atPath('/app'));
    state.signedIn = true;
    assert.equal((await page.locator('h1').innerText()).trim(), 'Conversions');

    const session = (await context.cookies()).find((c) => c.name === 'al_session');
    assert.ok(session, 'the session cookie is al_session');
    assert.equal(session.httpOnly, true, 'al_session is HttpOnly');
    assert.equal(session.sameSite, 'Lax', 'al_session is SameSite=Lax');
    assert.equal(session.path, '/');

    const again = await fetch(url('/setup'), { redirect: 'manual', signal: AbortSignal.timeout(10000) });
    assert.equal(again.status, 404, '/setup answers 404 once the practice exists');

  });

  test('the admin signs out and signs in again with email and password', async () => {
    assert.ok(state.signedIn, 'needs the admin of the step before');
    state.signedIn = false;
    const old = (await context.cookies(h.baseUrl)).find((c) => c.name === 'al_session');
    await page.getByRole('button', { name: /^(sign|log) ?out$/i }).click();
    await page.waitForURL(atPath('/login'));
    const replay = await fetch(url('/app'), {
      headers: { Cookie: `al_session=${old.value}` },
      redirect: 'manual',
      signal: AbortSignal.timeout(10000),
    });
    assert.equal(replay.status, 303, 'the signed-out session no longer opens /app');
    await a11y(page, 'login');
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.waitForURL(atPath('/app'));
    state.signedIn = true;
  });

  test('a wrong password is refused with an alert, and /app without a session goes to /login', async () => {
    const stranger = await newContext(h.browser, 'desktop');
    try {
      const p = await stranger.newPage();
      await signIn(p, ADMIN.email, 'not the password at all');
      await p.getByRole('alert').filter({ hasText: 'Email or password is wrong.' }).waitFor();
      assert.ok(atPath('/login')(p.url()), `a wrong password stays on /login, not ${p.url()}`);
      assert.equal((await stranger.cookies()).filter((c) => c.name === 'al_session').length, 0);
      await screenshot(p, 'dashboard-login-wrong-password', 'desktop');
      await a11y(p, 'login, wrong password');

      await p.goto(url('/app'));
      assert.equal(new URL(p.url()).pathname, '/login');
      assert.equal(new URL(p.url()).searchParams.get('next'), '/app');
    } finally {
      await stranger.close();
    }
    const res = await fetch(url('/app'), { redirect: 'manual', signal: AbortSignal.timeout(10000) });
    assert.equal(res.status, 303, '/app without a session answers 303');
    const to = new URL(res.headers.get('location'), h.baseUrl);
    assert.equal(to.pathname, '/login');
    assert.equal(to.searchParams.get('next'), '/app');
  });

  test('an API key created in Settings is shown once and works on the REST API', async () => {
    assert.ok(state.signedIn, 'needs the admin signed in by the steps before');
    await visit(page, 'Settings');
    await page.getByRole('button', { name: 'Create API key', exact: true }).click();
    const keyInput = page.getByLabel('New API key', { exact: true });
    await keyInput.waitFor();
    assert.equal(await keyInput.isEditable(), false, '"New API key" is read-only');
    state.apiKey = (await keyInput.inputValue()).trim();
    assert.ok(state.apiKey.length >= 20, `the new key looks like a key: ${JSON.stringify(state.apiKey)}`);

    const api = apiClient(h.baseUrl, state.apiKey);
    const me = await api('GET', '/v1/me');
    assert.equal(me.name, ADMIN.practice, 'the key belongs to the practice set up');
    for (const pair of PAIRS) {
      const advocate = await api('POST', '/v1/advocates', { name: pair.advocate, email: emailOf(pair.advocate) });
      await api('POST', '/v1/referrals', { advocate_id: advocate.id, friend_name: pair.friend, friend_email: emailOf(pair.friend) });
      const result = await api('POST', '/v1/conversions', {
        invoice_id: pair.invoice,
        email: emailOf(pair.friend),
        name: pair.friend,
        amount: pair.amount,
        currency: 'USD',
      });
      assert.equal(result.outcome, 'converted', `${pair.invoice} converts: ${JSON.stringify(result)}`);
      assert.match(result.conversion.reward.code, /^AL-/);
      state.rewards.push(result.conversion.reward);
    }
    await screenshot(page, 'dashboard-settings', 'desktop');
    await a11y(page, 'settings');
  });

  test('the conversions appear on Home, newest first, with both names and the invoice', async () => {
    assert.ok(state.apiKey, 'needs the conversions of the step before');
    await visit(page, 'Home');
    const text = await page.locator('main').innerText();
    const lines = text.split('\n');
    for (const [i, pair] of PAIRS.entries()) {
      const line = lines.find((l) => l.includes(pair.invoice));
      assert.ok(line, `the feed shows ${pair.invoice}; Home reads:\n${text}`);
      const [friendFirst, friendLast] = pair.friend.split(' ');
      const [advocateFirst, advocateLast] = pair.advocate.split(' ');
      assert.match(line, new RegExp(`${friendFirst} ${friendLast[0]}`), `${pair.invoice}'s row names the friend`);
      assert.match(line, new RegExp(`${advocateFirst} ${advocateLast[0]}`), `${pair.invoice}'s row names the advocate`);
      assert.ok(line.includes(state.rewards[i].code), `${pair.invoice}'s row shows the reward code ${state.rewards[i].code}`);
    }
    assert.ok(text.indexOf(PAIRS[1].invoice) < text.indexOf(PAIRS[0].invoice), 'newest first');
    await page.getByRole('heading', { name: /Top advocates/i }).waitFor();
    await screenshot(page, 'dashboard-home', 'desktop');
    await a11y(page, 'home');
  });

  test("the Mailbox holds the emails those changes caused, and a reward's email names its code but not the friend", async () => {
    assert.ok(state.rewards.length === PAIRS.length, 'needs the conversions of the steps before');
    await visit(page, 'Mailbox');
    await a11y(page, 'mailbox');
    const mailbox = mailboxIn(page, h.baseUrl);
    for (const [i, pair] of PAIRS.entries()) {
      const advocateKinds = await mailbox.kindsTo(emailOf(pair.advocate));
      assert.deepEqual(advocateKinds, ['Reward earned', 'Advocate welcome'], `${pair.advocate}'s emails, newest first`);
      assert.deepEqual(await mailbox.kindsTo(emailOf(pair.friend)), ['Friend welcome'], `${pair.friend}'s emails`);
      const earned = await mailbox.read({ to: emailOf(pair.advocate), kind: 'Reward earned' });
      assert.ok(earned.text.includes(state.rewards[i].code), `the email holds ${state.rewards[i].code}:\n${earned.text}`);
      for (const secret of [pair.friend.split(' ')[0], emailOf(pair.friend), pair.amount]) {
        assert.ok(!earned.text.includes(secret) && !earned.html.includes(secret), `${pair.advocate}'s reward email does not hold ${secret}`);
      }
    }
    await a11y(page, 'mailbox, a message');
  });

  test("redeeming a reward code drops Reports' liability by exactly the reward's amount", async () => {
    assert.ok(state.rewards.length === PAIRS.length, 'needs the rewards of the steps before');
    const reward = state.rewards[0];
    const amount = cents(reward.amount, 'The reward');
    const before = await liability();
    assert.equal(before, state.rewards.reduce((sum, r) => sum + cents(r.amount, 'A reward'), 0), 'both rewards are outstanding');
    assert.ok(before >= amount);
    await screenshot(page, 'dashboard-reports', 'desktop');
    await a11y(page, 'reports');

    await visit(page, 'Rewards');
    await page.getByLabel('Reward code', { exact: true }).fill(reward.code);
    await page.getByRole('button', { name: 'Look up', exact: true }).click();
    const redeem = page.getByRole('button', { name: 'Redeem', exact: true });
    await redeem.waitFor();
    assert.ok((await page.locator('main').innerText()).includes(reward.code), 'the found reward shows its code');
    await screenshot(page, 'dashboard-rewards', 'desktop');
    await a11y(page, 'rewards, code found');
    await redeem.click();
    await page.getByRole('status').first().waitFor();
    await page.getByRole('button', { name: 'Undo', exact: true }).waitFor();
    await screenshot(page, 'dashboard-rewards-redeemed', 'desktop');
    await a11y(page, 'rewards, redeemed');

    const after = await liability();
    assert.equal(before - after, amount, `liability ${before / 100} → ${after / 100}, the reward was ${amount / 100}`);
    const redeemed = await apiClient(h.baseUrl, state.apiKey)('GET', `/v1/rewards?code=${encodeURIComponent(reward.code)}`);
    const found = redeemed.data.find((r) => r.code === reward.code);
    assert.equal(found && found.status, 'redeemed', 'the API agrees the reward is redeemed');
  });

  test('"Download conversions CSV" contains the invoice row', async () => {
    assert.ok(state.rewards.length === PAIRS.length, 'needs the conversions of the steps before');
    await visit(page, 'Reports');
    const link = page.getByRole('link', { name: 'Download conversions CSV', exact: true });
    const href = new URL(await link.getAttribute('href'), page.url());
    assert.equal(href.pathname, '/app/reports/conversions.csv');
    assert.equal(await page.getByRole('link', { name: 'Download rewards CSV', exact: true }).count(), 1);

    const cookie = (await context.cookies(h.baseUrl)).map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await fetch(href, { headers: { Cookie: cookie }, redirect: 'manual', signal: AbortSignal.timeout(10000) });
    const body = await res.text();
    assert.equal(res.status, 200, `the CSV answers 200 with the session cookie: ${body.slice(0, 300)}`);
    assert.match(res.headers.get('content-type') || '', /^text\/csv/);
    const row = body.split(/\r?\n/).find((l) => l.includes(PAIRS[0].invoice));
    assert.ok(row, `the CSV has a row for ${PAIRS[0].invoice}:\n${body}`);
    assert.ok(row.includes(PAIRS[0].amount), `the row has the amount ${PAIRS[0].amount}: ${row}`);
    assert.ok(row.includes(state.rewards[0].code), `the row has the reward code: ${row}`);

    const anonymous = await fetch(href, { redirect: 'manual', signal: AbortSignal.timeout(10000) });
    assert.equal(anonymous.status, 303, 'the CSV without a session is refused');
  });

  test('Home, Rewards, Reports, Mailbox and Settings at tablet width', async () => {
    assert.ok(state.rewards.length === PAIRS.length, 'needs the data of the steps before');
    const tablet = await newContext(h.browser, 'tablet');
    try {
      await tablet.addCookies(await context.cookies(h.baseUrl));
      const p = await tablet.newPage();
      await p.goto(url('/app'));
      for (const name of ['Home', 'Rewards', 'Reports', 'Mailbox', 'Settings']) {
        await visit(p, name);
        if (name === 'Rewards') {
          await p.getByLabel('Reward code', { exact: true }).fill(state.rewards[1].code);
          await p.getByRole('button', { name: 'Look up', exact: true }).click();
          await p.getByRole('button', { name: 'Redeem', exact: true }).waitFor();
        }
        await screenshot(p, `dashboard-${name.toLowerCase()}`, 'tablet');
        const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${name} scrolls sideways by ${overflow}px at tablet width`);
      }
    } finally {
      await tablet.close();
    }
  });

  test('axe-core finds no serious or critical violations on any dashboard page', () => {
    assert.ok(blocking.length === 0, blocking.join('\n'));
  });
});
