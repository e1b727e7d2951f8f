'use strict';

// Builds and starts one AdvocateLoop server for the whole jest run; test files reach it
// through the ADVOCATELOOP_TEST_* environment variables (see context.js).

const fs = require('fs');
const path = require('path');
const { buildServer, createPractice, startServer, makeTempDir } = require('./backend');

module.exports = async () => {
  const dir = makeTempDir();
  try {
    const bin = await buildServer(dir);
    const databaseUrl = `sqlite://${path.join(dir, 'advocateloop.db')}`;
    const practice = await createPractice({ bin, databaseUrl }, 'Glow Aesthetics', 'admin@glow.example');
    // A high rate limit keeps the suite's bursts clear of 429; errors.test.js starts its own
    // server with a low one.
    const server = await startServer({ bin, databaseUrl }, { ADVOCATELOOP_RATE_LIMIT: '1000' });
    globalThis.__advocateloopServer = server;
    Object.assign(process.env, {
      ADVOCATELOOP_TEST_BIN: bin,
      ADVOCATELOOP_TEST_DATABASE_URL: databaseUrl,
      ADVOCATELOOP_TEST_BASE_URL: server.baseUrl,
      ADVOCATELOOP_TEST_API_KEY: practice.api_key,
    });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  globalThis.__advocateloopTestDir = dir;
};
