/**
 * A process that appends events to a timeline steadily (one every 2 ms, each with its host time) until it
 * is killed: the durability test kills it with SIGKILL and checks what reached the disk.
 */
import { TimelineWriter } from '../../src-main/core/session/timeline-writer.js';

const writer = new TimelineWriter(process.argv[2]!);
let i = 0;
setInterval(() => {
  writer.append({ type: 'tester.note', text: `note ${++i}`, hostTime: Date.now() });
}, 2);
process.stdout.write('ready\n');
