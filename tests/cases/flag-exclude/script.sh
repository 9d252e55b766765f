# --exclude GLOB, repeatable, against each path as named or walked
"$SPARKC" validate --summary --no-config --exclude drafts/ --exclude '*.yml' jobs/
"$SPARKC" validate --summary --no-config --exclude 'jobs/drafts/**' --exclude jobs/b.yml ./jobs jobs/drafts/wip.yaml
"$SPARKC" validate --summary --no-config --exclude 'drafts' jobs/ || echo "exit $?"
# a glob written with ./, as a path on the command line is: matched as without it
"$SPARKC" validate --summary --no-config --exclude ./jobs/drafts --exclude ./jobs/b.yml ./jobs/
