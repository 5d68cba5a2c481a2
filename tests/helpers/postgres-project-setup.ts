import { afterAll } from 'vitest';
import { dropTestDatabases } from './test-server.js';

// The postgres project's suites leave no database behind, restarts included.
afterAll(async () => {
	await dropTestDatabases();
});
