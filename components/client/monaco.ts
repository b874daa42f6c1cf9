/**
 * Monaco + monaco-yaml for <YamlEditor>, only ever reached through a dynamic import (the editor is
 * megabytes; pages stay light until an editor scrolls into view). Follows the toolchain's recipe R4:
 * tree-shaken Monaco entry, chosen features, and an adapter from monaco-yaml's legacy createWebWorker
 * options to Monaco 0.56+'s API.
 */
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/comment/register';
// The editing keys people reach for: Ctrl+G (go to line), Alt+↑/↓ and Ctrl+Shift+K (move/delete lines),
// Ctrl+Backspace (delete word), Ctrl+D (next match), matching brackets, indentation commands.
import 'monaco-editor/features/gotoLine/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/languages/definitions/yaml/register';
import { configureMonacoYaml, type JSONSchema, type MonacoYaml } from 'monaco-yaml';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import YamlWorker from './yaml.worker.js?worker';

type LegacyWorkerOpts = { worker?: unknown; moduleId?: string; label?: string; createData?: unknown; host?: unknown; keepIdleModels?: boolean };

const env = { getWorker: (_id: string, label: string): Worker => (label === 'yaml' ? new YamlWorker() : new EditorWorker()) };
(globalThis as unknown as { MonacoEnvironment: typeof env }).MonacoEnvironment = env;

const createWebWorker = monaco.editor.createWebWorker as (o: unknown) => unknown;
const legacy = (o: LegacyWorkerOpts) =>
  o.worker
    ? createWebWorker(o)
    : createWebWorker({
      worker: Promise.resolve(env.getWorker(o.moduleId ?? '', o.label ?? '')).then((w) => {
        w.postMessage('ignore');
        w.postMessage(o.createData);
        return w;
      }),
      host: o.host,
      keepIdleModels: o.keepIdleModels,
    });

let yaml: MonacoYaml | undefined;
const schemaByModel = new Map<string, JSONSchema>();

function yamlSupport(): MonacoYaml {
  yaml ??= configureMonacoYaml({ ...monaco, editor: { ...monaco.editor, createWebWorker: legacy } } as unknown as typeof monaco, {
    enableSchemaRequest: false,
    validate: true,
    completion: true,
    hover: true,
    schemas: [],
  });
  return yaml;
}

function pushSchemas(): void {
  void yamlSupport().update({
    schemas: [...schemaByModel.entries()].map(([uri, schema]) => ({ uri: `${uri}.schema.json`, fileMatch: [uri], schema })),
  });
}

export interface YamlEditorHandle {
  getValue(): string;
  setValue(v: string): void;
  setSchema(schema: JSONSchema | undefined): void;
  onChange(cb: () => void): void;
  dispose(): void;
}

let counter = 0;

/**
 * Esc then Tab leaves the editor, as in the terminals: Monaco keeps Tab for indenting, which would trap a
 * keyboard user. The Tab is caught before Monaco sees it (capture phase) and left to the browser.
 */
function escapeThenTabLeaves(host: HTMLElement): void {
  let lastWasEscape = false;
  host.addEventListener('keydown', (e) => {
    if (e.key === 'Tab' && lastWasEscape) {
      lastWasEscape = false;
      e.stopPropagation(); // not preventDefault: the browser's own focus move is the point
      return;
    }
    lastWasEscape = e.key === 'Escape';
  }, true);
}

export function mountYamlEditor(host: HTMLElement, value: string, label = 'YAML editor'): YamlEditorHandle {
  yamlSupport();
  const uri = monaco.Uri.parse(`file:///travels/editor-${++counter}.yaml`);
  const model = monaco.editor.createModel(value, 'yaml', uri);
  const dark = document.documentElement.dataset.theme !== 'light';
  const editor = monaco.editor.create(host, {
    model,
    theme: dark ? 'vs-dark' : 'vs',
    automaticLayout: true,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    fontSize: 13,
    tabSize: 2,
    insertSpaces: true,
    quickSuggestions: { other: true, comments: false, strings: true },
    fixedOverflowWidgets: true,
    wordWrap: 'on',
    ariaLabel: `${label}. Esc then Tab leaves the editor.`,
  });
  escapeThenTabLeaves(host);
  new MutationObserver(() => monaco.editor.setTheme(document.documentElement.dataset.theme === 'light' ? 'vs' : 'vs-dark'))
    .observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return {
    getValue: () => model.getValue(),
    setValue: (v) => model.setValue(v),
    setSchema: (schema) => {
      if (schema) schemaByModel.set(uri.toString(), schema);
      else schemaByModel.delete(uri.toString());
      pushSchemas();
    },
    onChange: (cb) => void model.onDidChangeContent(cb),
    dispose: () => {
      schemaByModel.delete(uri.toString());
      editor.dispose();
      model.dispose();
    },
  };
}
