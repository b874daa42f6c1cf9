/**
 * Tables of the service-networking kinds (printers.go `printService`, `printEndpoints`, `printEndpointSlice`,
 * `printIngress`): CLUSTER-IP, EXTERNAL-IP (`<none>`, `<pending>`, load-balancer IPs), PORT(S) as `80:31380/TCP`.
 */
import type { KObject } from '../store/types.ts';
import type { Printer } from './types.ts';
import { col, nameCol, ageCol, age, obj, arr, str, num, spec, status, formatLabels, listWithMore, type Obj } from './columns.ts';
import { swaggerDoc } from './swagger-docs.ts';

/** loadBalancerStatusStringer (wide): unique ingress IPs or hostnames, sorted. */
function lbIngress(o: KObject): string {
  const seen = new Set<string>();
  for (const i of arr(obj(status(o).loadBalancer).ingress).map(obj)) {
    if (str(i.ip)) seen.add(str(i.ip));
    else if (str(i.hostname)) seen.add(str(i.hostname));
  }
  return [...seen].sort().join(',');
}

function externalIp(o: KObject): string {
  const sp = spec(o);
  const externalIPs = arr(sp.externalIPs).map(String);
  switch (sp.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = lbIngress(o);
      if (externalIPs.length) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return str(sp.externalName);
    default:
      return '<unknown>';
  }
}

function ports(list: unknown): string {
  return arr(list)
    .map(obj)
    .map((p) => {
      const proto = str(p.protocol) || 'TCP';
      return num(p.nodePort) > 0 ? `${num(p.port)}:${num(p.nodePort)}/${proto}` : `${num(p.port)}/${proto}`;
    })
    .join(',');
}

export const servicePrinter: Printer = {
  columns: () => [
    nameCol(),
    col('Type', 'string', swaggerDoc('ServiceSpec', 'type')),
    col('Cluster-IP', 'string', swaggerDoc('ServiceSpec', 'clusterIP')),
    col('External-IP', 'string', swaggerDoc('ServiceSpec', 'externalIPs')),
    col('Port(s)', 'string', swaggerDoc('ServiceSpec', 'ports')),
    ageCol(),
    col('Selector', 'string', swaggerDoc('ServiceSpec', 'selector'), 1),
  ],
  cells: (o, now) => {
    const sp = spec(o);
    const clusterIPs = arr(sp.clusterIPs).map(String);
    const internal = clusterIPs[0] ?? (str(sp.clusterIP) || '<none>');
    return [o.metadata.name, str(sp.type), internal, externalIp(o), ports(sp.ports) || '<none>', age(o, now), formatLabels(sp.selector)];
  },
};

/** formatEndpoints with no port filter: up to 3 `ip:port` entries, then "+ N more...". */
function formatEndpoints(o: KObject): string {
  const subsets = arr(o.subsets).map(obj);
  if (!subsets.length) return '<none>';
  const list: string[] = [];
  let count = 0;
  const add = (text: string): void => {
    if (list.length < 3) list.push(text);
  };
  for (const ss of subsets) {
    const addrs = arr(ss.addresses).map(obj);
    const ssPorts = arr(ss.ports).map(obj);
    if (!ssPorts.length) {
      count += addrs.length;
      addrs.forEach((a) => add(str(a.ip)));
      continue;
    }
    for (const p of ssPorts) {
      count += addrs.length;
      for (const a of addrs) add(joinHostPort(str(a.ip), num(p.port)));
    }
  }
  const ret = list.join(',');
  return count > 3 ? `${ret} + ${count - 3} more...` : ret;
}

const joinHostPort = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

export const endpointsPrinter: Printer = {
  columns: () => [nameCol(), col('Endpoints', 'string', swaggerDoc('Endpoints', 'subsets')), ageCol()],
  cells: (o, now) => [o.metadata.name, formatEndpoints(o), age(o, now)],
};

function discoveryPorts(list: Obj[]): string {
  const names = list.map((p) => (typeof p.port === 'number' ? String(p.port) : typeof p.name === 'string' ? p.name : '*'));
  return listWithMore(names, names.length, 3, '<unset>');
}

function discoveryEndpoints(list: Obj[]): string {
  if (!list.length) return '<unset>';
  const addrs = list.flatMap((e) => arr(e.addresses).map(String));
  return listWithMore(addrs, addrs.length, 3, '<unset>');
}

export const endpointSlicePrinter: Printer = {
  columns: () => [
    nameCol(),
    col('AddressType', 'string', swaggerDoc('EndpointSlice', 'addressType')),
    col('Ports', 'string', swaggerDoc('EndpointSlice', 'ports')),
    col('Endpoints', 'string', swaggerDoc('EndpointSlice', 'endpoints')),
    ageCol(),
  ],
  cells: (o, now) => [
    o.metadata.name,
    str(o.addressType),
    discoveryPorts(arr(o.ports).map(obj)),
    discoveryEndpoints(arr(o.endpoints).map(obj)),
    age(o, now),
  ],
};

/** formatHosts: up to three rule hosts; "+ N more..." counts rules (with or without a host) past three. */
function ingressHosts(rules: Obj[]): string {
  const list: string[] = [];
  let more = false;
  for (const r of rules) {
    if (list.length === 3) more = true;
    if (!more && str(r.host)) list.push(str(r.host));
  }
  if (!list.length) return '*';
  return more ? `${list.join(',')} + ${rules.length - 3} more...` : list.join(',');
}

export const ingressPrinter: Printer = {
  columns: () => [
    nameCol(),
    col('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'string', 'Ports of TLS configurations that open'),
    ageCol(),
  ],
  cells: (o, now) => {
    const sp = spec(o);
    return [
      o.metadata.name,
      str(sp.ingressClassName) || '<none>',
      ingressHosts(arr(sp.rules).map(obj)),
      lbIngress(o),
      arr(sp.tls).length ? '80, 443' : '80',
      age(o, now),
    ];
  },
};
