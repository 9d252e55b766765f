# A drafts folder (at any depth) and a glob are never read, whether a walk finds them
# or they are named (as pre-commit names every file); '!' takes one back in.
git init -q .
"$SPARKC" validate --summary jobs/
"$SPARKC" validate --summary jobs/a.yaml jobs/old-b.yaml jobs/old-keep.yaml jobs/drafts/wip.yaml
cd jobs && "$SPARKC" validate --summary . && cd ..
"$SPARKC" validate --summary jobs/drafts/wip.yaml
# every named input excluded: nothing read, and the summary says so, --summary or not
"$SPARKC" validate jobs/drafts/wip.yaml
"$SPARKC" validate -q jobs/drafts/wip.yaml
