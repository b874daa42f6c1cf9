/**
 * The part of a POSIX shell a learner's one-liners use inside a container (`sh -c '…'`, or a line typed
 * into `kubectl exec -it … -- sh`): `;`, `&&`, `||`, pipes into a few filters (grep, head, tail, wc -l,
 * sort, cat), `$VAR` / `${VAR}` from the container's environment, and output redirection to /dev/null.
 * Commands themselves are commands.ts's. No globbing, subshells or control flow: those say so.
 */
import { runCommand, type CommandOutput, type ExecTarget } from './commands.ts';
import { containerEnv } from './container-env.ts';
import { compileRe2, type Re2 } from '../../re2.ts';

interface Word { text: string; quoted: boolean }
type Op = ';' | '&&' | '||' | '|';
type Token = { word: Word } | { op: Op } | { redirect: string };

/** Splits a line into words and operators; quotes group, `\` escapes, `$VAR` expands outside '…'. */
export function tokenize(line: string, env: Map<string, string>): Token[] | { error: string } {
  const out: Token[] = [];
  let i = 0;
  const expand = (name: string) => env.get(name) ?? (name === '?' ? '0' : '');
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t') { i++; continue; }
    if (c === '#') break;
    const two = line.slice(i, i + 2);
    if (two === '&&' || two === '||') { out.push({ op: two }); i += 2; continue; }
    if (c === ';' || c === '|') { out.push({ op: c }); i++; continue; }
    if (c === '&') return { error: 'background jobs (&) are not supported here' };
    if (c === '(' || c === ')' || c === '`' || two === '$(') return { error: 'subshells and command substitution are not supported here' };
    const redirect = /^(\d?>>?|\d?<)\s*(&\d|[^\s;|&<>()]+)/.exec(line.slice(i));
    if (redirect && (c === '>' || c === '<' || /\d/.test(c))) {
      if (redirect[1].includes('<')) return { error: 'input redirection is not supported here' };
      const to = redirect[2];
      if (to !== '/dev/null' && to !== '&1' && to !== '&2') return { error: `cannot create ${to}: Read-only file system` };
      out.push({ redirect: redirect[0].replace(/\s+/g, '') });
      i += redirect[0].length;
      continue;
    }
    let text = '';
    let quoted = false;
    while (i < line.length && !/[\s;|&<>()`]/.test(line[i])) {
      const ch = line[i];
      if (ch === "'") {
        const end = line.indexOf("'", i + 1);
        if (end < 0) return { error: 'unterminated quoted string' };
        text += line.slice(i + 1, end);
        quoted = true;
        i = end + 1;
      } else if (ch === '"') {
        let j = i + 1;
        for (; j < line.length && line[j] !== '"'; j++) {
          // Inside "…" a backslash escapes only $ ` " \ (and a newline); "\n" stays two characters.
          if (line[j] === '\\' && j + 1 < line.length && '$`"\\\n'.includes(line[j + 1])) text += line[++j];
          else if (line[j] === '$') {
            const m = /^\$(\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*|\?))/.exec(line.slice(j));
            if (m) { text += expand(m[2] ?? m[3]); j += m[0].length - 1; } else text += '$';
          } else text += line[j];
        }
        if (j >= line.length) return { error: 'unterminated quoted string' };
        quoted = true;
        i = j + 1;
      } else if (ch === '\\' && i + 1 < line.length) {
        text += line[i + 1];
        i += 2;
      } else if (ch === '$') {
        const m = /^\$(\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*|\?))/.exec(line.slice(i));
        if (m) { text += expand(m[2] ?? m[3]); i += m[0].length; } else { text += '$'; i++; }
      } else {
        text += ch;
        i++;
      }
    }
    out.push({ word: { text, quoted } });
  }
  return out;
}

const opAt = (tokens: Token[], i: number): Op | undefined => {
  const t = tokens[i];
  return t && 'op' in t ? t.op : undefined;
};

