import * as net from 'node:net';

/** A TCP port on 127.0.0.1 that nothing listens on (just now): for "connection refused" cases and servers started by others. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
