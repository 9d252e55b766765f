# A job under a hidden directory is not walked, and the error says so.
$SPARKC validate d4 || echo "exit $?"
