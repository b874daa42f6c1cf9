/**
 * `curl` inside a container: resolves in-cluster names (svc, svc.ns, svc.ns.svc.cluster.local) to
 * Services and asks the mesh simulator for the answer, with curl's own wording for failures.
 */
import type { CommandOutput, ExecTarget } from './commands.ts';
import { meshHandlers } from '../handlers/service-proxy.ts';

const SERVICES = { group: '', resource: 'services' };

export async function curl(target: ExecTarget, args: string[]): Promise<CommandOutput> {
  const url = args.find((a) => /^https?:\/\//.test(a) || (!a.startsWith('-') && a.includes('.'))) ?? args.find((a) => !a.startsWith('-'));
  if (!url) return { stdout: '', stderr: "curl: try 'curl --help' or 'curl --manual' for more information\n", code: 2 };
  const silent = args.some((a) => /^-[a-zA-Z]*s/.test(a));
  const headOnly = args.includes('-I') || args.includes('--head');
  let parsed: URL;
  try {
    parsed = new URL(/^https?:\/\//.test(url) ? url : `http://${url}`);
  } catch {
    return { stdout: '', stderr: `curl: (3) URL using bad/illegal format or missing URL\n`, code: 3 };
  }
  const [svcName, nsPart] = parsed.hostname.split('.');
  const ns = nsPart && nsPart !== 'svc' ? nsPart : (target.pod.metadata.namespace ?? 'default');
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  const svc = target.cluster.ctx.store.get(SERVICES, ns, svcName);
  if (!svc) return { stdout: '', stderr: silent ? '' : `curl: (6) Could not resolve host: ${parsed.hostname}\n`, code: 6 };
  const mesh = await meshHandlers();
  if (!mesh.handleServiceRequest) {
    return { stdout: '', stderr: silent ? '' : `curl: (7) Failed to connect to ${parsed.hostname} port ${port} after 0 ms: Couldn't connect to server\n`, code: 7 };
  }
  const answer = await mesh.handleServiceRequest(target.cluster, ns, svcName, port, {
    host: parsed.host,
    method: headOnly ? 'HEAD' : 'GET',
    path: parsed.pathname + parsed.search,
    headers: { host: parsed.host, 'user-agent': 'curl/8.5.0', accept: '*/*' },
  });
  if (headOnly) {
    const headers = Object.entries(answer.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    return { stdout: `HTTP/1.1 ${answer.status}\r\n${headers}\r\n`, stderr: '', code: 0 };
  }
  return { stdout: answer.body, stderr: '', code: 0 };
}
