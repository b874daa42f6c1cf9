/**
 * The heavy half of <travels-terminal>, loaded only when a terminal is needed: xterm.js with the fit
 * and web-links addons, wired to a TerminalConnection. Exposes each xterm as window.__terms[name]
 * (tests read the buffer from there).
 */
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
import '@xterm/xterm/css/xterm.css';
import { TerminalConnection, type ConnectionState, type Replay } from './connection.ts';
import { sessionLost, sessionToken } from './session.ts';

declare global {
  interface Window {
    __terms?: Record<string, Terminal>;
    __termConns?: Record<string, TerminalConnection>;
  }
}

export interface MountOptions {
  name: string;
  onState(s: ConnectionState, detail?: string): void;
  onExit(code: number | null, reason?: string): void;
  /** Plain-text output for the screen-reader transcript (only called while enabled). */
  onText?(text: string): void;
}

export interface MountedTerminal {
  term: Terminal;
  conn: TerminalConnection;
  setTranscript(on: boolean): void;
  dispose(): void;
}

export function mountTerminal(screen: HTMLElement, opts: MountOptions): MountedTerminal {
  const term = new Terminal({
    cursorBlink: true,
    convertEol: false,
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
    fontSize: 14,
    // At a line height of 1 the cell clips the glyphs' descent: underscores vanish at 1× pixel ratio
    // ("travel_agency.yaml" reads "travel agency.yaml").
    lineHeight: 1.2,
    scrollback: 5000,
    theme: { background: '#1b1e24', foreground: '#e6e6e6' },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.loadAddon(new WebLinksAddon());
  term.open(screen);
  safeFit(fit);
  let transcript = false;
  const decoder = new TextDecoder();
  // While a replay written at another width is drawn, the terminal keeps that width (see reset below).
  let replayingUntil: number | undefined;
  /** The widths the shell changed to inside that replay, by seq, still ahead of the output drawn. */
  let replayResizes: Replay['resizes'] = [];
  // Replayed output may hold a program's terminal queries (vim asks for the cursor position, colours…):
  // xterm answers them while drawing, and those answers, meant for a program long gone, would be typed
  // into today's shell. They are dropped while replayed bytes are being parsed.
  let replayEnd = 0;
  let parsingReplay = 0;
  const fitNow = () => {
    if (replayingUntil === undefined) safeFit(fit);
  };

  const conn = new TerminalConnection({
    name: opts.name,
    token: sessionToken,
    handlers: {
      output: (bytes, rendered, endSeq) => {
        // Inside a replay, change width at the byte where the shell's width changed (see reset below).
        let rest = bytes;
        let start = endSeq - bytes.byteLength;
        while (replayResizes.length && replayResizes[0].seq < endSeq) {
          const { seq, cols } = replayResizes.shift()!;
          const cut = Math.max(0, seq - start);
          // The callback runs once the bytes before the change are parsed, before any later write is.
          term.write(rest.subarray(0, cut), () => {
            if (replayingUntil !== undefined && cols !== term.cols) term.resize(cols, term.rows);
          });
          rest = rest.subarray(cut);
          start += cut;
        }
        const replayed = endSeq <= replayEnd;
        if (replayed) parsingReplay++;
        term.write(rest, () => {
          if (replayed) parsingReplay--;
          rendered();
          if (replayingUntil !== undefined && endSeq >= replayingUntil) {
            replayingUntil = undefined;
            fitNow(); // back to this screen's width: xterm reflows the lines it wrapped
          }
        });
        if (transcript && opts.onText) opts.onText(stripAnsi(decoder.decode(bytes, { stream: true })));
      },
      reset: (newShell, replay) => {
        replayingUntil = undefined;
        replayResizes = [];
        replayEnd = replay?.end ?? 0;
        term.reset();
        // Said in the terminal itself, where the learner is looking: the old scrollback is not coming back.
        if (newShell) term.write('\x1b[2m[A new shell: the one shown here before has ended. Your cluster and progress are kept.]\x1b[0m\r\n');
        // Bash redraws its command line with cursor moves computed for the width it had; replayed at another
        // width they garble the history (a phone's session resumed on a laptop, or a window resized while
        // the shell ran). Replay at the widths the shell had, changing where it did, then reflow to ours.
        if (replay && (replay.cols !== term.cols || replay.resizes.some((r) => r.cols !== term.cols))) {
          replayingUntil = replay.end;
          replayResizes = replay.resizes.filter((r) => r.seq < replay.end);
          if (replay.cols !== term.cols) term.resize(replay.cols, term.rows);
        }
      },
      state: (s, d) => {
        // Keys typed while no shell listens would be dropped without a word: the cursor stops taking them.
        term.options.disableStdin = s !== 'connected';
        if (s !== 'connected' && replayingUntil !== undefined) {
          replayingUntil = undefined; // the replay was cut off: this screen's width again
          replayResizes = [];
          fitNow();
        }
        opts.onState(s, d);
      },
      exit: (code, _signal, reason) => opts.onExit(code, reason),
      sessionGone: () => sessionLost(),
      size: () => ({ cols: term.cols, rows: term.rows }),
    },
  });
  // A lone Esc is held back for a moment: if Tab follows, the learner is leaving the terminal (below)
  // and the shell must not get the Esc (readline would take it with the next key as a Meta chord,
  // eating a letter of the next command). Any other key sends it first, in order.
  let heldEscape: ReturnType<typeof setTimeout> | undefined;
  const releaseEscape = () => {
    if (heldEscape === undefined) return;
    clearTimeout(heldEscape);
    heldEscape = undefined;
    conn.send('\x1b');
  };
  term.onData((d) => {
    if (parsingReplay > 0) return; // xterm's answers to replayed queries (see replayEnd)
    if (d === '\x1b') {
      releaseEscape();
      heldEscape = setTimeout(releaseEscape, ESCAPE_HOLD_MS);
      return;
    }
    releaseEscape();
    conn.send(d);
  });
  // The replay's temporary width is this page's business only: the shell keeps this screen's size.
  term.onResize(({ cols, rows }) => {
    if (replayingUntil === undefined) conn.resize(cols, rows);
  });
  // Esc then Tab leaves the terminal (xterm otherwise keeps Tab for shell completion): keyboard users
  // must never be trapped.
  let lastWasEscape = false;
  term.attachCustomKeyEventHandler((e) => {
    if (e.type !== 'keydown') return true;
    if (e.key === 'Tab' && lastWasEscape) {
      lastWasEscape = false;
      clearTimeout(heldEscape); // the Esc was for leaving, not for the shell
      heldEscape = undefined;
      return false;
    }
    lastWasEscape = e.key === 'Escape';
    // Ctrl+V pastes, as learners expect on a web page (readline's rarely used quoted-insert gives it up):
    // xterm leaves the key to the browser, whose paste event xterm then handles.
    if (e.ctrlKey && !e.shiftKey && !e.altKey && !e.metaKey && e.key.toLowerCase() === 'v') return false;
    return true;
  });
  const ro = new ResizeObserver(fitNow);
  ro.observe(screen);
  window.__terms ??= {};
  window.__terms[opts.name] = term;
  window.__termConns ??= {};
  window.__termConns[opts.name] = conn;
  conn.connect();
  return {
    term,
    conn,
    setTranscript(on) {
      transcript = on;
      term.options.screenReaderMode = on;
    },
    dispose() {
      ro.disconnect();
      conn.close();
      term.dispose();
      if (window.__terms?.[opts.name] === term) delete window.__terms[opts.name];
    },
  };
}

/** How long a lone Esc waits for a Tab (leaving the terminal) before it goes to the shell. */
const ESCAPE_HOLD_MS = 400;

function safeFit(fit: FitAddon): void {
  try {
    fit.fit();
  } catch {
    // Not laid out yet (hidden); the ResizeObserver fits again when it is.
  }
}

// Strips CSI/OSC escape sequences and bare control characters for the plain-text transcript.
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78DEHM]|[\x00-\x08\x0b-\x1f\x7f]/g;
export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}
