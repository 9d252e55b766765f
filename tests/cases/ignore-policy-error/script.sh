# An error a policy makes (data-store, secret-literal) can be silenced: the job then
# compiles and explains as if it had none. Unsilenced, nothing is written.
"$SPARKC" compile silenced.yaml | grep -E '^  name:|lib.jar|value: not-a-secret'
"$SPARKC" explain silenced.yaml | head -1
"$SPARKC" compile silenced.yaml unsilenced.yaml || echo "exit $?"
"$SPARKC" explain unsilenced.yaml || echo "exit $?"
