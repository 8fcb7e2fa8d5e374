/** APK reading and analysis: the public surface of src-main/core/apk. */
export { ZipReader, type ZipEntry, type ZipFinding } from './zip-reader.js';
export { parseAxml, type XmlElement } from './axml.js';
export { readManifest, manifestFromXml, type ManifestInfo, type ComponentInfo } from './manifest.js';
export { analyzeApk, ANALYSIS_SCHEMA_VERSION, type ApkAnalysis } from './analyze-apk.js';
export { analyzeEach, analyzeFiles, type AnalysisOutcome, type PoolOptions } from './analysis-pool.js';
export { loadKnowledge } from './knowledge.js';
