# SPDX-License-Identifier: LGPL-2.1-or-later
# Prints the candidates zsh's completion system offers for a command line, one per line:
#   zsh -f zsh-complete.zsh FPATH_DIR ZDOTDIR "command line"
# Runs an interactive zsh on a pseudo-terminal (zpty) with compinit and FPATH_DIR first in
# $fpath, wraps compadd to print every match it adds, types the line and presses TAB.
zmodload zsh/zpty || exit 1
fdir=$1 zdot=$2 line=$3
zpty z zsh -f -i
zpty -w z "PROMPT= RPROMPT= ; unsetopt zle_bracketed_paste 2>/dev/null; ZDOTDIR=${(q)zdot}; fpath=(${(q)fdir} \$fpath); autoload -U compinit; compinit -u -d ${(q)zdot}/zcompdump"
# The markers are written split ("CA""ND", "<<""END>>") so the echoed input never matches them.
zpty -w z 'compadd() { local -a __m; builtin compadd -O __m "$@"; (( ${#__m} )) && print -rl -- ${__m/#/CA""ND:} >&2; builtin compadd "$@"; }'
zpty -w z 'zle -N __done; __done() { print -r -- "<<""END>>"; }; bindkey "^T" __done; exec 2>&1'

# Reads until the marker; the caller bounds the time (timeout(1)) in case it never comes.
zmodload zsh/zselect
out=
read_until() {
        while [[ $out != *"$1"* ]]; do
                if zpty -r -t z chunk 2>/dev/null; then
                        out+=$chunk
                else
                        zselect -t 1
                fi
        done
}
# Type the line only once the shell is set up: zle may drop typeahead while compinit runs.
zpty -w z 'print -r -- "<<""READY>>"'
read_until '<<READY>>'
out=
zpty -w z "$line"$'\t\x14'
read_until '<<END>>'
zpty -d z
print -r -- "$out" | tr '\r' '\n' | sed -n 's/.*CAND:\(.*\)$/\1/p'
