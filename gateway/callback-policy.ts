/**
 * Where an async callback may go: http(s) to a public address. Loopback, private (RFC 1918, ULA), link-local,
 * CGNAT, NAT64, multicast, unroutable and cloud metadata addresses are refused — a caller must not make the gateway
 * reach into its own host or LAN — unless GANGLION_CALLBACK_ALLOW names them (a home lab calling back into itself).
 * IPv4 inside IPv6 (mapped, NAT64, 6to4) is judged as that IPv4. Checked when the call is queued and again on
 * every address the callback connects to; name lookups have a deadline.
 */
import dns from 'node:dns';
import net from 'node:net';

const METADATA_HOSTS = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'metadata.azure.com', 'instance-data', 'instance-data.ec2.internal']);

/** How long a callback host's name may take to resolve. */
export const DNS_TIMEOUT_MS = 2_000;

const refused = new net.BlockList();
refused.addSubnet('0.0.0.0', 8, 'ipv4'); // "this network"
refused.addSubnet('10.0.0.0', 8, 'ipv4'); // RFC 1918
refused.addSubnet('100.64.0.0', 10, 'ipv4'); // CGNAT (RFC 6598), incl. Alibaba Cloud metadata 100.100.100.200
refused.addSubnet('127.0.0.0', 8, 'ipv4'); // loopback
refused.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local, incl. 169.254.169.254 (AWS, GCP, Azure, OpenStack metadata)
refused.addSubnet('172.16.0.0', 12, 'ipv4'); // RFC 1918
refused.addSubnet('192.0.0.0', 24, 'ipv4'); // IETF protocol assignments
refused.addSubnet('192.168.0.0', 16, 'ipv4'); // RFC 1918
refused.addSubnet('198.18.0.0', 15, 'ipv4'); // benchmarking
refused.addSubnet('224.0.0.0', 3, 'ipv4'); // multicast, reserved, broadcast
refused.addAddress('::', 'ipv6');
refused.addAddress('::1', 'ipv6'); // loopback
refused.addSubnet('fc00::', 7, 'ipv6'); // unique local (ULA), incl. fd00:ec2::254 (AWS IPv6 metadata)
refused.addSubnet('fe80::', 10, 'ipv6'); // link-local
refused.addSubnet('ff00::', 8, 'ipv6'); // multicast
refused.addSubnet('2001::', 32, 'ipv6'); // Teredo: tunnels to an address we cannot see
refused.addSubnet('100::', 64, 'ipv6'); // discard-only
refused.addSubnet('64:ff9b::', 96, 'ipv6'); // NAT64 well-known prefix: reaches IPv4 (the LAN too) through a translator
refused.addSubnet('64:ff9b:1::', 48, 'ipv6'); // NAT64 local-use prefix

