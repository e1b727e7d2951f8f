'use strict';

// The real AdvocateLoop server for the browser tests: built from this repository's working tree
// without cgo, on a throwaway SQLite database, listening on a port chosen here so that
// ADVOCATELOOP_PUBLIC_URL (which every referral link is built from) is the address it really
// listens on. Every wait is bounded and every failure quotes the server's own output.

const { execFile, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const REPO_DIR = path.resolve(__dirname, '..', '..');

const run = (file, args, options) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 16 << 20, ...options }, (err, stdout, stderr) => {
      if (err) {
        const why = err.killed ? `timed out after ${options.timeout} ms` : err.message;
        const failure = new Error(`${path.basename(file)} ${args.join(' ')} failed: ${why}\n${stderr}`);
        failure.stderr = String(stderr);
        reject(failure);
        return;
      }
      resolve(stdout);
    });
  });

const makeTempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'advocateloop-web-tests-'));

// sourceHash fingerprints what the server is built from: the Go version, the module files and
// top-level Go sources and contract, and everything under backend/ (embedded templates and scripts included).
const sourceHash = (goVersion) => {
  const hash = crypto.createHash('sha256').update(goVersion);
  const add = (file) => hash.update(`${path.relative(REPO_DIR, file)}\0`).update(fs.readFileSync(file));
  for (const entry of fs.readdirSync(REPO_DIR, { withFileTypes: true })) {
    if (entry.isFile() && /\.(go|mod|sum|yaml)$/.test(entry.name)) add(path.join(REPO_DIR, entry.name));
  }
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) add(full);
    }
  };
  walk(path.join(REPO_DIR, 'backend'));
  return hash.digest('hex').slice(0, 16);
};

// buildServer compiles the server the way scripts/test does (no cgo) from the working tree. The
// binary is kept per source fingerprint, so the test files after the first, and later runs of
// unchanged code, skip Go's link step.
const buildServer = async () => {
  const goVersion = await run('go', ['version'], { timeout: 30000 });
  const cacheDir = path.join(os.tmpdir(), 'advocateloop-web-tests-build');
  const bin = path.join(cacheDir, `advocateloop-${sourceHash(goVersion)}`);
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(cacheDir, { recursive: true });
  // Built under a private name and renamed, so a test file running alongside never sees half a
  // binary.
  const partial = `${bin}.${process.pid}.partial`;
  try {
    await run('go', ['build', '-o', partial, './backend/cmd/advocateloop'], {
      cwd: REPO_DIR,
      env: { ...process.env, CGO_ENABLED: '0' },
      timeout: 300000,
    });
    fs.renameSync(partial, bin);
  } finally {
    fs.rmSync(partial, { force: true });
  }
  // Binaries of older sources go once they are an hour old.
  for (const name of fs.readdirSync(cacheDir)) {
    const file = path.join(cacheDir, name);
    if (file !== bin && Date.now() - fs.statSync(file).mtimeMs > 3600000) fs.rmSync(file, { force: true });
  }
  return bin;
};

const cli = ({ bin, databaseUrl }, args) =>
  run(bin, args, { env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 30000 });

const parseJSON = (what, stdout) => {
  try {
    return JSON.parse(stdout);
  } catch (err) {
    throw new Error(`${what} printed something other than JSON: ${stdout}`);
  }
};

// createPractice runs `advocateloop practice create` and returns its JSON (slug, api_key, …).
const createPractice = async (server, name, adminEmail) => {
  const practice = parseJSON(
    'practice create',
    await cli(server, ['practice', 'create', '--name', name, '--admin-email', adminEmail]),
  );
  if (!practice.slug || !practice.api_key) {
    throw new Error(`practice create printed no slug or api_key: ${JSON.stringify(practice)}`);
  }
  return practice;
};

// updateSettings runs `advocateloop practice settings`, the only way from outside the process to
// put the test page's origin into the practice's allowed_origins.
const updateSettings = async (server, slug, settings) => {
  const flags = {
    'allowed-origins': settings.allowedOrigins && settings.allowedOrigins.join(','),
    offer: settings.friendOffer,
    'welcome-code': settings.welcomeCode,
    'booking-url': settings.bookingUrl,
    'brand-color': settings.brandColor,
  };
  const args = ['practice', 'settings', '--slug', slug];
  for (const [flag, value] of Object.entries(flags)) {
    if (value !== undefined) args.push(`--${flag}`, value);
  }
  let stdout;
  try {
    stdout = await cli(server, args);
  } catch (err) {
    if (/usage: advocateloop practice create|unknown command|flag provided but not defined/.test(err.stderr || '')) {
      throw new Error(
        'advocateloop has no working `practice settings --slug S --allowed-origins … --offer … ' +
          '--welcome-code … --booking-url … --brand-color …` command, which these tests need to allow ' +
          `the test page's origin and set the friend offer.\n${err.message}`,
      );
    }
    throw err;
  }
  return parseJSON('practice settings', stdout);
};

// freePort asks the kernel for a free loopback port and gives it back; the server binds it a
// moment later, so startServer retries when another process took it in between.
const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

// serveOnce runs `advocateloop serve` on 127.0.0.1:port and resolves once its JSON log says it
// is listening there.
const serveOnce = ({ bin, databaseUrl }, port, env, timeoutMs) =>
  new Promise((resolve, reject) => {
    const baseUrl = `http://127.0.0.1:${port}`;
    const child = spawn(bin, ['serve'], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        ADVOCATELOOP_ADDR: `127.0.0.1:${port}`,
        ADVOCATELOOP_PUBLIC_URL: baseUrl,
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
      const err = new Error(`advocateloop serve on ${baseUrl} ${why}. Its output:\n${output.slice(-40).join('\n')}`);
      err.addressInUse = output.some((line) => /address already in use/i.test(line));
      reject(err);
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
      if (entry.msg === 'listening') {
        settled = true;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ child, baseUrl, output, stop: () => stopServer(child) });
      }
    });
  });

// startServer starts the server on a free port, trying another port (three tries at most) when
// the chosen one was taken before the server could bind it.
const startServer = async (server, env = {}, timeoutMs = 20000) => {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    try {
      return await serveOnce(server, port, env, timeoutMs);
    } catch (err) {
      if (!err.addressInUse || attempt === 3) throw err;
    }
  }
};

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

// apiClient calls the REST API with the practice's key and fails loudly on anything but 2xx.
const apiClient = (baseUrl, apiKey) => async (method, urlPath, body) => {
  const res = await fetch(baseUrl + urlPath, {
    method,
    headers: {
      Authorization: `Bearer ${apiKey}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10000),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${method} ${urlPath} answered ${res.status}: ${text}`);
  }
  return text ? JSON.parse(text) : null;
};

module.exports = {
  apiClient,
  buildServer,
  createPractice,
  makeTempDir,
  startServer,
  updateSettings,
};
