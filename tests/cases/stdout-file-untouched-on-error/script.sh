echo "kept" > out.yaml
"$SPARKC" compile good.yaml bad.yaml >> out.yaml 2>/dev/null || echo "exit $?"
cat out.yaml
"$SPARKC" compile good.yaml >> out.yaml && grep -c "^kind:" out.yaml
