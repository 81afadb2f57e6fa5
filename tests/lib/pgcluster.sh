# A throwaway PostgreSQL cluster for tests (sourced by bash; sets no shell
# options of its own). Everything lives in one private directory, which
# pg_cluster_stop removes: the data, the unix socket, the logs. Nothing outside
# it is read or written, and the clusters the postgresql package made (the
# default one on /var/run/postgresql) are never touched.
#
#   pg_cluster_start DIR [tcp]   initdb + pg_ctl start in DIR (created 0700 if
#                                missing; if it exists it must be empty)
#   pg_cluster_create_db NAME    a new database in the cluster just started
#   pg_cluster_psql [ARGS...]    psql as the superuser on the cluster just started
#   pg_cluster_stop DIR          stop (fast) and remove DIR; safe to call twice
#                                or after a failed start
#
# After pg_cluster_start these are set and exported:
#   PG_BINDIR    the server's bin directory (initdb, pg_ctl, psql, createdb)
#   PG_SOCK      the unix socket directory (DIR itself)
#   PG_PORT      the port (5432 on the socket only; a free one with tcp)
#   PG_USER      the superuser, always "postgres"
#   PG_BASE_URL  a libpq URL without a database: append "/DBNAME" and, if
#                wanted, "?options=-csearch_path%3DSCHEMA", e.g.
#                  postgresql://postgres@%2Ftmp%2Fsg-pg.Ab12:5432
#                  postgresql://postgres@127.0.0.1:41234            (tcp)
#   PG_PASSWORD  tcp only: the superuser's password (never put in PG_BASE_URL;
#                pass it as PGPASSWORD or in the URL yourself)
#
# Authentication: the socket is trusted, since only DIR's owner (and root)
# can reach a socket in a 0700 directory; TCP, when asked for, listens on
# 127.0.0.1 only and wants scram-sha-256 with a password made at start.
# fsync and the other durability settings stay on unless PG_FAST=1 (tests only).
#
# Run as root, the server cannot run as root: initdb and pg_ctl run as the
# `postgres` user (the postgresql package creates it), DIR is chowned to it,
# and DIR's parent must let that user in (mktemp -d under /tmp does).

pg__say() {
	printf 'pgcluster: %s\n' "$*" >&2
}

