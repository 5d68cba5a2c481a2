import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** True when the openssl CLI is on PATH (the TLS suites make their certificates with it). */
export function hasOpenssl(): boolean {
	try {
		execFileSync('openssl', ['version'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

/** A throwaway self-signed certificate for localhost in `dir`: the paths of cert.pem and key.pem. */
export function makeCertificate(dir: string): { cert: string; key: string } {
	const files = { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
	execFileSync(
		'openssl',
		['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1']
			.concat(['-keyout', files.key, '-out', files.cert, '-subj', '/CN=localhost'])
			.concat(['-addext', 'subjectAltName=DNS:localhost']),
		{ stdio: 'ignore' },
	);
	return files;
}
