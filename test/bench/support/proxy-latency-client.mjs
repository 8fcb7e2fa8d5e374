// The benchmark's latency client, in its own process: N sequential GETs of /small on one keep-alive
// connection, either straight to the origin or through the proxy (absolute URL, as a proxy-aware client
// sends it). Prints one JSON array of per-request milliseconds (request written → response body ended).
import { Agent, request } from 'node:http';

const [originPort, proxyPort, n] = process.argv.slice(2).map(Number);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const viaProxy = proxyPort > 0;
const once = () => new Promise((resolve, reject) => {
  const t = performance.now();
  const req = request(viaProxy
    ? { host: '127.0.0.1', port: proxyPort, path: `http://origin.bench:${originPort}/small`, headers: { host: `origin.bench:${originPort}` }, agent }
    : { host: '127.0.0.1', port: originPort, path: '/small', agent }, (res) => {
    res.resume();
    res.on('end', () => resolve(performance.now() - t));
  });
  req.on('error', reject);
  req.end();
});
const times = [];
for (let i = 0; i < n; i++) times.push(await once());
agent.destroy();
console.log(JSON.stringify(times));
