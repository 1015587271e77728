# SPDX-License-Identifier: LGPL-2.1-or-later
# fish completion for berth(1).
#
# Verbs and options are read from `berth --help` and `berth VERB --help`, so the completion
# always offers exactly what the installed binary accepts. Container names come from the
# config search path (start, restart, run, cat, verify, audit), from `berth list` (stop, exec, copy-to, copy-from),
# or both, each name once (status, logs).

# The verb: the first argument after "berth" that is neither an option nor --config-path's value.
function __berth_verb
    set -l skip 0
    for w in (commandline -opc)[2..-1]
        if test $skip -eq 1
            set skip 0
        else if test "$w" = --config-path
            set skip 1
        else if not string match -q -- '-*' $w
            echo $w
            return 0
        end
    end
    return 1
end

# "verb<TAB>summary" for every verb `berth --help` lists.
function __berth_verbs
    berth --help 2>/dev/null | string match -r '^  [a-z][a-z-]* .*' | string replace -r '^  ([a-z][a-z-]*) .*?  +(.*)$' '$1\t$2'
end

# Long options of the current verb (or the global ones), "=" appended when they take a value.
function __berth_options
    set -l verb (__berth_verb)
    berth $verb --help 2>/dev/null | string replace -rf '^ +(-[[:alnum:]][, ]+)?(--[[:alnum:]][[:alnum:]-]*)(=?)[^ ]*\s*(.*)$' '$2$3\t$4'
end

# Options of the current verb that take a value.
function __berth_options_with_arg
    __berth_options | string replace -rf '=\t.*$' ''
end

# The option whose value is being completed ("--opt=..." or "--opt ..."), if any.
function __berth_value_of
    set -l cur (commandline -ct)
    set -l prev (commandline -opc)[-1]
    if string match -qr -- '^--[^=]+=' $cur
        set -l opt (string replace -r '=.*$' '' -- $cur)
        contains -- $opt $argv
        return
    end
    contains -- $prev (__berth_options_with_arg); and contains -- $prev $argv
end

# Number of positional arguments after the verb, not counting the word being completed.
function __berth_npos
    set -l with_arg (__berth_options_with_arg)
    set -l words (commandline -opc)[2..-1]
    set -l n 0
    set -l seen_verb 0
    set -l skip 0
    for w in $words
        if test $skip -eq 1
            set skip 0
            continue
        end
        if string match -q -- '-*' $w
            contains -- $w $with_arg; and set skip 1
            continue
        end
        if test $seen_verb -eq 0
            set seen_verb 1
            continue
        end
        set n (math $n + 1)
    end
    echo $n
end

# The search path: berth's --config-path= when given on the line, else $BERTH_CONFIG_PATH.
function __berth_config_names
    set -l path /etc/berth:/run/berth:/usr/lib/berth
    set -q BERTH_CONFIG_PATH; and set path $BERTH_CONFIG_PATH
    set -l words (commandline -opc)
    for i in (seq (count $words))
        switch $words[$i]
            case '--config-path=*'
                set path (string replace -- --config-path= '' $words[$i])
            case --config-path
                set -q words[(math $i + 1)]; and set path $words[(math $i + 1)]
        end
    end
    for dir in (string split : -- $path)
        for f in $dir/*.container
            basename $f .container
        end
    end | sort -u
end

function __berth_running_names
    berth list --no-legend 2>/dev/null | string replace -r '\s.*$' ''
end

# Running and declared, each once, with what it is as the description.
function __berth_known_names
    set -l running (__berth_running_names)
    for n in $running
        printf '%s\trunning\n' $n
    end
    for n in (__berth_config_names)
        contains -- $n $running; or printf '%s\tconfigured\n' $n
    end
end

function __berth_image_names
    berth images --no-legend 2>/dev/null | string replace -r '\s.*$' ''
end

function __berth_in_exec_command
    test "$(__berth_verb)" = exec; and contains -- -- (commandline -opc)
end

# Candidates for an option's value, written "--opt=VALUE" when that is how the word started.
function __berth_values
    set -l prefix (string match -r -- '^--[^=]+=' (commandline -ct)); or set prefix ''
    printf '%s\n' $prefix$argv
end

# Paths for the word being completed (or the value after "--opt="): directories, and files
# whose name matches the regular expression $argv[1] (none when it is empty).
function __berth_complete_paths -a regex
    set -l cur (commandline -ct)
    set -l prefix (string match -r -- '^--[^=]+=' $cur); or set prefix ''
    set cur (string sub -s (math (string length -- "$prefix") + 1) -- "$cur")
    for f in (complete -C"__berth_no_such_command $cur" | string replace -r '\t.*$' '')
        if string match -q -- '*/' $f; or begin; test -n "$regex"; and string match -qr -- $regex $f; end
            echo $prefix$f
        end
    end
end

function __berth_positional -a verbs npos
    set -l verb (__berth_verb); or return 1
    contains -- $verb (string split ' ' -- $verbs); or return 1
    string match -q -- '-*' (commandline -ct); and return 1
    __berth_value_of --oci --file --output --config-path --register; and return 1
    # The value of any other option (exec --user, --env, ...): not a positional argument.
    __berth_value_of (__berth_options_with_arg); and return 1
    __berth_in_exec_command; and return 1
    test -z "$npos"; or test (__berth_npos) -eq $npos
end

complete -c berth -f
complete -c berth -n 'not __berth_verb' -a '(__berth_verbs)'
complete -c berth -n 'string match -q -- "-*" (commandline -ct); and not __berth_in_exec_command; and not __berth_value_of --output --oci --file --config-path --register --verify-key' -a '(__berth_options)'

complete -c berth -n '__berth_value_of --output' -a '(__berth_values text json json-pretty)'
complete -c berth -n '__berth_value_of --oci --config-path' -a '(__berth_complete_paths "")'
complete -c berth -n '__berth_value_of --register' -a '(__berth_values yes no)'
complete -c berth -n '__berth_value_of --file --verify-key' -a '(__berth_complete_paths .)'

complete -c berth -n '__berth_positional "start restart cat"' -a '(__berth_config_names)' -d 'configured'
complete -c berth -n '__berth_positional run 0' -a '(__berth_config_names)' -d 'configured'
complete -c berth -n '__berth_positional "verify audit"' -a '(__berth_config_names)' -d 'configured'
complete -c berth -n '__berth_positional "verify audit"' -a '(__berth_complete_paths "\\.container\$")'
complete -c berth -n '__berth_positional "stop reload"' -a '(__berth_running_names)' -d 'running'
complete -c berth -n '__berth_positional exec 0' -a '(__berth_running_names)' -d 'running'
complete -c berth -n '__berth_positional "copy-to copy-from" 0' -a '(__berth_running_names)' -d 'running'
complete -c berth -n '__berth_positional copy-to 1' -a '(__berth_complete_paths .)'
complete -c berth -n '__berth_positional copy-from 2' -a '(__berth_complete_paths .)'
complete -c berth -n '__berth_positional "status logs" 0' -a '(__berth_known_names)'
complete -c berth -n '__berth_positional rm-image 0' -a '(__berth_image_names)' -d 'image'
complete -c berth -n '__berth_positional import 1' -a '(__berth_complete_paths "\\.(tar|tgz|txz|tzst|tar\\.(gz|xz|zst))\$")'
