'use strict';

// Loading a dynamic dropdown page by page, as the Zap editor does with "Load more": Zapier runs
// the hidden trigger with bundle.meta.page 0, 1, 2… and keeps what the trigger stores with
// z.cursor between pages, keyed by the dropdown's storeKey. appTester cannot reach that store
// (it asks Zapier's RPC server), so this runs the app's handler with a local stand-in for it:
// the same RPC requests, answered from a Map.

const http = require('http');
const zapier = require('zapier-platform-core');
const App = require('../../index');

const handler = zapier.createAppHandler(App);

// startCursorStore answers Zapier's RPC calls get_cursor and set_cursor, per storeKey.
const startCursorStore = async () => {
  const cursors = new Map();
  const calls = [];
  const store = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      if (req.url === '/log') {
        res.writeHead(200); // the handler's own logs, kept on loopback rather than sent to Zapier
        res.end();
        return;
      }
      const { id, storeKey, method, params } = JSON.parse(body);
      calls.push({ storeKey, method, params });
      let result = null;
      if (method === 'get_cursor') result = cursors.has(storeKey) ? cursors.get(storeKey) : null;
      else if (method === 'set_cursor') cursors.set(storeKey, params[0]);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(method.endsWith('_cursor') ? { id, result } : { id, error: `unexpected RPC ${method}` }));
    });
  });
  await new Promise((resolve) => store.listen(0, '127.0.0.1', resolve));
  process.env.LOGGING_ENDPOINT = `http://127.0.0.1:${store.address().port}/log`;
  return {
    url: `http://127.0.0.1:${store.address().port}/rpc`,
    calls,
    close: () => new Promise((resolve) => store.close(resolve)),
  };
};

let dropdowns = 0;

// loadDropdown runs a hidden trigger page after page, with `limit` items a page, until a page
// comes back empty (or maxPages, against a loop), and returns the pages.
const loadDropdown = async (store, triggerKey, authData, { limit, maxPages = 20 } = {}) => {
  dropdowns += 1;
  const storeKey = `dropdown-${triggerKey}-${dropdowns}`;
  const pages = [];
  for (let page = 0; page < maxPages; page += 1) {
    const out = await handler({
      command: 'execute',
      method: `triggers.${triggerKey}.operation.perform`,
      bundle: { authData, inputData: {}, meta: { page, limit, isFillingDynamicDropdown: true } },
      storeKey,
      rpc_base: store.url,
      token: 'cursor-store-stand-in',
    });
    if (out.results.length === 0) return pages;
    pages.push(out.results);
  }
  throw new Error(`${triggerKey} was still answering after ${maxPages} pages`);
};

module.exports = { startCursorStore, loadDropdown };
