# sparkc rules: each rule's id, severity (ignorable errors marked), summary and source
"$SPARKC" rules | sed -n '1p;/^executor-cores /,+1p;/^secret-literal /,+1p;/^conf-removed /,+1p'
