'use strict';

// The embeddable widget on a practice's own (hostile) site: a patient joins, a friend opens the
// link in a fresh browser and claims the offer, and the referral is in the API.

const assert = require('node:assert/strict');
const zlib = require('node:zlib');
const { after, before, describe, test } = require('node:test');
const { AXE_DEVICE, checkAccessibility, newContext, recordTransfer, screenshot, writeFindings } = require('../support/browser');
const { startHarness, unique } = require('../support/harness');

const WIDGET = '[data-advocateloop-widget]';
const RED = 'rgb(255, 0, 0)';

// openWidget loads the practice's site and opens the widget's join form.
const openWidget = async (page, url) => {
  await page.goto(url);
  await page.getByRole('button', { name: 'Refer a friend' }).click();
  await page.getByLabel('Your name', { exact: true }).waitFor();
};

const join = async (page, name, email) => {
  await page.getByLabel('Your name', { exact: true }).fill(name);
  await page.getByLabel('Your email', { exact: true }).fill(email);
  await page.getByRole('button', { name: 'Get my link' }).click();
};

describe("the widget on a practice's own site", () => {
  let h;
  before(async () => {
    h = await startHarness();
  }, { timeout: 300000 });
  after(async () => {
    writeFindings('widget');
    if (h) await h.stop();
  });

  const journeys = {
    phone: { advocate: 'Jane Avery', first: 'Jane', friend: 'Fran Fields' },
    desktop: { advocate: 'Priya Shah', first: 'Priya', friend: 'Omar Haddad' },
  };
  for (const [device, who] of Object.entries(journeys)) {
    test(`${device}: a patient joins in the widget, a friend claims through the link, the API has the referral`, async (t) => {
      const advocateEmail = unique('advocate');
      const friendEmail = unique('friend');
      const context = await newContext(h.browser, device);
      try {
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.site.origin });
        const page = await context.newPage();
        await page.goto(h.site.url);
        const cta = page.getByRole('button', { name: 'Refer a friend' });
        await cta.waitFor();
        await screenshot(page, 'widget-closed', device);

        await cta.click();
        await page.getByText(/only your name and email/i).waitFor();
        await screenshot(page, 'widget-open', device);
        if (device === AXE_DEVICE) await checkAccessibility(page, 'widget open', { include: [[WIDGET]] });

        await join(page, who.advocate, advocateEmail);
        await page.getByRole('heading', { name: 'Your referral link' }).waitFor();
        const linkBox = page.getByRole('textbox', { name: 'Your referral link' });
        const link = await linkBox.inputValue();
        assert.match(link, new RegExp(`^${h.baseUrl}/r/[A-Za-z0-9]{8}$`), 'the referral link is on the server\'s public URL');
        assert.equal(await linkBox.evaluate((el) => el.readOnly), true, 'the link box is read-only');
        const code = link.split('/').pop();
        const widgetText = await page.locator(WIDGET).evaluate((el) => el.shadowRoot.textContent);
        assert.ok(widgetText.includes(code), `the code ${code} is shown as text in the widget`);

        await page.getByRole('button', { name: 'Copy link' }).click();
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link, '"Copy link" copies the link');
        await assertShareOffered(page, link);
        await screenshot(page, 'widget-result', device);
        if (device === AXE_DEVICE) await checkAccessibility(page, 'widget result', { include: [[WIDGET]] });

        // The friend: a browser that has never seen the practice's site.
        const friendContext = await newContext(h.browser, device);
        try {
          const friendPage = await friendContext.newPage();
          const transfer = recordTransfer(friendPage);
          const landing = await friendPage.goto(link, { waitUntil: 'networkidle' });
          assert.equal(landing.status(), 200);
          const load = transfer.take();
          t.diagnostic(`${device} GET /r/{code}: ${load.requests} request(s), ${load.bytes} bytes transferred`);
          const h1 = friendPage.locator('h1');
          assert.equal(await h1.count(), 1, 'the friend page has one h1');
          assert.equal(normalise(await h1.innerText()), `${who.first} invited you to ${h.practiceInfo.name}`);
          await friendPage.getByText(h.practiceInfo.friendOffer).first().waitFor();
          assert.ok(!(await friendPage.content()).includes(advocateEmail), "the advocate's email is never shown");
          await screenshot(friendPage, 'friend', device);
          if (device === AXE_DEVICE) await checkAccessibility(friendPage, 'friend page');

          await friendPage.getByLabel('Your name', { exact: true }).fill(who.friend);
          await friendPage.getByLabel('Your email', { exact: true }).fill(friendEmail);
          await friendPage.getByRole('button', { name: 'Claim my offer' }).click();
          const status = friendPage.getByRole('status');
          await status.getByRole('heading', { name: /You['’]re in!/ }).waitFor();
          await friendPage.getByText(h.practiceInfo.welcomeCode).first().waitFor();
          const book = friendPage.getByRole('link', { name: 'Book now' });
          assert.equal(await book.getAttribute('href'), h.practiceInfo.bookingUrl);
          assert.ok(!(await friendPage.content()).includes(advocateEmail), "the advocate's email is never shown");
          await screenshot(friendPage, 'friend-confirmation', device);
          if (device === AXE_DEVICE) await checkAccessibility(friendPage, 'friend confirmation');
        } finally {
          await friendContext.close();
        }

        const advocates = await h.api('GET', `/v1/advocates?email=${encodeURIComponent(advocateEmail)}`);
        assert.equal(advocates.data.length, 1, 'the widget created the advocate');
        const advocate = advocates.data[0];
        assert.equal(advocate.name, who.advocate);
        assert.equal(advocate.referral_code, code);
        const referrals = await h.api('GET', `/v1/referrals?friend_email=${encodeURIComponent(friendEmail)}`);
        assert.equal(referrals.data.length, 1, 'the claim created one referral');
        const referral = referrals.data[0];
        assert.equal(referral.source, 'link');
        assert.equal(referral.advocate_id, advocate.id);
        assert.equal(referral.referral_code, code);
        assert.equal(referral.friend_name, who.friend);
        assert.equal(referral.status, 'pending');
      } finally {
        await context.close();
      }
    });
  }

  test("the site's hostile CSS cannot reach into the widget, and the widget leaves the site alone", async () => {
    const context = await newContext(h.browser, 'desktop');
    try {
      const page = await context.newPage();
      await openWidget(page, h.site.url);

      const placed = await page.evaluate(() => {
        const script = document.querySelector('script[src$="/widget.js"]');
        const host = script.nextElementSibling;
        return {
          afterScript: !!host && host.matches('[data-advocateloop-widget]'),
          openShadow: !!host && host.shadowRoot !== null,
          sheets: document.querySelectorAll('style, link[rel="stylesheet"]').length,
        };
      });
      assert.ok(placed.afterScript, 'the widget host element comes right after its <script> tag');
      assert.ok(placed.openShadow, 'the widget renders in an open shadow root');
      assert.equal(placed.sheets, 1, 'the widget adds no stylesheet to the host page');

      const parts = {
        'the "Refer a friend" button': page.getByRole('button', { name: 'Refer a friend', exact: true }),
        'the "Your name" label': page.locator(WIDGET).locator('label').filter({ hasText: 'Your name' }),
        'the "Your name" box': page.getByRole('textbox', { name: 'Your name', exact: true }),
        'the consent line': page.getByText(/only your name and email/i),
        'the "Get my link" button': page.getByRole('button', { name: 'Get my link', exact: true }),
      };
      const leaks = [];
      for (const [part, el] of Object.entries(parts)) {
        assert.ok(await el.isVisible(), `${part} is visible despite the site's CSS`);
        const style = await el.evaluate((e) => {
          const s = getComputedStyle(e);
          return {
            color: s.color,
            'font-size': s.fontSize,
            'font-family': s.fontFamily,
            'text-transform': s.textTransform,
            'letter-spacing': s.letterSpacing,
            'text-align': s.textAlign,
          };
        });
        const leaked = Object.entries({
          color: style.color === RED,
          'font-size': style['font-size'] === '40px',
          'font-family': /comic sans/i.test(style['font-family']),
          'text-transform': style['text-transform'] === 'uppercase',
          'letter-spacing': style['letter-spacing'] === '4px',
          'text-align': style['text-align'] === 'right',
        }).filter(([, yes]) => yes).map(([prop]) => `${prop}: ${style[prop]}`);
        if (leaked.length > 0) leaks.push(`${part} takes the site's ${leaked.join(', ')}`);
      }
      assert.deepEqual(leaks, [], "the site's CSS reaches into the widget");

      const site = await page.locator('#host-text').evaluate((e) => {
        const s = getComputedStyle(e);
        return { color: s.color, fontSize: s.fontSize };
      });
      assert.deepEqual(site, { color: RED, fontSize: '40px' }, "the site's own text keeps the site's styles");
    } finally {
      await context.close();
    }
  });

  test('a mistyped email is named in the alert, marked invalid and focused', async () => {
    const context = await newContext(h.browser, 'phone');
    try {
      const page = await context.newPage();
      await openWidget(page, h.site.url);
      await join(page, 'Tom Typo', 'tom.typo.example.com');
      await page.getByRole('alert').filter({ hasText: /email/i }).waitFor();
      const email = page.getByRole('textbox', { name: 'Your email', exact: true });
      assert.equal(await email.getAttribute('aria-invalid'), 'true');
      assert.ok(await email.evaluate((el) => el.getRootNode().activeElement === el), 'the mistyped field has focus');
      assert.equal(await page.getByRole('heading', { name: 'Your referral link' }).count(), 0);
    } finally {
      await context.close();
    }
  });

  test('on a site the practice has not allowed, joining fails with an alert and creates no advocate', async () => {
    const email = unique('stranger');
    const context = await newContext(h.browser, 'desktop');
    try {
      const page = await context.newPage();
      await openWidget(page, h.strangerSite.url);
      await join(page, 'Sam Stranger', email);
      await page.getByRole('alert').filter({ hasText: /\S/ }).first().waitFor();
      assert.equal(await page.getByRole('heading', { name: 'Your referral link' }).count(), 0);
      await screenshot(page, 'widget-refused-origin', 'desktop');
    } finally {
      await context.close();
    }
    const advocates = await h.api('GET', `/v1/advocates?email=${encodeURIComponent(email)}`);
    assert.equal(advocates.data.length, 0, 'no advocate was created from a refused origin');
  });

  test('widget.js is at most 8 KiB gzipped and cacheable', async (t) => {
    const res = await fetch(`${h.baseUrl}/widget.js`, { signal: AbortSignal.timeout(10000) });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') || '', /javascript/);
    assert.match(res.headers.get('cache-control') || '', /public/);
    const body = Buffer.from(await res.arrayBuffer());
    const gzipped = zlib.gzipSync(body, { level: 9 }).length;
    t.diagnostic(`widget.js: ${body.length} bytes, ${gzipped} bytes gzipped`);
    assert.ok(gzipped <= 8192, `widget.js is ${gzipped} bytes gzipped, over the 8192-byte budget`);
  });
});

// assertShareOffered checks the share options: a "Share" button where the Web Share API exists,
// otherwise Text, Email and WhatsApp links that carry the referral link.
const assertShareOffered = async (page, link) => {
  const hasWebShare = await page.evaluate(() => typeof navigator.share === 'function');
  if (hasWebShare) {
    assert.ok(await page.getByRole('button', { name: 'Share' }).isVisible(), 'a "Share" button is offered');
    return;
  }
  const schemes = { Text: /^sms:/, Email: /^mailto:/, WhatsApp: /^https:\/\/(wa\.me|api\.whatsapp\.com)\// };
  for (const [name, scheme] of Object.entries(schemes)) {
    const href = await page.getByRole('link', { name, exact: true }).getAttribute('href');
    assert.match(href, scheme, `the "${name}" link's address`);
    assert.ok(href.includes(encodeURIComponent(link)) || href.includes(link), `the "${name}" link carries the referral link`);
  }
};

const normalise = (s) => s.replace(/\s+/g, ' ').trim();
