'use strict';

// Staff by email, on a phone and on a desktop: the admin invites a colleague, the invitation
// waits in the Mailbox (no mail server is set), its link sets the colleague's password and they
// sign in; "Forgot password?" on /login answers the same for any email, the reset email's link
// sets a new password and the colleague's older session is signed out; the admin changes the
// colleague's role and removes them, and each time their session ends at once. Every page is
// checked for elements wider than the screen, with axe-core, and screenshotted.

const assert = require('node:assert/strict');
const { after, before, describe, test } = require('node:test');
const { checkAccessibility, newContext, screenshot, writeFindings } = require('../support/browser');
const { startHarness, unique } = require('../support/harness');
const { openMailbox } = require('../support/mailbox');

const ADMIN_PASSWORD = 'correct horse battery staple'; // what openMailbox sets
const FIRST = 'first desk password';
const SECOND = 'second desk password';

const atPath = (p) => (u) => new URL(u).pathname === p;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Password forms (sign-in, set password, forgot password) allow 10 posts a minute from one
// address, and every browser here is 127.0.0.1: the flows post as few as they can, and the
// second device starts after a pause that lets the allowance refill.
const REFILL_MS = 15000;

// tooWide lists the elements that reach past the right edge of the viewport.
const tooWide = (page) =>
  page.evaluate(() => {
    const limit = document.documentElement.clientWidth + 1;
    return [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > limit)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}`);
  });

describe('staff by email', () => {
  let h;
  let mailbox; // the admin's Mailbox, on a desktop
  const blocking = [];

  before(async () => {
    h = await startHarness();
    mailbox = await openMailbox(h);
  }, { timeout: 300000 });
  after(async () => {
    writeFindings('staff');
    if (mailbox) await mailbox.close().catch(() => {});
    if (h) await h.stop();
  });

  const url = (p) => h.baseUrl + p;

  // judge checks what every page of these flows promises, and keeps a picture of it.
  const judge = async (page, name, device) => {
    assert.deepEqual(await tooWide(page), [], `${name} on a ${device}: elements wider than the screen`);
    await screenshot(page, name, device);
    try {
      await checkAccessibility(page, `${name} (${device})`);
    } catch (err) {
      blocking.push(err.message);
    }
  };

  const signIn = async (page, email, password) => {
    await page.goto(url('/login'));
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForLoadState();
  };

  const setPassword = async (page, link, password) => {
    await page.goto(link);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Confirm password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Set password', exact: true }).click();
    await page.waitForURL(atPath('/app'));
  };

  // setupLink is the one set-password link in an email read from the Mailbox.
  const setupLink = (m) => {
    const found = m.links.filter((l) => new URL(l).pathname.startsWith('/setup/'));
    assert.equal(found.length, 1, `"${m.subject}" has one /setup/ link; its links:\n${m.links.join('\n')}`);
    return found[0];
  };

  const signedOut = async (page) => {
    await page.goto(url('/app'));
    return atPath('/login')(page.url());
  };

  for (const device of ['phone', 'desktop']) {
    const state = {};

    test(`${device}: an invitation is emailed, its link sets the password, and the colleague signs in`, async () => {
      let a = mailbox.page; // the admin, signed in on a desktop
      if (device === 'phone') {
        state.admin = await newContext(h.browser, device);
        a = await state.admin.newPage();
        await signIn(a, 'admin@glow.example', ADMIN_PASSWORD);
        await a.waitForURL(atPath('/app'));
      } else {
        await sleep(REFILL_MS);
      }
      state.adminPage = a;
      const desk = await newContext(h.browser, device);
      state.desk = desk;
      await a.goto(url('/app/staff'));
      state.email = unique(`desk-${device}`);
      await a.getByLabel('Email', { exact: true }).fill(state.email);
      await a.getByLabel('Role', { exact: true }).selectOption('front_desk');
      await a.getByRole('button', { name: 'Invite', exact: true }).click();
      await a.getByRole('status').filter({ hasText: state.email }).first().waitFor();
      assert.match(await a.locator('main').innerText(), /waits in the Mailbox/);
      await judge(a, 'staff-invited', device);

      const invite = await mailbox.read({ to: state.email, kind: 'Staff invitation' });
      assert.match(invite.subject, /invited to the Glow Aesthetics dashboard/);
      assert.match(invite.text, /expires in 7 days/);
      const d = await desk.newPage();
      await d.goto(setupLink(invite));
      await judge(d, 'staff-set-password', device);
      await setPassword(d, setupLink(invite), FIRST);
      assert.equal((await d.locator('h1').innerText()).trim(), 'Conversions');

      const again = await newContext(h.browser, device);
      try {
        const p = await again.newPage();
        await signIn(p, state.email, FIRST);
        await p.waitForURL(atPath('/app'));
      } finally {
        await again.close();
      }
      state.page = d;
    });

    test(`${device}: "Forgot password?" emails a reset link, and the new password signs the old session out`, async () => {
      assert.ok(state.page, 'needs the colleague signed in by the step before');
      const fresh = await newContext(h.browser, device);
      state.fresh = fresh;
      {
        const p = await fresh.newPage();
        await p.goto(url('/login'));
        await p.getByRole('link', { name: 'Forgot password?', exact: true }).click();
        await p.waitForURL(atPath('/login/forgot'));
        await judge(p, 'staff-forgot', device);

        const answers = [];
        const strangers = device === 'phone' ? [unique('nobody')] : []; // once is proof enough
        for (const email of [...strangers, state.email]) {
          await p.goto(url('/login/forgot'));
          await p.getByLabel('Email', { exact: true }).fill(email);
          await p.getByRole('button', { name: 'Email me a link', exact: true }).click();
          const status = p.getByRole('status');
          await status.waitFor();
          answers.push((await status.innerText()).replace(email, 'EMAIL'));
        }
        if (answers.length === 2) assert.equal(answers[0], answers[1], 'the form answers the same for a stranger and for staff');
        await judge(p, 'staff-forgot-sent', device);

        const reset = await mailbox.read({ to: state.email, kind: 'Password reset' });
        assert.match(reset.text, /expires in 60 minutes/);
        await setPassword(p, setupLink(reset), SECOND); // and signs in anew
        assert.ok(await signedOut(state.page), 'the session from before the reset still opens /app');

        const used = await p.context().request.get(setupLink(reset));
        assert.equal(used.status(), 404, 'a used reset link works once');
        state.page = p;
      }
    });

    test(`${device}: the admin changes the colleague's role and removes them, and each ends their session`, async () => {
      assert.ok(state.page, 'needs the colleague signed in by the step before');
      const a = state.adminPage;
      await a.goto(url('/app/staff'));
      const member = a.getByRole('listitem').filter({ has: a.locator('.member-email', { hasText: state.email }) });
      await member.getByLabel(`Role of ${state.email}`).selectOption('admin');
      await member.getByRole('button', { name: 'Change role', exact: true }).click();
      await a.getByRole('status').filter({ hasText: 'Role changed' }).waitFor();
      await judge(a, 'staff-role-changed', device);
      assert.ok(await signedOut(state.page), 'a session lives on after a role change');

      await a.goto(url('/app/staff'));
      await a.getByRole('button', { name: `Remove ${state.email}`, exact: true }).click();
      await a.getByRole('status').filter({ hasText: 'Removed' }).waitFor();
      assert.ok(await signedOut(state.page), 'a removed colleague is still signed in');
      await signIn(state.page, state.email, SECOND);
      await state.page.getByRole('alert').filter({ hasText: 'Email or password is wrong.' }).waitFor();
      for (const c of [state.admin, state.desk, state.fresh]) if (c) await c.close();
    });
  }

  test('axe-core finds nothing serious or critical on these pages', () => {
    assert.deepEqual(blocking, []);
  });
});
