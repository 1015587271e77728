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
zpty -w z 'zle -N __done; __done() { print -r -- "<<""END>>"; }; bindkey "^X" __done; exec 2>&1'
zpty -w z "$line"$'\t\x18'
out=
while zpty -r -t z chunk 2>/dev/null || { sleep 0.05; zpty -r -t z chunk 2>/dev/null; } || true; do
        out+=$chunk
        [[ $out == *'<<END>>'* ]] && break
        (( SECONDS > 20 )) && break
done
zpty -d z
print -r -- "$out" | tr '\r' '\n' | sed -n 's/.*CAND:\(.*\)$/\1/p'
