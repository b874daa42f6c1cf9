/**
 * Tables of batch and autoscaling kinds (printers.go `printJob`, `printCronJob`,
 * `printHorizontalPodAutoscaler`).
 */
import type { Printer } from './types.ts';
import { col, nameCol, ageCol, containersCol, imagesCol, age, obj, arr, str, num, spec, status, since, containerCells, formatLabelSelector, hasCondition, type Obj } from './columns.ts';
import { humanDuration } from './duration.ts';
import { swaggerDoc } from './swagger-docs.ts';

function jobStatus(o: { metadata: { deletionTimestamp?: string } }, s: Obj): string {
  if (hasCondition(s, 'Complete')) return 'Complete';
  if (hasCondition(s, 'Failed')) return 'Failed';
  if (o.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(s, 'Suspended')) return 'Suspended';
  if (hasCondition(s, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function completions(sp: Obj, s: Obj): string {
  if (typeof sp.completions === 'number') return `${num(s.succeeded)}/${sp.completions}`;
  const parallelism = num(sp.parallelism);
  return parallelism > 1 ? `${num(s.succeeded)}/1 of ${parallelism}` : `${num(s.succeeded)}/1`;
}

function jobDuration(s: Obj, now: number): string {
  const start = Date.parse(str(s.startTime));
  if (Number.isNaN(start)) return '';
  const end = Date.parse(str(s.completionTime));
  return humanDuration((Number.isNaN(end) ? now : end) - start);
}

export const jobPrinter: Printer = {
  columns: () => [
    nameCol(),
    col('Status', 'string', 'Status of the job.'),
    col('Completions', 'string', swaggerDoc('JobStatus', 'succeeded')),
    col('Duration', 'string', 'Time required to complete the job.'),
    ageCol(),
    containersCol(),
    imagesCol(),
    col('Selector', 'string', swaggerDoc('JobSpec', 'selector'), 1),
  ],
  cells: (o, now) => [
    o.metadata.name,
    jobStatus(o, status(o)),
    completions(spec(o), status(o)),
    jobDuration(status(o), now),
    age(o, now),
    ...containerCells(obj(spec(o).template).spec),
    formatLabelSelector(spec(o).selector),
  ],
};

export const cronJobPrinter: Printer = {
  columns: () => [
    nameCol(),
    col('Schedule', 'string', swaggerDoc('CronJobSpec', 'schedule')),
    col('Timezone', 'string', swaggerDoc('CronJobSpec', 'timeZone')),
    col('Suspend', 'boolean', swaggerDoc('CronJobSpec', 'suspend')),
    col('Active', 'integer', swaggerDoc('CronJobStatus', 'active')),
    col('Last Schedule', 'string', swaggerDoc('CronJobStatus', 'lastScheduleTime')),
    ageCol(),
    containersCol(),
    imagesCol(),
    col('Selector', 'string', swaggerDoc('JobSpec', 'selector'), 1),
  ],
  cells: (o, now) => {
    const sp = spec(o);
    const jobSpec = obj(obj(sp.jobTemplate).spec);
    const last = status(o).lastScheduleTime;
    return [
      o.metadata.name,
      str(sp.schedule),
      str(sp.timeZone) || '<none>',
      typeof sp.suspend === 'boolean' ? (sp.suspend ? 'True' : 'False') : '<unset>',
      arr(status(o).active).length,
      last ? since(last, now) : '<none>',
      age(o, now),
      ...containerCells(obj(jobSpec.template).spec),
      formatLabelSelector(jobSpec.selector),
    ];
  },
};

/** Quantities arrive as strings or numbers; resource.Quantity.String() of a canonical value is the value itself. */
const qty = (v: unknown): string => (typeof v === 'number' ? String(v) : str(v));

function metricText(m: Obj, st: Obj | undefined): string {
  const pick = (src: string): Obj => obj(st?.[src]);
  const current = (src: string, field: string): string => {
    const c = obj(pick(src).current);
    return st?.[src] && c[field] !== undefined ? qty(c[field]) : '<unknown>';
  };
  switch (m.type) {
    case 'External':
    case 'Object': {
      const key = m.type === 'External' ? 'external' : 'object';
      const target = obj(obj(m[key]).target);
      if (target.averageValue !== undefined) return `${current(key, 'averageValue')}/${qty(target.averageValue)} (avg)`;
      return `${current(key, 'value')}/${qty(target.value)}`;
    }
    case 'Pods':
      return `${current('pods', 'averageValue')}/${qty(obj(obj(m.pods).target).averageValue)}`;
    case 'Resource':
    case 'ContainerResource': {
      const key = m.type === 'Resource' ? 'resource' : 'containerResource';
      const src = obj(m[key]);
      const target = obj(src.target);
      const prefix = m.type === 'Resource' ? `${str(src.name)}: ` : `${str(src.name)} on ${str(src.container)}: `;
      if (target.averageValue !== undefined) return `${prefix}${current(key, 'averageValue')}/${qty(target.averageValue)}`;
      const util = obj(pick(key).current).averageUtilization;
      const cur = st?.[key] && typeof util === 'number' ? `${util}%` : '<unknown>';
      const tgt = typeof target.averageUtilization === 'number' ? `${target.averageUtilization}%` : '<auto>';
      return `${prefix}${cur}/${tgt}`;
    }
    default:
      return '<unknown type>';
  }
}

function formatHpaMetrics(specs: Obj[], statuses: Obj[]): string {
  if (!specs.length) return '<none>';
  const list = specs.map((m, i) => metricText(m, statuses[i]));
  const max = 2;
  const ret = list.slice(0, max).join(', ');
  return list.length > max ? `${ret} + ${list.length - max} more...` : ret;
}

export const hpaPrinter: Printer = {
  columns: () => [
    nameCol(),
    col('Reference', 'string', swaggerDoc('HorizontalPodAutoscalerSpec', 'scaleTargetRef')),
    col('Targets', 'string', swaggerDoc('HorizontalPodAutoscalerSpec', 'metrics')),
    col('MinPods', 'string', swaggerDoc('HorizontalPodAutoscalerSpec', 'minReplicas')),
    col('MaxPods', 'string', swaggerDoc('HorizontalPodAutoscalerSpec', 'maxReplicas')),
    col('Replicas', 'string', swaggerDoc('HorizontalPodAutoscalerStatus', 'currentReplicas')),
    ageCol(),
  ],
  cells: (o, now) => {
    const sp = spec(o);
    const ref = obj(sp.scaleTargetRef);
    return [
      o.metadata.name,
      `${str(ref.kind)}/${str(ref.name)}`,
      formatHpaMetrics(arr(sp.metrics).map(obj), arr(status(o).currentMetrics).map(obj)),
      typeof sp.minReplicas === 'number' ? String(sp.minReplicas) : '<unset>',
      num(sp.maxReplicas),
      num(status(o).currentReplicas),
      age(o, now),
    ];
  },
};
