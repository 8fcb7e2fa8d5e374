/**
 * Each simulated app's task: the screens under the one it shows, as Android's back stack keeps activities.
 * A screen of another activity opens on top of the current one; a screen of the same activity replaces it (as
 * a fragment swap does, so a privacy dialog answered into the home screen is not under it); opening a screen
 * already in the stack goes back to it (navigate up), so a menu's cycle never grows the stack. It only keeps
 * the order: which screen is shown, and what BACK means for a scenario, stay the AndroidSystem's.
 */
const LAUNCHER_ACTIVITY = '.MainActivity';

export class ScreenBackStack {
  private stacks = new Map<string, string[]>();
  /** Apps whose process started and has shown nothing yet: their next screen is the task's root. */
  private rootPending = new Set<string>();

  /** A cold start: the task begins again from the next screen the app shows. */
  restart(pkg: string): void {
    this.stacks.set(pkg, []);
    this.rootPending.add(pkg);
  }

  forget(pkg: string): void {
    this.stacks.delete(pkg);
    this.rootPending.delete(pkg);
  }

  /** The app opens `next` while showing `current` (screen ids with their activities). */
  open(pkg: string, current: { id: string; activity?: string } | undefined, next: { id: string; activity?: string }): void {
    const stack = this.stacks.get(pkg) ?? [];
    this.stacks.set(pkg, stack);
    if (this.rootPending.delete(pkg) || !current || current.id === next.id) return;
    const at = stack.indexOf(next.id);
    if (at >= 0) {
      stack.length = at;
      return;
    }
    if ((current.activity ?? LAUNCHER_ACTIVITY) !== (next.activity ?? LAUNCHER_ACTIVITY)) stack.push(current.id);
  }

  /** BACK: the screen under the current one, taken off the stack, or undefined on the task's first screen. */
  pop(pkg: string): string | undefined {
    return this.stacks.get(pkg)?.pop();
  }

  /** The screens under the current one, bottom first (for tests and the trainer's view). */
  under(pkg: string): readonly string[] {
    return this.stacks.get(pkg) ?? [];
  }
}
