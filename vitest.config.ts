import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['tests/**/*.test.{ts,tsx}'],
		globalSetup: ['tests/global-setup.ts', 'tests/helpers/redis-global-setup.ts'],
		testTimeout: 20_000,
		hookTimeout: 20_000,
		pool: 'forks',
	},
});
