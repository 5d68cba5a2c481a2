import { defineConfig } from 'vitest/config';

// The suites that talk to a server through its store run a second time on PostgreSQL.
const onPostgresToo = [
	'tests/server/accounts.test.ts',
	'tests/server/groups.test.ts',
	'tests/server/messages.test.ts',
	'tests/server/send-id.test.ts',
	'tests/server/own-messages.test.ts',
	'tests/server/read-markers.test.ts',
	'tests/server/replies.test.ts',
	'tests/server/message-changes.test.ts',
	'tests/server/typing.test.ts',
	'tests/server/search.test.ts',
	'tests/server/passwd.test.ts',
	'tests/server/admin.test.ts',
	'tests/server/change-durability.test.ts',
	'tests/server/connection-state.test.ts',
	'tests/server/protocol.test.ts',
	'tests/security/authorization.test.ts',
	'tests/client/chat-client.test.ts',
	'tests/client/chat-client-conversations.test.ts',
	'tests/conformance/*.test.ts',
];

export default defineConfig({
	test: {
		globalSetup: ['tests/global-setup.ts', 'tests/helpers/redis-global-setup.ts'],
		testTimeout: 20_000,
		hookTimeout: 20_000,
		pool: 'forks',
		projects: [
			{ extends: true, test: { name: 'embedded', include: ['tests/**/*.test.{ts,tsx}'] } },
			{
				extends: true,
				test: {
					name: 'postgres',
					include: onPostgresToo,
					env: { KORICHAT_TEST_STORE: 'postgres' },
					setupFiles: ['tests/helpers/postgres-project-setup.ts'],
				},
			},
		],
	},
});
