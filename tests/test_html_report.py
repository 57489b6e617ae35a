"""The HTML report (`checker report`, `check --format html`): one self-contained page.

Two kinds of test. Those that read the page as text run everywhere: it loads nothing from
the network, hostile text cannot break out of its data, and its data is the JSON report.
Those that open it in a headless Chromium (selenium, with Debian's `chromium` and
`chromium-driver`) check what a reader sees: no console error, a bar per duty at the right
dates and in the right status, filters, explanations on a click or on Enter, the keyboard,
the selector of readings, print, and a 10 000-event history drawn in under two seconds.
Where no browser can be started they are skipped, with the reason.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.analysis.pages import Section, Variant, gather_sections
from checker.cli.main import app
from checker.engine.check import check_file
from checker.model import iso
from checker.render.html import EPOCH, embed_json, page_data, render_html

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts" / "istanbul-2022"
SCREENSHOT = ROOT / "docs" / "img" / "report-hybrid-grid.png"
runner = CliRunner()
HOSTILE = "</script><script>alert(1)</script><!-- \u2028\u2029 & 'quotes\" <b>bold</b>"


def _report_json(path: Path, *args: str) -> dict:
    result = runner.invoke(app, ["check", str(path), "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["scenarios"][0]


def _sections(path: Path, limit: int = 0, all_readings: bool = False, **options):
    sections, rejected = gather_sections([path], rules=None, as_of=options.get("as_of"), readings={}, params={},
                                         timeout=None, all_readings=all_readings, limit=limit)
    assert not rejected and len(sections) == 1
    return sections


def _embedded(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S)
    assert match, "the page has no data"
    return json.loads(match.group(1))


def _unpacked(doc: dict, si: int = 0, vi: int | None = None) -> dict:
    """The JSON report's part of one section and variant, read back from the page's data
    by the rules docs/html-report.md gives (columns, words, event indices, day numbers)."""
    section = doc["sections"][si]
    variant = section["variants"][section["selected"] if vi is None else vi]
    words, events = section["words"], section["events"]
    columns = doc["columns"]

    def event(value):
        return events[value][0] if isinstance(value, int) else value

    def day(value):
        return iso(value + EPOCH) if value is not None else None

    obligations = []
    for row in variant["obligations"]:
        item = dict(zip(columns["obligations"], row))
        o = {"provision": words[item["provision"]], "kind": words[item["kind"]], "holder": words[item["holder"]],
             "trigger": event(item["trigger"])}
        o["id"] = item.get("id") or "/".join(x for x in (o["provision"], o["holder"], o["trigger"]) if x is not None)
        o.update({"fired_on": day(item["fired_on"]), "deadline": day(item["deadline"]), "status": words[item["status"]],
                  "certainty": words[item["certainty"]],
                  "possible_statuses": [words[item["status"]]] if item["possible_statuses"] == 0
                  else [words[x] for x in item["possible_statuses"]],
                  "met_by": event(item["met_by"]), "breached_on": day(item["breached_on"]),
                  "breached_by": event(item["breached_by"]), "discharged_by": event(item["discharged_by"]),
                  "discharged_on": day(item["discharged_on"])})
        obligations.append(o)
    not_fired = []
    for row in variant["not_fired"]:
        item = dict(zip(columns["not_fired"], row))
        n = {"provision": words[item["provision"]], "holder": words[item["holder"]], "trigger": event(item["trigger"]),
             "blocked_by": [words[x] for x in item["blocked_by"]]}
        n["id"] = item.get("id") or "/".join(x for x in (n["provision"], n["holder"], n["trigger"]) if x is not None)
        if variant["uncertain"]:
            n["certainty"] = words[item["certainty"]]
        not_fired.append(n)
    return {"file": section["file"], "scenario": section["scenario"], "treaty": section["treaty"],
            "as_of": day(variant["as_of"]), "readings": variant["readings"], "obligations": obligations,
            "not_fired": not_fired, "parameters": variant["parameters"], "ignored_events": variant["ignored_events"],
            "unread_events": variant["unread_events"],
            **({"treaties": variant["treaties"]} if len(variant["treaties"]) > 1 else {}),
            "summary": variant["summary"], **({"worlds": variant["worlds"]} if variant["uncertain"] else {})}


def _same_keys(report: dict) -> dict:
    """The JSON report with each obligation's and not-fired duty's keys in a fixed order."""
    out = dict(report)
    out["obligations"] = [dict(sorted(o.items())) for o in report["obligations"]]
    out["not_fired"] = [dict(sorted(n.items())) for n in report["not_fired"]]
    return out


# --- the page as text ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def hybrid_page() -> str:
    return render_html(_sections(FACTS / "hybrid-grid.yaml", limit=100))


def test_the_page_loads_nothing_from_anywhere(hybrid_page):
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(hybrid_page)
    referring = [(e.tag, a, e.get(a)) for e in tree.iter() if isinstance(e.tag, str)
                 for a in ("src", "href", "srcset", "data", "action", "poster") if e.get(a) is not None]
    assert referring == [("link", "href", "data:,")]   # the empty icon: no request for favicon.ico
    assert [e.get("content") for e in tree.iter("meta") if e.get("http-equiv") == "Content-Security-Policy"] == [
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"]
    assert not re.search(r"@import|url\(\s*['\"]?(https?:|//)", hybrid_page)
    assert [s.get("type") for s in tree.iter("script")] == ["application/json", None]
    assert hybrid_page.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("name, options", [
    ("hybrid-grid.yaml", {}),
    ("as-requested-exceptions.yaml", {}),                 # every status and not-fired duties
    ("uncertain-maybe.yaml", {}),                         # possible statuses and worlds
    ("unsc-discharge.yaml", {"as_of": "2027-03-05"}),     # pending duties
])
def test_the_embedded_data_is_the_json_report(name, options):
    path = FACTS / name
    page = render_html(_sections(path, **options))
    args = ["--as-of", options["as_of"]] if "as_of" in options else []
    assert _same_keys(_unpacked(_embedded(page))) == _same_keys(_report_json(path, *args))


def test_a_long_history_is_the_json_report_too(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate, write

    yaml_path, _ = write(generate(1000, seed=3), tmp_path / "h1000")
    page = render_html(_sections(yaml_path))
    assert _same_keys(_unpacked(_embedded(page))) == _same_keys(_report_json(yaml_path))


def test_the_explanations_are_checker_explains(hybrid_page):
    from checker.analysis.derivations import explain_verdicts
    from checker.engine.check import check_file_keeping_control

    section = _embedded(hybrid_page)["sections"][0]
    variant = section["variants"][0]
    verdicts, pack, control = check_file_keeping_control(FACTS / "hybrid-grid.yaml")
    assert set(variant["explanations"]) == {o.id for o in verdicts.obligations}   # 41 duties, under the limit
    expected = {e["obligation"]: e["tree"] for e in explain_verdicts(verdicts, pack, list(variant["explanations"]),
                                                                     8, control=control)}

    def full(node):   # the provision's text, left out where the page holds it, put back
        out = dict(node)
        if "provision" in node and "text" not in node and node["provision"] in section["provisions"]:
            out["text"] = section["provisions"][node["provision"]]["text"]
        if "children" in node:
            out["children"] = [full(c) for c in node["children"]]
        return out

    assert {k: full(t) for k, t in variant["explanations"].items()} == expected
    # every scenario line an explanation cites is in the page, as the file has it
    lines = (FACTS / "hybrid-grid.yaml").read_text().splitlines()
    cited = section["sources"][str(FACTS / "hybrid-grid.yaml")]
    assert cited and all(text == lines[int(n) - 1] for n, text in cited.items())


def test_hostile_text_stays_data(tmp_path):
    scenario = tmp_path / "hostile.yaml"
    scenario.write_text(
        f"scenario: {json.dumps(HOSTILE)}\ndescription: {json.dumps(HOSTILE)}\ntreaty: istanbul-2022\n"
        "in_force_from: 2026-06-01\nas_of: 2027-03-20\nevents:\n"
        "  - {id: grid-attack, date: 2027-03-01, type: attack, kind: hybrid_war, by: russia, regions: [kyiv]}\n"
        f"  - {{id: pact, date: 2027-03-02, type: alliance_membership, alliance: {json.dumps(HOSTILE)}}}\n",
        encoding="utf-8")
    (section,) = _sections(scenario)
    verdicts = section.variants[0].verdicts
    odd = verdicts.obligations[0]
    hostile = replace(odd, id=HOSTILE, provision=HOSTILE, holder=HOSTILE)
    section = replace(section, variants=[Variant(replace(verdicts, obligations=(hostile, *verdicts.obligations[1:])),
                                                 explanations={HOSTILE: {"claim": HOSTILE, "because": "fact"}})])
    page = render_html([section], title=HOSTILE)
    assert page.count("</script") == 2                   # the ends of the data and of the script
    assert "<!--" not in page
    data = page.split('id="report-data">', 1)[1].split("</script>", 1)[0]
    assert not set("<>&\u2028\u2029") & set(data)       # in the data, escaped as \uXXXX
    assert "<script><" not in page and "alert(1)</script>" not in page
    assert "<title>&lt;/script&gt;&lt;script&gt;alert(1)" in page
    assert _embedded(page) == page_data([section], title=HOSTILE)   # the data survives the escaping whole
    assert _unpacked(_embedded(page))["obligations"][0]["id"] == HOSTILE


def test_embed_json_escapes_what_ends_a_script():
    text = embed_json({"a": "</script><!--\u2028\u2029&>"})
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == {"a": "</script><!--\u2028\u2029&>"}


def test_the_assets_are_package_data():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert config["tool"]["setuptools"]["package-data"]["checker.render"] == ["assets/*"]
    assert sorted(p.name for p in (ROOT / "checker" / "render" / "assets").iterdir()) == [
        "report.css", "report.html", "report.js"]


# --- the command line ----------------------------------------------------------------------

def test_report_writes_the_page_and_exits_as_check_does(tmp_path):
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(FACTS / "guarantee-kept.yaml"), "-o", str(out), "--explanations", "0"])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]   # no temporary file left
    result = runner.invoke(app, ["report", str(FACTS / "hybrid-grid.yaml"), "-o", str(tmp_path / "b.html"),
                                 "--explanations", "0", "--title", "Grid <attack>"])
    assert result.exit_code == 1
    assert "<title>Grid &lt;attack&gt;</title>" in (tmp_path / "b.html").read_text()


def test_report_refuses_an_existing_file_without_force_and_never_an_input(tmp_path):
    out = tmp_path / "report.html"
    out.write_text("keep me")
    args = ["report", str(FACTS / "guarantee-kept.yaml"), "--explanations", "0", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"--output: {out} exists; give --force to replace it"
    assert out.read_text() == "keep me"
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0
    assert out.read_text().startswith("<!DOCTYPE html>")

    scenario = tmp_path / "s.yaml"
    shutil.copy(FACTS / "guarantee-kept.yaml", scenario)
    before = scenario.read_bytes()
    result = runner.invoke(app, ["report", str(scenario), "-o", str(scenario), "--force"])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"--output: {scenario} is an input of this command ({scenario}); give another file name"
    assert scenario.read_bytes() == before
    result = runner.invoke(app, ["report", str(scenario), "-o", str(tmp_path / "no" / "r.html")])
    assert result.exit_code == 2 and "no such folder" in result.stderr


def test_the_write_is_atomic(tmp_path, monkeypatch):
    from checker.errors import UsageError
    from checker.io.files import write_atomic

    out = tmp_path / "r.html"
    out.write_text("old")

    def broken():
        yield "<!DOCTYPE html>"
        raise OSError(28, "No space left on device")

    with pytest.raises(UsageError, match="cannot be written: No space left on device"):
        write_atomic(out, broken(), force=True)
    assert out.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_check_format_html_goes_to_stdout_or_to_a_file(tmp_path):
    result = runner.invoke(app, ["check", str(FACTS / "guarantee-kept.yaml"), "--format", "html"])
    assert result.exit_code == 0 and result.stdout.startswith("<!DOCTYPE html>")
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["check", str(FACTS / "hybrid-grid.yaml"), "-f", "html", "-o", str(out)])
    assert result.exit_code == 1 and result.stdout == ""
    assert _same_keys(_unpacked(_embedded(out.read_text()))) == _same_keys(_report_json(FACTS / "hybrid-grid.yaml"))
    # -o serves the other formats too
    result = runner.invoke(app, ["check", str(FACTS / "hybrid-grid.yaml"), "-f", "json", "-o", str(tmp_path / "r.json")])
    assert result.exit_code == 1 and json.loads((tmp_path / "r.json").read_text())["scenarios"][0]["summary"]["breached"] == 13


def test_a_rejected_file_is_reported_and_the_others_still_shown(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: x\ntreaty: istanbul-2022\nevents: 3\n")
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", str(bad), str(FACTS / "guarantee-kept.yaml"), "-o", str(out),
                                 "--explanations", "0"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{bad}:3: events:")
    assert len(_embedded(out.read_text())["sections"]) == 1


# --- in a browser ----------------------------------------------------------------------------

CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-first-run")


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium through chromedriver, or a skip that says what is missing."""
    try:
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("browser tests: selenium is not installed (pip install -e '.[test]')")
    binary = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    driver_path = shutil.which("chromedriver")
    if binary is None or driver_path is None:
        pytest.skip("browser tests: no Chromium or chromedriver on PATH "
                    "(Debian: apt-get install chromium chromium-driver; .ci/run does it)")
    profile = tempfile.mkdtemp(prefix="checker-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1400,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        driver = webdriver.Chrome(options=options, service=Service(driver_path))
    except WebDriverException as exc:
        shutil.rmtree(profile, ignore_errors=True)
        pytest.skip(f"browser tests: Chromium did not start: {str(exc.msg or exc).splitlines()[0]}")
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The pages the browser tests open, written once."""
    folder = tmp_path_factory.mktemp("pages")
    out = {}

    def page(name: str, sections, **options) -> Path:
        path = folder / f"{name}.html"
        path.write_text(render_html(sections, **options), encoding="utf-8")
        out[name] = path
        return path

    page("hybrid", _sections(FACTS / "hybrid-grid.yaml", limit=100))
    page("exceptions", _sections(FACTS / "as-requested-exceptions.yaml", limit=10))
    page("excluded", _sections(FACTS / "excluded-territory.yaml", limit=30))
    page("uncertain", _sections(FACTS / "uncertain-attribution.yaml", limit=20))
    page("readings", _sections(FACTS / "as-requested.yaml", limit=0, all_readings=True))
    return out


def _open(driver, path: Path, size=(1400, 1000)) -> None:
    driver.set_window_size(*size)
    driver.get(path.as_uri())
    deadline = time.monotonic() + 30
    while driver.execute_script("return document.body.dataset.ready") != "true":
        assert time.monotonic() < deadline, "the page never said it was ready"
        time.sleep(0.02)


def _console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]


def _rows(driver) -> list[dict]:
    return driver.execute_script(
        "return [...document.querySelectorAll('.duty')].map(r => ({id: r.dataset.id, status: r.dataset.status, "
        "badge: r.querySelector('.badge').textContent, top: parseFloat(r.style.top)}))"
        ".sort((a, b) => a.top - b.top)")


def _row(driver, duty_id: str):
    from selenium.webdriver.common.by import By

    return next(r for r in driver.find_elements(By.CSS_SELECTOR, ".duty") if r.get_attribute("data-id") == duty_id)


def _detail(driver) -> dict:
    return driver.execute_script(
        "const d = document.getElementById('detail');"
        "return {hidden: d.hidden, title: document.getElementById('detail-title').textContent, text: d.innerText,"
        " focused: document.activeElement === d}")


def test_every_page_loads_without_a_console_error(browser, pages):
    for name, path in pages.items():
        _open(browser, path)
        assert _console_errors(browser) == [], name
        assert browser.execute_script("return document.querySelectorAll('.duty').length") > 0, name


def test_every_bundled_scenario_is_drawn_whole(browser, tmp_path):
    for scenario in sorted(FACTS.glob("*.yaml")):
        path = tmp_path / f"{scenario.stem}.html"
        path.write_text(render_html(_sections(scenario)), encoding="utf-8")
        _open(browser, path, size=(1400, 900))
        assert _console_errors(browser) == [], scenario.name
        summary = _report_json(scenario)["summary"]
        count = browser.find_element("css selector", ".duty-head .count").text
        assert count == f"({summary['fired'] + summary['not_fired']})", scenario.name
        chips = browser.find_element("css selector", ".counts").text
        assert f"{summary['breached']} breached" in chips and f"{summary['not_fired']} not fired" in chips


def _event_dates(path: Path) -> dict[str, str]:
    from checker.io.scenario import load_scenario

    scenario, _ = load_scenario(path)
    return {e.id: iso(e.day) for e in scenario.events}


@pytest.mark.parametrize("name, scenario", [("hybrid", "hybrid-grid.yaml"), ("exceptions", "as-requested-exceptions.yaml")])
def test_the_bars_and_markers_are_the_json_report(browser, pages, name, scenario):
    _open(browser, pages[name], size=(1500, 3600))   # tall enough to draw every row
    report = _report_json(FACTS / scenario)
    dates = _event_dates(FACTS / scenario)
    bars = browser.execute_script(
        "const axis = document.querySelector('svg.axis');"
        "return {start: +axis.dataset.start, end: +axis.dataset.end, width: +axis.getAttribute('width'),"
        " bars: [...document.querySelectorAll('.bar')].map(b => ({id: b.dataset.id, status: b.dataset.status,"
        "  kind: b.dataset.kind, start: b.dataset.start, end: b.dataset.end, open: !!b.querySelector('[data-open-end]'),"
        "  x: +b.querySelector('rect').getAttribute('x'),"
        "  marks: [...b.querySelectorAll('[data-mark]')].map(m => [m.dataset.mark, m.dataset.day])}))}")
    obligations = {o["id"]: o for o in report["obligations"]}
    assert len(bars["bars"]) == len(obligations) == report["summary"]["fired"]
    assert [b["id"] for b in bars["bars"]] == [r["id"] for r in _rows(browser) if r["status"] != "not_fired"]
    k = bars["width"] / (bars["end"] - bars["start"])
    for bar in bars["bars"]:
        o = obligations[bar["id"]]
        assert (bar["status"], bar["kind"], bar["start"], bar["end"] or None) == (
            o["status"], o["kind"], o["fired_on"], o["deadline"]), bar
        assert bar["open"] == (o["kind"] == "achievement" and o["deadline"] is None)
        fired = _day(o["fired_on"])
        if bars["start"] <= fired <= bars["end"]:     # the bar starts where its day is on the axis
            assert abs(bar["x"] - (fired - bars["start"]) * k) < 0.6, bar
        marks = {tuple(m) for m in bar["marks"]}
        if o["met_by"] and o["status"] != "discharged":
            assert ("met", dates[o["met_by"]]) in marks, bar
        if o["status"] == "late":
            assert ("overdue", o["breached_on"]) in marks, bar
        elif o["breached_on"]:
            assert ("breach", o["breached_on"]) in marks, bar
        if o["discharged_on"]:
            assert ("discharge", o["discharged_on"]) in marks, bar
        assert {m[0] for m in marks} <= {"met", "overdue", "breach", "discharge"}
    rows = _rows(browser)
    assert len(rows) == len(report["obligations"]) + len(report["not_fired"])
    assert sorted(r["id"] for r in rows if r["status"] == "not_fired") == sorted(n["id"] for n in report["not_fired"])
    for r in rows:   # every status has its word, not only its colour
        expected = obligations[r["id"]]["status"] if r["id"] in obligations else "not_fired"
        assert r["badge"] == expected.replace("_", " ")
    markers = browser.execute_script(
        "return [...document.querySelectorAll('.ev')].map(e => [e.dataset.event, e.dataset.day])")
    assert browser.execute_script("return document.querySelectorAll('.cluster').length") == 0 or name != "hybrid"
    if name == "hybrid":    # at the first zoom every event is a marker of its own, on its day
        assert {tuple(m) for m in markers} == set(dates.items())


def _day(text: str) -> int:
    import datetime as dt

    return dt.date.fromisoformat(text).toordinal() - EPOCH


def test_filters_hide_what_they_should(browser, pages):
    from selenium.webdriver.support.ui import Select

    _open(browser, pages["exceptions"], size=(1500, 3600))
    report = _report_json(FACTS / "as-requested-exceptions.yaml")
    everything = [o["id"] for o in report["obligations"]] + [n["id"] for n in report["not_fired"]]

    def shown():
        time.sleep(0.15)   # the filters apply on the next frame
        return [r["id"] for r in _rows(browser)]

    search = browser.find_element("id", "f-search")
    search.send_keys("CHINA")
    assert sorted(shown()) == sorted(i for i in everything if "china" in i)
    browser.find_element("id", "f-reset").click()
    assert sorted(shown()) == sorted(everything)

    for box in browser.find_elements("css selector", "#f-status input"):
        if box.get_attribute("value") != "pending":
            box.click()
    assert sorted(shown()) == sorted(o["id"] for o in report["obligations"] if o["status"] == "pending")
    browser.find_element("id", "f-reset").click()

    Select(browser.find_element("id", "f-party")).select_by_value("uk")
    assert sorted(shown()) == sorted(i for i in everything if i.split("/")[1] == "uk")
    lanes = browser.execute_script("return [...document.querySelectorAll('.lane')].filter(l => l.offsetParent)"
                                   ".map(l => l.dataset.party)")
    assert lanes == ["uk"]
    browser.find_element("id", "f-reset").click()
    Select(browser.find_element("id", "f-provision")).select_by_value("art4.consult")
    assert sorted(shown()) == sorted(i for i in everything if i.startswith("art4.consult/"))
    # a chip of the summary shows one status only
    browser.find_element("id", "f-reset").click()
    browser.find_element("css selector", '.chip[data-only="not_fired"]').click()
    assert sorted(shown()) == sorted(n["id"] for n in report["not_fired"])


def test_clicking_a_duty_opens_its_explanation(browser, pages):
    _open(browser, pages["hybrid"], size=(1500, 2000))
    duty = "art4.consult/china/grid-attack"
    _row(browser, duty).click()
    detail = _detail(browser)
    assert not detail["hidden"] and detail["title"] == duty
    text = detail["text"]
    assert "art4.consult/china/grid-attack is breached" in text          # the tree's root claim
    assert "must be held within three days" in text                      # the treaty text, quoted
    assert "consult-1" in text and "china is not among" in text           # the candidate that came close
    assert "hybrid-grid.yaml:9" in text and "as_of: 2027-03-20" in text   # a scenario line, shown
    assert "- id: consult-1" in text
    collapsible = browser.execute_script("return document.querySelectorAll('#detail details').length")
    assert collapsible > 3
    browser.find_element("css selector", ".detail-close").click()
    assert _detail(browser)["hidden"]


def test_a_duty_that_did_not_fire_says_which_provision_blocked_it(browser, pages):
    _open(browser, pages["excluded"], size=(1500, 2000))
    report = _report_json(FACTS / "excluded-territory.yaml")
    blocked = report["not_fired"][0]
    _row(browser, blocked["id"]).click()
    text = _detail(browser)["text"]
    assert "Why it did not fire" in text
    for provision in blocked["blocked_by"]:
        assert provision in text
    assert "do not cover the temporarily occupied territories" in text    # the blocking provision's title


def test_the_duty_list_works_from_the_keyboard(browser, pages):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    _open(browser, pages["hybrid"])
    report = _report_json(FACTS / "hybrid-grid.yaml")
    ids = [o["id"] for o in report["obligations"]]
    listbox = browser.find_element("css selector", ".duty-list")
    browser.execute_script("arguments[0].focus()", listbox)

    def active():
        at = listbox.get_attribute("aria-activedescendant")
        return browser.execute_script("return document.getElementById(arguments[0]).dataset.id", at)

    assert active() == ids[0]
    ActionChains(browser).send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_DOWN).perform()
    assert active() == ids[3]
    ActionChains(browser).send_keys(Keys.END).perform()
    assert active() == ids[-1]
    ActionChains(browser).send_keys(Keys.ARROW_UP).perform()
    assert active() == ids[-2]
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    detail = _detail(browser)
    assert not detail["hidden"] and detail["title"] == ids[-2] and detail["focused"]
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    assert _detail(browser)["hidden"]
    assert browser.execute_script("return document.activeElement") == listbox
    ActionChains(browser).send_keys(Keys.HOME).perform()
    assert active() == ids[0]


def test_zoom_and_pan_move_the_date_axis(browser, pages):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    _open(browser, pages["hybrid"])
    before = browser.execute_script("return treatyReport.view(0)")
    listbox = browser.find_element("css selector", ".duty-list")
    browser.execute_script("arguments[0].focus()", listbox)
    ActionChains(browser).send_keys("+").perform()
    zoomed = browser.execute_script("return treatyReport.view(0)")
    assert zoomed["end"] - zoomed["start"] == pytest.approx((before["end"] - before["start"]) / 2)
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()
    panned = browser.execute_script("return treatyReport.view(0)")
    assert panned["start"] > zoomed["start"] and panned["end"] - panned["start"] == pytest.approx(zoomed["end"] - zoomed["start"])
    track = browser.find_element("css selector", ".lane .track")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", track)   # not under the toolbar
    ActionChains(browser).move_to_element(track).click_and_hold().move_by_offset(-200, 0).release().perform()
    dragged = browser.execute_script("return treatyReport.view(0)")
    assert dragged["start"] > panned["start"]
    time.sleep(0.1)
    axis = browser.execute_script("const a = document.querySelector('svg.axis'); return [+a.dataset.start, +a.dataset.end]")
    assert axis == pytest.approx([dragged["start"], dragged["end"]])
    # hovering a bar says what it is: id, provision title, dates, status
    browser.find_element("css selector", '[data-zoom="fit"]').click()
    browser.find_element("id", "f-search").send_keys("arms-uk")
    time.sleep(0.2)
    bar = browser.find_element("css selector", '.duty[data-id="art5.report/uk/arms-uk"] .track')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", bar)
    ActionChains(browser).move_to_element(bar).perform()
    tip = browser.find_element("id", "tooltip").text
    title = browser.execute_script("return treatyReport.data.sections[0].provisions['art5.report'].title")
    assert tip.splitlines()[:2] == ["art5.report/uk/arms-uk", title]
    assert "status: late" in tip and "fired 2027-03-05 · deadline 2027-03-06 · met by report-uk on 2027-03-07" in tip


def test_an_uncertain_duty_shows_every_status_and_the_world_of_each(browser, pages):
    from checker.analysis.derivations import explain_witnesses

    _open(browser, pages["uncertain"], size=(1500, 1400))
    duty = "art1.guarantee/russia"
    row = next(r for r in _rows(browser) if r["id"] == duty)
    assert row["badge"] == "possibly breached | complied"
    fill = browser.execute_script("return document.querySelector(`.bar[data-id='${arguments[0]}'] rect`).style.fill", duty)
    assert "stripes-breached-complied" in fill
    _row(browser, duty).click()
    buttons = browser.find_elements("css selector", "#detail [data-witness]")
    assert [b.text for b in buttons] == ["breached show the world", "complied show the world"]
    verdicts, pack = check_file(FACTS / "uncertain-attribution.yaml")
    worlds = {e["status"]: e for e in explain_witnesses(verdicts, pack, [duty], 8)}
    for button in buttons:
        button.click()
        status = button.text.split()[0]
        view = browser.find_element("css selector", "#detail .witness-view").text
        for eid, chosen in worlds[status]["witness"].items():
            for key, value in chosen.items():
                assert f"{eid} {key} {value}" in view
        assert f"the duty is {status}" in view


def test_the_readings_selector_switches_the_verdicts(browser, pages):
    from selenium.webdriver.support.ui import Select

    from checker.analysis.worlds import all_readings

    grid = all_readings(FACTS / "as-requested.yaml")
    rows = [r for r in grid.rows() if not r["invariant"]]
    assert rows, "the scenario has verdicts that depend on a reading"
    _open(browser, pages["readings"], size=(1500, 2600))
    select = Select(browser.find_element("css selector", ".variant-select"))
    assert len(select.options) == len(grid.combos)
    for i, (combo, verdicts) in enumerate(zip(grid.combos, grid.verdicts)):
        select.select_by_value(str(i))
        time.sleep(0.15)
        shown = {r["id"]: r["status"] for r in _rows(browser)}
        assert shown == {**{o.id: o.status for o in verdicts.obligations},
                         **{n.id: "not_fired" for n in verdicts.not_fired}}, combo
        chips = browser.find_element("css selector", ".counts").text
        assert f"{verdicts.summary()['breached']} breached" in chips
    marked = browser.execute_script("return [...document.querySelectorAll('.duty .dep')].map(d => d.closest('.duty').dataset.id)")
    assert set(marked) == {r["id"] for r in rows if r["id"] in shown}


def _mini_pack(tmp_path: Path) -> Path:
    """A two-provision treaty that is not the bundled one: the page must need no change."""
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "common", rules / "common")
    (rules / "mini").mkdir()
    (rules / "mini" / "treaty.yaml").write_text(
        "treaty: mini\ntitle: A two-article test treaty\nsource: test\n"
        "parties:\n  fixed: {}\n  lists: {members: [alpha, beta]}\nregions: [iceland]\n"
        "event_types:\n"
        "  incident:\n    fields: {by: {type: party, required: true}}\n    says: \"incident caused by {by}\"\n"
        "  notice:\n    fields: {by: {type: party, required: true}, about: {type: event, to: incident, required: true}}\n"
        "    says: \"{by} gives notice of {about}\"\n"
        "provisions:\n"
        "  - {id: p1.notify, kind: achievement, title: Notify, text: \"Each member gives notice within two days.\", source: test}\n"
        "  - {id: p2.calm, kind: maintenance, title: Keep calm, text: \"No member causes an incident.\", source: test}\n")
    (rules / "mini" / "p1_notify.lp").write_text(
        "%*\nEncodes : p1.notify\n*%\n"
        'would_fire(ob("p1.notify", M, I), D) :- occurred(I, incident, D), role(M, members).\n'
        'deadline(ob("p1.notify", M, I), D + 2) :- would_fire(ob("p1.notify", M, I), D).\n'
        'meets(ob("p1.notify", M, I), N, Day) :- would_fire(ob("p1.notify", M, I), D),\n'
        "    occurred(N, notice, Day), arg(N, about, I), arg(N, by, M), Day >= D.\n")
    (rules / "mini" / "p2_calm.lp").write_text(
        "%*\nEncodes : p2.calm\n*%\n"
        'would_fire(ob("p2.calm", M, none), D) :- role(M, members), in_force_from(D).\n'
        'violates(ob("p2.calm", M, none), I, D) :- occurred(I, incident, D), arg(I, by, M).\n')
    scenario = tmp_path / "mini.yaml"
    scenario.write_text(
        "scenario: A spill and one notice\ntreaty: mini\nin_force_from: 2030-01-01\nas_of: 2030-01-10\nevents:\n"
        "  - {id: spill, date: 2030-01-03, type: incident, by: alpha}\n"
        "  - {id: notice-a, date: 2030-01-04, type: notice, by: alpha, about: spill}\n")
    return scenario


def test_another_treaty_an_open_end_and_timelines_on_one_axis(browser, tmp_path):
    scenario = _mini_pack(tmp_path)
    verdicts, pack = check_file(scenario, rules_root=tmp_path / "rules")
    statuses = {o.id: o.status for o in verdicts.obligations}
    assert statuses == {"p2.calm/alpha": "breached", "p2.calm/beta": "complied",
                        "p1.notify/alpha/spill": "fulfilled", "p1.notify/beta/spill": "breached"}
    # a duty with no deadline (other treaties have them: "will consult"), still pending
    open_ended = replace(verdicts.obligation("p1.notify/beta/spill"), deadline=None, status="pending", breached_on=None)
    other = replace(verdicts, obligations=tuple(open_ended if o.id == open_ended.id else o for o in verdicts.obligations))
    sections = [Section("Under the rules", pack, [Variant(verdicts)]), Section("A duty with no deadline", pack, [Variant(other)])]
    path = tmp_path / "two.html"
    path.write_text(render_html(sections, title="Two timelines", shared_axis=True))
    _open(browser, path, size=(1400, 1400))
    assert _console_errors(browser) == []
    lanes = browser.execute_script("return [...document.querySelectorAll('#section-0 .lane')].map(l => l.dataset.party)")
    assert lanes == ["alpha", "beta"]
    bar = browser.execute_script(
        "const b = document.querySelector(`#section-1 .bar[data-id='p1.notify/beta/spill']`);"
        "return {end: b.dataset.end, open: !!b.querySelector('[data-open-end]'), text: b.textContent}")
    assert bar == {"end": "", "open": True, "text": bar["text"]} and "no deadline" in bar["text"]
    band = browser.execute_script(
        "const b = document.querySelector(`#section-0 .bar[data-id='p2.calm/alpha']`);"
        "return [b.dataset.kind, [...b.querySelectorAll('[data-mark]')].map(m => [m.dataset.mark, m.dataset.day])]")
    assert band == ["maintenance", [["breach", "2030-01-03"]]]
    # one axis: zooming one timeline zooms both
    browser.find_element("css selector", '#section-1 [data-zoom="in"]').click()
    time.sleep(0.1)
    axes = browser.execute_script("return [...document.querySelectorAll('svg.axis')].map(a => [a.dataset.start, a.dataset.end])")
    assert axes[0] == axes[1]
    assert browser.execute_script("return treatyReport.view(0)") == browser.execute_script("return treatyReport.view(1)")


def test_print_shows_every_row_and_no_controls(browser, pages):
    _open(browser, pages["exceptions"], size=(1200, 700))
    assert len(_rows(browser)) < 87
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        browser.execute_script("window.dispatchEvent(new Event('beforeprint'))")
        assert len(_rows(browser)) == 53 + 34
        assert browser.execute_script("return getComputedStyle(document.querySelector('.toolbar')).display") == "none"
    finally:
        browser.execute_script("window.dispatchEvent(new Event('afterprint'))")
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_a_10000_event_history_is_drawn_in_under_two_seconds(browser, tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate, write

    (yaml_path,) = write(generate(10_000, seed=1), tmp_path / "h10000", formats=("yaml",))
    out = tmp_path / "h10000.html"
    result = runner.invoke(app, ["report", str(yaml_path), "-o", str(out), "--explanations", "10"])
    assert result.exit_code == 1, result.output
    times = []
    for _ in range(3):
        _open(browser, out)
        times.append(browser.execute_script("return performance.getEntriesByName('report-painted')[0].startTime"))
    assert _console_errors(browser) == []
    assert statistics.median(times) < 2000, times
    # drawn: the rows in view, not 22 000; the events gathered into clusters at this zoom
    assert browser.execute_script("return document.querySelectorAll('.duty').length") < 100
    assert browser.execute_script("return document.querySelectorAll('.cluster').length") > 50
    # zoomed into ten days, the events are markers of their own
    browser.execute_script("document.querySelector('[data-zoom=\"in\"]').click()")
    for _ in range(8):
        browser.find_element("css selector", '[data-zoom="in"]').click()
    time.sleep(0.2)
    assert browser.execute_script("return document.querySelectorAll('.ev').length") > 5


def test_the_screenshot_of_the_bundled_report(browser, tmp_path, monkeypatch):
    """docs/img/report-hybrid-grid.png, as the documentation shows it: `checker report
    facts/istanbul-2022/hybrid-grid.yaml`, with the explanation of China's missed consultations open
    (rewritten with UPDATE_SCREENSHOT=1)."""
    monkeypatch.chdir(ROOT)   # the paths as a user in the project would give them
    path = tmp_path / "hybrid-grid.html"
    path.write_text(render_html(_sections(Path("facts/istanbul-2022/hybrid-grid.yaml"), limit=100)), encoding="utf-8")
    _open(browser, path, size=(1600, 1250))
    browser.execute_script("document.querySelector('.legend').open = false")
    browser.find_element("id", "f-search").send_keys("grid-attack")
    time.sleep(0.2)
    browser.execute_script("document.querySelector(`.duty[data-id='art4.consult/china/grid-attack']`).click();"
                           "window.scrollTo(0, 0); document.getElementById('tooltip').hidden = true;")
    time.sleep(0.2)
    assert _detail(browser)["title"] == "art4.consult/china/grid-attack"
    # the documentation's picture is replaced only when asked (UPDATE_SCREENSHOT=1): a test run
    # leaves the project's files as they were
    shot = tmp_path / "report.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("UPDATE_SCREENSHOT"):
        tmp = SCREENSHOT.with_suffix(".tmp.png")
        tmp.write_bytes(shot.read_bytes())
        os.replace(tmp, SCREENSHOT)
