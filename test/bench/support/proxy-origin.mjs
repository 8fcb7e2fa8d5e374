// The benchmark's origin server, in its own process so neither path shares an event loop with it:
// /small answers 64 bytes, /big answers BIG_BYTES (from one prebuilt buffer). Prints its port.
import { createServer } from 'node:http';

const big = Number(process.argv[2]);
const block = Buffer.alloc(1024 * 1024, 0x5a);
const small = Buffer.alloc(64, 0x61);
const server = createServer((req, res) => {
  req.resume();
  if (req.url === '/big') {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': big });
    let sent = 0;
    const pump = () => {
      while (sent < big) {
        const n = Math.min(block.length, big - sent);
        sent += n;
        if (!res.write(n === block.length ? block : block.subarray(0, n))) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': small.length });
  res.end(small);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
