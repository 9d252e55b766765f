"$SPARKC" schema > out.json
cmp out.json "$SPARKC_REPO/schemas/sparkjob.schema.json" && echo "the built-in schema is schemas/sparkjob.schema.json"
