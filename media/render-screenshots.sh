#!/usr/bin/env bash
# Re-makes the screenshots in media/ from the running program: a real server, scripted users, the
# real TUI in tmux (120×36), captured with colours, turned into HTML by ansi-to-html.mjs and
# photographed by headless Chromium. Needs node, tmux and chromium (Debian: apt-get install tmux chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
media=media
cols=120
rows=36
[ -f dist/cli.js ] || npm run build

work=$(mktemp -d)
server_pid=
cleanup() {
	for session in shot-alice shot-bob shot-carol; do tmux kill-session -t "$session" 2>/dev/null || true; done
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

node dist/cli.js --serve --headless --port 0 --data "$work/data" >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
for _ in $(seq 100); do grep -q 'listening' "$work/server.out" 2>/dev/null && break; sleep 0.1; done
server=$(sed -n 's/^korichat listening on //p' "$work/server.out")
echo "server on $server"

# kc USER PASSWORD ARGS…: a scripting command as USER (each user has a config folder).
kc() {
	local user=$1 password=$2
	shift 2
	KORICHAT_PASSWORD=$password node dist/cli.js "$@" --server "$server" --config "$work/$user" >/dev/null
}
account() { # account USER "Display Name"
	kc "$1" "$1-secret-1" register "$1" --name "$2"
	kc "$1" "$1-secret-1" login "$1"
}
account alice 'Alice Liddell'
account bob 'Bob Marley'
account carol 'Carol Danvers'
account dave 'Dave Grohl'
account erin 'Erin Brockovich'

say() { kc "$1" x send "$2" "$3"; }
kc alice x group create tea-party
kc alice x group add tea-party bob:admin carol dave
kc bob x group create ops
kc bob x group add ops alice erin
say alice tea-party 'Welcome to the tea party, everyone! Scones at four, the good china is out.'
say bob tea-party 'I will bring the jam. Strawberry or apricot?'
say carol tea-party 'Strawberry, obviously. And clotted cream, or it does not count.'
say dave tea-party 'Can we settle cream first or jam first before anyone arrives? I have strong opinions and a slide deck.'
say alice tea-party 'Jam first. This is not up for debate, @dave.'
say carol tea-party '@alice should I put the kettle on now?'
say bob tea-party 'Kettle is on. Also: the cake stand has three tiers this year.'
say erin ops 'Deploy of the scheduling service is done, all green.'
say bob alice 'Can you add Erin to the tea party? She asked.'

# UI sessions for bob and carol, so they show as online.
for user in bob carol; do
	tmux new-session -d -s "shot-$user" -x 100 -y 30 "env -u CI node dist/cli.js --server $server --config $work/$user"
done

capture() { # capture NAME TITLE: the alice session → media/NAME.png
	local name=$1 title=$2
	tmux capture-pane -e -p -t shot-alice >"$work/$name.ans"
	node "$media/ansi-to-html.mjs" "$title" <"$work/$name.ans" >"$work/$name.html"
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$work/chromium" --hide-scrollbars --screenshot="$media/$name.png" \
		--window-size=1116,640 "file://$work/$name.html" 2>/dev/null
	echo "wrote $media/$name.png"
}
keys() { tmux send-keys -t shot-alice "$@"; sleep 0.6; }
wait_for() { # wait_for TEXT: until the alice screen shows TEXT (at most 15 s)
	for _ in $(seq 150); do tmux capture-pane -p -t shot-alice | grep -qF -- "$1" && return 0; sleep 0.1; done
	echo "the screen never showed: $1" >&2
	tmux capture-pane -p -t shot-alice >&2
	exit 1
}

# A fresh config folder: the login screen (it opens on "Create an account" for a server never
# used from here; Ctrl+R to log in), user name typed, Tab, password typed.
tmux new-session -d -s shot-alice -x "$cols" -y "$rows" "env -u CI node dist/cli.js --server $server --config $work/alice-fresh"
wait_for 'Create an account'
keys C-r
wait_for 'Log in'
keys alice
keys Tab
keys alice-secret-1
capture login 'KoriChat: login'

keys Enter
wait_for 'Groups'
keys '/group tea-party' Enter
wait_for 'slide deck'
capture group-conversation 'KoriChat: a group conversation'

keys Tab Tab
keys Down
keys M-m
sleep 0.8
capture group-members 'KoriChat: managing a group'

keys Escape
keys Tab Tab
keys M-i
keys e
keys Tab
capture group-add 'KoriChat: adding a member with a role'

# §7: a reply with its quote, an edited message, and the reply being written in selection mode.
keys Escape
kc carol x send tea-party --reply-to 5 'Fine, jam first. But the clotted cream goes on thick.'
kc bob x edit 2 'I will bring the jam. Strawberry and apricot, to keep the peace.'
wait_for 'Fine, jam first'
wait_for '(edited)'
keys Up
keys Up
keys Up
keys r
wait_for 'replying to'
keys 'Deal. Bob, bring both jars'
capture reply 'KoriChat: replying to a message'

# Search in the open conversation: Ctrl+F, words, Enter.
keys Escape
keys Escape
keys C-f
keys 'jam'
keys Enter
wait_for 'found'
capture search 'KoriChat: search results'
