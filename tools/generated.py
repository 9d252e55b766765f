"""Write a generated file, or with --check only compare it: shared by the tools/ scripts
whose output is committed (schemas/*.schema.json)."""
import os
import sys


def write_or_check(path, text, script, usage):
    """argv []: write path atomically; ["--check"]: exit 1 when path is not text."""
    if sys.argv[1:] == ["--check"]:
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        if current != text:
            sys.exit(f"{os.path.relpath(path, os.path.dirname(os.path.dirname(path)))} is not what its "
                     f"sources give: run tools/{script}")
        return
    if sys.argv[1:]:
        sys.exit(usage)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".tmp", path)
