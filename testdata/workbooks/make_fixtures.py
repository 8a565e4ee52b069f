"""Makes the workbook fixtures of this folder from the shipped cases, with programs other
than pactum: openpyxl writes the .xlsx files, LibreOffice converts one of them to .ods.

Run from the repository root:
    pip install openpyxl==3.1.5
    python3 testdata/workbooks/make_fixtures.py
    soffice --headless --convert-to ods --outdir testdata/workbooks \
        testdata/workbooks/us-japan-2014.openpyxl.xlsx
    mv testdata/workbooks/us-japan-2014.openpyxl.ods testdata/workbooks/us-japan-2014.libreoffice.ods

The layout is the one of docs/scenario-format.md ("Workbooks"), written the way a person
might: readable headers ("Capability (low)"), columns in another order, dates as date
cells, no header row on the Scenario sheet, and an extra "Read me" sheet.
"""
import datetime
import tomllib

import openpyxl

OUT = "testdata/workbooks/"


def date_or_text(s):
    try:
        if len(s) == 10:
            return datetime.date.fromisoformat(s)
    except ValueError:
        pass
    return s


def estimate(v):
    """(mode, low, high) of a TOML number or {low, mode, high} table."""
    if isinstance(v, dict):
        mode = v.get("mode", (v["low"] + v["high"]) / 2)
        return mode, v["low"], v["high"]
    return v, None, None


def sheet(wb, name, header, rows):
    ws = wb.create_sheet(name)
    ws.append(header)
    for r in rows:
        ws.append(r)
    return ws


def lines(v):
    return "\n".join(v) if v else None


def flagship():
    with open("cases/us-japan-2014.toml", "rb") as f:
        case = tomllib.load(f)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    meta = wb.create_sheet("Scenario")
    meta.append(["Title", case["title"]])
    meta.append(["Frozen at", date_or_text(case["frozen_at"])])
    meta.append(["Author", case["author"]])
    meta.append(["Notes", case["notes"]])
    meta.append(["Sources", lines(case["sources"])])
    meta.append(["Salience scale", int(case.get("salience_scale", 1))])
    actors = []
    for a in case["actors"]:
        mode, low, high = estimate(a["capability"])
        actors.append([a["id"], a.get("name"), a.get("notes"), mode, low, high,
                       a.get("group"), lines(a.get("sources"))])
    sheet(wb, "Actors", ["ID", "Name", "Notes", "Capability", "Capability (low)",
                         "Capability (high)", "Group", "Sources"], actors)
    issues = []
    for i in case["issues"]:
        s = i["scale"]
        o = i.get("outcome", {})
        attrs = "\n".join(f"{k} = {v}" for k, v in i.get("attributes", {}).items()) or None
        issues.append([i["id"], i.get("question"), s["lo"], s["hi"], s.get("unit"),
                       s.get("lo_label"), s.get("hi_label"), i.get("reference_point"),
                       o.get("value"), date_or_text(o["date"]) if "date" in o else None,
                       lines(o.get("sources")), o.get("notes"), attrs,
                       lines(i.get("sources")), i.get("notes")])
    sheet(wb, "Issues", ["ID", "Question", "Lo", "Hi", "Unit", "Lo label", "Hi label",
                         "Reference point", "Outcome", "Outcome date", "Outcome sources",
                         "Outcome notes", "Attributes", "Sources", "Notes"], issues)
    stances = []
    for s in case["stances"]:
        row = [s["actor"], s["issue"]]
        for key in ["position", "salience", "capability"]:
            row.extend(estimate(s[key]) if key in s else (None, None, None))
        row.extend([lines(s.get("sources")), s.get("notes")])
        stances.append(row)
    sheet(wb, "Stances", ["Actor", "Issue", "Position", "Position (low)", "Position (high)",
                          "Salience", "Salience (low)", "Salience (high)", "Capability",
                          "Capability (low)", "Capability (high)", "Sources", "Notes"],
          stances)
    readme = wb.create_sheet("Read me")
    readme.append(["Made by testdata/workbooks/make_fixtures.py with openpyxl."])
    wb.save(OUT + "us-japan-2014.openpyxl.xlsx")


def emission_table():
    """The emission case as one BDM-style table sheet, starting at B3 under a title."""
    rows = [
        ("Netherlands", 0.08, 4, 80), ("Belgium", 0.08, 7, 40), ("Luxembourg", 0.03, 4, 20),
        ("Germany", 0.16, 4, 80), ("France", 0.16, 10, 60), ("Italy", 0.16, 10, 60),
        ("UK", 0.16, 10, 90), ("Ireland", 0.05, 7, 10), ("Denmark", 0.05, 4, 100),
        ("Greece", 0.08, 7, 70),
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "BDM 1994"
    ws["B1"] = "EC car-emission standards, Bueno de Mesquita (1994) via Scholz et al. (2011)"
    ws.append([])
    header = ["Actor", "Capability", "Position (years)", "Salience (0-100)"]
    for c, h in enumerate(header):
        ws.cell(row=3, column=c + 2, value=h)
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            ws.cell(row=4 + r, column=c + 2, value=v)
    wb.save(OUT + "emission-table.openpyxl.xlsx")


flagship()
emission_table()
