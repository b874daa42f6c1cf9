/**
 * The `paths` of a group-version document: list/create/deletecollection on collections and
 * get/replace/patch/delete on items (plus status/scale subresources), shaped as the apiserver publishes them.
 * kubectl scans PATCH operations for `x-kubernetes-group-version-kind` + a `fieldValidation` query parameter
 * (strict validation) and for `application/strategic-merge-patch+json` (SMP) in the request body.
 */

export interface PathResource {
  group: string;
  version: string;
  kind: string;
  resource: string;
  namespaced: boolean;
  verbs: string[];
  subresources: string[];
  /** Component names of the kind and its list. */
  schema: string;
  listSchema: string;
  /** CRDs accept no strategic merge patch. */
  strategicMerge: boolean;
}

type Op = Record<string, unknown>;

const ref = (name: string): Op => ({ $ref: `#/components/schemas/${name}` });
const q = (name: string, description: string, type = 'string'): Op => ({
  name, in: 'query', description, schema: { type, uniqueItems: true },
});

const P = {
  pretty: q('pretty', "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget)."),
  dryRun: q('dryRun', 'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed'),
  fieldManager: q('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.'),
  fieldValidation: q('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.'),
  force: q('force', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.', 'boolean'),
  labelSelector: q('labelSelector', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  fieldSelector: q('fieldSelector', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  watch: q('watch', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.', 'boolean'),
  limit: q('limit', 'limit is a maximum number of responses to return for a list call.', 'integer'),
  resourceVersion: q('resourceVersion', 'resourceVersion sets a constraint on what resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset'),
  timeoutSeconds: q('timeoutSeconds', 'Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.', 'integer'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used. Defaults to a per object value if not specified. zero means delete immediately.', 'integer'),
  propagationPolicy: q('propagationPolicy', "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific default policy. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - allow the garbage collector to delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground."),
};

const pathParam = (name: string, description: string): Op => ({
  name, in: 'path', description, required: true, schema: { type: 'string', uniqueItems: true },
});

const JSON_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

function content(schema: Op, types = JSON_TYPES): Op {
  return Object.fromEntries(types.map((t) => [t, { schema }]));
}

const response = (schema: Op, codes: string[] = ['200']): Op => ({
  ...Object.fromEntries(codes.map((c) => [c, { description: c === '201' ? 'Created' : c === '202' ? 'Accepted' : 'OK', content: content(schema) }])),
  '401': { description: 'Unauthorized' },
});

/** `Apps`, `V1` → `AppsV1`; `networking.istio.io` → `NetworkingIstioIo`; core → `Core`. */
export function groupVersionId(group: string, version: string): string {
  const g = (group || 'core').split(/[.-]/).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
  return `${g}${version.charAt(0).toUpperCase()}${version.slice(1)}`;
}

const tag = (group: string, version: string): string => {
  const id = groupVersionId(group, version);
  const g = id.slice(0, id.length - version.length);
  return `${g.charAt(0).toLowerCase()}${g.slice(1)}_${version}`;
};

function operation(r: PathResource, action: string, verb: string, description: string, extra: Op): Op {
  const sub = extra.sub ? String(extra.sub) : '';
  const ns = r.namespaced && sub !== 'ForAllNamespaces' ? 'Namespaced' : '';
  delete extra.sub;
  return {
    tags: [tag(r.group, r.version)],
    description,
    operationId: `${verb}${groupVersionId(r.group, r.version)}${ns}${r.kind}${sub}`,
    ...extra,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind },
  };
}

function patchOp(r: PathResource, sub: string, what: string): Op {
  const patchTypes = [
    'application/apply-patch+yaml',
    'application/json-patch+json',
    'application/merge-patch+json',
    ...(r.strategicMerge ? ['application/strategic-merge-patch+json'] : []),
  ];
  const description = sub ? `partially update ${what} of the specified ${r.kind}` : `partially update the specified ${r.kind}`;
  return operation(r, 'patch', 'patch', description, {
    sub,
    parameters: [P.dryRun, P.fieldManager, P.fieldValidation, P.force],
    requestBody: { content: content(ref('io.k8s.apimachinery.pkg.apis.meta.v1.Patch'), patchTypes), required: true },
    responses: response(ref(r.schema), ['200', '201']),
  });
}

function itemPaths(r: PathResource, base: string): Record<string, Op> {
  const params = [pathParam('name', `name of the ${r.kind}`), ...(r.namespaced ? [pathParam('namespace', 'object name and auth scope, such as for teams and projects')] : []), P.pretty];
  const item: Op = {
    get: operation(r, 'get', 'read', `read the specified ${r.kind}`, { responses: response(ref(r.schema)) }),
    put: operation(r, 'put', 'replace', `replace the specified ${r.kind}`, {
      parameters: [P.dryRun, P.fieldManager, P.fieldValidation],
      requestBody: { content: content(ref(r.schema)), required: true },
      responses: response(ref(r.schema), ['200', '201']),
    }),
    patch: patchOp(r, '', ''),
    delete: operation(r, 'delete', 'delete', `delete a ${r.kind}`, {
      parameters: [P.dryRun, P.gracePeriodSeconds, P.propagationPolicy],
      requestBody: { content: content(ref('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions')) },
      responses: response(ref('io.k8s.apimachinery.pkg.apis.meta.v1.Status'), ['200', '202']),
    }),
    parameters: params,
  };
  const out: Record<string, Op> = { [`${base}/{name}`]: item };
  for (const sub of r.subresources.filter((s) => s === 'status')) {
    out[`${base}/{name}/${sub}`] = {
      get: operation(r, 'get', 'read', `read status of the specified ${r.kind}`, { sub: 'Status', responses: response(ref(r.schema)) }),
      put: operation(r, 'put', 'replace', `replace status of the specified ${r.kind}`, {
        sub: 'Status',
        parameters: [P.dryRun, P.fieldManager, P.fieldValidation],
        requestBody: { content: content(ref(r.schema)), required: true },
        responses: response(ref(r.schema), ['200', '201']),
      }),
      patch: patchOp(r, 'Status', 'status'),
      parameters: params,
    };
  }
  return out;
}

/** All paths of one resource (namespaced resources also get the all-namespaces list). */
export function resourcePaths(r: PathResource): Record<string, Op> {
  const root = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const base = r.namespaced ? `${root}/namespaces/{namespace}/${r.resource}` : `${root}/${r.resource}`;
  const listParams = [P.fieldSelector, P.labelSelector, P.limit, P.resourceVersion, P.timeoutSeconds, P.watch];
  const collection: Op = {
    parameters: [...(r.namespaced ? [pathParam('namespace', 'object name and auth scope, such as for teams and projects')] : []), P.pretty],
  };
  if (r.verbs.includes('list')) {
    collection.get = operation(r, 'list', 'list', `list or watch objects of kind ${r.kind}`, { parameters: listParams, responses: response(ref(r.listSchema)) });
  }
  if (r.verbs.includes('create')) {
    collection.post = operation(r, 'post', 'create', `create a ${r.kind}`, {
      parameters: [P.dryRun, P.fieldManager, P.fieldValidation],
      requestBody: { content: content(ref(r.schema)), required: true },
      responses: response(ref(r.schema), ['200', '201', '202']),
    });
  }
  if (r.verbs.includes('deletecollection')) {
    collection.delete = operation(r, 'deletecollection', 'deletecollection', `delete collection of ${r.kind}`, {
      parameters: [P.dryRun, P.fieldSelector, P.gracePeriodSeconds, P.labelSelector, P.propagationPolicy],
      requestBody: { content: content(ref('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions')) },
      responses: response(ref('io.k8s.apimachinery.pkg.apis.meta.v1.Status')),
    });
  }
  const out: Record<string, Op> = { [base]: collection };
  if (r.verbs.includes('get')) Object.assign(out, itemPaths(r, base));
  if (r.namespaced && r.verbs.includes('list')) {
    out[`${root}/${r.resource}`] = {
      get: operation(r, 'list', 'list', `list or watch objects of kind ${r.kind}`, { sub: 'ForAllNamespaces', parameters: listParams, responses: response(ref(r.listSchema)) }),
      parameters: [P.pretty],
    };
  }
  return out;
}
