"""The audit loop: draw a stratified sample of a period's posts for staff to
label (``draw``), hand it out as a CSV and read it back (``csvfile``), and
store the labels (``service``). Reports then state each classifier's
measured accuracy and correct their shares for it (``reports.accuracy``).
"""
