"""`python -m restake_plots RUN_DIR [--out FILE]`: the HTML report of a run or sweep folder.

Exit codes (read by `restake-risk report`): 0 written, 2 not a run folder or a malformed file,
3 a Python dependency (matplotlib, pandas, numpy) is missing.
"""
import sys


def main():
    missing = []
    for mod in ("numpy", "pandas", "matplotlib"):
        try:
            __import__(mod)
        except ImportError:
            missing.append(mod)
    if missing:
        print(f"error: {sys.executable} lacks {', '.join(missing)}: create the project's venv with "
              "`make plots-venv` (or point RESTAKE_RISK_PYTHON at a Python that has "
              "notebooks/requirements.txt installed)", file=sys.stderr)
        return 3
    from .report import main as report_main
    return report_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
