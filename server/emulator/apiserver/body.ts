/**
 * Request bodies: read with the apiserver's 3 MiB limit, then decoded by Content-Type (JSON, YAML,
 * Kubernetes protobuf). Failures become the Status errors a real server returns.
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { StatusError, badRequest, entityTooLarge, unsupportedMediaType } from './status-errors.ts';
import { decodeProtobufObject, ProtobufError } from '../protobuf/decode.ts';

/** kube-apiserver `MaxRequestBodyBytes`. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw new StatusError(entityTooLarge(limit));
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new StatusError(entityTooLarge(limit));
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** Go encoding/json wording for a JSON syntax error, which the apiserver passes on. */
export function goJsonError(text: string, err: unknown): string {
  const m = /position (\d+)/.exec(err instanceof Error ? err.message : '');
  const pos = m ? Number(m[1]) : text.length;
  if (pos >= text.trimEnd().length) return 'unexpected end of JSON input';
  const ch = text[pos];
  return `invalid character '${ch}' looking for beginning of value`;
}

/**
 * Deepest nesting a body may have. Go's decoder stops at 10 000 levels; ours is lower because the
 * write path (managed fields, pruning, copies) walks objects recursively and would run out of stack
 * — a Kubernetes object nests a few dozen levels at most, so no real manifest comes near it.
 */
export const MAX_BODY_DEPTH = 1000;

/** Nesting depth of a decoded value, walked without recursion; stops counting past `limit`. */
export function nestingDepth(value: unknown, limit = MAX_BODY_DEPTH): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Parses a body as JSON or YAML (by media type); throws BadRequest with the decoder's message. */
export function parseStructured(buf: Buffer, media: string, prefix: string): unknown {
  const text = buf.toString('utf8');
  let value: unknown;
  if (media.includes('yaml')) {
    try {
      value = parseYaml(text, { version: '1.1' }) ?? {};
    } catch (err) {
      // The yaml parser recurses and reports a stack overflow as its own error at a position.
      const message = (err as Error).message;
      const reason = /Maximum call stack/.test(message) ? 'exceeded max depth' : message.split('\n')[0];
      throw new StatusError(badRequest(`${prefix}error converting YAML to JSON: ${reason}`));
    }
  } else {
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new StatusError(badRequest(`${prefix}${goJsonError(text, err)}`));
    }
  }
  if (nestingDepth(value) > MAX_BODY_DEPTH) {
    // Go's scanner words it this way (invalid character + context) when it hits its depth limit.
    throw new StatusError(badRequest(`${prefix}invalid character '{' exceeded max depth`));
  }
  return value;
}

const OBJECT_MEDIA = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

/** Decodes an object body for create/update. */
export function decodeObjectBody(buf: Buffer, contentType: string | undefined): Record<string, unknown> {
  const media = mediaType(contentType) || 'application/json';
  if (media === 'application/vnd.kubernetes.protobuf') {
    try {
      return decodeProtobufObject(buf);
    } catch (err) {
      if (err instanceof ProtobufError) throw new StatusError(badRequest(err.message));
      throw new StatusError(badRequest(`unable to decode protobuf body: ${(err as Error).message}`));
    }
  }
  if (media !== 'application/json' && media !== 'application/yaml' && media !== '*/*') {
    throw new StatusError(unsupportedMediaType(OBJECT_MEDIA));
  }
  const parsed = parseStructured(buf, media, "couldn't get version/kind; json parse error: ");
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new StatusError(badRequest(`couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(parsed) ? 'array' : typeof parsed} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`));
  }
  return parsed as Record<string, unknown>;
}
