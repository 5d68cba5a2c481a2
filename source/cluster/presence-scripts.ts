// Lua for RedisPresence. Each runs atomically, so two nodes never both see a user's last exit.
// Keys: <prefix>online (users online anywhere), <prefix>user:<name> (node ids holding the user),
// <prefix>node:<id> (users on that node), <prefix>leases (node id → lease expiry, Redis time ms).
// User and node keys are built inside the scripts from the prefix: this needs one Redis, not a
// Redis Cluster.

const now = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

// Takes a node's entry off a user; the user's name when that made them offline everywhere.
const dropEntry = `
local function drop_entry(prefix, online, node, user)
	local key = prefix .. 'user:' .. user
	redis.call('SREM', key, node)
	if redis.call('SCARD', key) == 0 and redis.call('SREM', online, user) == 1 then
		return user
	end
	return nil
end
local function drop_node(prefix, online, leases, node, into)
	local node_key = prefix .. 'node:' .. node
	for _, user in ipairs(redis.call('SMEMBERS', node_key)) do
		local gone = drop_entry(prefix, online, node, user)
		if gone then table.insert(into, gone) end
	end
	redis.call('DEL', node_key)
	redis.call('ZREM', leases, node)
end
`;

/** KEYS online, user, node, leases; ARGV node id, user, lease ms → 1 when now online anywhere. */
export const arriveScript = `${now}
redis.call('ZADD', KEYS[4], 'NX', now + tonumber(ARGV[3]), ARGV[1])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[2])
return redis.call('SADD', KEYS[1], ARGV[2])
`;

/** KEYS online, user, node; ARGV node id, user → 1 when now offline everywhere. */
export const departScript = `
redis.call('SREM', KEYS[3], ARGV[2])
redis.call('SREM', KEYS[2], ARGV[1])
if redis.call('SCARD', KEYS[2]) > 0 then return 0 end
return redis.call('SREM', KEYS[1], ARGV[2])
`;

/**
 * KEYS online, node, leases; ARGV prefix, node id, lease ms, then every user on the node.
 * Renews the lease and makes the node's entries match its users (a depart or arrive may have
 * failed while Redis was down, or Redis lost its data). Returns the users whose presence is
 * wrong for everyone: gone users who just went offline, and users here who are not online (their
 * node must announce them again; only `arrive` puts them back, so that is announced once).
 */
export const renewScript = `${now}${dropEntry}
local prefix, node = ARGV[1], ARGV[2]
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]), node)
local here, changed = {}, {}
for i = 4, #ARGV do here[ARGV[i]] = true end
for _, user in ipairs(redis.call('SMEMBERS', KEYS[2])) do
	if not here[user] then
		redis.call('SREM', KEYS[2], user)
		local gone = drop_entry(prefix, KEYS[1], node, user)
		if gone then table.insert(changed, gone) end
	end
end
for i = 4, #ARGV do
	local user = ARGV[i]
	redis.call('SADD', KEYS[2], user)
	redis.call('SADD', prefix .. 'user:' .. user, node)
	if redis.call('SISMEMBER', KEYS[1], user) == 0 then table.insert(changed, user) end
end
return changed
`;

/** KEYS online, leases; ARGV prefix → the users of lapsed nodes who are now offline everywhere. */
export const sweepScript = `${now}${dropEntry}
local lapsed = {}
for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do
	drop_node(ARGV[1], KEYS[1], KEYS[2], node, lapsed)
end
return lapsed
`;

/** KEYS online, leases; ARGV prefix, node id → removes the node's entries (a clean shutdown). */
export const leaveScript = `${dropEntry}
local ignored = {}
drop_node(ARGV[1], KEYS[1], KEYS[2], ARGV[2], ignored)
return #ignored
`;
