// Types of keycloak.js for its TypeScript callers (Jest global setup, scripts).

export type KeycloakDb = 'dev-file' | 'dev-mem';

export interface StartOptions {
  /** HTTP port; the management interface (health) listens on port + 1000. Default 8080. */
  port?: number;
  /** Default 'dev-file' (data kept under .cache); tests use 'dev-mem'. */
  db?: KeycloakDb;
  /** Drop the dev-file database first so the realm exports are imported again. */
  fresh?: boolean;
  timeoutMs?: number;
  /** JDK 25+ AOT cache: default on, off when $CI is set or KEYCLOAK_AOT=0. */
  aot?: boolean;
  /** Folder of realm exports; default keycloak/import. */
  realmsDir?: string;
  log?: (message: string) => void;
}

export interface KeycloakInstance {
  url: string;
  port: number;
  managementPort: number;
  db: KeycloakDb;
  realms: string[];
  home: string;
  logFile: string;
  /** Null when an instance this script did not start was reused. */
  pid: number | null;
  /** True when an instance already answering on the port was reused instead of started. */
  reused: boolean;
  /** Milliseconds from spawn to every realm answering; 0 when reused. */
  bootMs: number;
}

export interface StopOptions {
  port?: number;
  timeoutMs?: number;
  log?: (message: string) => void;
}

export interface JavaInstallation {
  home: string;
  realHome: string;
  version: string;
  major: number;
}

export interface InstanceStatus {
  port: number;
  url: string;
  pid: number | null;
  ready: boolean;
  state: 'ready' | 'partial' | 'other' | 'down';
  missing?: string[];
}

export const KEYCLOAK_VERSION: string;
export const DIST_DIR: string;
export function ensureDistribution(opts?: { log?: (message: string) => void }): string;
export function findJava(): JavaInstallation;
export function startKeycloak(opts?: StartOptions): Promise<KeycloakInstance>;
export function stopKeycloak(opts?: StopOptions): Promise<{ stopped: boolean; port: number; pid?: number }>;
export function waitForReady(
  url: string,
  timeoutMs?: number,
  opts?: { isAlive?: () => boolean; intervalMs?: number },
): Promise<number>;
export function statusOf(port: number, realms?: string[]): Promise<InstanceStatus>;
export function realmNames(realmsDir?: string): string[];
export function managementPortFor(port: number): number;
