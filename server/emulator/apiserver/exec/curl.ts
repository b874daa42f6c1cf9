/**
 * `curl` inside a container: resolves in-cluster names (svc, svc.ns, svc.ns.svc.cluster.local) to
 * Services and asks the mesh simulator for the answer as that pod (through its sidecar, when it has one),
 * with curl's own wording for failures and the request's time in `-w %{time_total}`.
 */
import type { CommandOutput, ExecTarget } from './commands.ts';
import { meshHandlers } from '../handlers/service-proxy.ts';

const SERVICES = { group: '', resource: 'services' };

/** Options whose value is the next argument. */
const TAKES_VALUE = new Set(['-o', '--output', '-w', '--write-out', '-H', '--header', '-X', '--request', '-d', '--data', '--data-raw',
  '--data-binary', '-m', '--max-time', '--connect-timeout', '-A', '--user-agent', '-u', '--user', '-e', '--referer', '-b', '--cookie',
  '--retry', '--resolve']);

/** Longest real wait for one answer: a misconfigured rule must not hold a learner's terminal for minutes. */
const MAX_WAIT_MS = 60_000;

interface CurlArgs { url?: string; flags: Set<string>; values: Map<string, string[]> }

function parseArgs(args: string[]): CurlArgs {
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  let url: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (TAKES_VALUE.has(a)) {
      values.set(a, [...(values.get(a) ?? []), args[++i] ?? '']);
    } else if (a.startsWith('--')) flags.add(a);
    else if (a.startsWith('-') && a.length > 1) for (const ch of a.slice(1)) flags.add(`-${ch}`);
    else url ??= a;
  }
  return { url, flags, values };
}

const value = (c: CurlArgs, ...names: string[]) => names.flatMap((n) => c.values.get(n) ?? []).at(-1);

/** curl's -w: the variables scripts use, and \n. */
function writeOut(format: string, status: number, bytes: number, seconds: number): string {
  return format
    .replace(/%\{(http_code|response_code)\}/g, String(status).padStart(3, '0'))
    .replace(/%\{time_total\}/g, seconds.toFixed(6))
    .replace(/%\{size_download\}/g, String(bytes))
    .replace(/\\n/g, '\n');
}

export async function curl(target: ExecTarget, args: string[]): Promise<CommandOutput> {
  const c = parseArgs(args);
  const url = c.url;
  if (!url) return { stdout: '', stderr: "curl: try 'curl --help' or 'curl --manual' for more information\n", code: 2 };
  const silent = c.flags.has('-s') || c.flags.has('--silent');
  const showErrors = !silent || c.flags.has('-S') || c.flags.has('--show-error');
  const headOnly = c.flags.has('-I') || c.flags.has('--head');
  let parsed: URL;
  try {
    parsed = new URL(/^https?:\/\//.test(url) ? url : `http://${url}`);
  } catch {
    return { stdout: '', stderr: showErrors ? 'curl: (3) URL using bad/illegal format or missing URL\n' : '', code: 3 };
  }
  const [svcName, nsPart] = parsed.hostname.split('.');
  const ns = nsPart && nsPart !== 'svc' ? nsPart : (target.pod.metadata.namespace ?? 'default');
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  const svc = target.cluster.ctx.store.get(SERVICES, ns, svcName);
  if (!svc) return { stdout: '', stderr: showErrors ? `curl: (6) Could not resolve host: ${parsed.hostname}\n` : '', code: 6 };
  const mesh = await meshHandlers();
  const refused = (ms: number): CommandOutput => ({
    stdout: '', stderr: showErrors ? `curl: (7) Failed to connect to ${parsed.hostname} port ${port} after ${Math.max(0, Math.round(ms))} ms: Couldn't connect to server\n` : '', code: 7,
  });
  if (!mesh.handlePodRequest) return refused(0);
  const headers: Record<string, string> = { host: parsed.host, 'user-agent': 'curl/8.5.0', accept: '*/*' };
  for (const h of c.values.get('-H') ?? []) {
    const at = h.indexOf(':');
    if (at > 0) headers[h.slice(0, at).trim().toLowerCase()] = h.slice(at + 1).trim();
  }
  const data = value(c, '-d', '--data', '--data-raw', '--data-binary');
  const method = value(c, '-X', '--request') ?? (headOnly ? 'HEAD' : data !== undefined ? 'POST' : 'GET');
  const from = { namespace: target.pod.metadata.namespace ?? 'default', name: target.pod.metadata.name ?? '' };
  const reply = await mesh.handlePodRequest(target.cluster, from, ns, svcName, {
    host: parsed.host, method, path: parsed.pathname + parsed.search, headers, ...(data !== undefined && { body: data }),
  });
  // The answer takes as long as the mesh says (a 5 s delay is felt), in the cluster's time; -m caps it.
  const maxSeconds = Number(value(c, '-m', '--max-time'));
  const timedOut = maxSeconds > 0 && reply.latencyMs > maxSeconds * 1000;
  const waitMs = timedOut ? maxSeconds * 1000 : reply.latencyMs;
  await new Promise((r) => setTimeout(r, Math.min(MAX_WAIT_MS, waitMs / target.cluster.ctx.clock.timeScale)));
  if (timedOut) {
    return { stdout: '', stderr: showErrors ? `curl: (28) Operation timed out after ${Math.round(waitMs)} milliseconds with 0 bytes received\n` : '', code: 28 };
  }
  if (!reply.response) return refused(reply.latencyMs);
  const answer = reply.response;
  const head = `HTTP/1.1 ${answer.status}\r\n${Object.entries(answer.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  const failed = (c.flags.has('-f') || c.flags.has('--fail')) && answer.status >= 400;
  const body = headOnly || failed ? '' : answer.body;
  const toNull = value(c, '-o', '--output') !== undefined;
  let stdout = toNull ? '' : (headOnly || c.flags.has('-i') || c.flags.has('--include') ? head : '') + body;
  const format = value(c, '-w', '--write-out');
  // curl's own connect and transfer time on top of the mesh's (a 2 s timeout reads 2.00x, not 2.000000).
  const clientMs = 0.2 + Math.random() * 3;
  if (format !== undefined) stdout += writeOut(format, answer.status, Buffer.byteLength(body), (reply.latencyMs + clientMs) / 1000);
  let stderr = '';
  if (c.flags.has('-v') || c.flags.has('--verbose')) {
    stderr += `*   Trying ${parsed.hostname}:${port}...\n* Connected to ${parsed.hostname} port ${port}\n> ${method} ${parsed.pathname + parsed.search} HTTP/1.1\n`
      + Object.entries(headers).map(([k, v]) => `> ${k}: ${v}\n`).join('') + '>\n' + head.replace(/^/gm, '< ').replace(/\r/g, '').trimEnd() + '\n';
  }
  if (failed) {
    if (showErrors) stderr += `curl: (22) The requested URL returned error: ${answer.status}\n`;
    return { stdout, stderr, code: 22 };
  }
  return { stdout, stderr, code: 0 };
}
