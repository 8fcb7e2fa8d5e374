/**
 * A phone that comes online over the real ADB transport and accepts every service (getprop, shell...) but
 * never sends a byte back: a hung adbd, or a phone stuck mid-boot. It counts the streams the adb server
 * keeps open on it, so a test can tell whether abandoned requests were really closed end to end.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { DeviceConnection } from '../../src-main/core/virtual-device/protocol/connection.js';

export interface SilentPhone {
  serial: string;
  /** Streams opened by the host and not yet closed by it. */
  readonly openStreams: number;
  /** Every service the host asked for, in order. */
  readonly services: string[];
  /** The services of the streams still open (one entry per stream). */
  readonly openServices: string[];
  stop(): Promise<void>;
}

export async function startSilentPhone(model = 'Silent'): Promise<SilentPhone> {
  let open = 0;
  const services: string[] = [];
  const openServices: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    new DeviceConnection(socket, {
      banner: () => `device::ro.product.name=silent;ro.product.model=${model};ro.product.device=silent;features=`,
      requireAuth: false,
      openService: (service) => {
        services.push(service);
        return (stream) => {
          open++;
          openServices.push(service);
          stream.once('close', () => {
            open--;
            openServices.splice(openServices.indexOf(service), 1);
          });
        };
      },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    serial: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    get openStreams() {
      return open;
    },
    services,
    get openServices() {
      return [...openServices];
    },
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
