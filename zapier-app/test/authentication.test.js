'use strict';

const { App, appTester, authData, server } = require('./support/context');

describe('authentication', () => {
  it('tests the key with GET /v1/me and labels the connection with the practice name', async () => {
    const me = await appTester(App.authentication.test, { authData: authData() });
    expect(me.name).toBe('Glow Aesthetics');
    expect(me.id).toMatch(/^prc_/);

    const label = await appTester(App.authentication.connectionLabel, {
      authData: authData(),
      inputData: me,
    });
    expect(label).toBe('Glow Aesthetics');
  });

  it('accepts the address with a trailing slash or the dashboard path', async () => {
    for (const baseUrl of [`${server().baseUrl}/`, `${server().baseUrl}/app/settings`]) {
      const me = await appTester(App.authentication.test, { authData: { ...authData(), baseUrl } });
      expect(me.name).toBe('Glow Aesthetics');
    }
  });

  it('answers a wrong key with an expired-connection error that says to reconnect', async () => {
    const bundle = { authData: { apiKey: 'al_live_00000000000000000000000000000000', baseUrl: server().baseUrl } };
    const error = await appTester(App.authentication.test, bundle).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ExpiredAuthError');
    expect(error.message).toMatch(/Reconnect your AdvocateLoop account/);
    expect(error.message).toMatch(/Settings → API keys/);
    expect(error.message).not.toMatch(/al_live_0000/);
  });

  it('gives every action the same readable error for a revoked key', async () => {
    const bundle = {
      authData: { apiKey: 'al_live_revokedrevokedrevokedrevoked12', baseUrl: server().baseUrl },
      inputData: { invoice_id: 'INV-1', amount: '10.00' },
    };
    const error = await appTester(App.creates.record_conversion.operation.perform, bundle).catch((e) => e);
    expect(error.name).toBe('ExpiredAuthError');
    expect(error.message).toMatch(/Reconnect your AdvocateLoop account/);
  });
});
