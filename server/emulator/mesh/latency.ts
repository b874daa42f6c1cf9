/**
 * Latency draws for the simulated services: log-normal around a median, the usual shape of service
 * response times, from the injected RNG so runs are reproducible.
 */

/** A log-normal sample with the given median (ms) and spread (sigma of the underlying normal). */
export function logNormal(rng: () => number, medianMs: number, sigma = 0.35): number {
  const u1 = Math.max(rng(), 1e-12);
  const u2 = rng();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return medianMs * Math.exp(sigma * z);
}

/** Median processing time (ms) of each Travels role, excluding its downstream calls. */
export const SERVICE_MEDIAN_MS: Record<string, number> = {
  travels: 3,
  hotels: 6,
  flights: 7,
  cars: 6,
  insurances: 5,
  discounts: 2,
  portal: 1,
  control: 2,
  generic: 2,
  mysqldb: 2,
};

/** Time a proxy adds per hop (ms). */
export const PROXY_HOP_MS = 0.6;
