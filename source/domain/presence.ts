/**
 * Who is online across every node. A node reports its own users' first and last connections;
 * the answer says whether that changed the user's presence for everyone, so a change is
 * announced once however many nodes and devices a user has.
 */
export interface Presence {
	/** The user's first connection on this node: true when that made them online. */
	arrive(user: string): Promise<boolean>;
	/** The user's last connection on this node closed: true when they are now offline everywhere. */
	depart(user: string): Promise<boolean>;
	/** Whether each of these users is online anywhere, in the same order. */
	online(users: readonly string[]): Promise<boolean[]>;
	/** Called with the users who went offline because a node stopped renewing its lease. */
	onLapsed(listener: (users: readonly string[]) => void): void;
	close(): Promise<void>;
}

/** Presence on one node: online while this node holds a connection of the user. */
export class LocalPresence implements Presence {
	readonly #here = new Set<string>();

	async arrive(user: string): Promise<boolean> {
		if (this.#here.has(user)) return false;
		this.#here.add(user);
		return true;
	}

	async depart(user: string): Promise<boolean> {
		return this.#here.delete(user);
	}

	async online(users: readonly string[]): Promise<boolean[]> {
		return users.map((user) => this.#here.has(user));
	}

	onLapsed(): void {
		// A single node's users never lapse: they leave when their connections close.
	}

	async close(): Promise<void> {
		this.#here.clear();
	}
}
