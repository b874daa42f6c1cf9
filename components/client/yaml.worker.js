// Web worker entry for monaco-yaml (validation, completion, hover run off the main thread).
import 'monaco-yaml/yaml.worker.js';
