/**
 * HTTPS for `npm start` with the development certificates made by `npm run certs` (scripts/certs.ts).
 * Excel only loads add-ins over HTTPS, so the server speaks HTTPS whenever the certificates exist.
 *
 * - EXPORTDESK_CERTS_DIR: where the certificates are (default: .certs/ in the project; git-ignored).
 * - HTTPS=0 forces plain HTTP; HTTPS=1 refuses to start without certificates; unset: HTTPS when they exist.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface CertPaths {
  dir: string;
  /** The local certificate authority: what you trust. */
  ca: string;
  /** The server certificate for localhost and 127.0.0.1, signed by the CA. */
  cert: string;
  key: string;
}

export function certPaths(env: NodeJS.ProcessEnv = process.env): CertPaths {
  const dir = resolve(env.EXPORTDESK_CERTS_DIR || join(PROJECT_ROOT, '.certs'));
  return { dir, ca: join(dir, 'ca.crt'), cert: join(dir, 'localhost.crt'), key: join(dir, 'localhost.key') };
}

export type ServerTls =
  | { https: true; key: Buffer; cert: Buffer; paths: CertPaths; validTo: Date; warnings: string[] }
  | { https: false; hint: string };

const off = (v: string | undefined) => v !== undefined && /^(0|false|no|off)$/i.test(v.trim());
const on = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());

/** Decide HTTP or HTTPS from the environment and the certificate folder. Throws when HTTPS=1 cannot be honoured. */
export function serverTls(env: NodeJS.ProcessEnv = process.env, now = new Date()): ServerTls {
  const paths = certPaths(env);
  if (off(env.HTTPS)) return { https: false, hint: 'HTTPS=0: serving plain HTTP. Excel loads add-ins only over HTTPS, so the task pane will not load in Excel.' };
  if (!existsSync(paths.cert) || !existsSync(paths.key)) {
    const msg = `No development certificate in ${paths.dir}. Excel loads add-ins only over HTTPS: run \`npm run certs\`, trust the CA it prints, then restart.`;
    if (on(env.HTTPS)) throw new Error(`HTTPS=1, but there is no development certificate in ${paths.dir}: run \`npm run certs\`.`);
    return { https: false, hint: msg };
  }
  const key = readFileSync(paths.key);
  const cert = readFileSync(paths.cert);
  const x509 = new X509Certificate(cert);
  const validTo = new Date(x509.validTo);
  const warnings: string[] = [];
  const days = (validTo.getTime() - now.getTime()) / 86_400_000;
  if (days < 0) warnings.push(`The development certificate expired on ${validTo.toISOString().slice(0, 10)}: run \`npm run certs -- --force\` and trust the new CA.`);
  else if (days < 7) warnings.push(`The development certificate expires on ${validTo.toISOString().slice(0, 10)}: renew it with \`npm run certs -- --force\`.`);
  return { https: true, key, cert, paths, validTo, warnings };
}
