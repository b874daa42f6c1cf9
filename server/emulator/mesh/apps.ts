/**
 * The Travels services' business logic as the simulator needs it (kiali/demos travel_agency/*.go):
 * who each service calls for each request, how failures propagate (GetTravelQuote → 404 on any
 * failed leg, GetDestinations → 200 [] when hotels fails), one MySQL connection per leaf request.
 */
import type { MeshEngine, MeshRequest, Outcome } from './engine.ts';
import { SERVICE_MEDIAN_MS } from './latency.ts';
import type { PodInfo, ServiceInfo } from './topology.ts';

const DEFAULT_TARGETS: Record<string, string> = {
  HOTELS_SERVICE: 'http://hotels.travel-agency:8000',
  FLIGHTS_SERVICE: 'http://flights.travel-agency:8000',
  CARS_SERVICE: 'http://cars.travel-agency:8000',
  INSURANCES_SERVICE: 'http://insurances.travel-agency:8000',
  DISCOUNTS_SERVICE: 'http://discounts.travel-agency:8000',
  MYSQL_SERVICE: 'mysqldb.travel-agency:3306',
  TRAVELS_AGENCY_SERVICE: 'http://travels.travel-agency:8000',
};

/** Host part of a URL-ish env value: `http://hotels.travel-agency:8000` → `hotels.travel-agency`. */
export function hostOf(url: string): string {
  return url.replace(/^[a-z]+:\/\//, '').split('/')[0].split(':')[0];
}

/** The service a pod's env var points at (undefined: DNS would fail). */
export function targetOf(engine: MeshEngine, pod: PodInfo, envName: string): ServiceInfo | undefined {
  const url = pod.env[envName] ?? DEFAULT_TARGETS[envName];
  return url ? engine.service(hostOf(url), pod.namespace) : undefined;
}

const ok = (latency: number, respBytes: number): Outcome => ({ code: 200, flags: '-', latency, transport: false, body: 'json', respBytes });
const fail = (code: number, latency: number): Outcome => ({ code, flags: '-', latency, transport: false, body: 'json', respBytes: 40 });

function tag(pod: PodInfo): string {
  return `[${pod.workload.app || pod.workload.name}/${pod.workload.version || 'v1'}]`;
}

function describe(req: MeshRequest): string {
  const h = req.headers;
  return `from [${h.portal ?? ''}]. Device [${h.device ?? ''}]. User [${h.user ?? ''}]. Travel [${h.travel ?? ''}]`;
}

function getDestinations(engine: MeshEngine, pod: PodInfo, req: MeshRequest, t: number, n: number, conc: number): Outcome {
  const own = engine.jitter(SERVICE_MEDIAN_MS.travels);
  engine.appLog?.(pod, `${tag(pod)} GetDestinations ${describe(req)}`, t);
  const hotels = targetOf(engine, pod, 'HOTELS_SERVICE');
  if (!hotels) return fail(500, own);
  const r = engine.call(pod, hotels, { kind: 'hotelsList', method: 'GET', path: '/hotels', headers: req.headers, trace: req.trace }, t + own / 2, n, conc);
  const latency = own + r.latency;
  if (r.transport) return fail(500, latency);
  if (r.code >= 400) return { ...ok(latency, 2), body: 'empty' };
  return ok(latency, 2900);
}

const LEGS: { env: string; path: string; when: (travel: string) => boolean }[] = [
  { env: 'HOTELS_SERVICE', path: '/hotels/', when: () => true },
  { env: 'INSURANCES_SERVICE', path: '/insurances/', when: () => true },
  { env: 'FLIGHTS_SERVICE', path: '/flights/', when: (tt) => tt === 't1' || tt === 't2' },
  { env: 'CARS_SERVICE', path: '/cars/', when: (tt) => tt === 't1' || tt === 't3' },
];

function getTravelQuote(engine: MeshEngine, pod: PodInfo, req: MeshRequest, t: number, n: number, conc: number): Outcome {
  const own = engine.jitter(SERVICE_MEDIAN_MS.travels);
  const city = req.city ?? 'Rome';
  engine.appLog?.(pod, `${tag(pod)} GetTravelQuote ${describe(req)} for [city: ${city}]`, t);
  const travel = req.headers.travel || 't1';
  let slowest = 0;
  let failed = false;
  for (const leg of LEGS) {
    if (!leg.when(travel)) continue;
    const svc = targetOf(engine, pod, leg.env);
    if (!svc) {
      failed = true;
      continue;
    }
    // The legs run in parallel: the quote waits for the slowest.
    const r = engine.call(pod, svc, { kind: 'leafCity', method: 'GET', path: leg.path + city, headers: req.headers, city, trace: req.trace }, t + own / 2, n, conc);
    slowest = Math.max(slowest, r.latency);
    if (r.transport || r.code >= 400) failed = true;
  }
  const latency = own + slowest;
  return failed ? fail(404, latency) : ok(latency, 1800);
}

function leaf(engine: MeshEngine, pod: PodInfo, req: MeshRequest, t: number, n: number, conc: number): Outcome {
  const name = pod.behaviour;
  let latency = engine.jitter(SERVICE_MEDIAN_MS[name] ?? 5);
  const list = req.kind === 'hotelsList';
  if (list && name !== 'hotels') return fail(404, latency);
  if (!list) engine.appLog?.(pod, `${tag(pod)} Get${name[0].toUpperCase()}${name.slice(1)} for city ${req.city ?? ''}`, t);
  const db = targetOf(engine, pod, 'MYSQL_SERVICE');
  const dbOk = db ? engine.connect(pod, db, t + latency / 2, n) : 0;
  latency += engine.jitter(SERVICE_MEDIAN_MS.mysqldb);
  if (dbOk < n) return fail(500, latency);
  const user = req.headers.user;
  if (!list && user) {
    const discounts = targetOf(engine, pod, 'DISCOUNTS_SERVICE');
    if (discounts) {
      engine.appLog?.(pod, `${tag(pod)} Applying discount for user ${user}`, t);
      const r = engine.call(pod, discounts, { kind: 'discount', method: 'GET', path: `/discounts/${user}`, headers: req.headers, trace: req.trace }, t + latency, n, conc);
      latency += r.latency;
    }
  }
  return ok(latency, list ? 2600 : 700);
}

/** Serves one request (or a batch) on a pod according to its Travels role. */
export function serveApp(engine: MeshEngine, pod: PodInfo, req: MeshRequest, t: number, n: number, conc: number): Outcome {
  switch (pod.behaviour) {
    case 'travels':
      if (req.kind === 'destinations') return getDestinations(engine, pod, req, t, n, conc);
      if (req.kind === 'quote') return getTravelQuote(engine, pod, req, t, n, conc);
      return fail(404, engine.jitter(1));
    case 'hotels':
    case 'flights':
    case 'cars':
    case 'insurances':
      return leaf(engine, pod, req, t, n, conc);
    case 'discounts':
      return ok(engine.jitter(SERVICE_MEDIAN_MS.discounts), 60);
    case 'portal':
      return ok(engine.jitter(SERVICE_MEDIAN_MS.portal), req.kind === 'portalStatus' ? 1400 : 200);
    case 'control':
      return control(engine, pod, req, t, n, conc);
    case 'mysqldb':
    case 'loadtester':
      // Nothing speaks HTTP there: the connection is refused.
      return { code: 0, flags: 'UF', latency: 1, transport: true, body: 'none', respBytes: 0 };
    default:
      return ok(engine.jitter(SERVICE_MEDIAN_MS.generic), 300);
  }
}

/** The portals travel-control talks to, from PORTAL_SERVICES (`name;url,name;url`). */
export function controlPortals(pod: PodInfo): { name: string; host: string }[] {
  const raw = pod.env.PORTAL_SERVICES ?? 'voyages.fr;http://voyages.travel-portal:8000,viaggi.it;http://viaggi.travel-portal:8000,travels.uk;http://travels.travel-portal:8000';
  return raw.split(',').filter(Boolean).map((pair) => {
    const [name, url = ''] = pair.split(';');
    return { name, host: hostOf(url) };
  });
}

function control(engine: MeshEngine, pod: PodInfo, req: MeshRequest, t: number, n: number, conc: number): Outcome {
  const own = engine.jitter(SERVICE_MEDIAN_MS.control);
  if (req.kind === 'controlStatus') {
    let slowest = 0;
    engine.controlResults.clear();
    for (const p of controlPortals(pod)) {
      const svc = engine.service(p.host, pod.namespace);
      if (!svc) {
        engine.controlResults.set(p.name, false);
        continue;
      }
      const r = engine.call(pod, svc, { kind: 'portalStatus', method: 'GET', path: '/status', headers: {} }, t + own, n, conc);
      engine.controlResults.set(p.name, !r.transport && r.code < 400);
      slowest = Math.max(slowest, r.latency);
    }
    return ok(own + slowest, 4200);
  }
  if (req.kind === 'controlSettings') {
    const target = controlPortals(pod).find((p) => req.path.endsWith(`/${p.name}`));
    if (!target) return fail(404, own);
    const svc = engine.service(target.host, pod.namespace);
    if (!svc) return fail(500, own);
    const r = engine.call(pod, svc, { kind: 'portalSettings', method: 'PUT', path: '/settings', headers: {} }, t + own, n, conc);
    return r.code < 400 ? ok(own + r.latency, 200) : fail(r.code, own + r.latency);
  }
  return ok(own, 9000);
}
