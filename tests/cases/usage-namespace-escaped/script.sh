# -n's value is echoed with its control characters escaped, as is an unknown command
"$SPARKC" validate -n "$(printf 'ns\033[2J\nx')" job.yaml || echo "exit $?"
"$SPARKC" "$(printf 'val\033]0;title\007idate')" || echo "exit $?"
