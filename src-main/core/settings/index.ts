/** User settings: public surface of src-main/core/settings. */
export { SettingsStore } from './settings-store.js';
