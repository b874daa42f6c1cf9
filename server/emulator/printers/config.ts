/**
 * Tables of configuration and access-control kinds (printers.go `printConfigMap`, `printSecret`,
 * `printServiceAccount`, `printRole`, `printClusterRole`, `printRoleBinding`, `printClusterRoleBinding`).
 */
import type { KObject } from '../store/types.ts';
import type { Printer } from './types.ts';
import { col, nameCol, ageCol, age, obj, arr, str } from './columns.ts';
import { swaggerDoc } from './swagger-docs.ts';

const count = (v: unknown): number => Object.keys(obj(v)).length;

export const configMapPrinter: Printer = {
  columns: () => [nameCol(), col('Data', 'string', swaggerDoc('ConfigMap', 'data')), ageCol()],
  cells: (o, now) => [o.metadata.name, count(o.data) + count(o.binaryData), age(o, now)],
};

export const secretPrinter: Printer = {
  columns: () => [
    nameCol(),
    col('Type', 'string', swaggerDoc('Secret', 'type')),
    col('Data', 'string', swaggerDoc('Secret', 'data')),
    ageCol(),
  ],
  // stringData is folded into data at write time on a real server; count both in case a writer kept it.
  cells: (o, now) => [o.metadata.name, str(o.type), count({ ...obj(o.data), ...obj(o.stringData) }), age(o, now)],
};

export const serviceAccountPrinter: Printer = {
  columns: () => [nameCol(), col('Secrets', 'string', swaggerDoc('ServiceAccount', 'secrets')), ageCol()],
  cells: (o, now) => [o.metadata.name, arr(o.secrets).length, age(o, now)],
};

function subjects(o: KObject): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of arr(o.subjects).map(obj)) {
    if (s.kind === 'User') users.push(str(s.name));
    else if (s.kind === 'Group') groups.push(str(s.name));
    else if (s.kind === 'ServiceAccount') sas.push(`${str(s.namespace)}/${str(s.name)}`);
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

function bindingPrinter(what: 'roleBinding' | 'clusterRoleBinding', roleRefType: string): Printer {
  return {
    columns: () => [
      nameCol(),
      col('Role', 'string', swaggerDoc(roleRefType, 'roleRef')),
      ageCol(),
      col('Users', 'string', `Users in the ${what}`, 1),
      col('Groups', 'string', `Groups in the ${what}`, 1),
      col('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`, 1),
    ],
    cells: (o, now) => {
      const ref = obj(o.roleRef);
      return [o.metadata.name, `${str(ref.kind)}/${str(ref.name)}`, age(o, now), ...subjects(o)];
    },
  };
}

export const roleBindingPrinter = bindingPrinter('roleBinding', 'RoleBinding');
export const clusterRoleBindingPrinter = bindingPrinter('clusterRoleBinding', 'ClusterRoleBinding');
