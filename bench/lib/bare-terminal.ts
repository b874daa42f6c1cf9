/**
 * The least a Node web terminal can be, as a reference for echo latency: one ws server, one bash on
 * node-pty per socket, keystrokes written straight into the pty, output sent as it is read. No sandbox,
 * protocol, sessions, replay or flow control — so only the echo bench uses it, never a flood. Run as its
 * own process (like the servers it is compared with); prints `listening <port>`.
 */
import { writeSync } from 'node:fs';
import { spawn } from 'node-pty';
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
wss.on('connection', (ws) => {
  const pty = spawn('/bin/bash', ['--norc', '--noprofile', '-i'], {
    name: 'xterm-256color',
    cols: 120,
    rows: 40,
    encoding: null,
    env: { ...process.env, PS1: '$ ' } as Record<string, string>,
  });
  const fd = (pty as unknown as { fd: number }).fd;
  (pty.onData as unknown as (cb: (d: Buffer) => void) => void)((d) => ws.send(d));
  ws.on('message', (d: Buffer) => writeSync(fd, d));
  ws.on('close', () => pty.kill());
});
wss.on('listening', () => console.log(`listening ${(wss.address() as { port: number }).port}`));
