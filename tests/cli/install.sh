#!/usr/bin/env bash
# make install into a DESTDIR: the binary, the man page (with ENVIRONMENT
# and FILES), both shell completions where bash-completion and zsh look,
# and the documents in $(docdir); then the completions themselves: the
# installed bash one sourced in bash with COMP_WORDS set, the zsh one in a
# real zsh (tmux), each against the installed binary's --help; make
# uninstall takes it all away again.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
IMAPWB=${IMAPWB:-./imapwb}
build=$(cd "$(dirname "$IMAPWB")" && pwd)

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
dest=$W/dest

# Run from `make check`, make's MAKEFLAGS would make the inner makes print
# "Entering directory" lines into what is compared: start them afresh.
unset MAKEFLAGS MFLAGS MAKELEVEL

make -s -C "$build" install DESTDIR="$dest" prefix=/usr \
	>"$W/install.out" 2>&1
is "$?" 0 "make install DESTDIR=... prefix=/usr exits 0"
bashdir=$(make -s --no-print-directory -C "$build" prefix=/usr -f Makefile -f - \
	print-bashdir <<<'print-bashdir: ; @echo $(bashcompletiondir)' 2>/dev/null)
like "$bashdir" '^/usr(/local)?/share/bash-completion/completions$' \
	"the bash completion goes to bash-completion's completions folder ($bashdir)"
for f in /usr/bin/imapwb /usr/share/man/man1/imapwb.1 \
	"$bashdir/imapwb" /usr/share/zsh/site-functions/_imapwb \
	/usr/share/doc/imapwb/json-events.md /usr/share/doc/imapwb/tutorial.md \
	/usr/share/doc/imapwb/ARCHITECTURE.md; do
	[ -f "$dest$f" ]
	ok $? "installed: $f"
done
cmp -s "$top/completions/imapwb.bash" "$dest$bashdir/imapwb"
ok $? "... the bash completion is completions/imapwb.bash, named imapwb"

# the man page: ENVIRONMENT and FILES, with what they must name
man=$dest/usr/share/man/man1/imapwb.1
like "$(grep '^\.SH' "$man")" $'ENVIRONMENT\n\\.SH FILES' \
	"the man page has ENVIRONMENT, then FILES"
env_section=$(sed -n '/^\.SH ENVIRONMENT/,/^\.SH FILES/p' "$man")
for v in NO_COLOR TERM XDG_CONFIG_HOME XDG_DATA_HOME XDG_STATE_HOME \
	SSL_CERT_FILE SSL_CERT_DIR; do
	like "$env_section" "$v" "ENVIRONMENT names $v"
done
files_section=$(sed -n '/^\.SH FILES/,/^\.SH /p' "$man")
for f in 'XDG_CONFIG_HOME/imapwb/config' 'XDG_STATE_HOME/imapwb/history' \
	'XDG_DATA_HOME/imapwb/known_hosts'; do
	like "$files_section" "$(re "$f")" "FILES names \$$f"
done
if command -v man >/dev/null; then
	page=$(MANWIDTH=80 man -l "$man" 2>/dev/null)
	like "$page" $'\nENVIRONMENT\n' "man -l shows the ENVIRONMENT section"
	like "$page" $'\nFILES\n' "man -l shows the FILES section"
	like "$page" '--no-mouse' "man -l documents --no-mouse"
fi

