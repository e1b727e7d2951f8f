'use strict';

const fs = require('fs');
const { stopServer } = require('./backend');

module.exports = async () => {
  if (globalThis.__advocateloopServer) {
    await stopServer(globalThis.__advocateloopServer.child);
  }
  if (globalThis.__advocateloopTestDir) {
    fs.rmSync(globalThis.__advocateloopTestDir, { recursive: true, force: true });
  }
};
