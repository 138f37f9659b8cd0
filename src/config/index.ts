export { appConfig, splitList } from './app.config';
export { keycloakConfig, authConfig, sessionConfig } from './keycloak.config';
export { envSchema, validateEnv, validateProcessEnv, ConfigValidationError } from './env.validation';