# every variable the code reads is in ENVIRONMENT
for v in $(grep -ho 'getenv("[A-Z_]*")' "$top"/src/*.c | sed 's/getenv("\(.*\)")/\1/' | sort -u); do
	like "$env_section" "$v" "ENVIRONMENT names $v, which src/ reads"
done

# --- the bash completion, from the installed file and binary
cfg=$W/xdg/imapwb
mkdir -p "$cfg"
printf '# accounts\n[work]\nhost = imap.example.org\n\n [home-box] \n' >"$cfg/config"
touch "$W/ca-one.pem" "$W/ca-two.pem"
complete_bash() {
	PATH="$dest/usr/bin:$PATH" XDG_CONFIG_HOME="$W/xdg" bash --norc -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_imapwb
		printf "%s\n" "${COMPREPLY[@]}"' _ "$dest$bashdir/imapwb" "$@"
}
got=$(complete_bash imapwb --ca)
is "$got" $'--cafile\n--capath' "bash: --ca completes to --cafile and --capath"
got=$(complete_bash imapwb --no-m)
is "$got" '--no-mouse' "bash: options come from --help (--no-mouse)"
got=$(complete_bash imapwb -)
is "$(printf '%s\n' "$got" | head -n 4)" $'-p\n--port\n-s\n--tls' \
	"bash: - lists the short and long options, in --help's order"
got=$(complete_bash imapwb @)
is "$got" $'@work\n@home-box' "bash: @ completes the accounts of \$XDG_CONFIG_HOME/imapwb/config"
got=$(complete_bash imapwb -p 993 @h)
is "$got" '@home-box' "bash: ... after options too"
got=$(complete_bash imapwb --config "$cfg/config" --cafile "$W/ca-" | sort)
is "$got" "$W/ca-one.pem"$'\n'"$W/ca-two.pem" "bash: --cafile completes file names"
got=$(complete_bash imapwb --cafile = "$W/ca-t")
is "$got" "$W/ca-two.pem" "bash: ... --cafile=FILE too"
got=$(complete_bash imapwb -m SCRAM-SHA-2)
is "$got" $'SCRAM-SHA-256\nSCRAM-SHA-256-PLUS' "bash: -m completes mechanisms"
got=$(complete_bash imapwb --tags '')
is "$got" $'auto\nmanual' "bash: --tags completes its words (auto|manual)"
got=$(complete_bash imapwb -z @w)
is "$got" '@work' "bash: an optional argument (-z [N]) does not take the next word"
got=$(complete_bash imapwb --config "$cfg/config" -x "$W/ca-o")
is "$got" "$W/ca-one.pem" "bash: an option added later (-x FILE) completes files"
got=$(complete_bash imapwb --password '')
is "$got" '' "bash: an argument of no known kind completes nothing (no file names)"

# --- the zsh completion, in a real zsh (tmux)
if command -v zsh >/dev/null && command -v tmux >/dev/null; then
	SOCK=imapwb-install-$$
	tmx() { tmux -L "$SOCK" "$@"; }
	mkdir -p "$W/zdot"
	cat >"$W/zdot/.zshrc" <<ZSHRC
fpath=($dest/usr/share/zsh/site-functions \$fpath)
path=($dest/usr/bin \$path)
autoload -Uz compinit && compinit -u -d $W/zdot/zcompdump
PS1='%% '
ZSHRC
	tmx -f /dev/null new-session -d -s z -x 150 -y 30 \
		"env ZDOTDIR=$W/zdot XDG_CONFIG_HOME=$W/xdg zsh -i"
	zsh_complete() {
		local i
		tmx send-keys -t z C-u "$1" Tab
		for ((i = 0; i < 50; i++)); do
			tmx capture-pane -p -t z | grep -Eq -- "$2" && return 0
			sleep 0.1
		done
		tmx capture-pane -p -t z | while IFS= read -r l; do diag "| $l"; done
		return 1
	}
	zsh_complete 'imapwb --ca' '^--cafile +-- trust the CA certificates in FILE'
	ok $? "zsh: --ca lists --cafile with its help"
	zsh_complete 'imapwb -p 993 @' '@home-box +@work'
	ok $? "zsh: @ lists the accounts"
	zsh_complete "imapwb --cafile $W/ca-" 'ca-one\.pem +ca-two\.pem'
	ok $? "zsh: --cafile completes file names"
	zsh_complete 'imapwb -m CRA' '^% imapwb -m CRAM-MD5 *$'
	ok $? "zsh: -m completes mechanisms"
	tmx kill-server 2>/dev/null
else
	diag "zsh or tmux is not installed: the zsh completion is not tried"
fi

make -s -C "$build" uninstall DESTDIR="$dest" prefix=/usr >/dev/null 2>&1
is "$?" 0 "make uninstall exits 0"
is "$(find "$dest" -type f | sed "s|^$dest||")" '' "make uninstall leaves no file"

done_testing
