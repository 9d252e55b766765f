# bash completion for sparkc
_sparkc() {
	local cur prev cmd
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=${COMP_WORDS[1]}
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "compile validate explain init schema rules krm lsp --help --version" -- "$cur"))
		return
	fi
	local limits="--max-file-size --max-document-size --max-scalar-size --max-depth --max-nodes --max-documents"
	local reporting="--config --no-config --disable --enable --exclude --fail-on --allow-no-jobs -q --quiet --summary --color"
	case "$prev" in
	-o|--output|--templates) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--config) [ "$cmd" != schema ] && COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--disable|--enable) COMPREPLY=($(compgen -W "$(sparkc rules --format json 2>/dev/null | sed -n 's/^ *"id": "\(.*\)",$/\1/p')" -- "$cur")); return ;;
	--exclude) return ;;
	--fail-on) COMPREPLY=($(compgen -W "error warning" -- "$cur")); return ;;
	--mlrun-version|--operator-version)
		# the releases this sparkc knows, as `sparkc --version` lists them
		local which=MLRun; [ "$prev" = --operator-version ] && which='Spark operator'
		COMPREPLY=($(compgen -W "$(sparkc --version 2>/dev/null | sed -n "s/^$which releases: //p" | sed 's/ ([^)]*)//g; s/,//g')" -- "$cur"))
		return ;;
	-n|--namespace|--schedule|--schema) return ;;
	--max-file-size|--max-document-size|--max-scalar-size|--max-depth|--max-nodes|--max-documents) return ;;
	--format)
		case "$cmd" in
		compile) COMPREPLY=($(compgen -W "yaml json" -- "$cur")) ;;
		validate) COMPREPLY=($(compgen -W "text json sarif github junit tap" -- "$cur")) ;;
		explain) COMPREPLY=($(compgen -W "text json" -- "$cur")) ;;
		rules) COMPREPLY=($(compgen -W "text json markdown man" -- "$cur")) ;;
		esac
		return ;;
	--diagnostics) COMPREPLY=($(compgen -W "text json sarif github" -- "$cur")); return ;;
	--color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
	esac
	local opts
	case "$cmd" in
	compile) opts="-o --output --check --diff --kustomization -n --namespace --format --templates --mlrun-version --operator-version --diagnostics $reporting -h --help $limits" ;;
	validate) opts="-n --namespace --format --templates --mlrun-version --operator-version $reporting -h --help $limits" ;;
	explain) opts="-n --namespace --format --templates --mlrun-version --operator-version $reporting -h --help $limits" ;;
	krm) opts="-h --help $limits" ;;
	lsp) opts="-n --namespace --templates --config --no-config --disable --enable --exclude --mlrun-version --operator-version -h --help $limits" ;;
	init) opts="--igz --schedule --schema -h --help" ;;
	schema) opts="--config -h --help" ;;
	rules) opts="--format -h --help" ;;
	esac
	if [[ "$cur" == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	elif [ "$cmd" != init ] && [ "$cmd" != schema ] && [ "$cmd" != krm ] && [ "$cmd" != rules ] && [ "$cmd" != lsp ]; then
		COMPREPLY=($(compgen -f -X '!*.@(yaml|yml)' -- "$cur") $(compgen -d -- "$cur"))
	fi
}
complete -o filenames -F _sparkc sparkc
