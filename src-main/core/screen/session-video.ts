/**
 * The screen recording follows each session's recording (a RecordingFollower of the session manager): a session
 * that starts or resumes recording gets a Recorder attached to its phone's screen stream — unless the tester chose
 * no video for it (session.json `video: false`) — and the recorder is stopped, its last segment closed and named,
 * before the session pauses or closes.
 */
import type { RecordingFollower } from '../session/session-manager.js';
import type { Session } from '../session/session.js';
import type { ScreenStreams } from './contracts.js';
import { Recorder, type RecorderOptions } from './recorder.js';
import { screenSink } from './screen-sink.js';
import type { SegmentFacts } from './segment-writer.js';

export class SessionVideo implements RecordingFollower {
  readonly problemCode = 'video-failed';
  private running = new Map<string, { recorder: Recorder; detach: () => void }>();
  /** Segments each session's recorders wrote in this process (the CLI prints them at the end). */
  private segments = new Map<string, SegmentFacts[]>();

  constructor(private streams: () => ScreenStreams | null, private options: RecorderOptions = {}) {}

  async afterStart(s: Session): Promise<void> {
    this.begin(s);
  }

  async afterResume(s: Session): Promise<void> {
    this.begin(s);
  }

  async beforeStop(s: Session, why: 'pause' | 'close' | 'shutdown'): Promise<void> {
    const r = this.running.get(s.id);
    if (!r) return;
    this.running.delete(s.id);
    r.detach();
    const written = await r.recorder.stop(why === 'close' ? 'the session was closed' : why === 'pause' ? 'the session was paused' : 'the workbench stopped');
    this.segments.set(s.id, [...(this.segments.get(s.id) ?? []), ...written]);
  }

  /** Segments written for session `id` by recorders already stopped, in order. */
  written(id: string): SegmentFacts[] {
    return this.segments.get(id) ?? [];
  }

  recording(id: string): boolean {
    return this.running.has(id);
  }

  private begin(s: Session): void {
    if (s.meta.video === false || this.running.has(s.id)) return;
    const streams = this.streams();
    if (!streams) return;
    const recorder = new Recorder(screenSink(s), this.options);
    const detach = streams.attach(s.meta.device.serial, recorder, 'record');
    this.running.set(s.id, { recorder, detach });
  }
}
