# Options other linters spell differently (helm lint --strict, ruff --ignore, ESLint
# --no-color), and near misses of sparkc's own, name the option to write instead; a
# name too short to be near one names none.
for opt in --strict --fail-on-warning --no-color --colour=always --ignore=executor-cores \
	--select --exlude=drafts/ --sumary --quite --zzz; do
	"$SPARKC" validate "$opt" job.yaml 2>&1 | head -1
done
