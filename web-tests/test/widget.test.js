'use strict';

// The embeddable widget on a practice's own (hostile) site: a patient joins and is told to check
// their inbox (no link in the widget: no one can sign someone else up); the confirmation, read in
// the dashboard's Mailbox, opens their own page in their own browser. The site's CSS and the
// widget's cannot touch each other, and a site the practice has not allowed gets nowhere.

const assert = require('node:assert/strict');
const zlib = require('node:zlib');
const { after, before, describe, test } = require('node:test');
const { AXE_DEVICE, checkAccessibility, newContext, screenshot, writeFindings } = require('../support/browser');
const { startHarness, unique } = require('../support/harness');
const { linkIn, openMailbox } = require('../support/mailbox');
const { readAdvocatePage, useLink } = require('../support/patient');

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
  let mailbox;
  before(async () => {
    h = await startHarness();
    mailbox = await openMailbox(h);
  }, { timeout: 300000 });
  after(async () => {
    writeFindings('widget');
    if (mailbox) await mailbox.close().catch(() => {});
    if (h) await h.stop();
  });

  const mePage = () => `${h.baseUrl}/p/${h.practice.slug}/me`;

  const journeys = {
    phone: { name: 'Jane Avery', first: 'Jane' },
    desktop: { name: 'Priya Shah', first: 'Priya' },
  };
  for (const [device, who] of Object.entries(journeys)) {
    test(`${device}: a patient joins in the widget, is told to check their inbox, and confirms from the email`, async () => {
      const email = unique('advocate');
      const context = await newContext(h.browser, device);
      let patient;
      try {
        const page = await context.newPage();
        await page.goto(h.site.url);
        const cta = page.getByRole('button', { name: 'Refer a friend' });
        await cta.waitFor();
        // Before anyone joins, the widget says what the advocate earns and what the friend gets,
        // in the practice's colours (set by the server, not the widget's own defaults).
        const pitch = page.locator(WIDGET).locator('#pitch');
        await pitch.waitFor();
        assert.equal(
          await pitch.innerText(),
          `Refer a friend to ${h.practiceInfo.name}: they get ${h.practiceInfo.friendOffer}, and you earn $50 in service credit after their first paid visit.`,
        );
        const brand = await page.locator(WIDGET).locator('#w').evaluate((el) => el.style.getPropertyValue('--brand'));
        assert.equal(brand, h.practiceInfo.brandColor, "the widget's buttons take the practice's colour");
        await screenshot(page, 'widget-closed', device);

        await cta.click();
        await page.getByText(/only your name and email/i).waitFor();
        const mine = page.locator(WIDGET).locator('#mine');
        assert.match(await mine.innerText(), /^Already joined\? /);
        assert.equal(await mine.getAttribute('href'), mePage(), '"Already joined?" leads to the advocate\'s page');
        await screenshot(page, 'widget-open', device);
        if (device === AXE_DEVICE) await checkAccessibility(page, 'widget open', { include: [[WIDGET]] });

        await join(page, who.name, email);
        const heading = page.locator(WIDGET).locator('#heading');
        await page.getByRole('heading', { name: 'Check your inbox', level: 2 }).waitFor();
        assert.equal(await heading.evaluate((el) => el.getRootNode().activeElement === el), true, '"Check your inbox" has focus');
        const status = page.locator(WIDGET).locator('#status');
        assert.equal(await status.getAttribute('role'), 'status');
        assert.match(await status.innerText(), /email/i, 'the status says an email is on its way');
        const pageLink = page.getByRole('link', { name: 'Your page: see your link and rewards any time' });
        assert.equal(await pageLink.getAttribute('href'), mePage());
        assert.equal(await page.getByRole('textbox', { name: 'Your referral link' }).count(), 0, 'no referral link after joining');
        assert.equal(await page.getByRole('button', { name: 'Copy link' }).count(), 0, 'no "Copy link" after joining');
        const widgetText = await page.locator(WIDGET).evaluate((el) => el.shadowRoot.textContent);
        assert.ok(!widgetText.includes('/r/'), 'the widget shows no referral link');
        await screenshot(page, 'widget-result', device);
        if (device === AXE_DEVICE) await checkAccessibility(page, 'widget after joining', { include: [[WIDGET]] });

        const message = await mailbox.read({ to: email, kind: 'Join confirmation' });
        assert.match(message.text, new RegExp(`Hi ${who.first}`), 'the confirmation greets the patient by first name');
        patient = await useLink(h.browser, device, linkIn(message, `/p/${h.practice.slug}/sign-in`), 'Confirm and get my link');
        const me = await readAdvocatePage(patient.page);
        assert.match(me.lead, new RegExp(`^Hi ${who.first}\\.`));
        assert.match(me.link, new RegExp(`^${h.baseUrl}/r/[A-Za-z0-9]{8}$`), "the referral link is on the server's public URL");

        const advocates = await h.api('GET', `/v1/advocates?email=${encodeURIComponent(email)}`);
        assert.equal(advocates.data.length, 1, 'confirming the widget\'s email created the advocate');
        assert.equal(advocates.data[0].name, who.name);
        assert.equal(advocates.data[0].referral_code, me.code);
        assert.equal(advocates.data[0].referral_url, me.link);
      } finally {
        if (patient) await patient.context.close();
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
      assert.equal(await page.getByRole('heading', { name: 'Check your inbox' }).isVisible(), false);
    } finally {
      await context.close();
    }
  });

  test('on a site the practice has not allowed, the console tells the site owner which origin to add, joining fails with an alert and sends no email, and staff see the site in Settings', async () => {
    const email = unique('stranger');
    const context = await newContext(h.browser, 'desktop');
    try {
      const page = await context.newPage();
      const warnings = [];
      page.on('console', (m) => {
        if (m.type() === 'warning') warnings.push(m.text());
      });
      await openWidget(page, h.strangerSite.url);
      const origin = h.strangerSite.origin;
      for (let i = 0; i < 50 && !warnings.some((w) => w.includes('AdvocateLoop')); i += 1) await page.waitForTimeout(100);
      assert.ok(
        warnings.some((w) => w.includes(`Add ${origin} to the allowed widget origins`) && w.includes('Settings')),
        `the console names the origin to add; it said:\n${warnings.join('\n')}`,
      );
      await join(page, 'Sam Stranger', email);
      await page.getByRole('alert').filter({ hasText: /\S/ }).first().waitFor();
      assert.equal(await page.getByRole('heading', { name: 'Check your inbox' }).isVisible(), false);
      await screenshot(page, 'widget-refused-origin', 'desktop');
    } finally {
      await context.close();
    }
    // A join's email is written with its answer, so one caused from the refused site would be listed now.
    assert.deepEqual(await mailbox.kindsTo(email), [], 'no email was sent from a refused origin');
    await mailbox.page.goto(`${h.baseUrl}/app/settings`);
    const refusal = await mailbox.page.locator('#widget-refusal').innerText();
    assert.match(refusal, new RegExp(`^Last refused: a page on ${h.strangerSite.origin.replace(/\./g, '\\.')} asked for the widget`), refusal);
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
