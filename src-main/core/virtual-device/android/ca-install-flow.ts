/**
 * Installing a user CA certificate on the virtual phone, the only way Android 11+ allows it: in Settings, Security >
 * Encryption & credentials > Install a certificate > CA certificate, a warning the user must answer "Install anyway",
 * the document picker showing /sdcard/Download, the certificate installer adding the file as a trust anchor.
 * An install asked for from anywhere but Settings (`am start -a android.credentials.INSTALL`, the certinstaller's
 * VIEW intent) gets the "Can't install CA certificates" dialog on API 30+, as CertInstaller.java's
 * REDIRECT_CA_CERTIFICATE_DIALOG does (AOSP packages/apps/CertInstaller; Settings' InstallCaCertificateWarning).
 * Every step is a screen the tester taps on the virtual screen; what gets installed lands in PhoneNetwork.userCas().
 */
import { X509Certificate } from 'node:crypto';
import { posix } from 'node:path';
import type { AndroidSystem, AppScreenSpec, ScreenNodeSpec } from './android-system.js';
import type { Localized } from '../scenario/schema.js';

export const SETTINGS_PACKAGE = 'com.android.settings';
export const DOCUMENTS_PACKAGE = 'com.android.documentsui';
export const CERTINSTALLER_PACKAGE = 'com.android.certinstaller';
export const DOWNLOAD_DIR = '/sdcard/Download';
/** CertInstallerMain.READ_LIMIT: a larger file is refused before parsing. */
const READ_LIMIT = 10 * 1024 * 1024;
const CERT_FILE = /\.(crt|cer|pem|der)$/i;
const MAX_LISTED = 40;
const UIDS: Record<string, number> = { [SETTINGS_PACKAGE]: 1000, [DOCUMENTS_PACKAGE]: 10105, [CERTINSTALLER_PACKAGE]: 10106 };
const ACTIVITIES: Record<string, string> = {
  'settings/security': '.Settings$SecurityDashboardActivity',
  'settings/credentials': '.SubSettings',
  'settings/install': '.SubSettings',
  'settings/ca-warning': '.security.InstallCaCertificateWarning',
  'documents/picker': '.picker.PickActivity',
  'certinstaller/redirect': '.CertInstaller',
  'certinstaller/invalid': '.CertInstaller',
};

type Step = 'security' | 'credentials' | 'install' | 'ca-warning' | 'picker' | 'redirect' | 'invalid';

export type CaInstallResult = { installed: true; sha256: string } | { installed: false; reason: 'not-a-ca' | 'unreadable' | 'too-large' | 'cancelled' };

export class CaInstallFlow {
  private toast: Localized | null = null;
  /** The outcome of the last file the user picked (what a test or the UI can show). */
  lastResult: CaInstallResult | null = null;

  constructor(private sys: AndroidSystem) {
    sys.on('signal', (s) => {
      if (s.type === 'tap' && (s.pkg === SETTINGS_PACKAGE || s.pkg === DOCUMENTS_PACKAGE || s.pkg === CERTINSTALLER_PACKAGE)) this.onTap(s.screen, s.node);
    });
  }

  /** `am start -a android.settings.SECURITY_SETTINGS`: where the workbench sends the tester. */
  openSecuritySettings(): string {
    this.toast = null;
    this.show('security', 'act=android.settings.SECURITY_SETTINGS');
    return `${SETTINGS_PACKAGE}/${ACTIVITIES['settings/security']}`;
  }

  /** The certificate installer started by an intent that does not come from Settings. */
  openInstallerFromIntent(intent: string): string {
    // Before API 30 the installer itself offered to install a CA; since then it sends the user to Settings.
    if (this.sys.sdk >= 30) this.show('redirect', intent);
    else this.show('picker', intent);
    return `${CERTINSTALLER_PACKAGE}/.CertInstallerMain`;
  }

  private onTap(screen: string, node: string): void {
    const go: Partial<Record<string, () => void>> = {
      'security/encryption': () => this.show('credentials'),
      'credentials/install': () => this.show('install'),
      'install/ca': () => this.show('ca-warning'),
      // CertInstallerMain.confirmDeviceCredential: no screen lock on this phone, so straight to the picker.
      'ca-warning/install-anyway': () => this.show('picker', `act=android.credentials.INSTALL pkg=${CERTINSTALLER_PACKAGE} (has extras)`),
      'ca-warning/dont-install': () => this.finish({ installed: false, reason: 'cancelled' }, { en: 'Certificate not installed', zh: '未安装证书' }),
      'redirect/close': () => this.leave({ installed: false, reason: 'cancelled' }),
      'invalid/close': () => this.show('install'),
    };
    if (screen === 'picker' && node.startsWith('file:')) return this.pick(node.slice('file:'.length));
    go[`${screen}/${node}`]?.();
  }

