/**
 * Makes kubectl transcripts comparable across runs: ages, IPs, UIDs, generated name suffixes,
 * timestamps and resourceVersions vary from run to run, so they become placeholders, and column
 * padding (which depends on their width) is collapsed.
 */

/** The alphabet of apimachinery's rand.SafeEncodeString: no vowels, so real words rarely match. */
const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';

const RULES: [RegExp, string][] = [
  // First: a token's base64url text can hold anything the later rules match (a '-' and five letters, an IP).
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '<jwt>'],
  [/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uid>'],
  [/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>'],
  [/\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}/g, '<date>'],
  [/\b\d{1,3}(\.\d{1,3}){3}\b/g, '<ip>'],
  [/\b\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}\b/g, '<logtime>'],
  // pod-template-hash is SafeEncodeString of a decimal uint32: usually 9–10 characters, sometimes fewer.
  [new RegExp(`-${SAFE}{4,10}-${SAFE}{5}\\b`, 'g'), '-<hash>-<id>'],
  [new RegExp(`-${SAFE}{6,10}\\b`, 'g'), '-<hash>'],
  [new RegExp(`-${SAFE}{5}\\b`, 'g'), '-<id>'],
  [/resourceVersion: "\d+"/g, 'resourceVersion: "<rv>"'],
  [/"resourceVersion":"\d+"/g, '"resourceVersion":"<rv>"'],
  [/\((\d+[smhdy])+ ago\)/g, '(<age> ago)'],
  [/(^|(?<=\s))(\d+[smhdy])+(?=\s|$)/gm, '<age>'],
  [/(^|(?<=\s))<invalid>(?=\s|$)/gm, '<age>'],
  [/:3\d{4}\//g, ':<nodeport>/'],
];

export function normalise(text: string): string {
  let out = text;
  for (const [re, sub] of RULES) out = out.replace(re, sub);
  return out
    .split('\n')
    // Collapse column padding but keep indentation (YAML, describe).
    .map((line) => {
      const indent = /^ */.exec(line)?.[0] ?? '';
      return indent + line.slice(indent.length).replace(/ {2,}/g, '  ').trimEnd();
    })
    .join('\n');
}
