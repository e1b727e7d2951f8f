'use strict';

const { App, appTester, newPracticeAuth, unique } = require('./support/context');
const { appErrorOf, rejection } = require('./support/errors');

let auth;
let advocate;

const find = (inputData) => appTester(App.searches.find_advocate.operation.perform, { authData: auth, inputData });
const search = (key, inputData) => appTester(App.searches[key].operation.perform, { authData: auth, inputData });
const run = (key, inputData) => appTester(App.creates[key].operation.perform, { authData: auth, inputData });

beforeAll(async () => {
  auth = await newPracticeAuth('Searches Spa');
  advocate = await appTester(App.creates.create_advocate.operation.perform, {
    authData: auth,
    inputData: { name: 'Gia Holt', email: `${unique('gia')}@example.com` },
  });
});

describe('find_advocate', () => {
  it('finds an advocate by email, whatever its letter case', async () => {
    const found = await find({ email: ` ${advocate.email.toUpperCase()} ` });
    expect(found).toEqual([advocate]);
  });

  it('finds an advocate by referral code, whatever its letter case', async () => {
    const found = await find({ referral_code: advocate.referral_code.toLowerCase() });
    expect(found).toEqual([advocate]);
  });

  it('finds an advocate by ID, as the Advocate dropdown or an earlier step gives it', async () => {
    expect(await find({ id: ` ${advocate.id} ` })).toEqual([advocate]);
  });

  it("finds nobody for an unknown ID or another practice's advocate", async () => {
    expect(await find({ id: 'adv_01JD3E28JT97KB6CQ643DZVMXX' })).toEqual([]);
    const other = await appTester(App.creates.create_advocate.operation.perform, {
      authData: await newPracticeAuth('Other Spa'),
      inputData: { name: 'Ola Other', email: `${unique('ola')}@example.com` },
    });
    expect(await find({ id: other.id })).toEqual([]);
  });

  it('returns an empty list when nobody matches, so search-or-create can create', async () => {
    expect(await find({ email: `${unique('nobody')}@example.com` })).toEqual([]);
    expect(await find({ referral_code: 'ZZZZZZZZ' })).toEqual([]);
  });

  it('asks for an email or a referral code when given neither', async () => {
    const error = await rejection(find({ email: '  ' }));
    const { message, code } = appErrorOf(error);
    expect(code).toBe('validation-failed');
    expect(message).toMatch(/Advocate, Email or Referral Code/);
  });

  it('pairs with create_advocate as search-or-create', () => {
    expect(App.searchOrCreates.find_advocate).toMatchObject({
      key: 'find_advocate',
      search: 'find_advocate',
      create: 'create_advocate',
    });
  });
});

describe('Find or Create Advocate', () => {
  // What Zapier does with a search-or-create step: the search, and the create only when the
  // search found nothing.
  const findOrCreate = async (email) => {
    const { search: searchKey, create: createKey } = App.searchOrCreates.find_advocate;
    const found = await search(searchKey, { email });
    if (found.length) return { advocate: found[0], created: false };
    return { advocate: await run(createKey, { name: 'Ida Ives', email }), created: true };
  };

  it('creates the advocate the first time and finds the same one after', async () => {
    const email = `${unique('ida')}@example.com`;
    const first = await findOrCreate(email);
    const again = await findOrCreate(email.toUpperCase());
    expect([first.created, again.created]).toEqual([true, false]);
    expect(again.advocate).toEqual(first.advocate);
    expect(await find({ email })).toEqual([first.advocate]);
  });
});

describe('find_referral', () => {
  it("finds a friend's referral by their email, whatever its letter case, and nothing for another email", async () => {
    const friendEmail = `${unique('jo')}@example.com`;
    const referral = await run('create_referral', { advocate_id: advocate.id, friend_name: 'Jo Joy', friend_email: friendEmail });
    const [found] = await search('find_referral', { friend_email: ` ${friendEmail.toUpperCase()} ` });
    expect(found).toMatchObject({ id: referral.id, advocate_id: advocate.id, advocate_name: 'Gia Holt', friend_email: friendEmail, status: 'pending' });
    expect(found).not.toHaveProperty('friend_offer');
    expect(await search('find_referral', { friend_email: `${unique('nobody')}@example.com` })).toEqual([]);
  });

  it('asks for the friend email when given none', async () => {
    const { code, message } = appErrorOf(await rejection(search('find_referral', { friend_email: ' ' })));
    expect(code).toBe('validation-failed');
    expect(message).toMatch(/Friend Email/);
  });
});

describe('find_conversion and find_reward', () => {
  let converted;

  beforeAll(async () => {
    const friendEmail = `${unique('kai')}@example.com`;
    await run('create_referral', { advocate_id: advocate.id, friend_name: 'Kai Kerr', friend_email: friendEmail });
    converted = await run('record_conversion', { invoice_id: unique('INV'), email: friendEmail, amount: '220.00' });
    expect(converted.outcome).toBe('converted');
  });

  it('finds the conversion an invoice recorded, with its advocate and reward', async () => {
    const [found] = await search('find_conversion', { invoice_id: ` ${converted.invoice_id} ` });
    expect(found).toEqual(converted.conversion);
    expect(found.reward.code).toBe(converted.reward_code);
  });

  it('finds nothing for an invoice that converted nothing, or for the number in another letter case', async () => {
    const unmatched = await run('record_conversion', { invoice_id: unique('INV'), email: `${unique('walk-in')}@example.com`, amount: 90 });
    expect(await search('find_conversion', { invoice_id: unmatched.invoice_id })).toEqual([]);
    expect(await search('find_conversion', { invoice_id: converted.invoice_id.toLowerCase() })).toEqual([]);
  });

  it('finds a reward by its code, whatever its letter case, and still after it is redeemed', async () => {
    const [issued] = await search('find_reward', { code: converted.reward_code.toLowerCase() });
    expect(issued).toMatchObject({ id: converted.reward_id, code: converted.reward_code, status: 'issued', advocate_id: advocate.id });
    await run('redeem_reward', { code: converted.reward_code });
    const [redeemed] = await search('find_reward', { code: converted.reward_code });
    expect(redeemed).toMatchObject({ id: converted.reward_id, status: 'redeemed' });
  });

  it('finds nothing for an unknown code', async () => {
    expect(await search('find_reward', { code: 'AL-ZZZZZZZZ' })).toEqual([]);
  });
});
