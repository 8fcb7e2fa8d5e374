// The YAML language worker (monaco-yaml), bundled locally as a worker of its own.
import 'monaco-yaml/yaml.worker.js';
