# tests/testbed/seed.sh: load the test mail corpus into a server (sourced).
#
#   tb_seed PREFIX [--large]      e.g. tb_seed DOVECOT, tb_seed CYRUS
#
# Call after tb_start_dovecot/tb_start_cyrus: reads ${PREFIX}_PORT, TB_CA and
# TB_PASS. Generates the corpus with mailgen.py, or reuses the one cached
# as $TB_CACHE/mail-<hash of mailgen.py>[-large] (made under $TB_ROOT
# instead when the cache is not writable), loads it over IMAP with seed.py
# (which checks the result) and exports
#   TB_CORPUS        the corpus folder (manifest.json, msgs/)
#   ${PREFIX}_NAMES  JSON: each folder's exact name on that server
# --large adds the ~165 MB message. Any failure fails the test (tb_die).

# Print the folder of an up-to-date corpus, making it if needed.
tb_corpus() {
	local large=${1:-} hash name dir tmp
	local -a flag=()
	[ -n "$large" ] && flag=(--large)
	hash=$(sha256sum "$TB_TESTBED/mailgen.py") || return 1
	hash=${hash:0:16}
	name=mail-$hash${large:+-large}
	# A cache we cannot write to may still hold the corpus.
	for dir in "$TB_CACHE/$name" "$TB_ROOT/$name"; do
		if tb_mailgen --out "$dir" "${flag[@]}" --check; then
			printf '%s\n' "$dir"
			return 0
		fi
	done
	if mkdir -p "$TB_CACHE" 2>/dev/null && [ -w "$TB_CACHE" ]; then
		tb_corpus_prune "$TB_CACHE" "$hash"
		dir=$TB_CACHE/$name
	else
		dir=$TB_ROOT/$name
	fi
	# Build beside it and rename into place, so parallel test scripts
	# never see half a corpus; if another one won the race, use theirs.
	tmp=$dir.tmp.$$
	tb_mailgen --out "$tmp" "${flag[@]}" >&2 || { rm -rf "$tmp"; return 1; }
	if [ -d "$dir" ] && ! tb_mailgen --out "$dir" "${flag[@]}" --check; then
		# Damaged (say, by hand): move it aside, then replace it.
		mv -T "$dir" "$tmp.old" && rm -rf "$tmp.old"
	fi
	mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
	printf '%s\n' "$dir"
}

tb_mailgen() { "$TB_PYTHON" "$TB_TESTBED/mailgen.py" "$@"; }

# Each change to mailgen.py makes a new corpus (the large one is 200 MB):
# remove other versions, and builds cut short, unused for an hour.
tb_corpus_prune() {
	local base=$1 hash=$2
	find "$base" -mindepth 1 -maxdepth 1 -name 'mail-*' \
		! -name "mail-$hash" ! -name "mail-$hash-large" -mmin +60 \
		-exec rm -rf {} + 2>/dev/null || true
}

tb_seed() {
	local prefix=${1:?tb_seed needs a prefix such as DOVECOT} large=''
	local port_var=${1}_PORT corpus names user out
	case ${2:-} in
	'') ;;
	--large) large=1 ;;
	*) tb_die "tb_seed: unknown argument '$2'" ;;
	esac
	[ -n "${!port_var:-}" ] || tb_die "tb_seed: $port_var is not set"
	[ -n "${TB_CA:-}" ] || tb_die "tb_seed: call tb_init first"
	corpus=$(tb_corpus "$large") || tb_die "tb_seed: mailgen.py failed"
	names=$TB_ROOT/names-${prefix,,}.json
	# Passwords go to seed.py through its environment, never its argv.
	out=$(
		for user in "${TB_USERS[@]}"; do
			export "TB_PASS_$user=${TB_PASS[$user]}"
		done
		exec "$TB_PYTHON" "$TB_TESTBED/seed.py" --port "${!port_var}" \
			--ca "$TB_CA" --corpus "$corpus" --names-out "$names" 2>&1
	) || tb_die "tb_seed: seeding $prefix failed: $out"
	tb_log "$out"
	export TB_CORPUS=$corpus
	export "${prefix}_NAMES=$names"
}
