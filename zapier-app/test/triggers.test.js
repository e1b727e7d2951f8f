'use strict';

const http = require('http');
const { App, appTester, newPractice, unique, newYorkTime } = require('./support/context');
const { appErrorOf, rejection } = require('./support/errors');
const { setRewardPolicy } = require('./support/dashboard');

let auth;
let admin;

const run = (key, inputData) => appTester(App.creates[key].operation.perform, { authData: auth, inputData });
const trigger = (key) => App.triggers[key].operation;

// deepKeys lists every key path of a JSON value ("data.reward.code"), the shape Zapier maps.
const deepKeys = (value, prefix = '') => {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value)
    .flatMap(([k, v]) => [prefix + k, ...deepKeys(v, `${prefix}${k}.`)])
    .sort();
};

const valueAt = (item, key) => key.split('__').reduce((obj, part) => (obj == null ? undefined : obj[part]), item);

// A local stand-in for hooks.zapier.com: it keeps every delivery it receives.
const startReceiver = async () => {
  const deliveries = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      let json;
      try {
        json = JSON.parse(body);
      } catch (e) {
        json = { unparsable: body };
      }
      deliveries.push({ headers: req.headers, body: json });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"status":"success"}');
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${receiver.address().port}/hooks/catch/123/abc/`,
    deliveries,
    close: () => new Promise((resolve) => receiver.close(resolve)),
  };
};

// waitFor polls until find returns something, for at most timeoutMs.
const waitFor = async (find, timeoutMs, what) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}, in vain`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

beforeAll(async () => {
  ({ auth, admin } = await newPractice('Triggers Spa'));
});

