'use strict';

// A practice's own website, played by a tiny HTTP server on another origin than AdvocateLoop's.
// Its CSS is deliberately hostile: every inherited property the widget could pick up is set to
// something loud, and buttons are hidden, so a widget that is not isolated by its shadow root
// shows it at once.

const http = require('node:http');

const HOSTILE_CSS = `
  * { color: red !important; font-size: 40px; font-family: "Comic Sans MS", cursive;
      line-height: 2; letter-spacing: 4px; text-transform: uppercase; text-align: right; }
  button { display: none; }
  input { border: 6px dotted lime; }
  body { background: #fff; margin: 0 8px; }
`;

const escapeAttr = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

const hostPage = ({ serverUrl, slug }) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Glow Aesthetics: a practice's own site</title>
<style>${HOSTILE_CSS}</style>
</head>
<body>
<main>
<h1 id="host-heading">Our spa</h1>
<p id="host-text">Welcome.</p>
<script src="${escapeAttr(serverUrl)}/widget.js" data-practice="${escapeAttr(slug)}" async></script>
<p id="host-after">Book today.</p>
</main>
</body>
</html>
`;

// startHostPage serves the page on host (a loopback address) at a free port; page() supplies the
// AdvocateLoop address and slug when a request arrives, since the server starts after this.
const startHostPage = (host, page) =>
  new Promise((resolve, reject) => {
    const server = http.createServer((req, res) => {
      if (req.method !== 'GET' || req.url !== '/') {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(hostPage(page()));
    });
    server.once('error', (err) => reject(new Error(`test page server on ${host} could not start: ${err.message}`)));
    server.listen(0, host, () => {
      const origin = `http://${host}:${server.address().port}`;
      resolve({
        origin,
        url: `${origin}/`,
        stop: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });

module.exports = { startHostPage };
