'use strict';

const http = require('http');
const { App, appTester, server } = require('./support/context');
const { startServer } = require('./support/backend');
const { appErrorOf, rejection } = require('./support/errors');
const { retryAfterSeconds, baseUrlOf } = require('../middleware');

describe('rate limits', () => {
  let limited;

  beforeAll(async () => {
    // A second server on the same database, allowing one request now and one every two seconds.
    limited = await startServer(server(), { ADVOCATELOOP_RATE_LIMIT: '0.5' });
  });

  afterAll(async () => {
    if (limited) await limited.stop();
  });

  it("turns 429 into Zapier's ThrottledError, waiting as long as Retry-After says", async () => {
    const bundle = { authData: { apiKey: server().apiKey, baseUrl: limited.baseUrl } };
    await appTester(App.authentication.test, bundle);
    const error = await rejection(appTester(App.authentication.test, bundle));
    expect(error.name).toBe('ThrottledError');
    const { message, delay } = JSON.parse(error.message);
    expect(delay).toBeGreaterThanOrEqual(1);
    expect(delay).toBeLessThanOrEqual(2);
    expect(message).toMatch(`retry in ${delay} seconds`);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Math.floor(Date.now() / 1000) * 1000; // HTTP dates have whole seconds
    expect(retryAfterSeconds('30', now)).toBe(30);
    expect(retryAfterSeconds(new Date(now + 90 * 1000).toUTCString(), now)).toBe(90);
    expect(retryAfterSeconds(new Date(now - 5000).toUTCString(), now)).toBe(0);
    expect(retryAfterSeconds(null, now)).toBe(60);
  });
});

describe('answers that are not problem+json', () => {
  let proxy;
  let baseUrl;

  beforeAll(async () => {
    // What a broken proxy in front of a self-hosted server answers.
    proxy = http.createServer((req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html><body>Bad Gateway</body></html>');
    });
    await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${proxy.address().port}`;
  });

  afterAll(() => new Promise((resolve) => proxy.close(resolve)));

  it('become an error with the HTTP status, not a crash', async () => {
    const bundle = { authData: { apiKey: server().apiKey, baseUrl }, inputData: { name: 'A B', email: 'a@b.example' } };
    const error = await rejection(appTester(App.creates.create_advocate.operation.perform, bundle));
    const { message, code, status } = appErrorOf(error);
    expect([code, status]).toEqual(['http-502', 502]);
    expect(message).toMatch(/HTTP 502/);
  });
});

describe('the AdvocateLoop address', () => {
  it('defaults to AdvocateLoop and accepts what people paste', () => {
    expect(baseUrlOf({})).toBe('https://app.advocateloop.com');
    expect(baseUrlOf({ baseUrl: '  ' })).toBe('https://app.advocateloop.com');
    expect(baseUrlOf({ baseUrl: 'refer.glowaesthetics.com/' })).toBe('https://refer.glowaesthetics.com');
    expect(baseUrlOf({ baseUrl: 'https://refer.example.com/app/settings' })).toBe('https://refer.example.com');
    expect(baseUrlOf({ baseUrl: 'http://127.0.0.1:8080/v1' })).toBe('http://127.0.0.1:8080');
  });
});
