/**
 * Opening files without following symbolic links, on every platform. A session folder may come from
 * elsewhere, and a name in it that is a link would make the workbench read (into an evidence package) or
 * write (a timeline, a raw log, a lock) a file anywhere the tester can reach. O_NOFOLLOW refuses a link at
 * the last component where the OS has it (Linux, macOS); Windows has none in Node, so there an lstat before
 * and an fstat after the open must name the same file. Whatever is opened must be a regular file: a FIFO is
 * opened non-blocking so refusing it cannot hang, a device or folder is refused.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, rmSync, type Stats } from 'node:fs';

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0;

/** read: an existing file; append: created if missing (timeline, raw log); fresh: a new file where none is (temp files, locks). */
export type OpenMode = 'read' | 'append' | 'fresh';

const FLAGS: Record<OpenMode, number> = {
  read: constants.O_RDONLY | NOFOLLOW | NONBLOCK,
  append: constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | NOFOLLOW | NONBLOCK,
  // O_EXCL with O_CREAT never follows a link (POSIX), whatever the platform's O_NOFOLLOW.
  fresh: constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW,
};

/** Why a name was not opened: `link` (a symbolic link or junction), `not-a-file` (folder, FIFO, device, socket). */
export class NotFollowed extends Error {
  constructor(readonly path: string, readonly reason: 'link' | 'not-a-file') {
    super(reason === 'link' ? `${path} is a symbolic link` : `${path} is not a regular file`);
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Opens `path` without following a link at its last component; throws NotFollowed for a link or anything
 * but a regular file (`devices` also lets a character device through: a raw log the user sends to /dev/null),
 * and the OS's error otherwise (ENOENT for `read` of a missing file). `fresh` first removes what is at the
 * name (a temp file a dead process left, or a planted link: the link, not its target).
 */
export function openNoFollow(path: string, mode: OpenMode, permissions = 0o600, o: { devices?: boolean } = {}): { fd: number; stat: Stats } {
  if (mode === 'fresh') rmSync(path, { force: true });
  const before = NOFOLLOW ? null : lstatOrNull(path);
  if (before?.isSymbolicLink()) throw new NotFollowed(path, 'link');
  let fd: number;
  try {
    fd = openSync(path, FLAGS[mode], permissions);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Linux says ELOOP for a link under O_NOFOLLOW, macOS and the BSDs EMLINK or EFTYPE; ENXIO is a FIFO with no reader.
    if (code === 'ELOOP' || code === 'EMLINK' || code === 'EFTYPE') throw new NotFollowed(path, 'link');
    if (code === 'ENXIO' || code === 'EISDIR') throw new NotFollowed(path, 'not-a-file');
    throw err;
  }
  const stat = fstatSync(fd);
  const swapped = before !== null && (before.ino !== stat.ino || before.dev !== stat.dev);
  if (!(stat.isFile() || (o.devices && stat.isCharacterDevice())) || swapped) {
    closeSync(fd);
    throw new NotFollowed(path, swapped ? 'link' : 'not-a-file');
  }
  return { fd, stat };
}
