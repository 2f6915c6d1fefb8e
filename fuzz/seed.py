#!/usr/bin/env python3
"""Seeds the fuzz corpora (fuzz/corpus/<target>/) from the repository's real inputs.

ingest: every JSON/tfstate file of testdata/ and the embedded example estates, as written and
minified; each example estate's list files merged into one bare list (so one input links VNets,
NICs and route tables and the engine runs); the Terraform plans cut to resource_changes plus
configuration so they fit -max_len=65536; and the fuzz regression inputs.
parse: the short strings of those files (prefixes, addresses, ports, protocols, ids), one a file.
rule: nothing; the target builds its JSON from structured fuzzer bytes.
"""

import hashlib
import json
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
MAX_LEN = 65536


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    if len(data) > MAX_LEN:
        return
    out = CORPUS / target
    out.mkdir(parents=True, exist_ok=True)
    (out / hashlib.sha1(data).hexdigest()).write_bytes(data)


def inputs():
    roots = [ROOT / "testdata", ROOT / "crates" / "azroute-cli" / "estates"]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".json", ".tfstate"):
                yield path


def strings(value, out):
    if isinstance(value, str):
        if len(value) <= 200:
            out.add(value)
    elif isinstance(value, list):
        for v in value:
            strings(v, out)
    elif isinstance(value, dict):
        for v in value.values():
            strings(v, out)


def main():
    short = set()
    for path in inputs():
        raw = path.read_bytes()
        put("ingest", raw)
        try:
            doc = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            continue
        put("ingest", json.dumps(doc, separators=(",", ":")))
        strings(doc, short)
        if isinstance(doc, dict) and "resource_changes" in doc:
            changes = doc["resource_changes"]
            for part in range(1, 8):
                size = (len(changes) + part - 1) // part
                cut = [
                    {k: doc[k] for k in ("format_version", "terraform_version", "configuration") if k in doc}
                    | {"resource_changes": changes[i : i + size]}
                    for i in range(0, len(changes), size)
                ]
                texts = [json.dumps(c, separators=(",", ":")) for c in cut]
                if all(len(t) <= MAX_LEN for t in texts):
                    for t in texts:
                        put("ingest", t)
                    break
    estates = ROOT / "crates" / "azroute-cli" / "estates"
    for estate in sorted(p for p in estates.iterdir() if p.is_dir()):
        merged = []
        for path in sorted(estate.glob("*.json")):
            doc = json.loads(path.read_text())
            if isinstance(doc, list):
                merged.extend(doc)
        put("ingest", json.dumps(merged, separators=(",", ":")))
    for path in sorted((ROOT / "testdata" / "fuzz-regressions").rglob("*")):
        if path.is_file():
            target = "ingest" if path.parent.name in ("ingest", "rule") else path.parent.name
            put(target, path.read_bytes())
    for s in sorted(short):
        put("parse", s)
    for s in ["10.0.0.0/8", "::/0", "fd00::/64", "10.0.0.5/24", "1.2.3.4", "1-65535", "*", " Tcp ", "None",
              "VirtualAppliance", "0.0.0.0/+0", "::ffff:10.0.0.1/128", "resourceGroup/x/resourceGroup/y"]:
        put("parse", s)
    for target in ("ingest", "parse", "rule"):
        (CORPUS / target).mkdir(parents=True, exist_ok=True)
        print(target, len(os.listdir(CORPUS / target)), "seed files")


if __name__ == "__main__":
    main()
