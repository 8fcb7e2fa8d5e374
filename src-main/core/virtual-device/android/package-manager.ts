/**
 * Installed packages of the simulated phone: uids, versions, requested permissions, and the runtime
 * permission state (granted, USER_SET, USER_FIXED) that `dumpsys package` reports and the permission
 * dialog changes. `pm install` parses the pushed APK's real manifest.
 */
import { readManifest, type ComponentInfo } from '../../apk/index.js';
import { WorkbenchError } from '../../errors.js';
import { runtimePermission } from './permissions.js';
import { formatDumpTime } from './dump-time.js';

export interface PermissionState {
  granted: boolean;
  flags: Set<string>;
}

export interface InstalledPackage {
  name: string;
  uid: number;
  versionCode: number;
  versionName: string | null;
  minSdk: number;
  targetSdk: number;
  codePath: string;
  system: boolean;
  requested: string[];
  runtime: Map<string, PermissionState>;
  components: ComponentInfo[];
  launcherActivity: string | null;
  firstInstallTime: number;
  lastUpdateTime: number;
  installer: string | null;
}

export type NewPackage = Pick<InstalledPackage, 'name' | 'versionCode' | 'versionName' | 'requested' | 'components'> &
  Partial<Pick<InstalledPackage, 'minSdk' | 'targetSdk' | 'system' | 'launcherActivity' | 'installer'>>;

const SYSTEM_PACKAGES: Array<[string, number]> = [
  ['android', 1000], ['com.android.systemui', 10100], ['com.android.launcher3', 10101],
  ['com.android.permissioncontroller', 10102], ['com.android.settings', 1000], ['com.android.phone', 1001],
  ['com.android.providers.contacts', 10103], ['com.android.shell', 2000], ['com.android.packageinstaller', 10104],
];

export class PackageManager {
  readonly packages = new Map<string, InstalledPackage>();
  private nextUid = 10230;

  constructor(private now: () => number) {
    for (const [name, uid] of SYSTEM_PACKAGES) {
      this.packages.set(name, this.make({ name, versionCode: 33, versionName: '13', requested: [], components: [], system: true }, uid));
    }
  }

  get(name: string): InstalledPackage | undefined {
    return this.packages.get(name);
  }

  byUid(uid: number): InstalledPackage | undefined {
    for (const p of this.packages.values()) if (p.uid === uid && !p.system) return p;
    for (const p of this.packages.values()) if (p.uid === uid) return p;
    return undefined;
  }

  /** Adds or updates a package; an update keeps the uid and the permission state, as Android does. */
  install(spec: NewPackage): InstalledPackage {
    const old = this.packages.get(spec.name);
    const pkg = this.make(spec, old?.uid ?? this.nextUid++);
    if (old) {
      pkg.firstInstallTime = old.firstInstallTime;
      for (const [perm, state] of old.runtime) if (pkg.runtime.has(perm)) pkg.runtime.set(perm, state);
    }
    this.packages.set(pkg.name, pkg);
    return pkg;
  }

  /** `pm install` of pushed bytes: returns the Success/Failure line a real phone prints. */
  installApk(bytes: Buffer, path: string): { line: string; pkg?: InstalledPackage } {
    let manifest;
    try {
      manifest = readManifest(bytes);
    } catch (err) {
      const reason = err instanceof WorkbenchError ? err.message : 'Failed to parse';
      return { line: `Failure [INSTALL_PARSE_FAILED_NOT_APK: Failed to parse ${path}: ${reason}]` };
    }
    if (!/^[a-zA-Z][\w]*(\.[a-zA-Z][\w]*)+$/.test(manifest.packageName)) {
      return { line: `Failure [INSTALL_PARSE_FAILED_BAD_PACKAGE_NAME: Invalid manifest package: ${manifest.packageName}]` };
    }
    const old = this.packages.get(manifest.packageName);
    if (old && old.versionCode > manifest.versionCode) {
      return { line: `Failure [INSTALL_FAILED_VERSION_DOWNGRADE: Downgrade detected: Update version code ${manifest.versionCode} is older than current ${old.versionCode}]` };
    }
    const launcher = manifest.components.find(
      (c) => c.kind.startsWith('activity') && c.actions.includes('android.intent.action.MAIN') && c.categories.includes('android.intent.category.LAUNCHER'),
    );
    const pkg = this.install({
      name: manifest.packageName,
      versionCode: manifest.versionCode,
      versionName: manifest.versionName,
      minSdk: manifest.minSdk ?? 1,
      targetSdk: manifest.targetSdk ?? manifest.minSdk ?? 1,
      requested: manifest.usesPermissions.map((u) => u.name),
      components: manifest.components,
      launcherActivity: launcher?.name ?? null,
      installer: 'com.android.shell',
    });
    return { line: 'Success', pkg };
  }

