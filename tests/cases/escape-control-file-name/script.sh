# A file name from a pull request is printed with its control characters escaped, in
# text and github output and in sparkc's own messages.
cp job.yaml "$(printf 'x\033[2Jy\n::error::forged.yaml')"
"$SPARKC" validate -q x*.yaml || echo "exit $?"
"$SPARKC" validate -q --format github x*.yaml || echo "exit $?"
"$SPARKC" validate "$(printf 'missing\033[31m.yaml')" || echo "exit $?"
