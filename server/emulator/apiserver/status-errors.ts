/**
 * `Status` failures worded exactly as kube-apiserver words them (apimachinery `errors.New*`), because
 * kubectl prints the message verbatim: `Error from server (NotFound): deployments.apps "web" not found`.
 */
import type { ServerResponse } from 'node:http';
import type { ResourceInfo } from '../registry/registry.ts';

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  code: number;
  reason: string;
  message: string;
  details?: StatusDetails;
}

/** A request-ending failure; handlers throw it and the router sends it as a Status. */
export class StatusError extends Error {
  readonly status: StatusBody;
  constructor(status: StatusBody) {
    super(status.message);
    this.status = status;
  }
}

/** `deployments.apps`, `services`: how the apiserver names a resource in messages. */
export function qualified(info: Pick<ResourceInfo, 'group' | 'resource'>): string {
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}

/** `Deployment.apps`, `Service`: the kind-based name used by Invalid errors. */
export function qualifiedKind(info: Pick<ResourceInfo, 'group' | 'kind'>): string {
  return info.group ? `${info.kind}.${info.group}` : info.kind;
}

type Named = Pick<ResourceInfo, 'group' | 'resource'>;

const details = (info: Named, name: string): StatusDetails => ({
  name,
  ...(info.group && { group: info.group }),
  kind: info.resource,
});

export const notFound = (info: Named, name: string): StatusBody => ({
  code: 404,
  reason: 'NotFound',
  message: `${qualified(info)} "${name}" not found`,
  details: details(info, name),
});

export const alreadyExists = (info: Named, name: string): StatusBody => ({
  code: 409,
  reason: 'AlreadyExists',
  message: `${qualified(info)} "${name}" already exists`,
  details: details(info, name),
});

export const conflict = (info: Named, name: string, why: string): StatusBody => ({
  code: 409,
  reason: 'Conflict',
  message: `Operation cannot be fulfilled on ${qualified(info)} "${name}": ${why}`,
  details: details(info, name),
});

export const conflictStale = (info: Named, name: string): StatusBody =>
  conflict(info, name, 'the object has been modified; please apply your changes to the latest version and try again');

export interface FieldProblem {
  field: string;
  /** 'FieldValueInvalid', 'FieldValueRequired', 'FieldValueNotSupported', 'FieldValueForbidden', 'FieldValueDuplicate'. */
  reason: string;
  /** The per-field message, e.g. `Invalid value: -1: must be greater than or equal to 0`. */
  message: string;
}

export function invalid(info: Pick<ResourceInfo, 'group' | 'kind'>, name: string, problems: FieldProblem[]): StatusBody {
  const parts = problems.map((p) => `${p.field}: ${p.message}`);
  const joined = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return {
    code: 422,
    reason: 'Invalid',
    message: `${qualifiedKind(info)} "${name}" is invalid: ${joined}`,
    details: {
      name,
      ...(info.group && { group: info.group }),
      kind: info.kind,
      causes: problems.map((p) => ({ reason: p.reason, message: p.message, field: p.field })),
    },
  };
}

export const badRequest = (message: string): StatusBody => ({ code: 400, reason: 'BadRequest', message });

export const forbidden = (info: Named, name: string, why: string): StatusBody => ({
  code: 403,
  reason: 'Forbidden',
  message: `${qualified(info)} "${name}" is forbidden: ${why}`,
  details: details(info, name),
});

export const namespaceTerminating = (info: Named, name: string, namespace: string): StatusBody => ({
  ...forbidden(info, name, `unable to create new content in namespace ${namespace} because it is being terminated`),
  details: {
    ...details(info, name),
    causes: [
      {
        reason: 'NamespaceTerminating',
        message: `namespace ${namespace} is being terminated`,
        field: 'metadata.namespace',
      },
    ],
  },
});

export const methodNotAllowed = (): StatusBody => ({
  code: 405,
  reason: 'MethodNotAllowed',
  message: 'the server does not allow this method on the requested resource',
  details: {},
});

export const unsupportedMediaType = (accepted: string[]): StatusBody => ({
  code: 415,
  reason: 'UnsupportedMediaType',
  message: `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
});

export const notAcceptable = (accepted: string[]): StatusBody => ({
  code: 406,
  reason: 'NotAcceptable',
  message: `only the following media types are accepted: ${accepted.join(', ')}`,
});

export const pathNotFound = (): StatusBody => ({
  code: 404,
  reason: 'NotFound',
  message: 'the server could not find the requested resource',
  details: {},
});

export const statusUnauthorized = (): StatusBody => ({ code: 401, reason: 'Unauthorized', message: 'Unauthorized' });

export const entityTooLarge = (limit: number): StatusBody => ({
  code: 413,
  reason: 'RequestEntityTooLarge',
  message: `Request entity too large: limit is ${limit}`,
});

export const expired = (message: string): StatusBody => ({ code: 410, reason: 'Expired', message });

export const internalError = (message: string): StatusBody => ({
  code: 500,
  reason: 'InternalError',
  message: `Internal error occurred: ${message}`,
  details: { causes: [{ message }] },
});

/** The JSON a Status failure serialises to, fields in the apiserver's order. */
export function statusObject(s: StatusBody): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: s.message,
    reason: s.reason,
    ...(s.details && { details: s.details }),
    code: s.code,
  };
}

export function sendStatus(res: ServerResponse, s: StatusBody, extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify(statusObject(s));
  res.writeHead(s.code, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Content-Length': Buffer.byteLength(body),
    ...extraHeaders,
  });
  res.end(body);
}
