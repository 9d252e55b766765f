# An option another command takes is refused by its own name, whether its value comes
# apart, attached, or after an abbreviation; never by the value.
"$SPARKC" schema --mlrun-version 1.7 || echo "exit $?"
"$SPARKC" schema --mlrun-version=1.7 || echo "exit $?"
"$SPARKC" rules --exclude drafts/ || echo "exit $?"
"$SPARKC" krm --fail-on=warning || echo "exit $?"
"$SPARKC" init --names prod nightly || echo "exit $?"
"$SPARKC" validate -o out jobs/ || echo "exit $?"
"$SPARKC" validate -qoout jobs/ || echo "exit $?"
