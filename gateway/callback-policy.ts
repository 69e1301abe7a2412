/**
 * Where an async callback may go: http(s) only; loopback, private and public addresses are fine (a home lab
 * calls back into itself), link-local and cloud metadata endpoints are refused unless GANGLION_CALLBACK_ALLOW
 * names them. Checked when the call is queued and again on every address the callback connects to.
 */
import dns from 'node:dns';
import net from 'node:net';

const METADATA_HOSTS = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'metadata.azure.com', 'instance-data', 'instance-data.ec2.internal']);

const refused = new net.BlockList();
refused.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local, incl. 169.254.169.254 (AWS, GCP, Azure, OpenStack metadata)
refused.addSubnet('100.100.100.200', 32, 'ipv4'); // Alibaba Cloud metadata
refused.addSubnet('0.0.0.0', 8, 'ipv4');
refused.addSubnet('224.0.0.0', 4, 'ipv4');
refused.addAddress('255.255.255.255', 'ipv4');
refused.addSubnet('fe80::', 10, 'ipv6');
refused.addAddress('fd00:ec2::254', 'ipv6'); // AWS IPv6 metadata
refused.addAddress('::', 'ipv6');
refused.addSubnet('ff00::', 8, 'ipv6');

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

/** Whether a resolved address may be called; IPv4-mapped IPv6 is judged as IPv4. */
export function addressAllowed(address: string, allow: string[] = []): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped ? (mapped[1] as string) : address;
  if (inAllowList(ip, allow)) return true;
  const family = net.isIP(ip);
  if (family === 0) return false;
  return !refused.check(ip, family === 4 ? 'ipv4' : 'ipv6');
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
  if (net.isIP(host) && !addressAllowed(host, allow)) return { ok: false, reason: `X-Callback-Url address ${host} is link-local, metadata or unroutable and is refused; allow it with GANGLION_CALLBACK_ALLOW=${host}/32 if you mean it` };
  return { ok: true, url };
}

/** Full check including DNS: every address the name resolves to must be allowed. */
export async function checkCallbackTarget(raw: string, allow: string[] = []): Promise<PolicyResult> {
  const first = checkCallbackUrl(raw, allow);
  if (!first.ok) return first;
  const host = first.url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) || inAllowList(host, allow)) return first;
  let addresses: dns.LookupAddress[];
  try {
    addresses = await dns.promises.lookup(host, { all: true });
  } catch (err) {
    return { ok: false, reason: `X-Callback-Url host ${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  const bad = addresses.find((a) => !addressAllowed(a.address, allow));
  if (bad) return { ok: false, reason: `X-Callback-Url host ${host} resolves to ${bad.address}, a link-local or metadata address, and is refused; allow it with GANGLION_CALLBACK_ALLOW if you mean it` };
  return first;
}

/** A dns lookup for http.request that refuses disallowed addresses at connect time (no DNS rebinding around the check). */
export type Resolver = (hostname: string, options: { family: number; all: true }) => Promise<dns.LookupAddress[]>;

export function guardedLookup(allow: string[] = [], resolve: Resolver = (h, o) => dns.promises.lookup(h, o)): net.LookupFunction {
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
