/** The virtual Android phone: public surface of src-main/core/virtual-device. */
export { VirtualDevice, type VirtualDeviceOptions } from './virtual-device.js';
export { VirtualClock, RealClock, type Clock } from './android/clock.js';
export { parseScenario, loadScenarioFile, listScenarios, type ScenarioSummary } from './scenario/load-scenario.js';
export type { Scenario } from './scenario/schema.js';
export { romProfile, romProfiles, isRomProfileId } from './rom/rom-profiles.js';
export { ROM_PROFILE_IDS, DEFAULT_ROM_PROFILE, type RomProfile, type RomProfileId } from './rom/rom-profile.js';
export { PhoneNetwork, PhoneNetError, SHELL_UID, type PhoneSocket, type ListenOptions, type ConnectOptions, type PhoneNetworkOptions } from './android/phone-network.js';
export { SettingsStore, type SettingsNamespace } from './android/settings-store.js';
export type { ProxyEndpoint } from './android/global-proxy.js';
export type { CaInstallResult } from './android/ca-install-flow.js';
