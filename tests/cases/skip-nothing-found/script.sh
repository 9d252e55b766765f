# A run that finds no job and no manifest at all fails: each file it would have
# skipped draws its error at kind.
"$SPARKC" validate --no-config app/ || echo "exit $?"
