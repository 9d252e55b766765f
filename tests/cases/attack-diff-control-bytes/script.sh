# A generated manifest edited in a pull request so that its removed lines hold
# terminal control sequences (clear the screen, set the window title, overwrite the
# line with a bare CR, an 8-bit CSI): --diff shows them escaped, with or without
# colour, so reviewing a diff cannot drive the reviewer's terminal. A CRLF checkout's
# line ends stay as they are (patch applies such a diff).
printf 'kind: spark\nmetadata: {name: etl, namespace: data}\nspec: {command: /app/etl.py, image: spark:3.5.1, replicas: 2}\n' > job.yaml
"$SPARKC" compile -o out job.yaml
printf '\033[2J\033]0;owned\007  x: "\r  replicas: 2 # \302\233\061m"\n' >> out/data/etl.yaml
for colour in never always; do
	"$SPARKC" compile --diff --color "$colour" -o out job.yaml > diff.out || echo "exit $?"
	python3 -c '
import sys
text = open("diff.out", "rb").read()
raw = [b for b in text.replace(b"\r\n", b"\n") if b < 0x20 and b not in (9, 10, 27)]
esc = [i for i in range(len(text)) if text[i] == 27 and not text[i + 1:i + 2] == b"["]
csi = text.count(b"\xc2\x9b")
print(sys.argv[1] + ":", "control bytes" if raw or csi or b"\x1b]" in text or b"\x1b[2J" in text else "escaped")
' "$colour"
done
"$SPARKC" compile --diff -o out job.yaml | tail -n 2 || true
echo "--- CRLF line ends: patch applies the diff"
"$SPARKC" compile -o out job.yaml
sed -i 's/replicas: 2/replicas: 3/' job.yaml
sed -i 's/$/\r/' out/data/etl.yaml
"$SPARKC" compile --diff -o out job.yaml > crlf.diff || echo "exit $?"
(cd out && patch -s -p0 --binary < ../crlf.diff) && grep -c 'instances: 3' out/data/etl.yaml
