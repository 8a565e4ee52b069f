"""Makes the fixtures of this folder from other files of testdata/ (run from the repository
root: python3 testdata/formats/make_fixtures.py). Python 3.11, standard library only.

- deu3-dev-semicolon.csv: the header, the capability line and the first eight issue rows of
  deu3/deu3-dev.tsv, written the way another project ships DEU III: semicolon-separated,
  header unquoted, text fields double-quoted, decimal commas.
- schelling-library.json: the three schelling GameSpecs of peers/schelling/*.input.json as
  one case library {"cases": [...]}, each case with its continuum, actors and a metadata
  object (the first case keeps its question_id in metadata only).
"""
import json

SRC = "testdata/"
OUT = "testdata/formats/"


def deu_semicolon():
    with open(SRC + "deu3/deu3-dev.tsv", encoding="utf-8") as f:
        lines = f.read().split("\n")[:10]
    out = []
    for k, line in enumerate(lines):
        cells = line.split("\t")
        row = []
        for c in cells:
            quoted = c.startswith('"') and c.endswith('"') and len(c) >= 2
            v = c[1:-1] if quoted else c
            if k == 0:
                row.append(v)
            elif quoted and not is_number(v):
                row.append('"' + v + '"')
            else:
                row.append(v.replace(".", ","))
        out.append(";".join(row))
    with open(OUT + "deu3-dev-semicolon.csv", "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def is_number(v):
    try:
        float(v)
        return True
    except ValueError:
        return False


def schelling_library():
    names = ["emission1994", "emission1994_widened", "ktab_soe_policy.challenge"]
    cases = []
    for k, n in enumerate(names):
        with open(SRC + f"peers/schelling/{n}.input.json", encoding="utf-8") as f:
            spec = json.load(f)
        meta = {"title": f"{spec['question_id']} ({n})", "source": f"testdata/peers/schelling/{n}.input.json"}
        if k == 0:
            meta["question_id"] = spec.pop("question_id")
        cases.append({"metadata": meta, **spec})
    library = {"library": "pactum test library built from the schelling peer inputs", "cases": cases}
    with open(OUT + "schelling-library.json", "w", encoding="utf-8") as f:
        json.dump(library, f, indent=2)
        f.write("\n")


deu_semicolon()
schelling_library()
