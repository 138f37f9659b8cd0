import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { findJava, javaMajor, MIN_JAVA } = require('./java.js') as {
  findJava: () => { home: string; major: number; version: string };
  javaMajor: (version: string) => number;
  MIN_JAVA: number;
};

function fakeJdk(root: string, name: string, version: string): string {
  const home = path.join(root, name);
  mkdirSync(path.join(home, 'bin'), { recursive: true });
  writeFileSync(path.join(home, 'bin', 'java'), '');
  writeFileSync(path.join(home, 'release'), `JAVA_VERSION="${version}"\n`);
  return home;
}

describe('java selection', () => {
  const savedJavaHome = process.env.JAVA_HOME;
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'kc-java-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    if (savedJavaHome === undefined) delete process.env.JAVA_HOME;
    else process.env.JAVA_HOME = savedJavaHome;
  });

  it.each([
    ['1.8.0_292', 8],
    ['17.0.15', 17],
    ['21', 21],
    ['21-ea', 21],
    ['25.0.3+9-LTS', 25],
  ])('reads the major version of %s as %i', (version, major) => {
    expect(javaMajor(version)).toBe(major);
  });

  it('takes JAVA_HOME when it is new enough, without looking further', () => {
    process.env.JAVA_HOME = fakeJdk(root, 'jdk-21', '21.0.4');
    expect(findJava()).toMatchObject({ home: process.env.JAVA_HOME, major: 21, version: '21.0.4' });
  });

  it('passes over a JAVA_HOME older than Keycloak needs', () => {
    process.env.JAVA_HOME = fakeJdk(root, 'jdk-17', '17.0.15');
    let chosen: { major: number; home: string } | undefined;
    let refusal: Error | undefined;
    try {
      chosen = findJava();
    } catch (error) {
      refusal = error as Error;
    }
    // Either another installed JDK qualifies, or the refusal names what to install.
    if (chosen) {
      expect(chosen.home).not.toBe(process.env.JAVA_HOME);
      expect(chosen.major).toBeGreaterThanOrEqual(MIN_JAVA);
    } else {
      expect(refusal?.message).toMatch(/needs Java 21\+.*Install a JDK 21 or newer/);
    }
  });
});
