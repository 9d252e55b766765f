"$SPARKC" compile a.yaml > a.out
"$SPARKC" compile b.yaml > b.out
cmp a.out b.out && echo identical
