# bash completion for imapwb                               -*- shell-script -*-
#
# The options come from `imapwb --help` each time, so an option added to
# imapwb later completes without a change here. An option's argument
# completes by the placeholder --help gives it: FILE a file, DIR a
# folder, CMD a command, MECH a SASL mechanism, a|b one of the words;
# an operand completes to @NAME for each [NAME] of the accounts file
# (--config FILE, else $XDG_CONFIG_HOME/imapwb/config) and to host names.
# Installed as .../bash-completion/completions/imapwb (make install).

# The options of imapwb $1: "_imapwb_opts" (every -x and --name) and
# "_imapwb_args" (NAME=PLACEHOLDER for each option that takes one).
_imapwb_parse_help()
{
	local line re short long arg
	# "  -p, --port PORT   help", "      --cafile FILE   help"; an
	# argument is one space after the name, written as a placeholder
	re='^  (-([A-Za-z0-9]), )? *--([A-Za-z0-9][-A-Za-z0-9]*)( ([^ ]+))?'
	_imapwb_opts=()
	_imapwb_args=()
	while IFS= read -r line; do
		[[ $line =~ $re ]] || continue
		short=${BASH_REMATCH[2]}
		long=${BASH_REMATCH[3]}
		arg=${BASH_REMATCH[5]}
		[[ $arg =~ [A-Z|/=] ]] || arg=
		# an optional argument ("-z, --timing [N]") must be attached
		# (-z5, --timing=5): the next word is not it
		[[ $arg == \[* ]] && arg=
		[[ -n $short ]] && _imapwb_opts+=("-$short")
		_imapwb_opts+=("--$long")
		if [[ -n $arg ]]; then
			[[ -n $short ]] && _imapwb_args+=("-$short=$arg")
			_imapwb_args+=("--$long=$arg")
		fi
	done < <("$1" --help 2>/dev/null)
}

# The placeholder of option $1's argument, or nothing for a flag.
_imapwb_placeholder()
{
	local a
	for a in "${_imapwb_args[@]}"; do
		if [[ ${a%%=*} == "$1" ]]; then
			printf '%s\n' "${a#*=}"
			return
		fi
	done
}

# The accounts file: --config FILE on the line, else the XDG default.
_imapwb_config()
{
	local i
	for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
		case ${COMP_WORDS[i]} in
		--config) printf '%s\n' "${COMP_WORDS[i + 1]}"; return ;;
		--config=*) printf '%s\n' "${COMP_WORDS[i]#--config=}"; return ;;
		esac
	done
	if [[ ${XDG_CONFIG_HOME:-} == /* ]]; then
		printf '%s\n' "$XDG_CONFIG_HOME/imapwb/config"
	else
		printf '%s\n' "$HOME/.config/imapwb/config"
	fi
}

# @NAME for each [NAME] line of the accounts file.
_imapwb_accounts()
{
	local file
	file=$(_imapwb_config)
	file=${file/#\~/$HOME}
	[[ -r $file ]] || return
	sed -n 's/^[[:space:]]*\[\([^]]*\)\][[:space:]]*$/@\1/p' "$file"
}

_imapwb()
{
	local cur prev placeholder mechs
	local -a _imapwb_opts _imapwb_args
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# --name=value: readline splits at "=" (COMP_WORDBREAKS)
	if [[ $cur == = ]]; then
		cur=
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == --*=* ]]; then
		prev=${cur%%=*}
		cur=${cur#*=}
	fi
	COMPREPLY=()
	_imapwb_parse_help "${COMP_WORDS[0]:-imapwb}"

	if [[ $prev == -* ]]; then
		placeholder=$(_imapwb_placeholder "$prev")
	fi
	if [[ -n ${placeholder:-} ]]; then
		case $placeholder in
		*FILE*)
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
		DIR)
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
		CMD)
			mapfile -t COMPREPLY < <(compgen -c -- "$cur") ;;
		MECH)
			# what imapwb can use (a SASL plugin may add more)
			mechs='PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1
			    SCRAM-SHA-256 SCRAM-SHA-1-PLUS SCRAM-SHA-256-PLUS
			    GSSAPI EXTERNAL OAUTHBEARER XOAUTH2 login'
			mapfile -t COMPREPLY < <(compgen -W "$mechs" -- "$cur") ;;
		USER)
			mapfile -t COMPREPLY < <(compgen -u -- "$cur") ;;
		*'|'*)
			mapfile -t COMPREPLY < <(compgen -W "${placeholder//|/ }" -- "$cur") ;;
		esac
		return 0
	fi
	case $cur in
	-*)
		mapfile -t COMPREPLY < <(compgen -W "${_imapwb_opts[*]}" -- "$cur") ;;
	*)
		mapfile -t COMPREPLY < <(compgen -W "$(_imapwb_accounts)" -- "$cur")
		if [[ $cur != @* ]] && declare -F _known_hosts_real >/dev/null; then
			_known_hosts_real -a -- "$cur"
		fi ;;
	esac
	return 0
}
complete -F _imapwb imapwb