/** The IPv4 address carried inside an IPv6 one (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96 and 64:ff9b:1::/48, 6to4 2002::/16). */
function embeddedIPv4(address: string): string | undefined {
  const dotted = /^(?:::ffff:|64:ff9b::|::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return dotted[1];
  if (net.isIP(address) !== 6) return undefined;
  const words = expandIPv6(address);
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zero = (from: number, to: number) => words.slice(from, to).every((w) => w === 0);
  if (zero(0, 5) && words[5] === 0xffff) return v4(words[6]!, words[7]!); // IPv4-mapped
  if (words[0] === 0x64 && words[1] === 0xff9b && zero(2, 6)) return v4(words[6]!, words[7]!); // NAT64 well-known
  if (words[0] === 0x64 && words[1] === 0xff9b && words[2] === 1) return v4(words[6]!, words[7]!); // NAT64 local-use (/48): low bits, RFC 8215
  if (words[0] === 0x2002) return v4(words[1]!, words[2]!); // 6to4
  if (zero(0, 6) && (words[6] !== 0 || words[7]! > 1)) return v4(words[6]!, words[7]!); // IPv4-compatible (deprecated)
  return undefined;
}

function expandIPv6(address: string): number[] {
  let text = address.toLowerCase();
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = (tail[1] as string).split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, -tail[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const parse = (part: string) => (part ? part.split(':').map((w) => parseInt(w, 16)) : []);
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

export type PolicyResult = { ok: true; url: URL } | { ok: false; reason: string };

function inAllowList(host: string, allow: string[]): boolean {
  for (const entry of allow) {
    const [base, bits] = entry.split('/');
    if (!bits) { if (entry.toLowerCase() === host.toLowerCase()) return true; continue; }
    const family = net.isIP(base ?? '');
    const ipFamily = net.isIP(host);
    if (!family || family !== ipFamily) continue;
    const list = new net.BlockList();
    list.addSubnet(base as string, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
    if (list.check(host, family === 4 ? 'ipv4' : 'ipv6')) return true;
  }
  return false;
}

/** Whether a resolved address may be called; an IPv4 address carried in IPv6 is judged as that IPv4 too. */
export function addressAllowed(address: string, allow: string[] = []): boolean {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (inAllowList(ip, allow)) return true;
  const family = net.isIP(ip);
  if (family === 0) return false;
  if (refused.check(ip, family === 4 ? 'ipv4' : 'ipv6')) return false;
  const inner = family === 6 ? embeddedIPv4(ip) : undefined;
  return inner === undefined || addressAllowed(inner, allow);
}

/** A lookup that gives up after `ms` (a resolver that never answers must not hold a request open). */
function lookupWithin(host: string, options: { family?: number; all: true }, ms: number): Promise<dns.LookupAddress[]> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no DNS answer for ${host} within ${ms} ms`), { code: 'ETIMEOUT' })), ms);
  });
  return Promise.race([dns.promises.lookup(host, { ...options, family: options.family ?? 0 }), deadline]).finally(() => clearTimeout(timer));
}

/** Syntax, scheme and (for literal addresses and known names) the address rule; no DNS. */
export function checkCallbackUrl(raw: string, allow: string[] = []): PolicyResult {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: `X-Callback-Url "${raw}" is not a valid URL; send an absolute http(s) URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `X-Callback-Url must be http or https (got ${url.protocol})` };
  if (url.username || url.password) return { ok: false, reason: 'X-Callback-Url must not carry credentials' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (inAllowList(host, allow)) return { ok: true, url };
  if (METADATA_HOSTS.has(host.toLowerCase())) return { ok: false, reason: `X-Callback-Url host ${host} is a cloud metadata endpoint and is refused; allow it with GANGLION_CALLBACK_ALLOW=${host} if you mean it` };
  if (net.isIP(host) && !addressAllowed(host, allow)) return { ok: false, reason: `X-Callback-Url address ${host} is loopback, private, link-local, metadata or unroutable and is refused; allow it with GANGLION_CALLBACK_ALLOW=${host}/32 if you mean it` };
  return { ok: true, url };
}

/** Full check including DNS: every address the name resolves to must be allowed. */
export async function checkCallbackTarget(raw: string, allow: string[] = [], dnsTimeoutMs = DNS_TIMEOUT_MS): Promise<PolicyResult> {
  const first = checkCallbackUrl(raw, allow);
  if (!first.ok) return first;
  const host = first.url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) || inAllowList(host, allow)) return first;
  let addresses: dns.LookupAddress[];
  try {
    addresses = await lookupWithin(host, { all: true }, dnsTimeoutMs);
  } catch (err) {
    return { ok: false, reason: `X-Callback-Url host ${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  const bad = addresses.find((a) => !addressAllowed(a.address, allow));
  if (bad) return { ok: false, reason: `X-Callback-Url host ${host} resolves to ${bad.address}, a loopback, private, link-local or metadata address, and is refused; allow it with GANGLION_CALLBACK_ALLOW if you mean it` };
  return first;
}

/** A dns lookup for http.request that refuses disallowed addresses at connect time (no DNS rebinding around the check). */
export type Resolver = (hostname: string, options: { family: number; all: true }) => Promise<dns.LookupAddress[]>;

export function guardedLookup(allow: string[] = [], resolve: Resolver = (h, o) => lookupWithin(h, o, DNS_TIMEOUT_MS)): net.LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { family: typeof options.family === 'number' ? options.family : 0, all: true }).then(
      (list) => {
        const bad = inAllowList(hostname, allow) ? undefined : list.find((a) => !addressAllowed(a.address, allow));
        if (bad) {
          callback(Object.assign(new Error(`callback host ${hostname} resolves to refused address ${bad.address}`), { code: 'ECALLBACKREFUSED' }), '', 0);
          return;
        }
        if (options.all) return callback(null, list);
        callback(null, list[0]?.address ?? '', list[0]?.family ?? 4);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}
