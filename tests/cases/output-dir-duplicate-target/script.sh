"$SPARKC" compile -o out a.yaml b.yaml || echo "exit $?"
test -e out/default-tenant/same.yaml && echo written || echo "nothing written"
