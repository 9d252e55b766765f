# rules: a warning turned off, another made an error, a policy error made a warning
git init -q .
"$SPARKC" validate jobs/ || echo "exit $?"
