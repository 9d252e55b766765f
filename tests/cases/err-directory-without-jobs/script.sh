# A directory that yields no job file fails like an empty file, naming the .json
# exports it passed over; given by name, a .json file is read.
mkdir empty
$SPARKC validate empty || echo "exit $?"
$SPARKC validate exports || echo "exit $?"
$SPARKC validate exports/spark-read-csv.json && echo "exit 0"
