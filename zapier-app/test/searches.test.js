'use strict';

const { App, appTester, newPracticeAuth, unique } = require('./support/context');
const { appErrorOf, rejection } = require('./support/errors');

let auth;
let advocate;

const find = (inputData) => appTester(App.searches.find_advocate.operation.perform, { authData: auth, inputData });

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

  it('returns an empty list when nobody matches, so search-or-create can create', async () => {
    expect(await find({ email: `${unique('nobody')}@example.com` })).toEqual([]);
    expect(await find({ referral_code: 'ZZZZZZZZ' })).toEqual([]);
  });

  it('asks for an email or a referral code when given neither', async () => {
    const error = await rejection(find({ email: '  ' }));
    const { message, code } = appErrorOf(error);
    expect(code).toBe('validation-failed');
    expect(message).toMatch(/Email or Referral Code/);
  });

  it('pairs with create_advocate as search-or-create', () => {
    expect(App.searchOrCreates.find_advocate).toMatchObject({
      key: 'find_advocate',
      search: 'find_advocate',
      create: 'create_advocate',
    });
  });
});
