# A list written as its one item draws the list to write.
git init -q .
"$SPARKC" validate jobs/
