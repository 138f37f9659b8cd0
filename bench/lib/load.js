'use strict';
// One autocannon run against one route, with either one reused bearer token,
// none, or a list of tokens each sent exactly once (autocannon calls
// `setupRequest` exactly once per request it sends, and `amount` stops it at
// the end of the list).

const autocannon = require('autocannon');

/**
 * @param {object} run
 * @param {string} run.url          base URL of the server
 * @param {string} run.path
 * @param {number} run.connections
 * @param {number} [run.durationSec] duration-bound run
 * @param {string} [run.token]      one token for every request
 * @param {string[]} [run.tokens]   distinct tokens, each used once (amount-bound run)
 * @param {number} [run.overallRate] requests per second across all connections
 * @returns {Promise<LoadResult>}
 */
function runLoad(run) {
  const options = {
    url: `${run.url}${run.path}`,
    connections: run.connections,
    pipelining: 1,
    timeout: 10,
  };
  if (run.tokens) {
    let next = 0;
    const tokens = run.tokens;
    options.amount = tokens.length;
    options.connections = Math.min(run.connections, tokens.length);
    options.requests = [
      {
        setupRequest: (request) => {
          request.headers = { ...request.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` };
          return request;
        },
      },
    ];
  } else {
    options.duration = run.durationSec;
    if (run.token) options.headers = { authorization: `Bearer ${run.token}` };
  }
  if (run.overallRate) options.overallRate = run.overallRate;

  return new Promise((resolve, reject) => {
    let firstAt;
    let lastAt;
    const instance = autocannon(options, (error, result) => {
      if (error) return reject(error);
      // autocannon reports an amount-bound run's duration only to its next 1 s
      // sample tick; the first request and last response give the real span.
      const elapsedSec = lastAt !== undefined ? (lastAt - firstAt) / 1000 : result.duration;
      const completed = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
      resolve({
        completed,
        ok: result['2xx'],
        non2xx: result.non2xx,
        statusCodes: result.statusCodeStats,
        errors: result.errors,
        timeouts: result.timeouts,
        elapsedSec,
        rps: completed / elapsedSec,
        okRps: result['2xx'] / elapsedSec,
        latencyP50: result.latency.p50,
        latencyP99: result.latency.p99,
        latencyMax: result.latency.max,
        tokensUsed: run.tokens ? Math.min(run.tokens.length, completed) : undefined,
      });
    });
    instance.on('start', () => {
      firstAt = performance.now();
    });
    instance.on('response', () => {
      lastAt = performance.now();
    });
  });
}

/** Unmeasured load so an app's hot paths are compiled before the first measured run. */
async function warmUp(url, path, token, settings) {
  if (settings.warmupSec === 0) return;
  await runLoad({ url, path, token, connections: settings.connections, durationSec: settings.warmupSec });
}

module.exports = { runLoad, warmUp };
