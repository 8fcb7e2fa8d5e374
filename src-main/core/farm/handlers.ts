/** The farm's methods on the workbench API (issue #30): the Farm page's connection, status, job controls and membership. */
import type { Handlers } from '../../bridge/dispatcher.js';
import type { FarmService } from './farm-service.js';

type FarmMethods = 'farm.connect' | 'farm.status' | 'farm.retry' | 'farm.cancel' | 'farm.join' | 'farm.leave' | 'farm.offered';

export function farmHandlers(farm: FarmService): Pick<Handlers, FarmMethods> {
  return {
    'farm.connect': async ({ redisUrl, farm: name }) => farm.connect(redisUrl, name),
    'farm.status': async () => farm.status(),
    'farm.retry': async ({ jobId }) => farm.retry(jobId),
    'farm.cancel': async ({ jobId }) => farm.cancel(jobId),
    'farm.join': async (req) => farm.join(req),
    'farm.leave': async () => farm.leave(),
    'farm.offered': async () => ({ phones: farm.offeredPhones() }),
  };
}
