#!/usr/bin/env bash
# Tests the committed completion scripts: they load in bash (complete -p),
# zsh (compdef) and fish, and complete subcommands, flags, flag values and
# (with a stub remote helper) jscp remote paths. zsh and fish are tested
# when installed (scripts/install-deps.sh installs them).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
comp=$root/completions
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
pass=0

check() { # check NAME WANT GOT: every line of WANT must be a line of GOT
	local name=$1 want=$2 got=$3 w
	while IFS= read -r w; do
		[ -z "$w" ] && continue
		if ! grep -qxF -- "$w" <<<"$got"; then
			echo "FAIL $name: want '$w' among:" >&2
			sed 's/^/    /' <<<"$got" >&2
			fails=$((fails + 1))
			return
		fi
	done <<<"$want"
	pass=$((pass + 1))
}

# A stand-in for `jscp --complete-remote WORD` and a directory of local files.
mkdir -p "$tmp/bin" "$tmp/work/scratch.d"
touch "$tmp/work/scratch.txt"
cat >"$tmp/bin/jscp" <<'STUB'
#!/bin/sh
[ "$1" = --complete-remote ] || exit 1
case $2 in
*:/da*) printf '%s\n' "${2%%:*}:/data/" "${2%%:*}:/datafile" ;;
esac
STUB
chmod +x "$tmp/bin/jscp"
export PATH="$tmp/bin:$PATH"
cd "$tmp/work"

# ---- bash ----
bash_complete() { # bash_complete LINE: prints the candidates bash would offer
	bash --norc --noprofile -c '
		source "$1"; source "$2"
		complete -p jetstream jscp >/dev/null || exit 3
		line=$3
		fn=$(complete -p "${line%% *}" | sed -E "s/.*-F ([^ ]+).*/\1/")
		# Split like bash with COMP_WORDBREAKS: blanks, and ":" "=" as words.
		read -ra COMP_WORDS <<<"$(sed -E "s/([:=])/ \1 /g" <<<"$line")"
		[[ $line == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE=$line COMP_POINT=${#line}
		COMPREPLY=()
		"$fn" 2>/dev/null
		printf "%s\n" "${COMPREPLY[@]}"
	' bash "$comp/bash/jetstream" "$comp/bash/jscp" "$1"
}
if bash --norc -c "source '$comp/bash/jetstream'; source '$comp/bash/jscp'; complete -p jetstream jscp" >/dev/null; then
	pass=$((pass + 1))
else
	echo "FAIL bash: complete -p jetstream jscp" >&2
	fails=$((fails + 1))
fi
check "bash subcommands" $'server\napi\nuser\nversion\ncompletion' "$(bash_complete 'jetstream ')"
check "bash subcommand prefix" 'server' "$(bash_complete 'jetstream se')"
check "bash nested subcommands" $'add\npasswd\ndel\nlist' "$(bash_complete 'jetstream user ')"
check "bash server flags" $'--api-port\n--api-host' "$(bash_complete 'jetstream server --api-')"
check "bash negatable flag" '--no-api-allow-remote-control' "$(bash_complete 'jetstream server --no-')"
check "bash api methods" $'getServerInfo\ngetServerKeyChallenge' "$(bash_complete 'jetstream api getServ')"
check "bash api method after flags" 'lsAsync' "$(bash_complete 'jetstream api --host h --wait lsA')"
check "bash completion shells" $'bash\nzsh\nfish' "$(bash_complete 'jetstream completion ')"
check "bash jscp flags" $'--policy\n--port' "$(bash_complete 'jscp --po')"
check "bash jscp enum value" $'bash\nzsh\nfish' "$(bash_complete 'jscp --completion ')"
check "bash jscp --flag=value" 'zsh' "$(bash_complete 'jscp --completion=z')"
check "bash jscp short flag" '-r' "$(bash_complete 'jscp -r')"
check "bash jscp local files" $'scratch.txt\nscratch.d' "$(bash_complete 'jscp scr')"
check "bash jscp remote" $'/data/\n/datafile' "$(bash_complete 'jscp -r host:/da')"
check "bash jscp remote after user@" $'/data/\n/datafile' "$(bash_complete 'jscp u@host:/da')"

# ---- zsh ----
zsh_complete() { # zsh_complete LINE: the matches zsh's completion system adds
	local out=$tmp/zsh.out
	: >"$out"
	zsh -f <<ZSH 2>/dev/null
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PS1=''; fpath=($comp/zsh \\\$fpath); autoload -U compinit; compinit -u -D"
zpty -w z 'compadd() { if [[ \$* == *-[OAD]* ]]; then builtin compadd "\$@"; return; fi; local -a m; builtin compadd -O m "\$@"; print -rl -- \$m >>$out; builtin compadd "\$@"; }'
zpty -w z 'print -r -- ready >>$out.ready'
for i in {1..100}; do [[ -s $out.ready ]] && break; sleep 0.05; done
zpty -w -n z "$1"\$'\t'
for i in {1..100}; do [[ -s $out ]] && break; sleep 0.05; done
sleep 0.2
zpty -d z
ZSH
	rm -f "$out.ready"
	cat "$out"
}
if command -v zsh >/dev/null; then
	if zsh -f -c "fpath=($comp/zsh \$fpath); autoload -U compinit; compinit -u -D; [[ \$_comps[jetstream] == _jetstream && \$_comps[jscp] == _jscp ]]"; then
		pass=$((pass + 1))
	else
		echo "FAIL zsh: compdef registration" >&2
		fails=$((fails + 1))
	fi
	for f in "$comp"/zsh/*; do zsh -n "$f" || { echo "FAIL zsh syntax $f" >&2; fails=$((fails + 1)); }; done
	check "zsh subcommands" $'server\napi\nuser' "$(zsh_complete 'jetstream ')"
	check "zsh nested" $'add\npasswd' "$(zsh_complete 'jetstream user ')"
	check "zsh server flags" $'--api-port\n--api-host' "$(zsh_complete 'jetstream server --api-')"
	check "zsh api methods" 'getServerInfo' "$(zsh_complete 'jetstream api getServ')"
	check "zsh jscp enum" $'bash\nzsh\nfish' "$(zsh_complete 'jscp --completion ')"
	check "zsh jscp remote" $'host:/data/\nhost:/datafile' "$(zsh_complete 'jscp host:/da')"
else
	echo "zsh not installed: zsh completion not tested"
fi

# ---- fish ----
fish_complete() { fish --no-config -c "source $comp/fish/jetstream.fish; source $comp/fish/jscp.fish; complete -C '$1'" | cut -f1; }
if command -v fish >/dev/null; then
	check "fish subcommands" $'server\napi\nuser\ncompletion' "$(fish_complete 'jetstream ')"
	check "fish nested" $'add\npasswd\ndel\nlist' "$(fish_complete 'jetstream user ')"
	check "fish server flags" $'--api-port\n--api-host' "$(fish_complete 'jetstream server --api-')"
	check "fish api methods" 'getServerInfo' "$(fish_complete 'jetstream api getServ')"
	check "fish jscp enum" $'bash\nzsh\nfish' "$(fish_complete 'jscp --completion ')"
	check "fish jscp remote" $'host:/data/\nhost:/datafile' "$(fish_complete 'jscp host:/da')"
	check "fish jscp files" 'scratch.txt' "$(fish_complete 'jscp scr')"
else
	echo "fish not installed: fish completion not tested"
fi

echo "test-completions: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
