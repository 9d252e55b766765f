# The real pre-commit runs this repository's .pre-commit-hooks.yaml (at HEAD) in a
# scratch git repository, with sparkc on PATH.
mkdir bin && ln -s "$SPARKC" bin/sparkc
export PATH="$PWD/bin:$PATH" PRE_COMMIT_HOME="$PWD/cache" NO_COLOR=1
git init -q scratch && cd scratch
git config user.email ci@example.com && git config user.name ci
mkdir jobs other
cat > .pre-commit-config.yaml <<CFG
repos:
  - repo: $SPARKC_REPO
    rev: $(git -C "$SPARKC_REPO" rev-parse HEAD)
    hooks:
      - id: sparkc-validate
      - id: sparkc-check-manifests
CFG
printf 'kind: spark\nmetadata: {name: Etl}\nspec: {command: /a.py, image: s}\n' > jobs/etl.yaml
printf 'not: a job\n' > other/config.yaml
git add -A
echo "--- a bad job"
pre-commit run --all-files --color never >../out.txt 2>&1 || echo "pre-commit exit $?"
grep -E '^(sparkc|jobs/|- hook id)' ../out.txt | sed 's/\.\.\.*/.../'
echo "--- fixed, manifests committed"
sed -i 's/Etl/etl/' jobs/etl.yaml
sparkc compile -o manifests jobs/
git add -A
pre-commit run --all-files --color never >../out.txt 2>&1 && echo "pre-commit exit 0"
grep -E '^sparkc' ../out.txt | sed 's/\.\.\.*/.../'
echo "--- job changed, manifests stale"
printf '  replicas: 3\n' >> jobs/etl.yaml
sed -i 's/spec: {command: \/a.py, image: s}/spec:\n  command: \/a.py\n  image: s/' jobs/etl.yaml
git add -A
pre-commit run --all-files --color never >../out.txt 2>&1 || echo "pre-commit exit $?"
grep -E '^(sparkc|manifests/)' ../out.txt | sed 's/\.\.\.*/.../'
