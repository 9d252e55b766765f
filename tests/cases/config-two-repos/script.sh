# Inputs from two repositories in one run each follow their own configuration.
(cd one && git init -q .) && (cd two && git init -q .)
"$SPARKC" validate one/jobs two/jobs/b.yaml || echo "exit $?"
