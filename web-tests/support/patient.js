'use strict';

// What a patient does in their own browser: follow a one-time link from an email to their page,
// and read what that page shows them. Also what every public page must not do: break its own
// Content Security Policy.

const assert = require('node:assert/strict');
const { newContext } = require('./browser');

// useLink opens a one-time link from an email in a fresh browser of the patient's own (device
// from support/browser's DEVICES), checks its one button says what it will do, and presses it.
// It returns the browser context and the page, now the advocate's own page /p/SLUG/me.
// before(page), when given, runs on the link's page before the button is pressed.
const useLink = async (browser, device, link, button, before) => {
  const context = await newContext(browser, device);
  try {
    const page = await context.newPage();
    const res = await page.goto(link);
    assert.equal(res.status(), 200, `the one-time link ${new URL(link).pathname} opens`);
    const use = page.locator('#use-link-button');
    assert.equal((await use.innerText()).trim(), button, 'the link page has one button that says what it does');
    assert.equal(await page.getByRole('button').count(), 1, 'the link page has one button');
    if (before) await before(page);
    await use.click();
    const me = `${new URL(link).pathname.replace(/\/sign-in$/, '')}/me`;
    await page.waitForURL((u) => new URL(u).pathname === me);
    return { context, page };
  } catch (err) {
    await context.close();
    throw err;
  }
};

// readAdvocatePage reads a signed-in advocate's page: greeting, link, code and rewards.
const readAdvocatePage = async (page) => {
  await page.getByRole('heading', { name: 'Your referral link', level: 2 }).waitFor();
  const lead = (await page.locator('main .lead').first().innerText()).trim();
  const link = await page.getByRole('textbox', { name: 'Your referral link' }).inputValue();
  const code = (await page.locator('section[aria-labelledby="link-heading"] .code').innerText()).trim();
  const rewards = await page.locator('#rewards li').evaluateAll((lis) => lis.map((li) => li.innerText.replace(/\s+/g, ' ').trim()));
  return { lead, link, code, rewards };
};

// watchPolicy collects the Content Security Policy violations a page reports into violations,
// from its first document on; the pages' own script and styles must never be among them.
const watchPolicy = (page, violations = []) => {
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push(`${page.url()}: ${msg.text()}`);
  });
  return violations;
};

// visibleText is what a person sees of the whole page, whitespace made uniform.
const visibleText = async (page) => (await page.locator('body').innerText()).replace(/\s+/g, ' ').trim();

// shownAmount is how pages write an amount the API gives as "50.00" and "USD": "$50",
// "$1,250.50", "¥5,000", the CLDR's way, which the browser's Intl follows too.
const shownAmount = (amount, currency) => {
  const n = Number(amount);
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, ...(Number.isInteger(n) ? { minimumFractionDigits: 0 } : {}) }).format(n);
};

module.exports = { readAdvocatePage, shownAmount, useLink, visibleText, watchPolicy };
