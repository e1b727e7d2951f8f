'use strict';

// The practice's admin in the dashboard, over plain HTTP: some settings (the reward policy's
// minimum, the friend offer) have no API, and a Zap's outcomes depend on them. The admin sets
// a password through the link `practice create` printed, then saves the reward policy form
// with the fields a test changes and every other field as the page shows it.

// cookiesOf keeps the name=value pairs a response sets.
const cookiesOf = (response, jar) => {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
};

const unescapeHtml = (s) =>
  s.replace(/&#34;|&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

// formFields reads a form's inputs and selected options by name.
const formFields = (html) => {
  const fields = {};
  for (const [input] of html.matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(input);
    const value = /\bvalue="([^"]*)"/.exec(input);
    if (name) fields[name[1]] = value ? unescapeHtml(value[1]) : '';
  }
  for (const [, name, options] of html.matchAll(/<select\b[^>]*\bname="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)" selected/.exec(options);
    if (selected) fields[name] = unescapeHtml(selected[1]);
  }
  return fields;
};

// formAt cuts the form that posts to action out of a page.
const formAt = (html, action) => {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action} on the page:\n${html.slice(0, 2000)}`);
  return html.slice(start, html.indexOf('</form>', start));
};

const signInAdmin = async (baseUrl, setupUrl) => {
  const jar = new Map();
  const send = async (method, path, form) => {
    const response = await fetch(baseUrl + path, {
      method,
      redirect: 'manual',
      headers: {
        Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
      signal: AbortSignal.timeout(15000),
    });
    cookiesOf(response, jar);
    return { status: response.status, html: await response.text() };
  };

  const setupPath = new URL(setupUrl).pathname;
  const page = await send('GET', setupPath);
  const password = 'a long test password';
  const done = await send('POST', setupPath, { csrf: formFields(page.html).csrf, password, confirm: password });
  if (done.status !== 303) throw new Error(`setting the admin's password answered ${done.status}:\n${done.html}`);
  return send;
};

// setRewardPolicy changes the named fields of the practice's reward policy form (such as
// minimum, offer, welcome_code) and keeps the others.
// The set-up link works once: each practice's admin signs in once and keeps the session.
const sessions = new Map();

const setRewardPolicy = async ({ baseUrl, setupUrl }, changes) => {
  if (!sessions.has(setupUrl)) sessions.set(setupUrl, await signInAdmin(baseUrl, setupUrl));
  const send = sessions.get(setupUrl);
  const settings = await send('GET', '/app/settings');
  const form = { ...formFields(formAt(settings.html, '/app/settings/reward')), ...changes };
  const saved = await send('POST', '/app/settings/reward', form);
  if (saved.status !== 303) throw new Error(`saving the reward policy ${JSON.stringify(changes)} answered ${saved.status}:\n${saved.html}`);
};

module.exports = { setRewardPolicy };
