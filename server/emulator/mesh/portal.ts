/**
 * One travel portal's traffic generator (kiali/demos travel_portal.go): a strictly sequential loop of
 * GetDestinations then GetTravelQuote with business headers chosen from per-cycle budgets, a sleep
 * set by request_ratio, the settings API travel-control drives, and the /status document it reports.
 */
import { z } from 'zod';

export const PORTAL_DEFAULTS: Record<string, { name: string; country: string; coordinates: [number, number] }> = {
  voyages: { name: 'voyages.fr', country: 'France', coordinates: [48.86131, 2.337418] },
  viaggi: { name: 'viaggi.it', country: 'Italy', coordinates: [41.890668, 12.492194] },
  travels: { name: 'travels.uk', country: 'United Kingdom', coordinates: [55.956245, -3.187915] },
};

export const CITIES: { city: string; coordinates: [number, number] }[] = [
  ['Amsterdam', 52.3676, 4.9041], ['Andorra', 42.5063, 1.5218], ['Athens', 37.9838, 23.7275], ['Belgrade', 44.7866, 20.4489],
  ['Berlin', 52.52, 13.405], ['Bern', 46.948, 7.4474], ['Bratislava', 48.1486, 17.1077], ['Brussels', 50.8503, 4.3517],
  ['Bucharest', 44.4268, 26.1025], ['Budapest', 47.4979, 19.0402], ['Chisinau', 47.0105, 28.8638], ['Copenhagen', 55.6761, 12.5683],
  ['Dublin', 53.3498, -6.2603], ['Helsinki', 60.1699, 24.9384], ['Kiev', 50.4501, 30.5234], ['Lisbon', 38.7223, -9.1393],
  ['Ljubljana', 46.0569, 14.5058], ['London', 51.5074, -0.1278], ['Luxembourg', 49.6116, 6.1319], ['Madrid', 40.4168, -3.7038],
  ['Minsk', 53.9006, 27.559], ['Monaco', 43.7384, 7.4246], ['Moscow', 55.7558, 37.6173], ['Nicosia', 35.1856, 33.3823],
  ['Nuuk', 64.1814, -51.6941], ['Oslo', 59.9139, 10.7522], ['Paris', 48.8566, 2.3522], ['Podgorica', 42.4304, 19.2594],
  ['Prague', 50.0755, 14.4378], ['Reykjavik', 64.1466, -21.9426], ['Riga', 56.9496, 24.1052], ['Rome', 41.9028, 12.4964],
  ['San Marino', 43.9424, 12.4578], ['Sarajevo', 43.8563, 18.4131], ['Skopje', 41.9981, 21.4254], ['Sofia', 42.6977, 23.3219],
  ['Stockholm', 59.3293, 18.0686], ['Tallinn', 59.437, 24.7536], ['Tirana', 41.3275, 19.8187], ['Vaduz', 47.141, 9.5209],
  ['Valletta', 35.8989, 14.5146], ['Vatican City', 41.9029, 12.4534], ['Vienna', 48.2082, 16.3738], ['Vilnius', 54.6872, 25.2797],
  ['Warsaw', 52.2297, 21.0122], ['Zagreb', 45.815, 15.9819],
].slice(0, 45).map(([city, lat, lon]) => ({ city: city as string, coordinates: [lat as number, lon as number] }));

export const portalSettingsSchema = z.object({
  request_ratio: z.number().min(0).max(100),
  devices: z.object({ web: z.number().min(0), mobile: z.number().min(0) }),
  users: z.object({ registered: z.number().min(0), new: z.number().min(0) }),
  travel_type: z.object({ t1: z.number().min(0), t2: z.number().min(0), t3: z.number().min(0) }),
});
export type PortalSettings = z.infer<typeof portalSettingsSchema>;

export const defaultSettings = (): PortalSettings => ({
  request_ratio: 50,
  devices: { web: 50, mobile: 50 },
  users: { registered: 50, new: 50 },
  travel_type: { t1: 34, t2: 33, t3: 33 },
});

type Counts = { total: number; devices: { web: number; mobile: number }; users: { registered: number; new: number }; travel_type: { t1: number; t2: number; t3: number } };
const zeroCounts = (): Counts => ({ total: 0, devices: { web: 0, mobile: 0 }, users: { registered: 0, new: 0 }, travel_type: { t1: 0, t2: 0, t3: 0 } });

