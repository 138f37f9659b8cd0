// Jest global teardown: stops what this run started, and nothing else. A Keycloak or
// Redis that was already running when the run began belongs to someone else.
import { stopKeycloak } from '../../keycloak/keycloak';
import { e2eStack } from './global-setup';
import { stopRedisStartedBy } from './redis';

export default async function globalTeardown(): Promise<void> {
  const stack = e2eStack();
  if (!stack) return;
  const log = (message: string) => console.log(`[e2e keycloak] ${message}`);
  await Promise.all([
    stack.startedKeycloakPort === undefined ? undefined : stopKeycloak({ port: stack.startedKeycloakPort, log }),
    stopRedisStartedBy(stack.runId),
  ]);
}
