/**
 * What `pm install` failure codes mean for a tester, and what to do about each, in zh and en. Codes are
 * matched from `Failure [CODE: detail]`; unknown codes keep their raw text.
 */
export interface InstallFailure {
  code: string;
  detail: string;
  zh: string;
  en: string;
}

const EXPLAIN: Record<string, { zh: string; en: string }> = {
  INSTALL_FAILED_UPDATE_INCOMPATIBLE: { zh: '手机上已有同包名但签名不同的版本。请先卸载旧版本（会清除其数据）再安装。', en: 'A version signed with a different key is installed. Uninstall it first (its data is lost), then install again.' },
  INSTALL_FAILED_VERSION_DOWNGRADE: { zh: '手机上的版本比这个 APK 新。请先卸载新版本，或改用更高版本的 APK。', en: 'The installed version is newer than this APK. Uninstall it first, or use a newer APK.' },
  INSTALL_FAILED_NO_MATCHING_ABIS: { zh: 'APK 的原生库不支持这台手机的 CPU 架构（ABI）。请换用包含该架构的 APK。', en: "The APK's native libraries do not support this phone's CPU (ABI). Use an APK built for it." },
  INSTALL_FAILED_INSUFFICIENT_STORAGE: { zh: '手机存储空间不足。请清理空间后重试。', en: 'The phone is out of storage. Free some space and retry.' },
  INSTALL_FAILED_USER_RESTRICTED: { zh: '手机拒绝了通过 USB 安装。小米/红米（MIUI/HyperOS）请在开发者选项中打开“USB 安装”，并在手机上确认；其他品牌请在手机上允许安装。', en: 'The phone refused installing over USB. On Xiaomi/Redmi (MIUI/HyperOS) enable "Install via USB" in Developer options and confirm on the phone; on other brands allow the install on the phone.' },
  INSTALL_FAILED_TEST_ONLY: { zh: '这是仅供测试的 APK（testOnly）。请使用正式构建，或改用 adb install -t 手动安装。', en: 'This APK is marked testOnly. Use a release build, or install it by hand with adb install -t.' },
  INSTALL_FAILED_ALREADY_EXISTS: { zh: '该应用已安装。', en: 'The app is already installed.' },
  INSTALL_FAILED_OLDER_SDK: { zh: '手机的 Android 版本低于 APK 要求的最低版本（minSdk）。请换一台更新的手机。', en: "The phone's Android version is below the APK's minSdk. Use a newer phone." },
  INSTALL_FAILED_DEPRECATED_SDK_VERSION: { zh: 'APK 的 targetSdk 太旧，这个 Android 版本不允许安装。', en: 'The APK targets an SDK too old for this Android version to install.' },
  INSTALL_FAILED_INVALID_APK: { zh: 'APK 文件无效或已损坏。请重新获取 APK。', en: 'The APK is invalid or damaged. Get the file again.' },
  INSTALL_PARSE_FAILED_NOT_APK: { zh: '该文件不是 APK。', en: 'The file is not an APK.' },
  INSTALL_PARSE_FAILED_NO_CERTIFICATES: { zh: 'APK 未签名或签名损坏，手机拒绝安装。', en: 'The APK is unsigned or its signature is broken; the phone refuses it.' },
  INSTALL_PARSE_FAILED_INCONSISTENT_CERTIFICATES: { zh: 'APK 内各文件的签名不一致，可能被篡改。', en: 'Files in the APK are signed inconsistently; it may have been tampered with.' },
  INSTALL_FAILED_DUPLICATE_PERMISSION: { zh: 'APK 声明的权限已被手机上另一个应用定义。请先卸载该应用。', en: 'The APK defines a permission another installed app already defines. Uninstall that app first.' },
  INSTALL_FAILED_CONFLICTING_PROVIDER: { zh: 'APK 的 ContentProvider 与已安装应用冲突。请先卸载冲突的应用。', en: "The APK's content provider conflicts with an installed app. Uninstall that app first." },
  INSTALL_FAILED_VERIFICATION_FAILURE: { zh: '手机的安装校验（如“安全守护”）拒绝了此 APK。请在手机上关闭相关校验或手动确认。', en: "The phone's install verification rejected the APK. Confirm on the phone or turn the verification off." },
  INSTALL_FAILED_ABORTED: { zh: '安装被手机上的用户或系统取消。请在手机上确认安装。', en: 'The install was cancelled on the phone. Confirm it on the phone.' },
  INSTALL_FAILED_INVALID_URI: { zh: '推送到手机的 APK 文件不存在（可能推送中断）。请重试。', en: 'The pushed APK is missing on the phone (the push may have been interrupted). Retry.' },
};

export function parseInstallFailure(output: string): InstallFailure | null {
  const m = /Failure \[([A-Z0-9_]+)(?::\s*([^\]]*))?\]/.exec(output) ?? /^(?:Error: )?(INSTALL_[A-Z0-9_]+)(?::\s*(.*))?$/m.exec(output);
  if (!m) return null;
  const code = m[1]!;
  const known = EXPLAIN[code];
  return {
    code,
    detail: (m[2] ?? '').trim(),
    zh: known?.zh ?? `安装失败：${code}`,
    en: known?.en ?? `Install failed: ${code}`,
  };
}

export const EXPLAINED_INSTALL_FAILURES = Object.keys(EXPLAIN);
