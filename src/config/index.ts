export { appConfig, splitList } from './app.config';
export { keycloakConfig, authConfig, sessionConfig } from './keycloak.config';
export { envSchema, validateEnv, ConfigValidationError } from './env.validation';
