'use strict';

// Every key a Zap builder can map has a label: each create, search and trigger declares a
// labelled outputField for every key of its sample and of the answers the real server gives,
// in every outcome this file can bring about. And it declares nothing the server never sends.

const { App, appTester, newPractice, unique } = require('./support/context');
const { setRewardPolicy } = require('./support/dashboard');
const { startCursorStore, loadDropdown } = require('./support/paging');
const { zapierKeys, unlabelled } = require('./support/outputs');

const operations = [
  ...Object.entries(App.triggers).map(([key, def]) => ['trigger', key, def.operation]),
  ...Object.entries(App.creates).map(([key, def]) => ['create', key, def.operation]),
  ...Object.entries(App.searches).map(([key, def]) => ['search', key, def.operation]),
];

let auth;
const answers = {}; // operation key → real answers
const keep = (key, ...items) => {
  answers[key] = [...(answers[key] || []), ...items];
  return items[0];
};
const run = async (key, inputData) => keep(key, await appTester(App.creates[key].operation.perform, { authData: auth, inputData }));
const search = async (key, inputData) => keep(key, ...(await appTester(App.searches[key].operation.perform, { authData: auth, inputData })));

beforeAll(async () => {
  const practice = await newPractice('Outputs Spa');
  auth = practice.auth;
  // A minimum to fall below, and a friend offer, which referrals carry when there is one.
  await setRewardPolicy(practice.admin, { minimum: '100.00', offer: '$25 off your first treatment', welcome_code: 'WELCOME25' });

  const jane = await run('create_advocate', { name: 'Jane Avery', email: `${unique('jane')}@example.com` });
  const friends = {};
  for (const name of ['fran', 'gus', 'hal', 'ivy']) {
    friends[name] = `${unique(name)}@example.com`;
    await run('create_referral', { advocate_id: jane.id, friend_name: `${name} Fields`, friend_email: friends[name] });
  }

  const invoice = unique('INV');
  const paid = { invoice_id: invoice, payment_id: 'PAY-1', email: friends.fran, amount: '250.00' };
  await run('record_conversion', paid); // converted
  await run('record_conversion', paid); // replayed
  await run('record_conversion', { invoice_id: unique('INV'), email: friends.fran, amount: 300 }); // already_rewarded
  await run('record_conversion', { invoice_id: unique('INV'), email: friends.gus, amount: '20.00' }); // below_minimum
  await run('record_conversion', { invoice_id: unique('INV'), email: friends.gus, amount: 180, status: 'Unpaid' }); // not_paid
  await run('record_conversion', { invoice_id: unique('INV'), email: `${unique('walk-in')}@example.com`, amount: 180 }); // no_match
  await run('record_conversion', { invoice_id: unique('INV'), email: `${unique('g.fields')}@example.com`, first_name: 'Hal', last_name: 'Fields', amount: 150 }); // near_miss

  await run('reverse_conversion', { invoice_id: invoice, refund_id: 'RF-1', amount_refunded: '10.00' }); // partial_refund
  await run('reverse_conversion', { invoice_id: invoice, refund_id: 'RF-2' }); // reversed
  await run('reverse_conversion', { invoice_id: unique('INV') }); // no_conversion

  const ivy = await run('record_conversion', { invoice_id: unique('INV'), email: friends.ivy, amount: 400 });
  await run('record_conversion', { invoice_id: unique('INV'), email: friends.hal, amount: 400 });
  await run('redeem_reward', { code: ivy.reward_code });

  await search('find_advocate', { email: jane.email });
  await search('find_advocate', { id: jane.id });
  await search('find_referral', { friend_email: friends.fran });
  await search('find_conversion', { invoice_id: invoice });
  await search('find_conversion', { invoice_id: ivy.invoice_id });
  await search('find_reward', { code: ivy.reward_code });

  for (const [, key, op] of operations.filter(([kind]) => kind === 'trigger')) {
    if (op.type === 'hook') keep(key, ...(await appTester(op.performList, { authData: auth })));
  }
  const store = await startCursorStore();
  try {
    for (const key of ['advocate_list', 'reward_list']) keep(key, ...(await loadDropdown(store, key, auth, { limit: 2 })).flat());
  } finally {
    await store.close();
  }
});

describe('the real answers', () => {
  it('cover every outcome of Record Conversion and Reverse Conversion this file set out to cause', () => {
    expect([...new Set(answers.record_conversion.map((a) => `${a.outcome}${a.replayed ? ' (replayed)' : ''}`))].sort()).toEqual(
      ['already_rewarded', 'below_minimum', 'converted', 'converted (replayed)', 'near_miss', 'no_match', 'not_paid'],
    );
    expect([...new Set(answers.reverse_conversion.map((a) => a.outcome))].sort()).toEqual(['no_conversion', 'partial_refund', 'reversed']);
  });
});

describe.each(operations)('%s %s', (kind, key, op) => {
  it('declares a labelled output field for every key of its sample', () => {
    expect(unlabelled(op.sample, op.outputFields)).toEqual([]);
  });

  it('declares a labelled output field for every key of its real answers', () => {
    const real = answers[key] || [];
    // No hold ends during this run, and before the reward hold is merged the server has no
    // reward.issued at all: New Reward Issued is checked against its sample only.
    if (key === 'reward_issued' && real.length === 0) return;
    expect(real.length).toBeGreaterThan(0);
    const missing = new Set(real.flatMap((answer) => unlabelled(answer, op.outputFields)));
    expect([...missing]).toEqual([]);
  });

  it('declares no output field that no real answer has', () => {
    const real = answers[key] || [];
    if (real.length === 0) return; // said by the test above
    const seen = new Set(real.flatMap((answer) => zapierKeys(answer).map((k) => k.key)));
    const phantom = op.outputFields.map((f) => f.key).filter((k) => !seen.has(k));
    expect(phantom).toEqual([]);
  });
});
