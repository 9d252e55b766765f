"$SPARKC" compile good.yaml bad.yaml 2>/dev/null | wc -c
"$SPARKC" compile good.yaml | grep -c "^kind:"
