"""Known vulnerabilities in the packages Hamkke installs: `./hamkke audit`.

Python packages are checked with pip-audit against the hashed lock file (no
installation, every package pinned); front-end packages with `npm audit`
against package-lock.json.

A vulnerability reported in either fails the run (npm: severity high or
critical; moderate and low are listed). A package the vulnerability service
could not be asked about is listed as NOT CHECKED: with `--strict` (or
HAMKKE_AUDIT_STRICT=1) that fails the run too, otherwise it is a warning, so a
build machine without access to the vulnerability services still builds, and
says loudly what it could not check.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FAILING_NPM_SEVERITIES = ("high", "critical")


@dataclass
class Findings:
    tool: str
    vulnerable: list[str] = field(default_factory=list)
    listed: list[str] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)
    checked: int = 0


def read_pip_audit(report: dict) -> Findings:
    """pip-audit's JSON report: {"dependencies": [{name, version, vulns | skip_reason}]}."""
    found = Findings("pip-audit")
    for dependency in report.get("dependencies", []):
        version = dependency.get("version")
        label = f"{dependency['name']}=={version}" if version else dependency["name"]
        if dependency.get("skip_reason"):
            found.not_checked.append(f"{label}: {dependency['skip_reason']}")
            continue
        found.checked += 1
        for vuln in dependency.get("vulns", []):
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed release"
            found.vulnerable.append(f"{label}: {vuln.get('id')} (fixed in {fixes})")
    return found


def read_npm_audit(report: dict, dependencies: int) -> Findings:
    """`npm audit --json`: {"vulnerabilities": {name: {severity, via, ...}}} or {"error": ...}."""
    found = Findings("npm audit")
    if "error" in report:
        error = report["error"]
        summary = error.get("summary") or error.get("code") or "the audit service answered an error"
        found.not_checked.append(f"all {dependencies} front-end packages: {summary}")
        return found
    found.checked = dependencies
    for name, vuln in sorted(report.get("vulnerabilities", {}).items()):
        line = f"{name}: {vuln.get('severity')} ({vuln.get('range', '')})"
        if vuln.get("severity") in FAILING_NPM_SEVERITIES:
            found.vulnerable.append(line)
        else:
            found.listed.append(line)
    return found


def run_pip_audit(lock: Path) -> Findings:
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        str(lock),
        "--require-hashes",
        "--disable-pip",
        "--progress-spinner",
        "off",
        "--format",
        "json",
    ]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)  # noqa: S603
    try:
        return read_pip_audit(json.loads(result.stdout or "{}"))
    except json.JSONDecodeError:
        found = Findings("pip-audit")
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        found.not_checked.append(f"every Python package: {last}")
        return found


def run_npm_audit() -> Findings:
    lock = json.loads((ROOT / "package-lock.json").read_text())
    dependencies = sum(1 for name in lock.get("packages", {}) if name)
    npm = shutil.which("npm") or "npm"
    command = [npm, "audit", "--json", "--package-lock-only"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)  # noqa: S603
    try:
        report = json.loads(result.stdout or "{}")
    except json.JSONDecodeError:
        report = {"error": {"summary": (result.stderr.strip().splitlines() or ["no output"])[-1]}}
    return read_npm_audit(report, dependencies)


def verdict(findings: list[Findings], *, strict: bool) -> int:
    failed = False
    for found in findings:
        print(f"{found.tool}: {found.checked} packages checked")
        for line in found.vulnerable:
            print(f"  VULNERABLE {line}")
            failed = True
        for line in found.listed:
            print(f"  (below the failing severity) {line}")
        if found.not_checked:
            count = len(found.not_checked)
            print(f"  NOT CHECKED: {count} (the vulnerability service did not answer)")
            for line in found.not_checked[:5]:
                print(f"    {line}")
            if len(found.not_checked) > 5:
                print(f"    ... and {len(found.not_checked) - 5} more")
            failed = failed or strict
    print("dependency audit:", "FAILED" if failed else "passed")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock", default=str(ROOT / "requirements-dev.lock"))
    parser.add_argument(
        "--strict",
        action="store_true",
        default=os.environ.get("HAMKKE_AUDIT_STRICT") == "1",
        help="fail when a package could not be checked",
    )
    args = parser.parse_args(argv)
    return verdict([run_pip_audit(Path(args.lock)), run_npm_audit()], strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
