package ctl

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// runCompletion: omsctl completion bash|zsh|fish. The scripts complete the
// verbs and their sub-verbs, from the same table the usage shows, and
// file names after them.
func runCompletion(_ context.Context, e *env, args []string) error {
	fs := e.newFlagSet("completion", "bash|zsh|fish")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("completion", pos, "SHELL"); err != nil {
		return err
	}
	switch pos[0] {
	case "bash":
		return bashCompletion(e.stdout)
	case "zsh":
		return zshCompletion(e.stdout)
	case "fish":
		return fishCompletion(e.stdout)
	}
	return fmt.Errorf("completion: unknown shell %q; omsctl completes bash, zsh and fish", pos[0])
}

// subVerbs are the words a verb's synopsis offers first: the lowercase
// words at the start of each " | " alternative ("show|hold ID | report
// ID" gives show, hold, report).
func subVerbs(synopsis string) []string {
	var out []string
	for _, alt := range strings.Split(synopsis, " | ") {
		first, _, _ := strings.Cut(strings.TrimSpace(alt), " ")
		if first == "" || strings.Trim(first, "abcdefghijklmnopqrstuvwxyz|") != "" {
			continue
		}
		for _, w := range strings.Split(first, "|") {
			if w != "" {
				out = append(out, w)
			}
		}
	}
	return out
}

// verbNames lists the verbs and help, space-separated.
func verbNames() string { return strings.Join(append(names(), "help"), " ") }

func bashCompletion(w io.Writer) error {
	var cases strings.Builder
	for _, c := range commands() {
		if subs := subVerbs(c.synopsis); len(subs) > 0 {
			fmt.Fprintf(&cases, "      %s) COMPREPLY=($(compgen -W %q -- \"$cur\")); return ;;\n", c.name, strings.Join(subs, " "))
		}
	}
	_, err := fmt.Fprintf(w, `# bash completion for omsctl (omsctl completion bash)
_omsctl() {
  local cur=${COMP_WORDS[COMP_CWORD]} verb="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      --socket) ((i++)) ;;
      -*) ;;
      *) verb=${COMP_WORDS[i]}; break ;;
    esac
  done
  if [[ ${COMP_WORDS[COMP_CWORD-1]} == --socket ]]; then
    COMPREPLY=($(compgen -f -- "$cur")); return
  fi
  if [[ -z $verb ]]; then
    COMPREPLY=($(compgen -W "%s --socket --version" -- "$cur")); return
  fi
  if ((i == COMP_CWORD - 1)); then
    case $verb in
%s    esac
  fi
  COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o default -F _omsctl omsctl
`, verbNames(), cases.String())
	return err
}

func zshCompletion(w io.Writer) error {
	var verbs, cases strings.Builder
	for _, c := range commands() {
		fmt.Fprintf(&verbs, "    %s\n", shellQuote(c.name+":"+c.short))
		if subs := subVerbs(c.synopsis); len(subs) > 0 {
			fmt.Fprintf(&cases, "    %s) (( CURRENT == 3 )) && { compadd %s; return }; ;;\n", c.name, strings.Join(subs, " "))
		}
	}
	_, err := fmt.Fprintf(w, `#compdef omsctl
# zsh completion for omsctl (omsctl completion zsh)
_omsctl() {
  local -a verbs
  verbs=(
%s    'help:show the help'
  )
  if (( CURRENT == 2 )); then
    _describe 'omsctl command' verbs
    return
  fi
  case $words[2] in
%s  esac
  _files
}
_omsctl "$@"
`, verbs.String(), cases.String())
	return err
}

func fishCompletion(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# fish completion for omsctl (omsctl completion fish)\n")
	b.WriteString("complete -c omsctl -l socket -r -d \"omsd's socket\"\n")
	b.WriteString("complete -c omsctl -l version -d \"print omsctl's version\"\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "complete -c omsctl -f -n __fish_use_subcommand -a %s -d %s\n", c.name, shellQuote(c.short))
		if subs := subVerbs(c.synopsis); len(subs) > 0 {
			fmt.Fprintf(&b, "complete -c omsctl -f -n '__fish_seen_subcommand_from %s' -a %s\n", c.name, shellQuote(strings.Join(subs, " ")))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// shellQuote quotes s for a POSIX shell (and fish) in single quotes.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
