/**
 * Which addresses count as local: loopback, private, shared (CGNAT), link-local, benchmarking, multicast,
 * reserved and unspecified, in IPv4 and IPv6, and IPv4 written as IPv6 (::ffff:a.b.c.d or ::ffff:hhhh:hhhh).
 * A request to an address a user typed (a policy page, a TSA) goes there only when the workbench's host allows.
 */
import { BlockList, isIP } from 'node:net';

const LOCAL = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) LOCAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) LOCAL.addSubnet(net, prefix, 'ipv6');

/** Anything that is not an IP address is treated as local (refused): only resolved addresses are judged. */
export function isLocalAddress(address: string): boolean {
  const family = isIP(address);
  if (!family) return true;
  // ::ffff:a.b.c.d is the IPv4 address a.b.c.d (a v6 rule for the whole mapped range would also catch every IPv4 address).
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isLocalAddress(mapped);
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const [hi, lo] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
    return isLocalAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  return LOCAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
