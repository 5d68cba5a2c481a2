import { mkdirSync } from 'node:fs';
import Conf from 'conf';
import type { ConversationId } from '../state/chat-state.js';

/** What a restart keeps of the screen, per server and user. */
export type SavedView = {
	/** The conversation that was open. */
	readonly open?: ConversationId;
	/** The conversation list: a conversation keeps its Alt+number until it is closed. */
	readonly order: readonly ConversationId[];
	/** Unsent drafts by conversation (`''`: typed with none open). */
	readonly drafts: Readonly<Record<string, string>>;
};

/** Where the UI keeps what outlives it; the UI needs only this. */
export interface ViewStore {
	load(server: string, user: string): SavedView | undefined;
	save(server: string, user: string, view: SavedView): void;
	/** Whether anyone ever logged in to this server from here (the login screen's first mode). */
	knows(server: string): boolean;
	remember(server: string): void;
}

type ViewFile = { views: Record<string, SavedView>; servers: string[] };

const idPattern = /^(user|group):[a-z0-9_.-]{1,32}$/;
const isId = (value: unknown): value is ConversationId =>
	typeof value === 'string' && idPattern.test(value);

/** A saved view as read back: anything damaged is dropped, not trusted. */
function checked(value: unknown): SavedView | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const { open, order, drafts } = value as Record<string, unknown>;
	const draftEntries =
		typeof drafts === 'object' && drafts !== null
			? Object.entries(drafts).filter(
					([key, text]) => (key === '' || isId(key)) && typeof text === 'string',
				)
			: [];
	return {
		open: isId(open) ? open : undefined,
		order: Array.isArray(order) ? [...new Set(order.filter(isId))] : [],
		drafts: Object.fromEntries(draftEntries) as Record<string, string>,
	};
}

/** `<dir>/ui.json` (owner-only, like the sessions): views per `server user`, and known servers. */
export class ConfViewStore implements ViewStore {
	readonly #conf: Conf<ViewFile>;

	constructor(dir: string) {
		mkdirSync(dir, { recursive: true, mode: 0o700 });
		this.#conf = new Conf<ViewFile>({
			cwd: dir,
			configName: 'ui',
			configFileMode: 0o600,
			accessPropertiesByDotNotation: false,
			defaults: { views: {}, servers: [] },
			// A damaged file only costs the saved view.
			clearInvalidConfig: true,
		});
	}

	load(server: string, user: string): SavedView | undefined {
		return checked(this.#conf.get('views')[`${server} ${user}`]);
	}

	save(server: string, user: string, view: SavedView): void {
		this.#conf.set('views', { ...this.#conf.get('views'), [`${server} ${user}`]: view });
	}

	knows(server: string): boolean {
		return this.#conf.get('servers').includes(server);
	}

	remember(server: string): void {
		const servers = this.#conf.get('servers');
		if (!servers.includes(server)) this.#conf.set('servers', [...servers, server]);
	}
}

/** A ViewStore in memory (tests, and a UI with no config folder). */
export class MemoryViewStore implements ViewStore {
	readonly #views = new Map<string, SavedView>();
	readonly #servers = new Set<string>();

	load(server: string, user: string): SavedView | undefined {
		return this.#views.get(`${server} ${user}`);
	}

	save(server: string, user: string, view: SavedView): void {
		this.#views.set(`${server} ${user}`, view);
	}

	knows(server: string): boolean {
		return this.#servers.has(server);
	}

	remember(server: string): void {
		this.#servers.add(server);
	}
}
