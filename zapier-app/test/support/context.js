'use strict';

// What every test file needs: the app under Zapier's own runtime, and connections to the
// server started by global-setup.js.

const zapier = require('zapier-platform-core');
const App = require('../../index');
const { createPractice } = require('./backend');

const appTester = zapier.createAppTester(App);

const server = () => {
  const baseUrl = process.env.ADVOCATELOOP_TEST_BASE_URL;
  if (!baseUrl) {
    throw new Error('ADVOCATELOOP_TEST_BASE_URL is not set: run the tests with `npm test` (jest globalSetup).');
  }
  return {
    baseUrl,
    apiKey: process.env.ADVOCATELOOP_TEST_API_KEY,
    bin: process.env.ADVOCATELOOP_TEST_BIN,
    databaseUrl: process.env.ADVOCATELOOP_TEST_DATABASE_URL,
  };
};

// authData connects to the practice created by global-setup.js.
const authData = () => ({ apiKey: server().apiKey, baseUrl: server().baseUrl });

// newPractice starts a practice of its own, so a test file's events and advocates are its own:
// auth connects to it, admin signs its admin in to the dashboard (see dashboard.js).
const newPractice = async (name) => {
  const s = server();
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const practice = await createPractice(s, name, `admin@${slug}.example`);
  return {
    auth: { apiKey: practice.api_key, baseUrl: s.baseUrl },
    admin: { baseUrl: s.baseUrl, setupUrl: practice.admin_setup_url },
  };
};

const newPracticeAuth = async (name) => (await newPractice(name)).auth;

// unique makes emails and invoice numbers that never collide between runs or tests.
let counter = 0;
const unique = (prefix) => `${prefix}-${Date.now().toString(36)}-${(counter += 1)}`;

// newYorkTime writes an instant as Aesthetic Record does, with New York's winter offset; tests pass
// times relative to now, because the server compares paid_at with the referral's claim.
const newYorkTime = (ms) => {
  const shifted = new Date(ms - 5 * 3600 * 1000).toISOString();
  return `${shifted.slice(0, 19)}-05:00`;
};

module.exports = { App, appTester, server, authData, newPractice, newPracticeAuth, unique, newYorkTime };
