# bash completion for aclforge(1)                          -*- shell-script -*-
#
# Completes the commands, each command's options, the values of --format,
# --driver and --proto, topology and device files, bundled catalog names,
# and for --device the device names of the topology given on the same
# command line (before or after the cursor). Installed as
# <datadir>/bash-completion/completions/aclforge; in a source tree:
#   source scripts/completion/aclforge.bash
# tests/cli/completion.sh checks it against every 'aclforge <command> --help'.

# Device names of a topology file: the keys of its top-level `devices:`
# mapping (block style, as in inventory/examples/).
_aclforge_devices()
{
	[[ -r $1 && -f $1 ]] || return 0
	awk '
		/^devices:[ \t]*(#.*)?$/ { in_dev = 1; ind = -1; next }
		in_dev && /^[^ \t#]/ { in_dev = 0 }
		in_dev && !/^[ \t]*(#.*)?$/ {
			match($0, /^ */)
			if (ind < 0)
				ind = RLENGTH
			if (RLENGTH != ind)
				next
			line = substr($0, RLENGTH + 1)
			if (match(line, /^[A-Za-z0-9][A-Za-z0-9_.-]*:([ \t]|$)/)) {
				key = substr(line, 1, RLENGTH)
				sub(/:[ \t]*$/, "", key)
				print key
			}
		}' "$1" 2>/dev/null
}

# The long form of an option word of command $1 (short options differ by
# command: -d is --dst for explain, --device elsewhere), in _aclforge_opt.
_aclforge_long()
{
	case $1:$2 in
	explain:-s) _aclforge_opt=--src ;;
	explain:-d) _aclforge_opt=--dst ;;
	explain:-p) _aclforge_opt=--proto ;;
	explain:-P) _aclforge_opt=--port ;;
	explain:-S) _aclforge_opt=--sport ;;
	explain:-e) _aclforge_opt=--established ;;
	parse:-D) _aclforge_opt=--driver ;;
	parse:-n) _aclforge_opt=--name ;;
	render:-o) _aclforge_opt=--out ;;
	diff:-l) _aclforge_opt=--live ;;
	diff:-m) _aclforge_opt=--max ;;
	*:-d) _aclforge_opt=--device ;;
	*:-p) _aclforge_opt=--parallel ;;
	*:-y) _aclforge_opt=--yes ;;
	*:-f) _aclforge_opt=--format ;;
	*:-h) _aclforge_opt=--help ;;
	*) _aclforge_opt=$2 ;;
	esac
}

_aclforge_takes_value()
{
	case $1 in
	--format | --device | --src | --dst | --proto | --port | --sport | --out | --driver | --name | \
		--live | --max | --parallel | --transcripts | --shard | --canary | --max-fail | \
		--confirm-timeout | --connect-timeout | --command-timeout | --html | --since | --live-dir | --config-mode) return 0 ;;
	esac
	return 1
}

# Append the completions of $2 to COMPREPLY: topology files (yaml), any
# file, or directories.
_aclforge_files()
{
	compopt -o filenames 2>/dev/null
	case $1 in
	yaml)
		mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -d -- "$2"
			compgen -f -X '!*.yaml' -- "$2"
			compgen -f -X '!*.yml' -- "$2")
		;;
	dir) mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -d -- "$2") ;;
	*) mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$2") ;;
	esac
}

