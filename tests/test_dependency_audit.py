"""The dependency audit reads pip-audit's and npm's reports and fails on a known
vulnerability; a package that could not be checked fails only when strict."""

from ngo.lib.dependency_audit import read_npm_audit, read_pip_audit, verdict

PIP_CLEAN = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]}
PIP_VULNERABLE = {
    "dependencies": [
        {"name": "django", "version": "5.2.19", "vulns": []},
        {
            "name": "lxml",
            "version": "4.0.0",
            "vulns": [{"id": "PYSEC-2021-19", "fix_versions": ["4.6.3"]}],
        },
    ]
}
PIP_UNREACHABLE = {
    "dependencies": [
        {"name": "ruff", "version": "0.17.6", "skip_reason": "Dependency not found on PyPI"}
    ]
}
NPM_ERROR = {"error": {"code": "E405", "summary": "audit endpoint returned an error"}}
NPM_HIGH = {"vulnerabilities": {"chart.js": {"severity": "high", "range": "<2.9.4"}}}
NPM_MODERATE = {"vulnerabilities": {"htmx.org": {"severity": "moderate", "range": "<1.9.0"}}}


def test_a_clean_report_passes(capsys):
    assert verdict([read_pip_audit(PIP_CLEAN), read_npm_audit({}, 3)], strict=True) == 0
    assert "dependency audit: passed" in capsys.readouterr().out


def test_a_known_python_vulnerability_fails(capsys):
    found = read_pip_audit(PIP_VULNERABLE)
    assert found.checked == 2
    assert found.vulnerable == ["lxml==4.0.0: PYSEC-2021-19 (fixed in 4.6.3)"]
    assert verdict([found], strict=False) == 1
    assert "VULNERABLE lxml==4.0.0" in capsys.readouterr().out


def test_an_unchecked_package_warns_and_fails_only_when_strict(capsys):
    found = read_pip_audit(PIP_UNREACHABLE)
    assert found.checked == 0 and len(found.not_checked) == 1
    assert verdict([found], strict=False) == 0
    assert "NOT CHECKED: 1" in capsys.readouterr().out
    assert verdict([found], strict=True) == 1


def test_npm_high_fails_and_moderate_is_listed():
    high = read_npm_audit(NPM_HIGH, 3)
    moderate = read_npm_audit(NPM_MODERATE, 3)
    assert high.vulnerable == ["chart.js: high (<2.9.4)"]
    assert moderate.vulnerable == [] and moderate.listed == ["htmx.org: moderate (<1.9.0)"]
    assert verdict([high], strict=False) == 1
    assert verdict([moderate], strict=False) == 0


def test_an_npm_service_error_means_nothing_was_checked():
    found = read_npm_audit(NPM_ERROR, 3)
    assert found.checked == 0
    assert found.not_checked == ["all 3 front-end packages: audit endpoint returned an error"]
    assert verdict([found], strict=True) == 1