export interface PortalState {
  pod: string;
  namespace: string;
  name: string;
  country: string;
  coordinates: [number, number];
  settings: PortalSettings;
  counter: number;
  budgets: { devices: Record<string, number>; users: Record<string, number>; travel: Record<string, number> };
  /** The decoded city list is non-empty (GetTravelQuote happens only then). */
  citiesKnown: boolean;
  nextAt: number;
  requests: Counts;
  perCity: Map<string, Counts>;
  restarts: number;
}

export function newPortal(pod: string, namespace: string, workload: string, env: Record<string, string>, start: number): PortalState {
  const d = PORTAL_DEFAULTS[workload] ?? { name: env.PORTAL_NAME ?? workload, country: 'Unknown', coordinates: [0, 0] as [number, number] };
  const coords = env.PORTAL_COORDINATES?.split(',').map(Number);
  const settings = defaultSettings();
  return {
    pod, namespace,
    name: env.PORTAL_NAME ?? d.name,
    country: env.PORTAL_COUNTRY ?? d.country,
    coordinates: coords && coords.length === 2 && coords.every((x) => !Number.isNaN(x)) ? [coords[0], coords[1]] : d.coordinates,
    settings, counter: 0, budgets: budgetsFrom(settings), citiesKnown: false, nextAt: start,
    requests: zeroCounts(), perCity: new Map(), restarts: 0,
  };
}

function budgetsFrom(s: PortalSettings): PortalState['budgets'] {
  return { devices: { ...s.devices }, users: { ...s.users }, travel: { ...s.travel_type } };
}

/** Replaces the settings (PUT /settings) and resets the budgets, as the portal does. */
export function applySettings(p: PortalState, s: PortalSettings): void {
  p.settings = structuredClone(s);
  p.budgets = budgetsFrom(p.settings);
}

/** Takes one unit of budget, preferring `want`; refills the dimension from settings when exhausted. */
function take(budget: Record<string, number>, want: string, refill: Record<string, number>): string {
  if (Object.values(budget).every((v) => v <= 0)) Object.assign(budget, refill);
  if ((budget[want] ?? 0) > 0) {
    budget[want]--;
    return want;
  }
  let best = want;
  let most = 0;
  for (const [k, v] of Object.entries(budget)) if (v > most) { most = v; best = k; }
  if (most > 0) budget[best]--;
  return best;
}

/** Next request type: the alternating base pattern corrected by the cycle budgets. */
export function nextRequestType(p: PortalState): { device: string; user: string; travel: string } {
  const c = p.counter++;
  const even = c % 2 === 0;
  return {
    device: take(p.budgets.devices, even ? 'mobile' : 'web', p.settings.devices),
    user: take(p.budgets.users, even ? 'registered' : 'new', p.settings.users),
    travel: take(p.budgets.travel, ['t1', 't2', 't3'][c % 3], p.settings.travel_type),
  };
}

/** Sleep between loops: 15 s × (1 − ratio/100), at least 750 ms. */
export function sleepMs(p: PortalState): number {
  return Math.max(750, 15000 * (1 - p.settings.request_ratio / 100));
}

export function countRequest(p: PortalState, type: { device: string; user: string; travel: string }, city: string): void {
  const add = (c: Counts) => {
    c.total++;
    if (type.device === 'web' || type.device === 'mobile') c.devices[type.device]++;
    if (type.user === 'registered' || type.user === 'new') c.users[type.user]++;
    if (type.travel === 't1' || type.travel === 't2' || type.travel === 't3') c.travel_type[type.travel]++;
  };
  add(p.requests);
  let pc = p.perCity.get(city);
  if (!pc) {
    pc = zeroCounts();
    p.perCity.set(city, pc);
  }
  add(pc);
}

/** A crash wipes the process state: settings, counters, the city list. */
export function resetAfterCrash(p: PortalState, restartAt: number): void {
  p.settings = defaultSettings();
  p.budgets = budgetsFrom(p.settings);
  p.citiesKnown = false;
  p.requests = zeroCounts();
  p.perCity = new Map();
  p.counter = 0;
  p.restarts++;
  p.nextAt = restartAt;
}

/** The portal's GET /status document. Coordinates are [lon, lat] as the portal serves them. */
export function portalStatus(p: PortalState): unknown {
  const cityCoords = new Map(CITIES.map((c) => [c.city, c.coordinates]));
  return {
    name: p.name,
    coordinates: [p.coordinates[1], p.coordinates[0]],
    country: p.country,
    settings: p.settings,
    status: {
      requests: p.requests,
      cities: [...p.perCity.entries()].map(([city, requests]) => {
        const c = cityCoords.get(city) ?? [0, 0];
        return { city, coordinates: [c[1], c[0]], requests };
      }),
      error: false,
    },
  };
}
