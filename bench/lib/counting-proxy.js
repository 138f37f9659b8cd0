'use strict';
// A counting HTTP proxy in front of Keycloak. Every app under test and the
// token helper talk to Keycloak through it, so:
// - JWKS fetches (and introspection calls) of each app are counted without
//   touching src/: an app's count is the difference between two snapshots;
// - the Host header passes through unchanged, so Keycloak (start-dev, no fixed
//   hostname) names the proxy in `iss` and in every discovery URL, and tokens,
//   discovery and JWKS agree on one issuer.
// It runs in its own process so the load generator's event loop never delays it.

const http = require('node:http');
const { fork } = require('node:child_process');

const CATEGORIES = [
  ['jwks', /\/protocol\/openid-connect\/certs$/],
  ['introspect', /\/protocol\/openid-connect\/token\/introspect$/],
  ['userinfo', /\/protocol\/openid-connect\/userinfo$/],
  ['token', /\/protocol\/openid-connect\/token$/],
  ['discovery', /\/\.well-known\/openid-configuration$/],
];

function categoryOf(url) {
  const pathname = url.split('?')[0];
  for (const [name, pattern] of CATEGORIES) if (pattern.test(pathname)) return name;
  return 'other';
}

function serve(targetPort) {
  const counts = Object.fromEntries([...CATEGORIES.map(([name]) => [name, 0]), ['other', 0]]);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  const server = http.createServer((req, res) => {
    counts[categoryOf(req.url)]++;
    const upstream = http.request(
      { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));
  process.on('message', (message) => {
    if (message && message.type === 'counts') process.send({ type: 'counts', id: message.id, counts: { ...counts } });
  });
  process.on('disconnect', () => process.exit(0));
}

/** Starts the proxy process; resolves to { url, counts(), stop() }. */
function startCountingProxy(targetPort) {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--serve', String(targetPort)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const pending = new Map();
    let nextId = 0;
    child.on('message', (message) => {
      if (message.type === 'ready') {
        resolve({
          url: `http://127.0.0.1:${message.port}`,
          pid: child.pid,
          counts: () =>
            new Promise((done) => {
              const id = nextId++;
              pending.set(id, done);
              child.send({ type: 'counts', id });
            }),
          stop: () => {
            if (child.connected) child.disconnect();
            child.kill('SIGTERM');
          },
        });
      } else if (message.type === 'counts') {
        pending.get(message.id)?.(message.counts);
        pending.delete(message.id);
      }
    });
    child.once('exit', (code) => reject(new Error(`counting proxy exited early (code ${code})`)));
  });
}

/** Per-category difference of two snapshots. */
function countsSince(before, after) {
  return Object.fromEntries(Object.keys(after).map((key) => [key, after[key] - (before[key] ?? 0)]));
}

if (require.main === module && process.argv[2] === '--serve') serve(Number(process.argv[3]));

module.exports = { startCountingProxy, countsSince, categoryOf };