  /** The user picked a file in the picker: the certificate installer reads and checks it. */
  private pick(name: string): void {
    const path = posix.join(DOWNLOAD_DIR, name);
    const data = this.sys.fs.readFile(path);
    if (!data) return this.show('picker');
    if (data.length > READ_LIMIT) return this.reject('too-large');
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(data);
    } catch {
      return this.reject('unreadable');
    }
    this.log(`Attempting credentials installation, has ca cert? ${cert.ca}, has user cert? ${!cert.ca}`);
    if (!cert.ca) return this.reject('not-a-ca');
    this.sys.network.addUserCa(cert.toString());
    const sha256 = cert.fingerprint256.replace(/:/g, '').toLowerCase();
    this.finish({ installed: true, sha256 }, { en: 'CA certificate installed', zh: '已安装 CA 证书' });
  }

  private reject(reason: 'not-a-ca' | 'unreadable' | 'too-large'): void {
    this.lastResult = { installed: false, reason };
    this.show('invalid');
  }

  /** Back in Settings' "Install a certificate", with the installer's toast. */
  private finish(result: CaInstallResult, toast: Localized): void {
    this.lastResult = result;
    this.toast = toast;
    this.show('install');
  }

  private leave(result: CaInstallResult): void {
    this.lastResult = result;
    this.sys.am.setForeground(null);
  }

  private show(step: Step, intent?: string): void {
    const pkg = step === 'picker' ? DOCUMENTS_PACKAGE : step === 'redirect' || step === 'invalid' ? CERTINSTALLER_PACKAGE : SETTINGS_PACKAGE;
    const key = `${pkg === SETTINGS_PACKAGE ? 'settings' : pkg === DOCUMENTS_PACKAGE ? 'documents' : 'certinstaller'}/${step}`;
    const activity = ACTIVITIES[key]!;
    if (intent) this.sys.print(this.sys.profile.lines.activityStart({ intent: `${intent} cmp=${pkg}/${activity}`, fromUid: 2000, launchMode: 'LAUNCH_MULTIPLE', bal: 'BAL_ALLOW_PERMISSION', tid: this.sys.binderTid() }));
    this.sys.registerApp(pkg, LABELS[pkg]!, [this.screen(step, activity)]);
    this.sys.am.ensureProcess(pkg, UIDS[pkg]!, 'activity', `${pkg}/${activity}`);
    this.sys.am.setForeground(pkg);
    this.sys.appShow(pkg, step);
    if (step !== 'install') this.toast = null;
  }

  private log(message: string): void {
    const proc = this.sys.am.processOf(CERTINSTALLER_PACKAGE) ?? this.sys.am.ensureProcess(CERTINSTALLER_PACKAGE, UIDS[CERTINSTALLER_PACKAGE]!, 'activity', `${CERTINSTALLER_PACKAGE}/.CertInstaller`).proc;
    this.sys.log.append({ pid: proc.pid, uid: proc.uid, priority: 3, tag: 'CertInstaller', message });
  }

  private screen(step: Step, activity: string): AppScreenSpec {
    const w = this.sys.device.screen.width;
    const h = this.sys.device.screen.height;
    const title = (text: Localized): ScreenNodeSpec => node('title', text, 'title', [48, 140, w - 48, 260]);
    const row = (id: string, text: Localized, i: number): ScreenNodeSpec => node(id, text, 'link', [48, 300 + i * 150, w - 48, 430 + i * 150]);
    const rows = (items: Array<[string, Localized]>): ScreenNodeSpec[] => items.map(([id, text], i) => row(id, text, i));
    /** Android's alert: a title, a message and Close, a third of the way down the screen. */
    const dialog = (heading: Localized, message: Localized): ScreenNodeSpec[] => {
      const top = Math.round(h * 0.35);
      return [
        node('dialog', '', 'dialog', [60, top, w - 60, top + 620]),
        node('title', heading, 'title', [100, top + 40, w - 100, top + 160]),
        node('message', message, 'text', [100, top + 180, w - 100, top + 420]),
        node('close', { en: 'Close', zh: '关闭' }, 'button', [w - 420, top + 460, w - 100, top + 580]),
      ];
    };
    let nodes: ScreenNodeSpec[];
    switch (step) {
      case 'security':
        nodes = [title({ en: 'Security', zh: '安全' }), ...rows([['encryption', { en: 'Encryption & credentials', zh: '加密与凭据' }]])];
        break;
      case 'credentials':
        nodes = [title({ en: 'Encryption & credentials', zh: '加密与凭据' }), ...rows([
          ['trusted', { en: 'Trusted credentials', zh: '受信任的凭据' }], ['user-credentials', { en: 'User credentials', zh: '用户凭据' }],
          ['install', { en: 'Install a certificate', zh: '安装证书' }], ['clear', { en: 'Clear credentials', zh: '清除凭据' }],
        ])];
        break;
      case 'install':
        nodes = [title({ en: 'Install a certificate', zh: '安装证书' }), ...rows([
          ['ca', { en: 'CA certificate', zh: 'CA 证书' }], ['vpn-user', { en: 'VPN & app user certificate', zh: 'VPN 和应用用户证书' }],
          ['wifi', { en: 'Wi-Fi certificate', zh: 'WLAN 证书' }],
        ])];
        if (this.toast) nodes.push(node('toast', this.toast, 'panel', [120, h - 360, w - 120, h - 240]));
        break;
      case 'ca-warning':
        nodes = [
          title({ en: "Your data won't be private", zh: '您的数据将不再是私密的' }),
          node('message', {
            en: 'CA certificates are used by websites, apps and VPNs for encryption. Only install CA certificates from organisations that you trust. If you install a CA certificate, the certificate owner could access your data, such as passwords or credit card details, from websites that you visit or apps that you use – even if your data is encrypted.',
            zh: '网站、应用和 VPN 会使用 CA 证书进行加密。请只安装来自您信任的组织的 CA 证书。如果您安装了 CA 证书，证书所有者就可能会获取您的数据（例如密码或信用卡详细信息），这些数据来自您访问的网站或使用的应用，即使您的数据已加密也不例外。',
          }, 'text', [48, 300, w - 48, 1100]),
          node('install-anyway', { en: 'Install anyway', zh: '仍然安装' }, 'button', [48, h - 300, Math.round(w / 2) - 24, h - 170]),
          node('dont-install', { en: "Don't install", zh: '不安装' }, 'primary', [Math.round(w / 2) + 24, h - 300, w - 48, h - 170]),
        ];
        break;
      case 'picker': {
        // As many rows as fit on the screen (the picker scrolls on a phone; the workbench names its file so it is first).
        const fit = Math.max(1, Math.min(MAX_LISTED, Math.floor((h - 400) / 130)));
        const files = this.sys.fs.list(DOWNLOAD_DIR).filter((n) => CERT_FILE.test(n)).slice(0, fit);
        nodes = [title({ en: 'Download', zh: '下载' }), ...(files.length
          ? files.map((name, i) => node(`file:${name}`, name, 'link', [48, 300 + i * 130, w - 48, 410 + i * 130], `${DOCUMENTS_PACKAGE}:id/item_root`))
          : [node('empty', { en: 'No items', zh: '没有任何内容' }, 'text', [48, 300, w - 48, 420])])];
        break;
      }
      case 'redirect':
        nodes = dialog({ en: "Can't install CA certificates", zh: '无法安装 CA 证书' }, { en: 'CA certificates can put your privacy at risk and must be installed in Settings', zh: 'CA 证书可能会危及您的隐私，必须在“设置”中安装' });
        break;
      case 'invalid':
        nodes = dialog({ en: "Can't install", zh: '无法安装' }, { en: "The file selected can't be used as a CA certificate", zh: '所选文件无法用作 CA 证书' });
        break;
    }
    return { id: step, activity, background: step === 'redirect' || step === 'invalid' ? '#5f5f66' : '#fffbfe', nodes };
  }
}

const LABELS: Record<string, Localized> = {
  [SETTINGS_PACKAGE]: { en: 'Settings', zh: '设置' },
  [DOCUMENTS_PACKAGE]: { en: 'Files', zh: '文件' },
  [CERTINSTALLER_PACKAGE]: { en: 'Certificate Installer', zh: '证书安装程序' },
};

function node(id: string, text: Localized, style: ScreenNodeSpec['style'], bounds: [number, number, number, number], resourceId?: string): ScreenNodeSpec {
  return { id, text, style, bounds, resourceId, checkable: false, checked: false, clickable: style === 'link' || style === 'button' || style === 'primary' };
}
