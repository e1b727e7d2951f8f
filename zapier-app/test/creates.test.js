'use strict';

const { App, appTester, newPractice, unique, newYorkTime } = require('./support/context');
const { appErrorOf, rejection } = require('./support/errors');
const { setRewardPolicy } = require('./support/dashboard');

const creates = App.creates;
let auth;

// The flat fields Record Conversion and Reverse Conversion always answer, null when no
// conversion was recorded or found.
const FLAT = ['conversion_id', 'advocate_id', 'advocate_name', 'advocate_first_name', 'advocate_email', 'advocate_referral_code',
  'friend_name', 'friend_email', 'reward_id', 'reward_kind', 'reward_code', 'reward_amount', 'reward_currency', 'reward_status',
  'reward_held_until', 'clawback_owed'];

// expectFlat checks the flat fields against the nested conversion they come from.
const expectFlat = (result) => {
  const c = result.conversion;
  const r = (c && c.reward) || {};
  const want = c
    ? {
        conversion_id: c.id, advocate_id: c.advocate_id, advocate_name: c.advocate_name, advocate_first_name: c.advocate_first_name,
        advocate_email: c.advocate_email, advocate_referral_code: c.advocate_referral_code, friend_name: c.friend_name,
        friend_email: c.friend_email, reward_id: r.id, reward_kind: r.kind, reward_code: r.code, reward_amount: r.amount,
        reward_currency: r.currency, reward_status: r.status, reward_held_until: r.held_until === undefined ? null : r.held_until,
        clawback_owed: r.clawback_owed,
      }
    : Object.fromEntries(FLAT.map((k) => [k, null]));
  expect(Object.fromEntries(FLAT.map((k) => [k, result[k]]))).toEqual(want);
};

// expectReason checks `reason`: null when the outcome did what was asked, one sentence when
// not.
const expectReason = (result, done) => {
  expect(result).toHaveProperty('reason');
  if (done) expect(result.reason).toBeNull();
  else expect(result.reason).toMatch(/\S.*[.!]$/);
};

const run = (key, inputData) => appTester(creates[key].operation.perform, { authData: auth, inputData });

// An advocate and a friend they referred, made through the app's own actions.
const referredFriend = async () => {
  const advocate = await run('create_advocate', { name: 'Jane Avery', email: `${unique('jane')}@example.com` });
  const friendEmail = `${unique('fran')}@example.com`;
  const referral = await run('create_referral', {
    referral_code: advocate.referral_code,
    friend_name: 'Fran Fields',
    friend_email: friendEmail,
  });
  return { advocate, referral, friendEmail };
};

beforeAll(async () => {
  const practice = await newPractice('Creates Spa');
  auth = practice.auth;
  await setRewardPolicy(practice.admin, { minimum: '50.00' });
});

