# spark.default-version: the Spark of a job whose image tag names none (its rules, its
# sparkVersion); known-keys and known-prefixes are never called unknown.
git init -q .
"$SPARKC" validate jobs/a.yaml
"$SPARKC" compile jobs/a.yaml | grep sparkVersion
"$SPARKC" explain jobs/a.yaml | head -1
