/**
 * `npm run certs` — development certificates for https://localhost, made offline with office-addin-dev-certs:
 * a local certificate authority (ca.crt) and a certificate for localhost and 127.0.0.1 signed by it
 * (localhost.crt, localhost.key), in .certs/ (or EXPORTDESK_CERTS_DIR). Nothing is installed unless you ask:
 * the script prints how to trust the CA on Windows, macOS and Linux.
 *
 *   npm run certs                       make them (keeps valid ones)
 *   npm run certs -- --force            make new ones (you must trust the new CA again)
 *   npm run certs -- --days 90          validity (default 365)
 *   npm run certs -- --install          also trust the CA with office-addin-dev-certs' installer
 *                                       (Windows: current user's store; macOS: login keychain; Linux: sudo)
 *
 * The CA's private key is never written anywhere, so the CA cannot sign anything else.
 */
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { generateCertificates, getCaCertificateStatus, installCaCertificate, CertificateStatus } from 'office-addin-dev-certs';
import { certPaths, type CertPaths } from '../worker/src/runtime/tls.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function validDays(paths: CertPaths): number | null {
  if (![paths.ca, paths.cert, paths.key].every(existsSync)) return null;
  try {
    const cert = new X509Certificate(readFileSync(paths.cert));
    const ca = new X509Certificate(readFileSync(paths.ca));
    if (!cert.verify(ca.publicKey)) return null;
    return (new Date(cert.validTo).getTime() - Date.now()) / 86_400_000;
  } catch {
    return null;
  }
}

export function trustInstructions(paths: CertPaths): string {
  const ca = paths.ca;
  return [
    `Trust the development CA (${ca}) once, in the place the Excel you use reads it from:`,
    '',
    '  Windows (Excel desktop, Edge, Chrome): current user, no admin rights needed — run in a terminal',
    `    certutil -user -addstore Root "${ca}"`,
    '    (or double-click ca.crt → Install Certificate → Current User → "Trusted Root Certification Authorities")',
    '  macOS (Excel for Mac, Safari, Chrome): login keychain',
    `    security add-trusted-cert -d -r trustRoot -k ~/Library/Keychains/login.keychain-db "${ca}"`,
    '  Linux (Excel on the web in Chrome/Chromium or Firefox):',
    `    sudo cp "${ca}" /usr/local/share/ca-certificates/exportdesk-dev-ca.crt && sudo update-ca-certificates`,
    `    certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n "ExportDesk dev CA" -i "${ca}"   # Chrome/Chromium (libnss3-tools)`,
    '    Firefox: Settings → Privacy & Security → Certificates → View Certificates → Authorities → Import.',
    '',
    'Or let office-addin-dev-certs do it: npm run certs -- --install',
    'Then restart `npm start`: it serves https://localhost:8787 with these files.',
  ].join('\n');
}

async function main() {
  const paths = certPaths();
  const force = process.argv.includes('--force');
  const days = Number(arg('--days') ?? 365);
  if (!Number.isInteger(days) || days < 1 || days > 825) throw new Error('--days must be a whole number from 1 to 825 (macOS refuses longer TLS certificates)');

  const left = validDays(paths);
  if (left !== null && left > 7 && !force) {
    console.log(`Development certificates in ${paths.dir} are valid for ${Math.floor(left)} more days (--force to make new ones).`);
  } else {
    for (const f of [paths.ca, paths.cert, paths.key]) rmSync(f, { force: true });
    mkdirSync(paths.dir, { recursive: true });
    await generateCertificates(paths.ca, paths.cert, paths.key, days, ['localhost', '127.0.0.1']);
    chmodSync(paths.key, 0o600);
    console.log(`Made a development CA and a certificate for localhost and 127.0.0.1, valid ${days} days:`);
    console.log(`  ${paths.ca}\n  ${paths.cert}\n  ${paths.key}`);
  }

  if (process.argv.includes('--install')) {
    const status = getCaCertificateStatus();
    if (status.status === CertificateStatus.Installed) {
      // office-addin-dev-certs looks the CA up by name and would silently skip ours.
      console.log('\nA "Developer CA for Microsoft Office Add-ins" is already trusted on this machine (another project, or an');
      console.log('earlier run). If it is not this one, trust this CA by hand (below) or remove the old one first');
      console.log('(`npx office-addin-dev-certs uninstall`, which also deletes ~/.office-addin-dev-certs).\n');
      console.log(trustInstructions(paths));
      return;
    }
    await installCaCertificate(paths.ca);
  } else {
    console.log(`\n${trustInstructions(paths)}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
