"""What the binaries are linked with: libyaml, the one YAML library, and nothing of
libfyaml (the parser sparkc used before); jansson, the JSON library of the language
server (`sparkc lsp`). The release build is static, so its symbol table is read (nm);
the dynamic twin's libraries are read with ldd.

Called from tests/run.py: check_linkage(result, plain, dynamic)."""
import re
import subprocess


def check_linkage(result, plain, dynamic):
    nm = subprocess.run(["nm", plain], capture_output=True, text=True).stdout
    defined = set(re.findall(r"^\S*\s+[TtDdBbRr]\s+(\S+)$", nm, re.M))
    fy = sorted(s for s in defined if s.startswith(("fy_", "libfyaml")))
    result("linkage: the release build holds libyaml's parser and no libfyaml",
           "yaml_parser_parse" in defined and not fy, f"libfyaml symbols: {fy[:10]}")
    ldd_plain = subprocess.run(["ldd", plain], capture_output=True, text=True).stdout
    result("linkage: the release build holds jansson's parser (linked in when static)",
           "json_loadb" in defined or "libjansson" in ldd_plain, ldd_plain)
    if dynamic == plain:
        return
    ldd = subprocess.run(["ldd", dynamic], capture_output=True, text=True).stdout
    result("linkage: the dynamic build loads libyaml and jansson, and no libfyaml",
           "libyaml" in ldd and "libjansson" in ldd and "libfyaml" not in ldd, ldd)
