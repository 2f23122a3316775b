#!/usr/bin/env bash
# Writes a bash completion script for PROGRAM, from what its own --help says:
# its subcommands, each one's options, which options take a value and, where
# CLI11 lists them ({text,jsonl}), the values. CLI11 writes no completion
# itself; generating it from --help keeps it in step with the flags.
#
#   deploy/completion/make-completion.sh build/bin/coord coord >coord.bash
set -euo pipefail
binary="$1"
name="$2"

# "OPTIONS|VALUED|CHOICE-CASES" of one --help text, on three lines.
options_of() {
  awk '
    /^Options:/ { on = 1; next }
    /^[A-Z][A-Za-z ]*:$/ { on = 0 }
    on && match($0, /^  +(-[A-Za-z0-9],)?--[A-Za-z0-9-]+/) {
      spec = substr($0, RSTART, RLENGTH); sub(/^ +/, "", spec)
      n = split(spec, forms, ",")
      rest = substr($0, RSTART + RLENGTH)
      takes = (rest ~ /^ [A-Z]+/)  # a type such as TEXT, INT, FLOAT:POSITIVE
      choice = ""
      if (match(rest, /\{[^}]*\}/)) {
        choice = substr(rest, RSTART + 1, RLENGTH - 2); gsub(/,/, " ", choice)
      }
      for (i = 1; i <= n; i++) {
        all = all " " forms[i]
        if (takes) valued = valued " " forms[i]
        if (choice != "") cases = cases forms[i] "=" choice ";"
      }
    }
    END { print all; print valued; print cases }'
}

subcommands="$("$binary" --help | awk '/^Subcommands:/ { on = 1; next } on && /^  +[a-z]/ { print $1 }')"
fn="_netshard_${name//-/_}"

echo "# bash completion for $name, generated from its --help by deploy/completion/make-completion.sh"
echo "$fn() {"
echo '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="" sub="" word i'
echo '  [ "$COMP_CWORD" -gt 0 ] && prev="${COMP_WORDS[COMP_CWORD-1]}"'
echo "  local subcommands=\"$(echo $subcommands)\""
echo '  for ((i = 1; i < COMP_CWORD; i++)); do'
echo '    word="${COMP_WORDS[i]}"'
echo '    [[ " $subcommands " == *" $word "* ]] && { sub="$word"; break; }'
echo '  done'
echo '  local options valued choices'
echo '  case "$sub" in'
for sub in "" $subcommands; do
  if [ -z "$sub" ]; then help="$("$binary" --help)"; else help="$("$binary" "$sub" --help)"; fi
  mapfile -t parts < <(printf '%s\n' "$help" | options_of)
  echo "    \"$sub\")"
  echo "      options=\"${parts[0]# }\""
  echo "      valued=\"${parts[1]# }\""
  echo "      choices=\"${parts[2]}\" ;;"
done
echo '  esac'
cat <<'BODY'
  if [ -n "$prev" ] && [[ " $valued " == *" $prev "* ]]; then
    local pair
    IFS=';' read -ra pairs <<<"$choices"
    for pair in "${pairs[@]}"; do
      if [ "${pair%%=*}" = "$prev" ]; then
        mapfile -t COMPREPLY < <(compgen -W "${pair#*=}" -- "$cur")
        return
      fi
    done
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    return
  fi
  if [[ "$cur" == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
  elif [ -z "$sub" ] && [ -n "$subcommands" ]; then
    mapfile -t COMPREPLY < <(compgen -W "$subcommands" -- "$cur")
  else
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
  fi
}
BODY
echo "complete -F $fn $name"
