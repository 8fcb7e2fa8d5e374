/**
 * The lab's phone farm (issue #30): APKs in a shared store by SHA-256, analyze and check jobs on BullMQ queues in
 * Redis, workers on every phone host, one result per job. Electron-free: the CLI (`apprights farm`) drives it.
 */
export { ApkStore, StoreRefusal, sha256Of } from './apk-store.js';
export { FarmRedisError, commandConnection, redisOptions, shown as shownRedisUrl, workerConnection } from './farm-connection.js';
export { ANALYSIS_FORMAT, DEFAULT_ATTEMPTS, FARM_PREFIX, FarmNameError, QUEUES, farmKeys, jobId, type FarmJobData, type FarmKeys, type JobKind, type JobTemplate, type JobWhere } from './farm-jobs.js';
export { cancelJob, kindOfJob, retryJob, type ControlOutcome, type ControlRefusal } from './farm-control.js';
export { BEAT_ALIVE_MS, farmWorkers, type FarmPhone, type PhoneState, type WorkerInfo, type WorkerSeen } from './farm-registry.js';
export { addJobs, farmQueue, type AddOutcome, type AddRequest } from './farm-queue.js';
export { eachResult, hasResult, recordResult } from './farm-results.js';
export { HISTORY_MINUTES, QUEUED_SHOWN, farmStatus, type FarmStatus, type QueueStatus } from './farm-status.js';
export { startFarmWorker, type CheckSetup, type FarmWorker, type FarmWorkerOptions } from './farm-worker.js';
export { jobTemplates, type TemplateSource } from './job-template.js';