# The newest /usr/lib/postgresql/N/bin with a server in it (Debian puts the
# server programs there and not on PATH; pg_config may be absent).
pg__find_bindir() {
	local d best="" best_v=-1 v
	for d in /usr/lib/postgresql/*/bin; do
		if [ ! -x "$d/initdb" ] || [ ! -x "$d/pg_ctl" ]; then
			continue
		fi
		v=${d#/usr/lib/postgresql/}
		v=${v%%/*}
		v=${v%%.*}
		case "$v" in '' | *[!0-9]*) continue ;; esac
		if [ "$v" -gt "$best_v" ]; then
			best_v=$v
			best=$d
		fi
	done
	if [ -z "$best" ] && command -v pg_config >/dev/null 2>&1; then
		d=$(pg_config --bindir 2>/dev/null)
		[ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && best=$d
	fi
	[ -n "$best" ] || return 1
	printf '%s\n' "$best"
}

# Run a server program as the cluster's owner: ourselves, or `postgres` when
# we are root. The working directory is DIR, which that user can enter.
pg__as_owner() {
	local dir=$1
	shift
	if [ "$(id -u)" -eq 0 ]; then
		(cd "$dir" && runuser -u postgres -- "$@")
	else
		(cd "$dir" && "$@")
	fi
}

# "/tmp/a b" -> "%2Ftmp%2Fa%20b": a socket directory as a URL's host.
pg__url_encode() {
	local s=$1 out="" c i
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case "$c" in
		[A-Za-z0-9._~-]) out+=$c ;;
		*) out+=$(printf '%%%02X' "'$c") ;;
		esac
	done
	printf '%s\n' "$out"
}

pg__random_word() { # 32 hex characters
	od -An -N16 -tx1 /dev/urandom | tr -d ' \n'
}

pg__log_tail() {
	local f
	for f in "$1"/initdb.log "$1"/postgres.log; do
		[ -s "$f" ] || continue
		pg__say "last lines of $f:"
		tail -n 15 "$f" >&2
	done
}

pg_cluster_start() {
	local dir=${1:-} mode=${2:-socket} bindir port tries as_root=0 host
	local auth_host=reject pwfile="" conf

	if [ -z "$dir" ] || [ $# -gt 2 ] || { [ "$mode" != socket ] && [ "$mode" != tcp ]; }; then
		pg__say "usage: pg_cluster_start DIR [tcp]"
		return 2
	fi
	case "$dir" in
	/*) ;;
	*) dir=$PWD/$dir ;;
	esac
	# The path goes into postgresql.conf between single quotes and into a
	# URL: keep it to characters that need no quoting anywhere.
	case "$dir" in
	*[!A-Za-z0-9._/-]*)
		pg__say "$dir: use a directory path of letters, digits, '.', '_', '-' and '/' only"
		return 2
		;;
	esac
	# A unix socket's path is at most 107 bytes: DIR/.s.PGSQL.NNNNN.
	if [ $((${#dir} + 18)) -gt 107 ]; then
		pg__say "$dir: too long for a unix socket directory (at most 89 characters)"
		return 2
	fi
	if ! bindir=$(pg__find_bindir); then
		pg__say "no PostgreSQL server found in /usr/lib/postgresql/*/bin (apt-get install postgresql)"
		return 1
	fi
	if [ "$(id -u)" -eq 0 ]; then
		if ! id -u postgres >/dev/null 2>&1; then
			pg__say "running as root, but there is no 'postgres' user to run the server as"
			return 1
		fi
		as_root=1
	fi

	if [ -e "$dir" ]; then
		if [ ! -d "$dir" ] || [ -L "$dir" ] || [ -n "$(ls -A "$dir")" ]; then
			pg__say "$dir exists and is not an empty directory"
			return 1
		fi
		chmod 0700 "$dir" || return 1
	else
		mkdir -m 0700 "$dir" || return 1
	fi
	# The mark that lets pg_cluster_stop remove DIR: it is one of ours.
	: >"$dir/.pgcluster" || return 1
	if [ "$as_root" = 1 ]; then
		chown postgres: "$dir" "$dir/.pgcluster" || return 1
		if ! runuser -u postgres -- test -w "$dir"; then
			pg__say "the postgres user cannot reach $dir (is its parent private to root?)"
			return 1
		fi
	fi

	if [ "$mode" = tcp ]; then
		auth_host=scram-sha-256
		pwfile=$dir/pwfile
		PG_PASSWORD=$(pg__random_word)
		(umask 077 && printf '%s\n' "$PG_PASSWORD" >"$pwfile") || return 1
		if [ "$as_root" = 1 ]; then chown postgres: "$pwfile" || return 1; fi
	fi
	# -U postgres: the same superuser name whoever runs the tests.
	if ! pg__as_owner "$dir" "$bindir/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C \
		--auth-local=trust --auth-host="$auth_host" ${pwfile:+--pwfile="$pwfile"} \
		>"$dir/initdb.log" 2>&1; then
		rm -f "$pwfile"
		pg__say "initdb failed"
		pg__log_tail "$dir"
		return 1
	fi
	rm -f "$pwfile"

	conf=$dir/data/postgresql.conf
	{
		echo "# pgcluster.sh: a throwaway cluster for tests"
		echo "unix_socket_directories = '$dir'"
		echo "unix_socket_permissions = 0700"
		if [ "$mode" = tcp ]; then
			echo "listen_addresses = '127.0.0.1'"
			echo "password_encryption = 'scram-sha-256'"
		else
			echo "listen_addresses = ''"
		fi
		echo "max_connections = 100"
		echo "logging_collector = off"
		echo "log_min_messages = warning"
		if [ "${PG_FAST:-0}" = 1 ]; then
			# Tests only: a crash may lose or corrupt the data, which
			# the cluster's removal at the end makes moot.
			echo "fsync = off"
			echo "synchronous_commit = off"
			echo "full_page_writes = off"
		fi
	} >>"$conf" || return 1

	for tries in 1 2 3 4 5; do
		if [ "$mode" = tcp ]; then
			port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		else
			port=5432 # the socket directory is ours alone
		fi
		if pg__as_owner "$dir" "$bindir/pg_ctl" start -w -t 60 -D "$dir/data" -l "$dir/postgres.log" \
			-o "-p $port" >>"$dir/pg_ctl.log" 2>&1; then
			export PG_BINDIR=$bindir PG_SOCK=$dir PG_PORT=$port PG_USER=postgres
			if [ "$mode" = tcp ]; then
				export PG_PASSWORD
				export PG_BASE_URL="postgresql://postgres@127.0.0.1:$port"
			else
				unset PG_PASSWORD
				host=$(pg__url_encode "$dir")
				export PG_BASE_URL="postgresql://postgres@$host:$port"
			fi
			return 0
		fi
		# Only a port someone else took is worth another try.
		if [ "$mode" != tcp ] || ! grep -q 'could not bind\|already in use' "$dir/postgres.log" 2>/dev/null; then
			break
		fi
	done
	pg__say "the server did not start (tries: $tries)"
	pg__log_tail "$dir"
	return 1
}

pg_cluster_psql() {
	if [ -z "${PG_SOCK:-}" ]; then
		pg__say "pg_cluster_psql: no cluster started"
		return 2
	fi
	"$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d postgres "$@"
}

pg_cluster_create_db() {
	if [ $# -ne 1 ] || [ -z "$1" ]; then
		pg__say "usage: pg_cluster_create_db NAME"
		return 2
	fi
	if [ -z "${PG_SOCK:-}" ]; then
		pg__say "pg_cluster_create_db: no cluster started"
		return 2
	fi
	"$PG_BINDIR/createdb" -h "$PG_SOCK" -p "$PG_PORT" -U postgres -- "$1"
}

pg_cluster_stop() {
	local dir=${1:-} bindir pid

	if [ -z "$dir" ]; then
		pg__say "usage: pg_cluster_stop DIR"
		return 2
	fi
	case "$dir" in
	/*) ;;
	*) dir=$PWD/$dir ;;
	esac
	[ -d "$dir" ] || return 0
	if [ ! -e "$dir/.pgcluster" ]; then
		# Not made by pg_cluster_start (or it failed before its mark):
		# remove nothing that might be someone else's.
		rmdir "$dir" 2>/dev/null
		return 0
	fi
	if [ -f "$dir/data/postmaster.pid" ]; then
		bindir=${PG_BINDIR:-$(pg__find_bindir)}
		if ! pg__as_owner "$dir" "$bindir/pg_ctl" stop -w -t 60 -m fast -D "$dir/data" \
			>>"$dir/pg_ctl.log" 2>&1; then
			# pg_ctl could not stop it: end the postmaster ourselves, by
			# the id it wrote, so that no server outlives its files.
			pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null)
			case "$pid" in
			'' | *[!0-9]*) ;;
			*) kill -QUIT "$pid" 2>/dev/null ;;
			esac
			sleep 1
		fi
	fi
	if [ "${PG_SOCK:-}" = "$dir" ]; then
		unset PG_BINDIR PG_SOCK PG_PORT PG_USER PG_BASE_URL PG_PASSWORD
	fi
	rm -rf -- "$dir"
}
