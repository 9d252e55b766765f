# the built-in templates pass the checks --templates applies, and compile the same
$SPARKC compile --templates "$SPARKC_REPO/templates" input.yaml > with.yaml
$SPARKC compile input.yaml > without.yaml
cmp with.yaml without.yaml && echo same
