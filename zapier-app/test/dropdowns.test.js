'use strict';

// The advocate and reward dropdowns, loaded page by page as the Zap editor loads them, from a
// practice with more advocates and rewards than one page holds; then a value chosen in each
// dropdown works in the action it fills.

const { App, appTester, newPracticeAuth, unique } = require('./support/context');
const { startCursorStore, loadDropdown } = require('./support/paging');
const { pageSize } = require('../lib/paged-list');

let auth;
let store;
const advocates = []; // newest last
const run = (key, inputData) => appTester(App.creates[key].operation.perform, { authData: auth, inputData });

beforeAll(async () => {
  auth = await newPracticeAuth('Dropdowns Spa');
  store = await startCursorStore();
  for (const name of ['Ana Abbot', 'Ben Bell', 'Cy Cole', 'Di Dunn', 'Ed Eyre']) {
    advocates.push(await run('create_advocate', { name, email: `${unique(name.split(' ')[0].toLowerCase())}@example.com` }));
  }
});

afterAll(async () => {
  if (store) await store.close();
});

describe('advocate_list', () => {
  it('pages through every active advocate, newest first, two at a time, without repeating one', async () => {
    const pages = await loadDropdown(store, 'advocate_list', auth, { limit: 2 });
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    const listed = pages.flat();
    expect(listed.map((a) => a.id)).toEqual([...advocates].reverse().map((a) => a.id));
    // What the dropdown shows (name) and stores (id).
    for (const a of listed) expect(a).toMatchObject({ id: expect.stringMatching(/^adv_/), name: expect.any(String) });
    // Pages after the first asked for the cursor the page before stored.
    const gets = store.calls.filter((call) => call.method === 'get_cursor');
    expect(gets.length).toBeGreaterThanOrEqual(3);
  });

  it('leaves out a disabled advocate, who can no longer be credited', async () => {
    const gone = await run('create_advocate', { name: 'Flo Fern', email: `${unique('flo')}@example.com` });
    await appTester(
      (z) => z.request({ method: 'PATCH', url: `/v1/advocates/${gone.id}`, body: { status: 'disabled' } }),
      { authData: auth },
    );
    const listed = (await loadDropdown(store, 'advocate_list', auth, { limit: 4 })).flat();
    expect(listed.map((a) => a.id)).not.toContain(gone.id);
    expect(listed).toHaveLength(advocates.length);
  });

  it("feeds Create Referral's advocate field: the chosen id creates the referral", async () => {
    const [chosen] = (await loadDropdown(store, 'advocate_list', auth, { limit: 100 }))[0];
    const referral = await run('create_referral', { advocate_id: chosen.id, friend_name: 'Gil Gray', friend_email: `${unique('gil')}@example.com` });
    expect(referral).toMatchObject({ advocate_id: chosen.id, advocate_name: chosen.name, status: 'pending' });
  });
});

describe('reward_list', () => {
  let rewards; // codes, newest last

  beforeAll(async () => {
    rewards = [];
    for (const a of advocates.slice(0, 3)) {
      const friend = `${unique('friend')}@example.com`;
      await run('create_referral', { advocate_id: a.id, friend_name: 'Hope Hale', friend_email: friend });
      const converted = await run('record_conversion', { invoice_id: unique('INV'), email: friend, amount: '200.00' });
      rewards.push(converted);
    }
  });

  it('pages through the rewards that can still be redeemed, labelled with their worth and owner', async () => {
    const pages = await loadDropdown(store, 'reward_list', auth, { limit: 2 });
    expect(pages.map((p) => p.length)).toEqual([2, 1]);
    const listed = pages.flat();
    expect(listed.map((r) => r.code)).toEqual([...rewards].reverse().map((r) => r.reward_code));
    const newest = rewards[rewards.length - 1];
    expect(listed[0].label).toBe(`${newest.reward_amount} ${newest.reward_currency} for ${newest.advocate_first_name} (${newest.advocate_email})`);
  });

  it("feeds Redeem Reward's code field: the chosen code redeems, and then leaves the list", async () => {
    const [chosen] = (await loadDropdown(store, 'reward_list', auth, { limit: 100 }))[0];
    const redeemed = await run('redeem_reward', { code: chosen.code });
    expect(redeemed).toMatchObject({ code: chosen.code, status: 'redeemed' });
    const listed = (await loadDropdown(store, 'reward_list', auth, { limit: 100 })).flat();
    expect(listed.map((r) => r.code)).not.toContain(chosen.code);
    expect(listed).toHaveLength(rewards.length - 1);
  });
});

describe('pageSize', () => {
  it("fetches what Zapier's bundle.meta.limit asks, within the API's 100, and 100 when it asks for no limit", () => {
    expect(pageSize({ limit: 2 })).toBe(2);
    expect(pageSize({ limit: -1 })).toBe(100);
    expect(pageSize({ limit: 500 })).toBe(100);
    expect(pageSize({})).toBe(100);
    expect(pageSize(undefined)).toBe(100);
  });
});