# Bundled catalog names: $ACLFORGE_CATALOG_DIR and the catalogs installed
# beside the aclforge being completed (<prefix>/share/aclforge/catalogs).
_aclforge_catalogs()
{
	local bin=$1 cur=$2 d f
	local -a dirs=()

	[[ -n ${ACLFORGE_CATALOG_DIR-} ]] && dirs+=("$ACLFORGE_CATALOG_DIR")
	[[ $bin == */* ]] || bin=$(type -P -- "$bin" 2>/dev/null)
	[[ -n $bin ]] && bin=$(readlink -f -- "$bin" 2>/dev/null) && dirs+=("${bin%/*}/../share/aclforge/catalogs")
	for d in "${dirs[@]}"; do
		for f in "$d"/*.yaml; do
			[[ -f $f ]] || continue
			f=${f##*/}
			f=${f%.yaml}
			[[ $f == "$cur"* ]] && COMPREPLY+=("$f")
		done
	done
}

_aclforge()
{
	local cur prev cmd opts topo w i pre= _aclforge_opt
	local -a words=("${COMP_WORDS[@]}")
	local cword=$COMP_CWORD

	COMPREPLY=()
	cur=${words[cword]}
	prev=
	((cword > 0)) && prev=${words[cword - 1]}
	# --opt=value: '=' is in COMP_WORDBREAKS, so bash splits it into three
	# words; without that, take the word apart here
	if [[ $cur == = ]]; then
		cur=
	elif [[ $prev == = ]] && ((cword > 1)); then
		prev=${words[cword - 2]}
	elif [[ $cur == --*=* ]]; then
		prev=${cur%%=*}
		pre=$prev=
		cur=${cur#*=}
	fi

	if ((cword == 1)); then
		mapfile -t COMPREPLY < <(compgen -W 'catalog check compile explain render parse diff fetch plan apply audit counters --help --version' -- "$cur")
		return 0
	fi
	cmd=${words[1]}
	case $cmd in
	catalog) opts='--format --help' ;;
	compile) opts='--device --format --quiet --help' ;;
	explain) opts='--src --dst --proto --port --sport --established --format --help' ;;
	render) opts='--device --out --quiet --help' ;;
	parse) opts='--driver --name --strict --format --help' ;;
	diff) opts='--device --live --max --format --help' ;;
	check) opts='--device --help' ;;
	counters) opts='--device --format --help' ;;
	fetch) opts='--device --format --parallel --transcripts --accept-new-host-keys --connect-timeout --command-timeout --help' ;;
	plan) opts='--device --format --parallel --transcripts --accept-new-host-keys --connect-timeout --command-timeout --shard --quiet --help' ;;
	audit) opts='--device --format --parallel --transcripts --accept-new-host-keys --connect-timeout --command-timeout --shard --live-dir --html --since --verbose --quiet --help' ;;
	apply) opts='--device --format --parallel --transcripts --accept-new-host-keys --connect-timeout --command-timeout --shard --canary --max-fail --confirm-timeout --no-save --config-mode --force --yes --quiet --help' ;;
	*) return 0 ;;
	esac

	# the value of an option
	_aclforge_long "$cmd" "$prev"
	if [[ $prev == -* ]] && _aclforge_takes_value "$_aclforge_opt" && [[ " $opts " == *" $_aclforge_opt "* ]]; then
		case $_aclforge_opt in
		--format) mapfile -t COMPREPLY < <(compgen -W 'text json' -- "$cur") ;;
		--driver) mapfile -t COMPREPLY < <(compgen -W 'ios junos bigip nftables' -- "$cur") ;;
		--proto) mapfile -t COMPREPLY < <(compgen -W 'tcp udp icmp' -- "$cur") ;;
		--config-mode) mapfile -t COMPREPLY < <(compgen -W 'private exclusive' -- "$cur") ;;
		--out | --transcripts | --live-dir) _aclforge_files dir "$cur" ;;
		--live | --html | --since) _aclforge_files any "$cur" ;;
		--device)
			# the topology: the first word after the command that is
			# neither an option nor an option's value
			for ((i = 2; i < ${#words[@]}; i++)); do
				((i == cword)) && continue
				w=${words[i]}
				case $w in
				--) ((i + 1 != cword)) && topo=${words[i + 1]}; break ;;
				--*=*) ;;
				-?*)
					_aclforge_long "$cmd" "$w"
					if _aclforge_takes_value "$_aclforge_opt"; then
						[[ ${words[i + 1]-} == = ]] && ((i++))
						((i++))
					fi
					;;
				=) ;;
				*) topo=$w; break ;;
				esac
			done
			topo=${topo#[\"\']}
			topo=${topo%[\"\']}
			[[ $topo == '~/'* ]] && topo=$HOME/${topo#'~/'}
			[[ -n $topo ]] && mapfile -t COMPREPLY < <(compgen -W "$(_aclforge_devices "$topo")" -- "$cur")
			;;
		esac
		if [[ -n $pre ]]; then
			for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=$pre${COMPREPLY[i]}; done
		fi
		return 0
	fi

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
		return 0
	fi
	case $cmd in
	catalog)
		_aclforge_catalogs "${words[0]}" "$cur"
		_aclforge_files yaml "$cur"
		;;
	parse) _aclforge_files any "$cur" ;;
	*) _aclforge_files yaml "$cur" ;;
	esac
	return 0
}

complete -F _aclforge aclforge
