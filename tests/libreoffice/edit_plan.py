"""Edits a plan workbook with LibreOffice, as a provider would, and saves it as .xlsx.

Usage: python3 edit_plan.py IN.xlsx OUT.xlsx
Run by tests/plan_libreoffice.rs. Row 2 gets a new owner, row 3 the status "Pågår", and a new
action is typed in below the last row. Uses LibreOffice's UNO bridge (Debian: python3-uno).
"""
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def main(source, target):
    pipe = "evalbench_%d" % os.getpid()
    profile = tempfile.mkdtemp(prefix="evalbench-lo-")
    office = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "-env:UserInstallation=file://" + profile,
            "--accept=pipe,name=%s;urp;" % pipe,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        context = None
        for _ in range(120):
            try:
                context = resolver.resolve(
                    "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe
                )
                break
            except Exception:
                time.sleep(0.5)
        if context is None:
            sys.exit("LibreOffice did not start")
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        document = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0, (prop("Hidden", True),)
        )
        sheet = document.Sheets.getByName("Tiltak")
        sheet.getCellRangeByName("D2").setString("Leder for tiltaket")
        sheet.getCellRangeByName("G3").setString("Pågår")
        last = 1
        while sheet.getCellByPosition(2, last).getString():
            last += 1
        row = last + 1
        sheet.getCellRangeByName("B%d" % row).setValue(
            sheet.getCellRangeByName("B2").getValue()
        )
        sheet.getCellRangeByName("C%d" % row).setString("Ny rutine for varsling av frister")
        sheet.getCellRangeByName("D%d" % row).setString("Tiltakskoordinator")
        sheet.getCellRangeByName("E%d" % row).setFormula("=DATE(2027;2;1)")
        sheet.getCellRangeByName("F%d" % row).setString("Rutinen legges fram for NAV")
        sheet.getCellRangeByName("G%d" % row).setString("Foreslått")
        document.storeToURL(
            uno.systemPathToFileUrl(os.path.abspath(target)),
            (prop("FilterName", "Calc MS Excel 2007 XML"),),
        )
        document.close(True)
    finally:
        office.terminate()
        office.wait(timeout=30)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
