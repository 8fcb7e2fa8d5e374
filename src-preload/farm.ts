/**
 * The Farm page's slice of the API (issue #30): the farm's status as the core reads it from Redis, and this
 * workbench's own part in the farm when the tester joins it as a worker. Plain JSON; the Redis URL crosses only
 * as shown (its password replaced), never as typed.
 */
import type { FarmStatus } from '../src-main/core/farm/farm-status.js';
export type { FarmStatus, QueueStatus } from '../src-main/core/farm/farm-status.js';
export type { WorkerSeen, FarmPhone, PhoneState } from '../src-main/core/farm/farm-registry.js';

/** The farm this workbench reads: the Redis URL without its password, and the farm's name (null: the default farm). */
export interface FarmConnectionView {
  redis: string;
  farm: string | null;
}

/** This workbench as a worker of the farm, while it is one. */
export interface FarmMembership {
  name: string;
  storeDir: string;
  analyze: number;
  /** The phones it offered; none of them can start a session until it leaves. */
  phones: string[];
  since: number;
}

/**
 * What the page polls: the farm's status when Redis answers, or why it does not (`problem`, the core's words;
 * the page says it in the tester's language and keeps asking).
 */
export interface FarmView {
  connection: FarmConnectionView | null;
  reachable: boolean;
  problem: string | null;
  status: FarmStatus | null;
  member: FarmMembership | null;
}

export interface FarmJoinRequest {
  phones: string[];
  storeDir: string;
  analyze: number;
  /** The signing identity for the checks' packages (phones offered only); null: the first one. */
  identityId: string | null;
  /** Unlocks that identity; empty when the OS keystore protects it or no phone is offered. Never logged. */
  passphrase: string;
  /** Seconds a check dwells on each stage (as `farm worker --dwell`); absent: 30. */
  dwellSeconds?: number;
}