describe('record_conversion', () => {
  it("converts a referred friend's paid invoice mapped from Aesthetic Record, then replays it unchanged", async () => {
    const { advocate, referral, friendEmail } = await referredFriend();
    const invoice = unique('INV');
    const input = {
      invoice_id: invoice,
      payment_id: 'PAY-5521',
      email: `  ${friendEmail.toUpperCase()} `,
      first_name: 'Fran',
      last_name: 'Fields',
      amount: '$1,250.00',
      currency: 'USD',
      paid_at: newYorkTime(Date.now() + 60 * 1000), // just after the claim, whatever the day
      status: 'Paid',
      treatment: 'Botox 20 units', // AR sends more than we need; it must not matter
    };

    const result = await run('record_conversion', input);
    expect(result).toMatchObject({
      id: `${invoice}/PAY-5521`,
      outcome: 'converted',
      matched: true,
      replayed: false,
      invoice_id: invoice,
      payment_id: 'PAY-5521',
      advocate_id: advocate.id,
      advocate_name: 'Jane Avery',
      friend_email: friendEmail,
      reward_status: 'issued',
    });
    expect(result.conversion.referral_id).toBe(referral.id);
    expect(result.conversion.amount).toBe('1250.00');
    expect(result.conversion_id).toBe(result.conversion.id);
    expect(result.reward_code).toMatch(/^AL-[23456789A-Z]{8}$/);

    expect(result).toMatchObject({ advocate_first_name: 'Jane', advocate_email: advocate.email, advocate_referral_code: advocate.referral_code, friend_name: 'Fran Fields', reward_amount: '50.00', reward_currency: 'USD' });
    expectFlat(result);
    expectReason(result, true);

    const replay = await run('record_conversion', input);
    expect(replay).toMatchObject({ outcome: 'converted', replayed: true, conversion_id: result.conversion_id });
    expect(replay.reward_code).toBe(result.reward_code);
    expectFlat(replay);
    expectReason(replay, true);
  });

  it('answers a payment under the minimum with below_minimum and a reason, as a success, and keeps the referral pending', async () => {
    const { referral, friendEmail } = await referredFriend();
    const result = await run('record_conversion', { invoice_id: unique('INV'), email: friendEmail, amount: '20.00' });
    expect(result).toMatchObject({ outcome: 'below_minimum', matched: true, replayed: false, conversion: null });
    expectFlat(result);
    expectReason(result, false);
    expect(result.reason).toMatch(/minimum of \$50\b/);

    // The friend's next, larger payment converts.
    const next = await run('record_conversion', { invoice_id: unique('INV'), email: friendEmail, amount: '75.00' });
    expect(next).toMatchObject({ outcome: 'converted', advocate_id: referral.advocate_id });
  });

  it("answers the friend's next invoice with already_rewarded, as a success", async () => {
    const { friendEmail } = await referredFriend();
    const first = await run('record_conversion', { invoice_id: unique('INV'), email: friendEmail, amount: 120 });
    const second = await run('record_conversion', { invoice_id: unique('INV'), email: friendEmail, amount: 80 });
    expect(first.outcome).toBe('converted');
    expect(second).toMatchObject({ outcome: 'already_rewarded', matched: true, replayed: false });
  });

  it('answers a payer without a referral with no_match, as a success', async () => {
    const result = await run('record_conversion', {
      invoice_id: unique('INV'),
      email: `${unique('walk-in')}@example.com`,
      amount: 180,
    });
    expect(result).toMatchObject({ outcome: 'no_match', matched: false, replayed: false, conversion: null });
    expectFlat(result);
    expectReason(result, false);
  });

  it("answers an invoice that is not paid yet (AR's New Invoice trigger) with not_paid, as a success", async () => {
    const { friendEmail } = await referredFriend();
    const result = await run('record_conversion', {
      invoice_id: unique('INV'),
      email: friendEmail,
      amount: '250.00',
      status: 'Unpaid',
    });
    expect(result).toMatchObject({ outcome: 'not_paid', matched: false, conversion: null });
    expectFlat(result);
    expectReason(result, false);
  });

  it('turns invalid fields into an error naming each field', async () => {
    const error = await rejection(run('record_conversion', { invoice_id: ' ', amount: '-5' }));
    const { message, code, status } = appErrorOf(error);
    expect(code).toBe('validation-failed');
    expect(status).toBe(422);
    expect(message).toMatch(/amount must be greater than 0/);
    expect(message).toMatch(/invoice_id is required/);
  });

  it('refuses an amount that reads two ways, naming it, and records nothing', async () => {
    const { friendEmail } = await referredFriend();
    for (const ambiguous of ['1,50', '1.250,00', '1.250']) {
      const error = await rejection(run('record_conversion', { invoice_id: unique('INV'), email: friendEmail, amount: ambiguous }));
      expect(appErrorOf(error)).toMatchObject({ code: 'validation-failed', status: 422 });
      expect(appErrorOf(error).message).toMatch(/amount/);
    }
    const next = await run('record_conversion', { invoice_id: unique('INV'), email: friendEmail, amount: '$1,250.00' });
    expect(next).toMatchObject({ outcome: 'converted', reward_status: 'issued' });
    expect(next.conversion.amount).toBe('1250.00');
  });

  it('answers a payment in another currency with currency_mismatch and a reason, and keeps the referral pending', async () => {
    const { friendEmail } = await referredFriend();
    const result = await run('record_conversion', { invoice_id: unique('INV'), email: friendEmail, amount: '250.00', currency: 'EUR' });
    expect(result).toMatchObject({ outcome: 'currency_mismatch', matched: true, conversion: null, reward_code: null });
    expectReason(result, false);
    expect(result.reason).toMatch(/EUR.*USD/);
    const next = await run('record_conversion', { invoice_id: unique('INV'), email: friendEmail, amount: '250.00' });
    expect(next.outcome).toBe('converted');
  });
});

