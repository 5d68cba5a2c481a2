import { Status } from '../../protocol/status.js';
import { errorResponse, jsonResponse } from '../../protocol/encoder.js';
import type { Command } from './command.js';

export const sessionCookie = (id: string) => `SESSIONID=${id}`;
export const expiredSessionCookie = 'SESSIONID=; Max-Age=0';

export const accountCommands: Record<string, Command> = {
	REG: {
		anonymous: true,
		ignoresCookie: true,
		usage: 'REG <user>',
		async run({ request, services }) {
			const user = await services.accounts.register(
				request.target,
				request.headers.get('password'),
				request.headers.get('name'),
			);
			return jsonResponse(Status.created, { name: user.name, displayName: user.displayName });
		},
	},
	USE: {
		anonymous: true,
		ignoresCookie: true,
		usage: 'USE <user>',
		async run({ request, services, session }) {
			const record = await services.accounts.login(request.target, request.headers.get('password'));
			session.bind(record);
			return jsonResponse(Status.ok, { user: record.user }, [
				['Set-Cookie', sessionCookie(record.id)],
			]);
		},
	},
	LOGOUT: {
		async run({ services, session, user }) {
			if (session.sessionId) await services.accounts.logout(user, session.sessionId);
			session.endSession();
			return { status: Status.ok, headers: [['Set-Cookie', expiredSessionCookie]] };
		},
	},
	PASSWD: {
		async run({ request, services, session, user }) {
			const { headers } = request;
			await services.accounts.changePassword(
				user,
				session.sessionId ?? '',
				headers.get('password'),
				headers.get('new-password'),
			);
			return { status: Status.ok };
		},
	},
	PING: {
		anonymous: true,
		// A load balancer's health check: 503 while this node's database cannot take writes.
		async run({ services }) {
			const { health } = services;
			if (health.healthy) return { status: Status.ok };
			return errorResponse(
				Status.serviceUnavailable,
				`this server cannot use its database (${health.reason}); try another node or retry shortly`,
				[['Retry-After', '1']],
			);
		},
	},
	LIST_USER: {
		async run({ request, services, user }) {
			if (request.target === undefined) {
				const users = await services.accounts.listUsers();
				const online = await services.online.areOnline(users.map((u) => u.name));
				return jsonResponse(Status.ok, {
					users: users.map((u) => u.name),
					details: users.map((u, i) => ({
						name: u.name,
						displayName: u.displayName,
						online: online[i] ?? false,
					})),
				});
			}
			const { members } = await services.groups.members(user, request.target);
			const online = await services.online.areOnline(members.map((m) => m.user));
			const details = await Promise.all(
				members.map(async ({ user: name, role }, i) => ({
					name,
					displayName: (await services.accounts.findUser(name))?.displayName ?? name,
					online: online[i] ?? false,
					role,
				})),
			);
			return jsonResponse(Status.ok, { users: details.map((d) => d.name), details });
		},
	},
};
