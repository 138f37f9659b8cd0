export { appConfig, splitList } from './app.config';
export { keycloakConfig, authConfig, sessionConfig } from './keycloak.config';
export { envSchema, currentEnv, validateEnv, validateProcessEnv, ConfigValidationError } from './env.validation';
