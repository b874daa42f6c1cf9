/**
 * A small interactive shell for `kubectl exec -it <pod> -- sh`: a prompt, line editing (echo, backspace,
 * Ctrl-C, Ctrl-D), `exit`, and the commands of commands.ts. Without a tty it reads commands line by line.
 */
import type { ExecIO } from './channel-protocol.ts';
import { words, type ExecTarget } from './commands.ts';
import { runScript } from './script.ts';

export function runShell(target: ExecTarget, io: ExecIO, tty: boolean): void {
  const prompt = tty ? `root@${target.pod.metadata.name}:/# ` : '';
  const out = (t: string) => io.stdout(tty ? t.replace(/\r?\n/g, '\r\n') : t);
  let line = '';
  let busy = Promise.resolve();
  let last = 0;
  const run = (text: string): Promise<void> => {
    const argv = words(text.trim());
    if (!argv.length) return Promise.resolve();
    if (argv[0] === 'exit') {
      io.exit(Number(argv[1] ?? last) || 0);
      return Promise.resolve();
    }
    if (argv[0] === 'cd') return Promise.resolve();
    return runScript(target, text).then((r) => {
      out(r.stdout);
      if (r.stderr) (tty ? out : io.stderr)(r.stderr);
      last = r.code;
    });
  };
  const queue = (text: string) => {
    busy = busy.then(() => run(text)).then(() => {
      if (tty) io.stdout(prompt);
    });
  };
  if (tty) io.stdout(prompt);
  io.onStdin(
    (data) => {
      for (const ch of data) {
        if (!tty) {
          if (ch === '\n') {
            queue(line);
            line = '';
          } else line += ch;
          continue;
        }
        if (ch === '\r' || ch === '\n') {
          io.stdout('\r\n');
          const text = line;
          line = '';
          if (text.trim()) busy = busy.then(() => run(text)).then(() => io.stdout(prompt));
          else io.stdout(prompt);
        } else if (ch === '\x7f' || ch === '\b') {
          if (line) {
            line = line.slice(0, -1);
            io.stdout('\b \b');
          }
        } else if (ch === '\x03') {
          line = '';
          io.stdout(`^C\r\n${prompt}`);
        } else if (ch === '\x04') {
          if (!line) {
            io.stdout('exit\r\n');
            io.exit(last);
          }
        } else if (ch >= ' ') {
          line += ch;
          io.stdout(ch);
        }
      }
    },
    () => {
      void busy.then(() => (line.trim() ? run(line) : undefined)).then(() => io.exit(last));
    },
  );
}