  uninstall(name: string): boolean {
    const pkg = this.packages.get(name);
    if (!pkg || pkg.system) return false;
    this.packages.delete(name);
    return true;
  }

  /** `pm clear`: data gone, runtime permissions back to not granted (as after a fresh install). */
  clear(name: string): boolean {
    const pkg = this.packages.get(name);
    if (!pkg) return false;
    for (const state of pkg.runtime.values()) {
      state.granted = false;
      state.flags = new Set(['USER_SENSITIVE_WHEN_GRANTED', 'USER_SENSITIVE_WHEN_DENIED']);
    }
    return true;
  }

  setGranted(name: string, perm: string, granted: boolean, userFlags: string[] = []): void {
    const state = this.packages.get(name)?.runtime.get(perm);
    if (!state) {
      throw new WorkbenchError('internal', `Package ${name} has not requested permission ${perm}`);
    }
    state.granted = granted;
    for (const f of userFlags) state.flags.add(f);
  }

  private make(spec: NewPackage, uid: number): InstalledPackage {
    const time = this.now();
    const runtime = new Map<string, PermissionState>();
    for (const perm of spec.requested) {
      if (runtimePermission(perm)) runtime.set(perm, { granted: false, flags: new Set(['USER_SENSITIVE_WHEN_GRANTED', 'USER_SENSITIVE_WHEN_DENIED']) });
    }
    return {
      name: spec.name,
      uid,
      versionCode: spec.versionCode,
      versionName: spec.versionName,
      minSdk: spec.minSdk ?? 24,
      targetSdk: spec.targetSdk ?? 33,
      codePath: spec.system ? `/system/app/${spec.name}` : `/data/app/~~${Buffer.from(spec.name).toString('base64url').slice(0, 22)}==/${spec.name}-1`,
      system: spec.system ?? false,
      requested: [...spec.requested],
      runtime,
      components: spec.components,
      launcherActivity: spec.launcherActivity ?? null,
      firstInstallTime: time,
      lastUpdateTime: time,
      installer: spec.installer ?? null,
    };
  }

  /** `dumpsys package <pkg>` in the layout of Android 13 (only the sections monitors read). */
  dump(name: string, tzMinutes: number): string {
    const p = this.packages.get(name);
    if (!p) return `Unable to find package: ${name}\n`;
    const hex = (p.uid * 2654435761 >>> 0).toString(16).slice(0, 7);
    const lines = [
      'Activity Resolver Table:',
      '  Non-Data Actions:',
      ...p.components.filter((c) => c.kind === 'activity' && c.actions.length).flatMap((c) => c.actions.map((a) => `      ${a}:\n        ${hex} ${c.name.replace(p.name + '.', p.name + '/.')}`)),
      '',
      'Receiver Resolver Table:',
      '  Non-Data Actions:',
      ...p.components.filter((c) => c.kind === 'receiver').flatMap((c) => c.actions.map((a) => `      ${a}:\n        ${hex} ${c.name.replace(p.name + '.', p.name + '/.')}`)),
      '',
      'Packages:',
      `  Package [${p.name}] (${hex}):`,
      `    userId=${p.uid}`,
      `    pkg=Package{${hex} ${p.name}}`,
      `    codePath=${p.codePath}`,
      `    resourcePath=${p.codePath}`,
      `    versionCode=${p.versionCode} minSdk=${p.minSdk} targetSdk=${p.targetSdk}`,
      `    versionName=${p.versionName ?? 'null'}`,
      `    flags=[ ${p.system ? 'SYSTEM ' : ''}HAS_CODE ALLOW_CLEAR_USER_DATA ALLOW_BACKUP ]`,
      `    timeStamp=${formatDumpTime(p.lastUpdateTime, tzMinutes, false)}`,
      `    firstInstallTime=${formatDumpTime(p.firstInstallTime, tzMinutes, false)}`,
      `    lastUpdateTime=${formatDumpTime(p.lastUpdateTime, tzMinutes, false)}`,
      `    installerPackageName=${p.installer ?? 'null'}`,
      '    requested permissions:',
      ...p.requested.map((r) => `      ${r}`),
      '    install permissions:',
      ...p.requested.filter((r) => !p.runtime.has(r)).map((r) => `      ${r}: granted=true`),
      `    User 0: ceDataInode=${p.uid * 7} installed=true hidden=false suspended=false distractionFlags=0 stopped=false notLaunched=false enabled=0 instant=false virtual=false`,
      '      gids=[3003]',
      '      runtime permissions:',
      ...[...p.runtime].map(([perm, s]) => {
        const flags = [...s.flags].join('|');
        return `        ${perm}: granted=${s.granted}${flags ? `, flags=[ ${flags}]` : ''}`;
      }),
      '',
    ];
    return lines.join('\n') + '\n';
  }
}
