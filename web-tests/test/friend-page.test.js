'use strict';

// The friend landing page /r/{code} when a claim cannot count: each outcome gets its own friendly
// message in an alert, on a 200 page that keeps the form; an unknown code gets a 404 page.

const assert = require('node:assert/strict');
const { after, before, describe, test } = require('node:test');
const { checkAccessibility, newContext, screenshot, writeFindings } = require('../support/browser');
const { startHarness, unique } = require('../support/harness');

describe('the friend page', () => {
  let h;
  before(async () => {
    h = await startHarness();
  }, { timeout: 300000 });
  after(async () => {
    writeFindings('friend-page');
    if (h) await h.stop();
  });

  const newAdvocate = (name) => h.api('POST', '/v1/advocates', { name, email: unique('advocate') });

  // claim opens the advocate's link in a fresh phone-sized browser and claims with name and
  // email; it returns the page and the status of the answer to the form.
  const claim = async (context, advocate, name, email) => {
    const page = await context.newPage();
    await page.goto(advocate.referral_url);
    await page.getByLabel('Your name', { exact: true }).fill(name);
    await page.getByLabel('Your email', { exact: true }).fill(email);
    const answer = page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === advocate.referral_url);
    await page.getByRole('button', { name: 'Claim my offer' }).click();
    const res = await answer;
    await page.waitForLoadState();
    return { page, status: res.status() };
  };

  // assertRefused checks the outcome: an alert with the message, the form still there, no
  // confirmation.
  const assertRefused = async (page, status, message, email) => {
    assert.equal(status, 200, 'the outcome is a 200 page');
    const alert = page.getByRole('alert').filter({ hasText: message });
    await alert.waitFor();
    assert.equal(await page.getByRole('button', { name: 'Claim my offer' }).count(), 1, 'the form is kept');
    assert.equal(await page.getByLabel('Your email', { exact: true }).inputValue(), email, 'the form keeps the email');
    assert.equal(await page.getByRole('heading', { name: /You['’]re in!/ }).count(), 0);
  };

  test("an advocate opening their own link is told they can't refer themselves", async () => {
    const advocate = await newAdvocate('Sara Self');
    const context = await newContext(h.browser, 'phone');
    try {
      const { page, status } = await claim(context, advocate, 'Sara Self', advocate.email);
      await assertRefused(page, status, /You can['’]t refer yourself/, advocate.email);
      await screenshot(page, 'friend-self-referral', 'phone');
      await checkAccessibility(page, 'friend page, self-referral');
    } finally {
      await context.close();
    }
    const referrals = await h.api('GET', `/v1/referrals?advocate_id=${advocate.id}`);
    assert.equal(referrals.data.length, 0);
  });

  test('a friend already invited by another advocate is told so, and the first referral stands', async () => {
    const first = await newAdvocate('Ava First');
    const second = await newAdvocate('Ben Second');
    const friendEmail = unique('friend');
    const context = await newContext(h.browser, 'phone');
    try {
      const firstClaim = await claim(context, first, 'Fay Friend', friendEmail);
      await firstClaim.page.getByRole('heading', { name: /You['’]re in!/ }).waitFor();
      const { page, status } = await claim(context, second, 'Fay Friend', friendEmail);
      await assertRefused(page, status, /was already invited by someone else/, friendEmail);
      assert.ok(!(await page.content()).includes(first.name), 'the other advocate is not named');
      await screenshot(page, 'friend-already-referred', 'phone');
    } finally {
      await context.close();
    }
    const referrals = await h.api('GET', `/v1/referrals?friend_email=${encodeURIComponent(friendEmail)}`);
    assert.equal(referrals.data.length, 1);
    assert.equal(referrals.data[0].advocate_id, first.id);
  });

  test('an existing patient (an advocate themselves) is told they are already a patient', async () => {
    const advocate = await newAdvocate('Cleo Advocate');
    const patient = await newAdvocate('Dev Patient');
    const context = await newContext(h.browser, 'phone');
    try {
      const { page, status } = await claim(context, advocate, 'Dev Patient', patient.email);
      await assertRefused(page, status, /already a patient/, patient.email);
    } finally {
      await context.close();
    }
  });

  test('a name with markup is shown as text, never run', async () => {
    const advocate = await newAdvocate('<script>window.__pwned=1</script> Mallory');
    const context = await newContext(h.browser, 'phone');
    try {
      const page = await context.newPage();
      await page.goto(advocate.referral_url);
      assert.equal(await page.evaluate(() => window.__pwned), undefined, 'the name did not run as markup');
      assert.equal(await page.locator('h1 script').count(), 0);
      assert.match(await page.locator('h1').innerText(), /^<script>window\.__pwned=1<\/script> invited you to /);
    } finally {
      await context.close();
    }
  });

  test("a disabled advocate's link answers the 404 page", async () => {
    const advocate = await newAdvocate('Dina Disabled');
    await h.api('PATCH', `/v1/advocates/${advocate.id}`, { status: 'disabled' });
    const res = await fetch(advocate.referral_url, { signal: AbortSignal.timeout(10000) });
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
      assert.equal(await page.getByRole('button', { name: 'Claim my offer' }).count(), 0);
      await screenshot(page, 'friend-not-found', 'phone');
      await checkAccessibility(page, 'friend page, unknown code');
    } finally {
      await context.close();
    }
  });
});
