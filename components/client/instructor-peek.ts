/**
 * Read-only live view of an attendee's terminal: xterm.js with stdin disabled, fed by the server's
 * one-way SSE stream (replay first, then live output). There is no input path in either direction:
 * the terminal ignores keys and the stream has no upstream. Loaded lazily when the instructor opens it.
 */
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { PeekEvents } from '../../protocol/instructor.ts';
import { sseEvents } from './instructor-api.ts';

export interface Peek {
  close(): void;
}

/**
 * The view draws at the learner's own terminal size, not the panel's: bash redraws a long command line
 * with cursor moves computed for the learner's width, which garble at any other width. A wider terminal
 * than the panel scrolls sideways (the panel's CSS).
 */
export function openPeek(host: HTMLElement, url: string, onState: (state: string) => void): Peek {
  // lineHeight 1.2: at 1 the cell clips underscores (see terminal-client.ts).
  const term = new Terminal({ disableStdin: true, cursorBlink: false, convertEol: false, fontSize: 13, lineHeight: 1.2, scrollback: 5000 });
  term.open(host);
  (window as unknown as { __peek?: Terminal }).__peek = term; // tests read the buffer, as for learner terminals
  const es = new EventSource(url);
  const on = sseEvents<PeekEvents>(es);
  on('replay', (r) => {
    term.reset();
    // Each part at the size the learner's shell wrote it at; a write's callback runs before the next
    // write is parsed, so every resize lands between the right bytes.
    for (const part of r.parts) {
      term.write('', () => term.resize(part.cols, part.rows));
      term.write(part.data);
    }
    term.write('', () => term.resize(r.cols, r.rows));
    onState('live');
  });
  on('size', (s) => term.resize(s.cols, s.rows));
  on('data', (d) => term.write(d.data));
  es.onerror = () => onState(es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
  return {
    close() {
      es.close();
      term.dispose();
    },
  };
}