describe('performList', () => {
  beforeAll(async () => {
    // One of every event: an advocate, a referral, a conversion, its reward redeemed, then a
    // refund that reverses the conversion.
    const advocate = await run('create_advocate', { name: 'Hana Lee', email: `${unique('hana')}@example.com` });
    const friendEmail = `${unique('ivy')}@example.com`;
    await run('create_referral', { advocate_id: advocate.id, friend_name: 'Ivy Park', friend_email: friendEmail });
    const invoice = unique('INV');
    const converted = await run('record_conversion', { invoice_id: invoice, email: friendEmail, amount: '400.00' });
    await run('redeem_reward', { code: converted.reward_code });
    await run('reverse_conversion', { invoice_id: invoice });

    // A reward held for a day, paid a day less two seconds ago: the server's worker issues it
    // (reward.issued) two seconds into the run. The friend gives the code at the payment, so
    // the claim is not after it. The hold is lifted again for the other tests.
    await setRewardPolicy(admin, { hold_days: '1' });
    const held = await run('record_conversion', {
      invoice_id: unique('INV'),
      email: `${unique('kai')}@example.com`,
      name: 'Kai Moss',
      amount: '300.00',
      referral_code: advocate.referral_code,
      paid_at: newYorkTime(Date.now() - 24 * 3600 * 1000 + 2000),
    });
    expect(held).toMatchObject({ outcome: 'converted', reward_status: 'pending', reward_code: null });
    await setRewardPolicy(admin, { hold_days: '0' });
    const deadline = Date.now() + 15000;
    while ((await appTester(trigger('reward_issued').performList, { authData: auth })).length === 0) {
      if (Date.now() > deadline) throw new Error('the held reward was not issued within 15 s');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  const hooks = Object.keys(App.triggers).filter((key) => trigger(key).type === 'hook');

  it.each(hooks)('%s lists recent events in the shape of its sample and output fields', async (key) => {
    const op = trigger(key);
    const items = await appTester(op.performList, { authData: auth });
    expect(items.length).toBeGreaterThan(0);
    const item = items[0];
    expect(item.type).toBe(op.sample.type);
    expect(item.id).toMatch(/^evt_/);
    expect(Object.keys(item).sort()).toEqual(Object.keys(op.sample).sort());
    expect(Object.keys(item.data).sort()).toEqual(Object.keys(op.sample.data).sort());

    const problems = [];
    for (const f of op.outputFields) {
      const value = valueAt(item, f.key);
      if (value === undefined && !(f.key.includes('friend_offer__') && item.data.friend_offer === null)) {
        problems.push(`${f.key} is missing`);
      }
      if (f.required && (value === null || value === undefined)) problems.push(`${f.key} is required but empty`);
    }
    expect(problems).toEqual([]);

    // perform hands a delivered event to the Zap unchanged.
    expect(await appTester(op.perform, { authData: auth, cleanedRequest: item })).toEqual([item]);
  });
});

describe('the full Zap: AR payment → Record Conversion → New Conversion hook', () => {
  let receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
  });

  afterAll(async () => {
    if (receiver) await receiver.close();
  });

  it('delivers conversion.recorded to the subscribed URL in the shape performList returns', async () => {
    const op = trigger('new_conversion');

    // Turning the Zap on subscribes Zapier's URL.
    const subscribeData = await appTester(op.performSubscribe, { authData: auth, targetUrl: receiver.url, inputData: {} });
    expect(subscribeData.id).toMatch(/^hk_/);
    expect(subscribeData).toMatchObject({ event: 'conversion.recorded', target_url: receiver.url });

    // A referred friend pays; the practice's AR Zap records it.
    const advocate = await run('create_advocate', { name: 'Jo Kent', email: `${unique('jo')}@example.com` });
    const friendEmail = `${unique('kim')}@example.com`;
    await run('create_referral', { referral_code: advocate.referral_code, friend_name: 'Kim Vale', friend_email: friendEmail });
    const recorded = await run('record_conversion', {
      invoice_id: unique('INV'),
      payment_id: 'PAY-1',
      email: friendEmail,
      first_name: 'Kim',
      last_name: 'Vale',
      amount: '275.00',
      status: 'Paid',
    });
    expect(recorded.outcome).toBe('converted');

    const delivery = await waitFor(
      () => receiver.deliveries.find((d) => d.body.type === 'conversion.recorded' && d.body.data.id === recorded.conversion_id),
      10000,
      'conversion.recorded at the receiver',
    );
    expect(delivery.headers['content-type']).toMatch(/^application\/json/);

    // Zapier runs the trigger on what arrived...
    const delivered = await appTester(op.perform, { authData: auth, cleanedRequest: delivery.body });
    expect(delivered).toEqual([delivery.body]);
    expect(delivered[0].data.reward.code).toBe(recorded.reward_code);
    // Enough to thank the advocate from the practice's own email or SMS tool.
    expect(delivered[0].data).toMatchObject({
      advocate_email: advocate.email,
      advocate_first_name: 'Jo',
      advocate_referral_code: advocate.referral_code,
    });

    // ...and the editor's sample comes from performList: the same event, the same shape.
    const listed = await appTester(op.performList, { authData: auth });
    expect(listed[0].id).toBe(delivered[0].id);
    expect(deepKeys(listed[0])).toEqual(deepKeys(delivered[0]));

    // Turning the Zap off unsubscribes.
    const unsubscribed = await appTester(op.performUnsubscribe, { authData: auth, subscribeData });
    expect(unsubscribed).toEqual({ id: subscribeData.id, deleted: true, status: 204 });

    // Unsubscribing a hook that is already gone is not an error.
    const again = await appTester(op.performUnsubscribe, { authData: auth, subscribeData });
    expect(again).toMatchObject({ deleted: false, status: 404 });
  });

  it('subscribes Reward Issued to reward.issued and unsubscribes it', async () => {
    const op = trigger('reward_issued');
    const subscribeData = await appTester(op.performSubscribe, { authData: auth, targetUrl: receiver.url, inputData: {} });
    expect(subscribeData).toMatchObject({ event: 'reward.issued', target_url: receiver.url });
    expect(subscribeData.id).toMatch(/^hk_/);
    const unsubscribed = await appTester(op.performUnsubscribe, { authData: auth, subscribeData });
    expect(unsubscribed).toEqual({ id: subscribeData.id, deleted: true, status: 204 });
  });

  it('turns a target URL the server refuses into an error naming the field', async () => {
    const error = await rejection(
      appTester(trigger('new_advocate').performSubscribe, { authData: auth, targetUrl: 'not a url', inputData: {} }),
    );
    const { message, code, status } = appErrorOf(error);
    expect([code, status]).toEqual(['validation-failed', 422]);
    expect(message).toMatch(/target_url/);
  });
});
