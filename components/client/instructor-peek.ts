/**
 * Read-only live view of an attendee's terminal: xterm.js with stdin disabled, fed by the server's
 * one-way SSE stream (replay first, then live output). There is no input path in either direction:
 * the terminal ignores keys and the stream has no upstream. Loaded lazily when the instructor opens it.
 */
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import type { PeekEvents } from '../../protocol/instructor.ts';
import { sseEvents } from './instructor-api.ts';

export interface Peek {
  close(): void;
}

export function openPeek(host: HTMLElement, url: string, onState: (state: string) => void): Peek {
  const term = new Terminal({ disableStdin: true, cursorBlink: false, convertEol: false, fontSize: 13, scrollback: 5000 });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(host);
  fit.fit();
  (window as unknown as { __peek?: Terminal }).__peek = term; // tests read the buffer, as for learner terminals
  const es = new EventSource(url);
  const on = sseEvents<PeekEvents>(es);
  on('replay', (r) => {
    term.reset();
    term.write(r.data);
    onState('live');
  });
  on('data', (d) => term.write(d.data));
  es.onerror = () => onState(es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
  const onResize = () => fit.fit();
  window.addEventListener('resize', onResize);
  return {
    close() {
      es.close();
      window.removeEventListener('resize', onResize);
      term.dispose();
    },
  };
}
