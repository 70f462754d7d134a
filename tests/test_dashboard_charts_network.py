"""The network view and the home-page charts under the Content-Security-Policy:
no inline script, no inline style, and the one stylesheet cytoscape would
inject served as a file instead."""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

from tests.conftest import verified_client

STYLESHEET_ID = "__________cytoscape_stylesheet"
CONTAINER_CLASS = "__________cytoscape_container"


def _source(static_path: str) -> str:
    found = finders.find(static_path)
    assert found, static_path
    return Path(found).read_text(encoding="utf-8")


def test_the_policy_allows_styles_from_our_own_files_only():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["style-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert not any("unsafe" in value for values in directives.values() for value in values)


def test_the_network_page_has_a_strict_csp_and_links_cytoscapes_stylesheet(
    personas, campaign_world
):
    response = verified_client(personas.volunteer).get("/campaigns/network/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "style-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "nonce-" not in csp
    html = response.content.decode()
    head = html.split("</head>")[0]
    # Cytoscape injects its <style> only when no element carries this id.
    assert re.search(
        rf'<link rel="stylesheet" id="{STYLESHEET_ID}" href="/static/hamkke/network\.css">', head
    )
    assert "<style" not in html and not re.search(r"\sstyle=", html)
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag


def test_the_linked_file_holds_the_rule_cytoscape_would_have_injected():
    css = _source("hamkke/network.css")
    assert re.search(rf"\.{CONTAINER_CLASS}\s*\{{\s*position:\s*relative;\s*\}}", css)


def test_the_bundled_cytoscape_skips_its_style_element_when_the_id_exists():
    # If an upgrade changes how cytoscape decides to inject its stylesheet,
    # this fails before the CSP starts refusing it in browsers.
    library = _source("vendor/cytoscape/cytoscape.min.js")
    assert re.search(
        rf'(\w)="{STYLESHEET_ID}",(\w)="{CONTAINER_CLASS}",(\w)=null!=\w\.getElementById\(\1\)',
        library,
    )
    assert library.count('createElement("style")') == 1


def test_the_network_script_sets_no_inline_style_and_keeps_labels_readable():
    script = _source("hamkke/network.js")
    for unsafe in ("innerHTML", "<style", 'setAttribute("style"', "cssText", "eval("):
        assert unsafe not in script, unsafe
    for readable in (
        '"min-zoomed-font-size": READABLE_PX',
        '"text-background-color"',
        "padding: FIT_PADDING, fit: true",
        "cy.zoom(READABLE_ZOOM)",
    ):
        assert readable in script, readable
    assert re.search(r"READABLE_ZOOM = 0\.\d+", script)


def test_the_chart_script_reads_its_data_from_json_blocks_only():
    script = _source("hamkke/dashboard-charts.js")
    assert "JSON.parse(source.textContent)" in script
    for unsafe in ("innerHTML", "<style", "cssText", "eval("):
        assert unsafe not in script, unsafe


def test_the_dashboards_with_charts_keep_the_strict_csp(personas):
    for persona in ("counsellor_a", "manager_a", "coordinator", "auditor", "policy_officer"):
        response = verified_client(getattr(personas, persona)).get("/accounts/dashboard/")
        assert response.status_code == 200
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        html = response.content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, tag
        assert "<style" not in html
