/**
 * The lab's phone farm (issue #30): APKs in a shared store by SHA-256, analyze and check jobs on BullMQ queues in
 * Redis, workers on every phone host, one result per job. Electron-free: the CLI (`apprights farm`) drives it.
 */
export { ApkStore, StoreRefusal, sha256Of } from './apk-store.js';
export { FarmRedisError, commandConnection, redisOptions, workerConnection } from './farm-connection.js';
export { ANALYSIS_FORMAT, DEFAULT_ATTEMPTS, FARM_PREFIX, QUEUES, jobId, type FarmJobData, type JobKind, type JobTemplate, type JobWhere } from './farm-jobs.js';
export { addJobs, farmQueue, type AddOutcome, type AddRequest } from './farm-queue.js';
export { RESULTS_KEY, eachResult, hasResult, recordResult } from './farm-results.js';
export { farmStatus, type FarmStatus, type QueueStatus } from './farm-status.js';
export { startFarmWorker, type CheckSetup, type FarmWorker, type FarmWorkerOptions } from './farm-worker.js';
