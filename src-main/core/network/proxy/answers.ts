/**
 * The proxy's own answers when it refuses or cannot serve: a short plain-text HTTP response that closes the
 * connection, written straight to the socket (the request may not have been parsed far enough for a
 * ServerResponse to exist).
 */
import type { Socket } from 'node:net';

/**
 * How long the proxy keeps reading (and dropping) what a refused client still sends after the answer:
 * closing with unread input makes the kernel send a reset, which can destroy the answer before the client
 * reads it (a header bomb is still being sent when it is refused).
 */
const LINGER_MS = 2000;

export function answerAndClose(socket: Socket, status: number, reason: string, text: string): void {
  if (socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${text}\n`;
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  const cut = setTimeout(() => socket.destroy(), LINGER_MS);
  cut.unref();
  socket.once('close', () => clearTimeout(cut));
  socket.once('end', () => socket.destroy());
  socket.on('data', () => {});
  socket.resume();
}
