'use strict';

// The real AdvocateLoop server for the tests: built from this repository (`..` from
// zapier-app), on a throwaway SQLite database, listening on a free port. Every wait is bounded
// and every failure says what went wrong, with the server's own output.

const { execFile, spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const readline = require('readline');

const APP_DIR = path.resolve(__dirname, '..', '..');
const REPO_DIR = path.resolve(APP_DIR, '..');

const run = (file, args, options) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 16 << 20, ...options }, (err, stdout, stderr) => {
      if (err) {
        const why = err.killed ? `timed out after ${options.timeout} ms` : err.message;
        reject(new Error(`${path.basename(file)} ${args.join(' ')} failed: ${why}\n${stderr}`));
        return;
      }
      resolve(stdout);
    });
  });

// buildServer compiles the server the way scripts/test does (no cgo) into dir.
const buildServer = async (dir) => {
  const bin = path.join(dir, 'advocateloop');
  await run('go', ['build', '-o', bin, './backend/cmd/advocateloop'], {
    cwd: REPO_DIR,
    env: { ...process.env, CGO_ENABLED: '0' },
    timeout: 240000,
  });
  return bin;
};

// createPractice runs `advocateloop practice create` and returns its JSON (with api_key).
const createPractice = async ({ bin, databaseUrl }, name, adminEmail) => {
  const stdout = await run(bin, ['practice', 'create', '--name', name, '--admin-email', adminEmail], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    timeout: 30000,
  });
  const practice = JSON.parse(stdout);
  if (!practice.api_key) {
    throw new Error(`practice create printed no api_key: ${stdout}`);
  }
  return practice;
};

// startServer runs `advocateloop serve` on 127.0.0.1:0 and resolves once its JSON log says
// where it listens.
const startServer = ({ bin, databaseUrl }, env = {}, timeoutMs = 20000) =>
  new Promise((resolve, reject) => {
    const child = spawn(bin, ['serve'], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        ADVOCATELOOP_ADDR: '127.0.0.1:0',
        ADVOCATELOOP_ALLOW_PRIVATE_HOOKS: '1',
        ADVOCATELOOP_DELIVERY_INTERVAL: '100ms',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = [];
    let settled = false;
    const fail = (why) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`advocateloop serve ${why}. Its output:\n${output.slice(-40).join('\n')}`));
    };
    const timer = setTimeout(() => fail(`did not log "listening" within ${timeoutMs} ms`), timeoutMs);
    child.on('error', (err) => fail(`could not start: ${err.message}`));
    child.on('exit', (code, signal) => fail(`exited early (code ${code}, signal ${signal})`));
    child.stdout.on('data', (chunk) => output.push(String(chunk).trimEnd()));
    readline.createInterface({ input: child.stderr }).on('line', (line) => {
      output.push(line);
      if (settled) return;
      let entry;
      try {
        entry = JSON.parse(line);
      } catch (e) {
        return;
      }
      if (entry.msg === 'listening' && entry.addr) {
        settled = true;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ child, baseUrl: `http://${entry.addr}`, output, stop: () => stopServer(child) });
      }
    });
  });

// stopServer asks the server to stop, then kills it if it has not within five seconds.
const stopServer = (child) =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });

const makeTempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'advocateloop-zapier-'));

module.exports = { APP_DIR, REPO_DIR, buildServer, createPractice, startServer, stopServer, makeTempDir };