describe('reverse_conversion', () => {
  it("reverses a refunded invoice's conversion and voids the reward", async () => {
    const { friendEmail } = await referredFriend();
    const invoice = unique('INV');
    await run('record_conversion', { invoice_id: invoice, email: friendEmail, amount: '300' });

    const result = await run('reverse_conversion', { invoice_id: invoice, refund_id: 'RF-1' });
    expect(result).toMatchObject({
      id: `${invoice}/RF-1`,
      outcome: 'reversed',
      replayed: false,
      reward_status: 'voided',
      clawback_owed: false,
    });
    expect(result.conversion.status).toBe('reversed');
    expect(result.matched).toBe(true);
    expectFlat(result);
    expectReason(result, true);

    const replay = await run('reverse_conversion', { invoice_id: invoice, refund_id: 'RF-1' });
    expect(replay.replayed).toBe(true);
  });

  it('answers a refund of an invoice that converted nothing with no_conversion, as a success', async () => {
    const invoice = unique('INV');
    const result = await run('reverse_conversion', { invoice_id: invoice });
    expect(result).toMatchObject({ id: invoice, outcome: 'no_conversion', matched: false, conversion: null });
    expectFlat(result);
    expectReason(result, false);
  });

  it('turns an invalid refund amount into an error naming the field', async () => {
    const error = await rejection(run('reverse_conversion', { invoice_id: unique('INV'), amount_refunded: 'lots' }));
    const { message, code, status } = appErrorOf(error);
    expect([code, status]).toEqual(['validation-failed', 422]);
    expect(message).toMatch(/amount_refunded/);
  });
});

describe('create_advocate', () => {
  it('creates an advocate with a referral code, and returns the same one for the same email', async () => {
    const email = `${unique('ava')}@example.com`;
    const advocate = await run('create_advocate', { name: 'Ava Stone', email: email.toUpperCase() });
    expect(advocate).toMatchObject({ name: 'Ava Stone', email, status: 'active' });
    expect(advocate.id).toMatch(/^adv_/);
    expect(advocate.referral_code).toMatch(/^[23456789A-Z]{8}$/);

    const again = await run('create_advocate', { name: 'Ava Stone', email });
    expect(again.id).toBe(advocate.id);
  });

  it('turns an invalid email into an error naming the field', async () => {
    const error = await rejection(run('create_advocate', { name: 'Ava Stone', email: 'not-an-email' }));
    const { message, code, status } = appErrorOf(error);
    expect([code, status]).toEqual(['validation-failed', 422]);
    expect(message).toMatch(/email must be a valid email address/);
  });
});

describe('create_referral', () => {
  it("creates a referral from the advocate's code or id", async () => {
    const advocate = await run('create_advocate', { name: 'Bo Reed', email: `${unique('bo')}@example.com` });
    const byCode = await run('create_referral', {
      referral_code: advocate.referral_code.toLowerCase(),
      friend_name: 'Cy Lane',
      friend_email: `${unique('cy')}@example.com`,
    });
    expect(byCode).toMatchObject({ advocate_id: advocate.id, status: 'pending', source: 'api' });
    expect(byCode.id).toMatch(/^ref_/);

    const byId = await run('create_referral', {
      advocate_id: advocate.id,
      friend_name: 'Di Moss',
      friend_email: `${unique('di')}@example.com`,
      source: 'manual',
    });
    expect(byId).toMatchObject({ advocate_id: advocate.id, source: 'manual' });
  });

  it('turns an unknown referral code into an error naming the field', async () => {
    const error = await rejection(
      run('create_referral', { referral_code: 'ZZZZZZZZ', friend_name: 'Ed Park', friend_email: `${unique('ed')}@example.com` }),
    );
    const { message, code, status } = appErrorOf(error);
    expect([code, status]).toEqual(['validation-failed', 422]);
    expect(message).toMatch(/referral_code matches no advocate/);
  });

  it("refuses an advocate referring themselves with the problem's own code", async () => {
    const email = `${unique('self')}@example.com`;
    const advocate = await run('create_advocate', { name: 'Fay Self', email });
    const error = await rejection(
      run('create_referral', { advocate_id: advocate.id, friend_name: 'Fay Self', friend_email: email }),
    );
    expect(appErrorOf(error)).toMatchObject({ code: 'self-referral', status: 422 });
  });
});

describe('redeem_reward', () => {
  it('redeems a reward once by its code, then refuses it as already redeemed', async () => {
    const { friendEmail } = await referredFriend();
    const converted = await run('record_conversion', { invoice_id: unique('INV'), email: friendEmail, amount: 99 });

    const reward = await run('redeem_reward', { code: ` ${converted.reward_code.toLowerCase()} ` });
    expect(reward).toMatchObject({ id: converted.reward_id, code: converted.reward_code, status: 'redeemed' });
    expect(reward.redeemed_at).toMatch(/Z$|[+-]\d\d:\d\d$/);

    const error = await rejection(run('redeem_reward', { code: converted.reward_code }));
    const { message, code, status } = appErrorOf(error);
    expect([code, status]).toEqual(['already-redeemed', 409]);
    expect(message).toMatch(/already redeemed/);
  });

  it('answers an unknown code with not-found', async () => {
    const error = await rejection(run('redeem_reward', { code: 'AL-NOPE2345' }));
    expect(appErrorOf(error)).toMatchObject({ code: 'not-found', status: 404 });
  });
});
