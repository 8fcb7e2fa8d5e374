/** APK reading: the public surface of src-main/core/apk. */
export { ZipReader, type ZipEntry, type ZipFinding } from './zip-reader.js';
export { parseAxml, type XmlElement } from './axml.js';
export { readManifest, manifestFromXml, type ManifestInfo, type ComponentInfo } from './manifest.js';
