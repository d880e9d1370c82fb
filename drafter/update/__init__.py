"""Keeping a filed reply current: figures that remember their source (provenance), `drafter update`
for new periods (加期), and tracked-change redlines.

    provenance.py  read the provenance map and locate tagged figures/tables in a DOCX (after editing)
    recompute.py   recompute a figure or table from a company file, as compose computed it
    apply.py       the update itself: replace, mark 楷体加粗, comments, check-by-hand (update_reply)
    report.py      UpdateReport: every change, what to check by hand
    redline.py     tracked-change redline of two DOCX (write_redline)
"""