/** A filter reading the previous command's output. */
function filter(argv: string[], input: string): CommandOutput | undefined {
  const [cmd, ...args] = argv;
  const lines = input.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const joined = (ls: string[]) => (ls.length ? `${ls.join('\n')}\n` : '');
  /** head/tail's line count: `-n N`, `-N`, or the default. */
  const count = (flagArgs: string[], dflt: number) => {
    const short = flagArgs.find((a) => /^-\d+$/.test(a));
    if (short) return Number(short.slice(1));
    const at = flagArgs.indexOf('-n');
    return at >= 0 ? Number(flagArgs[at + 1]) : dflt;
  };
  switch (cmd) {
    case 'cat':
      return args.length ? undefined : { stdout: input, stderr: '', code: 0 };
    case 'grep': {
      const flags = args.filter((a) => a.startsWith('-'));
      const pattern = args.find((a) => !a.startsWith('-'));
      if (pattern === undefined) return { stdout: '', stderr: 'Usage: grep [OPTION]... PATTERNS [FILE]...\n', code: 2 };
      const ignoreCase = flags.some((f) => f.includes('i'));
      let re: Re2;
      try {
        re = compileRe2(pattern, { ignoreCase });
      } catch {
        re = compileRe2(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), { ignoreCase });
      }
      const invert = flags.some((f) => f.includes('v'));
      const hits = lines.filter((l) => re.test(l) !== invert);
      if (flags.some((f) => f.includes('c'))) return { stdout: `${hits.length}\n`, stderr: '', code: hits.length ? 0 : 1 };
      return { stdout: flags.some((f) => f.includes('q')) ? '' : joined(hits), stderr: '', code: hits.length ? 0 : 1 };
    }
    case 'head':
      return { stdout: joined(lines.slice(0, count(args, 10))), stderr: '', code: 0 };
    case 'tail':
      return { stdout: joined(lines.slice(-count(args, 10) || lines.length)), stderr: '', code: 0 };
    case 'wc':
      return { stdout: args.includes('-l') ? `${lines.length}\n` : `${lines.length} ${input.split(/\s+/).filter(Boolean).length} ${Buffer.byteLength(input)}\n`, stderr: '', code: 0 };
    case 'sort':
      return { stdout: joined([...lines].sort()), stderr: '', code: 0 };
  }
  return undefined;
}

/** Shell keywords of control flow, which this small shell does not run. */
const CONTROL = new Set(['for', 'while', 'until', 'if', 'case', 'do', 'done', 'then', 'fi', 'else', 'esac', 'function']);

/** Runs one line; stdout and stderr are collected, the exit code is the last command's. */
export async function runScript(target: ExecTarget, line: string): Promise<CommandOutput> {
  const env = new Map(containerEnv(target.cluster.ctx, target.pod, target.container));
  const tokens = tokenize(line, env);
  if ('error' in tokens) return { stdout: '', stderr: `sh: 1: ${tokens.error}\n`, code: 2 };
  const keyword = tokens.find((t, i) => 'word' in t && !t.word.quoted && CONTROL.has(t.word.text) && (i === 0 || 'op' in tokens[i - 1]));
  if (keyword && 'word' in keyword) return { stdout: '', stderr: `sh: 1: ${keyword.word.text}: loops and conditionals are not supported here (run the commands one by one)\n`, code: 2 };
  let stdout = '';
  let stderr = '';
  let code = 0;
  let i = 0;
  let skip = false;
  while (i < tokens.length) {
    // One pipeline: commands joined by |, each with its redirections.
    let input: string | undefined;
    let pipeCode = 0;
    let pipeOut = '';
    for (;;) {
      const argv: string[] = [];
      const redirects: string[] = [];
      while (i < tokens.length && !('op' in tokens[i])) {
        const t = tokens[i++];
        if ('word' in t) argv.push(t.word.text);
        else if ('redirect' in t) redirects.push(t.redirect);
      }
      if (!skip && argv.length) {
        let r: CommandOutput;
        if (argv[0] === 'exit') r = { stdout: '', stderr: '', code: Number(argv[1] ?? code) || 0 };
        else if (argv[0] === 'cd') r = { stdout: '', stderr: '', code: 0 };
        else r = (input !== undefined ? filter(argv, input) : undefined) ?? await runCommand(target, argv);
        if (r.failure) r = { stdout: '', stderr: `sh: 1: ${argv[0]}: not found\n`, code: 127 };
        const toNull = (fd: string) => redirects.some((x) => x === `${fd}>/dev/null` || (fd === '1' && x === '>/dev/null') || x === `${fd}>>/dev/null`);
        const errToOut = redirects.includes('2>&1');
        let out = toNull('1') ? '' : r.stdout;
        let err = r.stderr;
        if (errToOut) { out += toNull('1') ? '' : err; err = ''; }
        if (toNull('2')) err = '';
        stderr += err;
        pipeOut = out;
        pipeCode = r.code;
      }
      if (opAt(tokens, i) === '|') {
        input = pipeOut;
        pipeOut = '';
        i++;
        continue;
      }
      break;
    }
    if (!skip) {
      stdout += pipeOut;
      code = pipeCode;
    }
    const op = opAt(tokens, i);
    i++;
    // `a && b`: b only when a succeeded; `a || b`: only when it failed; `;` always.
    skip = op === '&&' ? code !== 0 : op === '||' ? code === 0 : false;
  }
  return { stdout, stderr, code };
}
