/**
 * Drives the pure mesh core with hand-built objects and a hand-moved clock, and exposes it as a
 * MeshHandle so the Kiali builders can be queried exactly as the API serves them.
 */
import { seededRng } from '../../seeded-rng.ts';
import type { KObject } from '../../store/types.ts';
import type { MeshHandle } from '../index.ts';
import { MeshSimulator } from '../simulator.ts';
import { travelsObjects } from './travels-fixture.ts';
import type { MeshObjects } from '../topology.ts';

export { seededRng };

export interface Harness extends MeshHandle {
  objects: MeshObjects;
  /** Replaces the objects (as a store change would) at the current time. */
  apply(objs: MeshObjects): void;
  /** Moves simulated time forward, ticking once per simulated second. */
  run(ms: number): void;
  /** What the containers logged, as "pod/container line" (the first 5000 lines). */
  logs: string[];
}

export const T0 = Date.UTC(2026, 0, 1);

export function harness(opts: Parameters<typeof travelsObjects>[0] & { seed?: number; istio?: KObject[] } = {}): Harness {
  let now = T0;
  const logs: string[] = [];
  const sim = new MeshSimulator({ rng: seededRng(opts.seed ?? 7), log: (_ns, pod, c, line) => { if (logs.length < 5000) logs.push(`${pod}/${c} ${line}`); } });
  let objects = travelsObjects(opts);
  sim.setObjects(objects, now);
  const h: Harness = {
    sim,
    logs,
    get objects() { return objects; },
    sync: () => sim.advance(now),
    now: () => now,
    snapshot: () => sim.snapshot(),
    dispose: () => {},
    apply(objs) {
      objects = objs;
      sim.setObjects(objs, now);
    },
    run(ms) {
      const end = now + ms;
      while (now < end) {
        now = Math.min(end, now + 1000);
        sim.advance(now);
      }
    },
  };
  return h;
}
