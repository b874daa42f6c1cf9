/**
 * The handful of commands a learner runs inside a container with `kubectl exec`: env, hostname, cat
 * of a few well-known files, echo, date, whoami/id, ls, sleep/true/false, and curl to in-cluster
 * services (answered by the mesh simulator). Anything else is "executable file not found", as a
 * real runtime says for a binary the image lacks. `sh -c` lines go through script.ts first.
 */
import type { ClusterContext } from '../../cluster.ts';
import type { Cluster } from '../../cluster.ts';
import type { KObject } from '../../store/types.ts';
import { containerEnv } from './container-env.ts';
import { curl } from './curl.ts';

export interface CommandOutput {
  stdout: string;
  stderr: string;
  code: number;
  /** Set when the runtime itself fails (the command could not start). */
  failure?: string;
}

export interface ExecTarget {
  cluster: Cluster;
  pod: KObject;
  container: string;
}

const ok = (stdout: string): CommandOutput => ({ stdout, stderr: '', code: 0 });
const err = (stderr: string, code = 1): CommandOutput => ({ stdout: '', stderr, code });

function files(ctx: ClusterContext, pod: KObject): Record<string, string> {
  const ns = pod.metadata.namespace ?? 'default';
  const ip = (pod.status as { podIP?: string } | undefined)?.podIP ?? '';
  return {
    '/etc/hostname': `${pod.metadata.name}\n`,
    '/etc/resolv.conf': `search ${ns}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`,
    '/etc/hosts': `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${ip}\t${pod.metadata.name}\n`,
    '/var/run/secrets/kubernetes.io/serviceaccount/namespace': ns,
    '/etc/os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n',
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
  };
}

const ROOT_DIRS = ['bin', 'dev', 'etc', 'home', 'proc', 'root', 'sys', 'tmp', 'usr', 'var'];

/** `ls` over the container's few known files: directories list their entries, files their own name. */
function ls(fs: Record<string, string>, args: string[]): CommandOutput {
  const paths = args.filter((a) => !a.startsWith('-'));
  const entries = (dir: string): string[] | undefined => {
    const d = dir === '/' ? '' : dir.replace(/\/+$/, '');
    if (d === '') return ROOT_DIRS;
    const names = new Set<string>();
    for (const f of Object.keys(fs)) if (f.startsWith(`${d}/`)) names.add(f.slice(d.length + 1).split('/')[0]);
    if (names.size === 0 && !ROOT_DIRS.includes(d.slice(1))) return undefined;
    return [...names].sort();
  };
  let out = '';
  let errOut = '';
  const targets = paths.length ? paths : ['/'];
  for (const p of targets) {
    const abs = p.startsWith('/') ? p : `/${p}`;
    if (fs[abs] !== undefined) {
      out += `${p}\n`;
      continue;
    }
    const list = entries(abs);
    if (!list) {
      errOut += `ls: cannot access '${p}': No such file or directory\n`;
      continue;
    }
    out += `${targets.length > 1 ? `${p}:\n` : ''}${list.map((n) => `${n}\n`).join('')}`;
  }
  return { stdout: out, stderr: errOut, code: errOut ? 2 : 0 };
}

export async function runCommand(target: ExecTarget, argv: string[]): Promise<CommandOutput> {
  const ctx = target.cluster.ctx;
  const [cmd, ...args] = argv;
  const name = (cmd ?? '').split('/').pop() ?? '';
  switch (name) {
    case 'env':
    case 'printenv': {
      const env = containerEnv(ctx, target.pod, target.container);
      if (args.length) {
        const vals = args.map((a) => env.find(([k]) => k === a)?.[1]).filter((v) => v !== undefined);
        return vals.length ? ok(vals.map((v) => `${v}\n`).join('')) : { stdout: '', stderr: '', code: 1 };
      }
      return ok(env.map(([k, v]) => `${k}=${v}\n`).join(''));
    }
    case 'hostname':
      return ok(`${target.pod.metadata.name}\n`);
    case 'echo':
      return ok(`${args.join(' ')}\n`);
    case 'true':
    case 'sleep':
      return ok('');
    case 'false':
      return { stdout: '', stderr: '', code: 1 };
    case 'exit':
      return { stdout: '', stderr: '', code: Number(args[0] ?? 0) || 0 };
    case 'whoami':
      return ok('root\n');
    case 'id':
      return ok('uid=0(root) gid=0(root) groups=0(root)\n');
    case 'date':
      return ok(`${new Date(ctx.clock.now()).toUTCString().replace('GMT', 'UTC')}\n`);
    case 'pwd':
      return ok('/\n');
    case 'ls':
      return ls(files(ctx, target.pod), args);
    case 'cat': {
      const fs = files(ctx, target.pod);
      let out = '';
      for (const f of args) {
        if (fs[f] === undefined) return { stdout: out, stderr: `cat: ${f}: No such file or directory\n`, code: 1 };
        out += fs[f];
      }
      return ok(out);
    }
    case 'curl':
      return curl(target, args);
    default:
      return {
        stdout: '',
        stderr: '',
        code: 126,
        failure: `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "${cmd}": executable file not found in $PATH: unknown`,
      };
  }
}

/** Splits a shell line into words (quotes honoured, no expansion). */
export function words(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

export { err };
