# A name used three times draws an error at the second and at the third, each naming
# the first and showing its own line (read again once every file is closed).
"$SPARKC" validate jobs/
