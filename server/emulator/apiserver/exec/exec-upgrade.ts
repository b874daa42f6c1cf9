/**
 * `pods/{name}/exec` over WebSocket (kubectl 1.30+ default): checks the pod and container like the
 * apiserver, upgrades with the channel protocol, then runs the command or an interactive shell.
 * attach gives a shell (stdin) or the container's output; portforward answers 400 with a message
 * saying why (kubectl prints it as `error upgrading connection: <message>`).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Cluster } from '../../cluster.ts';
import { parseApiPath } from '../request-path.ts';
import { statusObject, notFound, badRequest, pathNotFound, type StatusBody } from '../status-errors.ts';
import { channelIO, PROTOCOLS } from './channel-protocol.ts';
import { runCommand, type ExecTarget } from './commands.ts';
import { runScript } from './script.ts';
import { runShell } from './shell.ts';

const wss = new WebSocketServer({
  noServer: true,
  handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
});

const SHELLS = new Set(['sh', 'bash', 'ash', 'zsh', '/bin/sh', '/bin/bash', '/bin/ash', '/usr/bin/bash']);

function refuse(socket: Duplex, s: StatusBody): void {
  const body = JSON.stringify(statusObject(s));
  const reason = s.code === 404 ? 'Not Found' : s.code === 400 ? 'Bad Request' : 'Error';
  socket.end(
    `HTTP/1.1 ${s.code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** A forwarded port would open only inside the learner's sandbox, where nothing could use it. */
export const PORT_FORWARD_UNAVAILABLE =
  "port-forward is not available in the lab's embedded cluster: reach services with curl to the ingress gateway or kubectl exec; Kiali's views are on the chapter pages";

export function handleUpgrade(cluster: Cluster, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const path = parseApiPath(url.pathname);
  if (path.type !== 'resource' || path.group !== '' || path.resource !== 'pods' || !path.name || path.namespace === undefined) {
    return refuse(socket, pathNotFound());
  }
  if (path.subresource === 'portforward') return refuse(socket, badRequest(PORT_FORWARD_UNAVAILABLE));
  if (path.subresource !== 'exec' && path.subresource !== 'attach') return refuse(socket, badRequest('Upgrade request required'));
  const pods = { group: '', resource: 'pods' };
  const pod = cluster.ctx.store.get(pods, path.namespace, path.name);
  if (!pod) return refuse(socket, notFound(pods, path.name));
  const spec = pod.spec as { containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] } | undefined;
  const names = [...(spec?.containers ?? []), ...(spec?.initContainers ?? []), ...(spec?.ephemeralContainers ?? [])].map((c) => c.name);
  const container = url.searchParams.get('container') ?? names[0] ?? '';
  if (!names.includes(container)) return refuse(socket, badRequest(`container ${container} is not valid for pod ${path.name}`));
  const command = url.searchParams.getAll('command');
  const tty = url.searchParams.get('tty') === 'true';
  const stdin = url.searchParams.get('stdin') === 'true';
  wss.handleUpgrade(req, socket, head, (ws) => {
    const io = channelIO(ws, command);
    const target: ExecTarget = { cluster, pod, container };
    if (path.subresource === 'attach') return attach(target, io, stdin, tty);
    if (SHELLS.has(command[0] ?? '') && command.length === 1 && stdin) {
      runShell(target, io, tty);
    } else {
      void runArgv(target, command).then((r) => finish(io, r));
    }
  });
}

/**
 * attach: a debug container started with a command runs it and exits with its code; with stdin the
 * container's shell answers (a debug container's default); without, its output streams.
 */
function attach(target: ExecTarget, io: ReturnType<typeof channelIO>, stdin: boolean, tty: boolean): void {
  const spec = ((target.pod.spec as { ephemeralContainers?: { name: string; command?: string[]; args?: string[] }[] } | undefined)?.ephemeralContainers ?? [])
    .find((c) => c.name === target.container);
  const argv = [...(spec?.command ?? []), ...(spec?.args ?? [])];
  if (argv.length && !(SHELLS.has(argv[0]) && argv.length === 1)) {
    void runArgv(target, argv).then((r) => finish(io, r));
    return;
  }
  if (stdin) return runShell(target, io, tty);
  const ns = target.pod.metadata.namespace ?? '';
  const stop = target.cluster.ctx.logs.follow(ns, target.pod.metadata.name, target.container, (line) =>
    io.stdout(line.endsWith('\n') ? line : `${line}\n`),
  );
  io.onClose(stop);
}

/** A container command: `sh -c '…'` through the small shell (script.ts), anything else as is. */
function runArgv(target: ExecTarget, argv: string[]): ReturnType<typeof runCommand> {
  const [cmd, flag, script] = argv;
  return SHELLS.has(cmd ?? '') && flag === '-c' && script !== undefined ? runScript(target, script) : runCommand(target, argv);
}

function finish(io: ReturnType<typeof channelIO>, r: { stdout: string; stderr: string; code: number; failure?: string }): void {
  if (r.stdout) io.stdout(r.stdout);
  if (r.stderr) io.stderr(r.stderr);
  io.exit(r.code, r.failure);
}
